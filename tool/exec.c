/*
 * tool/exec.c - --exec: split a command line without a shell and run it
 * with a connection as its stdin and stdout.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sock/sock.h>

#include "exec.h"
#include "i18n.h"

/* After the program ends, how long and how much of what the client
 * still sends is read and dropped before closing. */
#define DRAIN_MS 2000
#define DRAIN_BYTES (4u << 20)

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

/* This process ends (SIGTERM) when the one that forked it, parent,
 * does, however that ends (SIGKILL too): a program run for a client
 * must not outlive the listener that answered it.  A program that
 * detaches on its own (a double fork) is its own business. */
static void end_with_parent(pid_t parent)
{
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) < 0 || getppid() != parent)
		_exit(126);
}

static pid_t spawn(char **argv, int conn, const char *peer)
{
	pid_t holder = getpid(), pid = fork();

	if (pid != 0)
		return pid;
	reset_signals();
	end_with_parent(holder);
	if (dup2(conn, STDIN_FILENO) < 0 || dup2(conn, STDOUT_FILENO) < 0)
		_exit(126);
	if (peer)
		setenv("SOCK_PEER", peer, 1);
	execvp(argv[0], argv);
	tool_errorf(_("exec %s: %s"), argv[0], strerror(errno));
	_exit(127);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Closing a TCP socket with unread data in it sends a reset, and a
 * reset makes the client drop the reply it has not read yet (curl:
 * "connection reset by peer").  So: our FIN after the reply, then take
 * in what the client still sends until its own FIN, bounded, then
 * close with nothing unread. */
static void close_gracefully(int conn)
{
	long long deadline = now_ms() + DRAIN_MS, left;
	struct pollfd p = { .fd = conn, .events = POLLIN };
	size_t total = 0;
	char buf[16384];
	ssize_t n;

	sock_shutdown(conn, SHUT_WR);
	while ((left = deadline - now_ms()) > 0 && total < DRAIN_BYTES) {
		if (poll(&p, 1, (int)left) < 0 && errno == EINTR)
			continue;
		n = recv(conn, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			break;
		total += (size_t)n;
	}
	sock_close(conn);
}

static int status_code(int status)
{
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* The listener's stdin and stdout are not ours to keep open: a reader
 * of the listener's output must see its end when the listener ends. */
static void release_stdio(int conn)
{
	int null;

	if (conn <= STDOUT_FILENO)
		return;
	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null < 0)
		return;
	dup2(null, STDIN_FILENO);
	dup2(null, STDOUT_FILENO);
	close(null);
}

/* The process between the listener and the program: it keeps the
 * connection open while the program runs, so that it alone decides how
 * the connection ends. */
static _Noreturn void hold(const struct sock_global *g, char **argv, int conn,
			   const char *peer)
{
	int status;
	pid_t pid;

	release_stdio(conn);
	pid = spawn(argv, conn, peer);
	if (pid < 0) {
		tool_errorf(_("exec for %s: cannot fork: %s"), peer,
			    strerror(errno));
		_exit(126);
	}
	tool_verbosef(g, _("started program %d for %s"), (int)pid, peer);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			_exit(126);
	tool_verbosef(g, _("program %d ended (status %d)"), (int)pid,
		      status_code(status));
	close_gracefully(conn);
	_exit(status_code(status));
}

pid_t exec_start(const struct sock_global *g, char **argv, int conn, int lfd,
		 const char *peer)
{
	pid_t listener = getpid(), pid = fork();

	if (pid != 0)
		return pid;
	/* The listener's handlers (which remove its socket file) are not
	 * this process's, before the listener's end can signal it. */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	end_with_parent(listener);
	if (lfd >= 0)
		close(lfd);
	hold(g, argv, conn, peer);
}
