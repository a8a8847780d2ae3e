/*
 * tool/exec.c - --exec: split a command line without a shell and run it
 * with a connection as its stdin and stdout.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exec.h"

/* One word: backslash escapes the next character outside single quotes;
 * single quotes keep everything; double quotes keep all but \" and \\.
 * Returns the position after the word, or NULL for an open quote. */
static const char *take_word(const char *s, char *out)
{
	char quote = 0;

	for (; *s && (quote || (*s != ' ' && *s != '\t')); s++) {
		if (quote == '\'' && *s == '\'') {
			quote = 0;
		} else if (quote == '"' && *s == '"') {
			quote = 0;
		} else if (!quote && (*s == '\'' || *s == '"')) {
			quote = *s;
		} else if (*s == '\\' && quote != '\'' && s[1] &&
			   (!quote || s[1] == '"' || s[1] == '\\')) {
			*out++ = *++s;
		} else {
			*out++ = *s;
		}
	}
	*out = '\0';
	return quote ? NULL : s;
}

char **exec_split(const char *cmd)
{
	size_t n = 0, len = strlen(cmd);
	/* Every word and its NUL fit in a copy of cmd; at most len/2+1
	 * words. */
	char **argv = calloc(len / 2 + 2, sizeof(char *));
	char *store = malloc(len + 1), *p = store;

	if (!argv || !store)
		goto fail;
	for (;;) {
		while (*cmd == ' ' || *cmd == '\t')
			cmd++;
		if (!*cmd)
			break;
		argv[n++] = p;
		cmd = take_word(cmd, p);
		if (!cmd)
			goto fail;
		p += strlen(p) + 1;
	}
	if (!n)
		goto fail;
	return argv;
fail:
	free(argv);
	free(store);
	return NULL;
}

void exec_free(char **argv)
{
	if (argv) {
		free(argv[0]);
		free(argv);
	}
}

/* The program starts with the signal state a shell would give it: sock
 * ignores SIGPIPE and blocks SIGCHLD for itself, and both would survive
 * exec. */
static void reset_signals(void)
{
	sigset_t chld;

	signal(SIGPIPE, SIG_DFL);
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_UNBLOCK, &chld, NULL);
}

pid_t exec_spawn(char **argv, int conn, const char *peer)
{
	pid_t pid = fork();

	if (pid != 0)
		return pid;
	reset_signals();
	if (dup2(conn, STDIN_FILENO) < 0 || dup2(conn, STDOUT_FILENO) < 0)
		_exit(126);
	if (peer)
		setenv("SOCK_PEER", peer, 1);
	execvp(argv[0], argv);
	fprintf(stderr, "sock: exec %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}
