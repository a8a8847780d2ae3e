/*
 * tool/exec.h - running a program per connection (--exec).
 */
#ifndef SOCK_TOOL_EXEC_H
#define SOCK_TOOL_EXEC_H

#include <sys/types.h>

#include "cmd.h"

/* Split cmd into a NULL-terminated argv (no shell; simple quoting).
 * Returns it (free with exec_free), or NULL for an empty command, an
 * unbalanced quote, or no memory. */
char **exec_split(const char *cmd);
void exec_free(char **argv);

/* Run argv with conn as stdin and stdout and SOCK_PEER=peer in the
 * environment, in a child that waits for it, says so with -v, then
 * closes conn gracefully (no reset for a client still sending) and exits
 * with the program's status (128+N for signal N).  The child closes lfd
 * (the listening socket, or -1).  Returns the child's pid, or -1 (errno
 * set); the caller closes its own copy of conn. */
pid_t exec_start(const struct sock_global *g, char **argv, int conn, int lfd,
		 const char *peer);

#endif
