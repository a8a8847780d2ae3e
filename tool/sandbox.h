/*
 * tool/sandbox.h - --sandbox: after start-up, connect, listen and relay
 * give up what they no longer need (Landlock for files and TCP ports,
 * seccomp for system calls).  The policy is the tool's: the library
 * stays policy-free.  docs/sandbox.md says what each mode still allows.
 */
#ifndef SOCK_TOOL_SANDBOX_H
#define SOCK_TOOL_SANDBOX_H

#include <sock/addr.h>
#include <sock/sock.h>

#include "cmd.h"

/* What the command still needs once it runs. */
struct tool_sandbox {
	const char *cmd;	      /* "connect", "listen", "relay" */
	const struct sock_addr *own;  /* its own Unix file, removed at exit */
	const struct sock_addr *peer; /* connect: what it is connected to */
	const struct sock_target *to; /* relay: connected to for each client */
	char *const *exec_argv;	      /* listen --exec: the program */
};

/* Nothing when g->sandbox is not set; otherwise confine the process as
 * p allows and return 0, or say why it cannot and return EXIT_RUNTIME
 * (sock never runs unconfined when --sandbox was asked for).  With
 * SOCK_SANDBOX_SELFTEST=PATH in the environment, then tries what the
 * sandbox forbids (open PATH, start a process) and says on stderr what
 * happened, for the tests. */
int tool_sandbox_enter(const struct sock_global *g,
		       const struct tool_sandbox *p);

/* The Landlock ABI the kernel offers, 0 when none (for --version). */
int tool_sandbox_landlock_abi(void);

#endif
