/*
 * tool/main.c - sock's entry point: pull out the global options wherever
 * they stand, then dispatch through the command table.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cmd.h"
#include "explain.h"
#include "i18n.h"
#include "version.h"

static const struct tool_cmd commands[] = {
	{ "connect", cmd_connect,
	  N_("connect to ENDPOINT; stdin -> socket -> stdout") },
	{ "listen", cmd_listen,
	  N_("serve ENDPOINT; one connection, or -k for more") },
	{ "relay", cmd_relay,
	  N_("forward clients of FROM to TO, every session in one process") },
	{ "list", cmd_list, N_("the machine's sockets, like netstat -tulpn") },
	{ "top", cmd_top,
	  N_("the machine's sockets, live: rates, opens, closes") },
	{ "explain", cmd_explain,
	  N_("what ENDPOINT means, what it resolves to, who listens there") },
	{ "demo", cmd_demo,
	  N_("a client and a server on loopback, every call on one timeline") },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *f)
{
	fputs(
	    _("usage: sock [-v] [--trace] [--explain] [-4|-6] COMMAND [ARGS...]\n\n"
	      "commands:\n"),
	    f);
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-8s %s\n", commands[i].name,
			_(commands[i].summary));
	fputs(_("\nglobal options (before or after COMMAND):\n"
		"  -v, --verbose  say what happens (bound port, peers, "
		"bytes) on stderr\n"
		"  --trace        print every socket call as it is made\n"
		"  --explain      say what things mean and what to check "
		"next\n"
		"  -4, -6         use IPv4 or IPv6 only\n"
		"  --sandbox      connect, listen, relay: confine sock once "
		"started\n"
		"                 (Landlock and seccomp; see sock(1))\n"
		"  -h, --help     this help; sock help COMMAND (or sock "
		"COMMAND --help)\n"
		"                 for a command's\n"
		"  -V, --version  print the version (also: sock "
		"version)\n\n"
		"endpoints: tcp://HOST:PORT udp://HOST:PORT unix:PATH "
		"unix:@NAME\n"
		"           unix-dgram:PATH unix-seqpacket:PATH HOST:PORT "
		":PORT /PATH\n"
		"see sock(1) for the full grammar and examples.\n"),
	      f);
}

/* A global option, recognised as a whole word only, so that a
 * subcommand's bundled flags (sock list -tulpn4) stay its own. */
static int take_global(const char *arg, struct sock_global *g)
{
	if (!strcmp(arg, "-v") || !strcmp(arg, "--verbose"))
		g->verbose++;
	else if (!strcmp(arg, "--trace"))
		g->trace = 1;
	else if (!strcmp(arg, "--explain"))
		g->explain = 1;
	else if (!strcmp(arg, "--sandbox"))
		g->sandbox = 1;
	else if (!strcmp(arg, "-4") || !strcmp(arg, "-6"))
		tool_global_letter(arg[1], g);
	else
		return 0;
	return 1;
}

/* Remove the global options from argv in place; returns the new argc. */
static int strip_globals(int argc, char **argv, struct sock_global *g)
{
	int out = 1, i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!take_global(argv[i], g))
			argv[out++] = argv[i];
	}
	while (i < argc)
		argv[out++] = argv[i++];
	argv[out] = NULL;
	return out;
}

/* A closed stdin, stdout or stderr would be reused by the first socket
 * opened, and sock would then relay the socket to itself: give each a
 * /dev/null of its own instead. */
static void guard_std_fds(void)
{
	for (int fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) < 0 &&
		    open("/dev/null", fd ? O_WRONLY : O_RDONLY) < 0)
			_exit(EXIT_RUNTIME);
}

static const struct tool_cmd *find_command(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static int is_help(const char *arg)
{
	return !strcmp(arg, "-h") || !strcmp(arg, "--help") ||
	       !strcmp(arg, "help");
}

/* sock help [COMMAND], sock -h [COMMAND]: the command's own help when
 * one is named. */
static int help(const char *name, struct sock_global *g)
{
	char *argv[] = { (char *)name, "--help", NULL };
	const struct tool_cmd *cmd;

	if (!name) {
		usage(stdout);
		return EXIT_OK;
	}
	if (!strcmp(name, "version"))
		return cmd_version(2, argv);
	cmd = find_command(name);
	if (!cmd) {
		tool_errorf(_("unknown command '%s' (try: sock --help)"), name);
		return EXIT_USAGE;
	}
	return cmd->run(2, argv, g);
}

int main(int argc, char **argv)
{
	struct sock_global g = { 0 };
	const struct tool_cmd *cmd;

	guard_std_fds();
	tool_i18n_init();
	/* A peer that goes away must give EPIPE, not kill us mid-report. */
	signal(SIGPIPE, SIG_IGN);
	argc = strip_globals(argc, argv, &g);
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (is_help(argv[1]))
		return help(argc > 2 ? argv[2] : NULL, &g);
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V") ||
	    !strcmp(argv[1], "version"))
		return cmd_version(argc - 1, argv + 1);
	cmd = find_command(argv[1]);
	if (!cmd && argv[1][0] == '-') {
		tool_errorf(
		    _("'%s' is not a global option; a command's options "
		      "go after it (sock COMMAND %s ...; try: sock --help)"),
		    argv[1], argv[1]);
		return EXIT_USAGE;
	}
	if (!cmd) {
		tool_errorf(_("unknown command '%s' (try: sock --help)"),
			    argv[1]);
		return EXIT_USAGE;
	}
	if (g.sandbox && strcmp(cmd->name, "connect") &&
	    strcmp(cmd->name, "listen") && strcmp(cmd->name, "relay")) {
		tool_errorf(_("--sandbox is for connect, listen and relay, "
			      "not %s"),
			    cmd->name);
		return EXIT_USAGE;
	}
	if (g.trace)
		tool_trace_enable();
	if (g.explain)
		tool_explain_enable();
	return cmd->run(argc - 1, argv + 1, &g);
}
