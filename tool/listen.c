/*
 * tool/listen.c - sock listen: a server.  Stream kinds accept a
 * connection and bridge it with stdin/stdout (or hand it to --exec);
 * datagram kinds print what any peer sends and answer the last one.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sock/sock.h>

#include "cmd.h"
#include "i18n.h"
#include "proxy.h"
#include "sandbox.h"
#include "exec.h"
#include "server.h"
#include "session.h"
#include "tls.h"

struct listen_args {
	char endpoint[SOCK_ADDR_STR_MAX + 16];
	struct sock_addr addr;
	struct sock_opts opts;
	struct tool_nc nc;
	int keep;
	int no_stdin;
	long any_ms;  /* -w: 0 none */
	long idle_ms; /* --idle: 0 none */
	long quit_ms; /* -q: < 0 none */
	char **exec_argv;
	int lfd; /* the listening socket while it is open, else -1 */
	struct tool_acl_opts acl;
	unsigned int children; /* --exec programs running */
	struct tool_tls tls;
	struct sock_tls_ctx *tls_ctx; /* tls:// */
};

static void usage(FILE *f)
{
	fputs(
	    _("usage: sock listen [-dklNuU] [--exec 'PROGRAM ARG...'] [-w "
	      "SECONDS] [-q SECONDS]\n"
	      "                   [-4|-6] ENDPOINT | PORT | HOST PORT | -p "
	      "PORT [HOST]\n\n"
	      "Serve ENDPOINT. Stream endpoints accept one connection and "
	      "bridge it with\n"
	      "stdin/stdout; datagram endpoints print every datagram from "
	      "any peer and\n"
	      "send stdin to the peer heard from last. A bare PORT means "
	      ":PORT and\n"
	      "HOST PORT means HOST:PORT, as in nc.\n\n"
	      "  -k, --keep           keep listening after a connection "
	      "ends\n"
	      "  -d, --no-stdin       never read stdin, never half-close: "
	      "only receive\n"
	      "  -e, --exec COMMAND   run COMMAND per connection, the "
	      "connection as its\n"
	      "                       stdin and stdout (no shell; SOCK_PEER "
	      "is set);\n"
	      "                       with -k, connections are served "
	      "concurrently\n"
	      "  -w SECONDS           end a connection (or a datagram "
	      "session, from its\n"
	      "                       first datagram) once nothing has moved "
	      "for SECONDS\n"
	      "  --idle SECONDS       once stdin has ended, end when nothing "
	      "has come\n"
	      "                       for SECONDS\n"
	      "  -q SECONDS           close SECONDS after the end of stdin "
	      "(nc -q)\n"
	      "  -p PORT              the port, as nc -l -p PORT writes it\n"
	      "  -l                   accepted for nc: sock listen always "
	      "listens\n"
	      "  -N                   accepted for nc: sock always shuts down "
	      "its write\n"
	      "                       side at the end of stdin\n"
	      "  -u                   UDP: PORT or HOST:PORT means "
	      "udp://HOST:PORT\n"
	      "  -U                   ENDPOINT is a Unix socket path "
	      "(unix:PATH; -uU: unix-dgram)\n"
	      "  -4, -6               IPv4 or IPv6 only\n"
	      "  -v, --verbose        say what happens (bound port, peers, "
	      "bytes) on stderr\n"
	      "  --trace              print every socket call as it is "
	      "made\n"
	      "  --allow CIDR[,CIDR...]  admit only clients in these "
	      "address blocks\n"
	      "  --deny CIDR[,CIDR...]   refuse clients in these blocks "
	      "(deny wins)\n"
	      "  --allow-file FILE, --deny-file FILE  the same, read from "
	      "FILE\n"
	      "  --allow-uid UID[,UID...]  Unix endpoints: admit only these "
	      "users (names too)\n"
	      "  --max-conns N        with -k --exec: at most N programs at "
	      "once; the next\n"
	      "                       client waits in the backlog until one "
	      "ends\n"),
	    f);
	tool_tls_usage(f, 0, 1);
}

/* A time in seconds for -w or -q, into *ms. */
static int take_seconds(const char *text, long *ms)
{
	*ms = tool_parse_seconds(text);
	if (*ms >= 0)
		return 0;
	return tool_usage_error("listen",
				_("bad number of seconds '%s' (a number up to "
				  "%d)"),
				text, TOOL_SECONDS_MAX);
}

/* One option; returns 0, an exit status (said), or -1 when unknown. */
static int take_option(int c, struct listen_args *a)
{
	switch (c) {
	case 'd':
		a->no_stdin = 1;
		return 0;
	case 'k':
		a->keep = 1;
		return 0;
	case 'u':
		a->nc.udp = 1;
		return 0;
	case 'U':
		a->nc.unix_path = 1;
		return 0;
	case 'p':
		a->nc.port = optarg;
		return 0;
	case 'l': /* nc's "listen": what sock listen does anyway */
	case 'N': /* nc's "shut down at EOF": what sock always does */
		return 0;
	case 'w':
		return take_seconds(optarg, &a->any_ms);
	case 'I':
		return take_seconds(optarg, &a->idle_ms);
	case 'q':
		return take_seconds(optarg, &a->quit_ms);
	case 'e':
		exec_free(a->exec_argv);
		a->exec_argv = exec_split(optarg);
		if (a->exec_argv)
			return 0;
		return tool_usage_error(
		    "listen",
		    _("bad --exec command '%s' (empty or an "
		      "unbalanced quote)"),
		    optarg);
	}
	return -1;
}

/* Options for the session that --exec hands to a program. */
static int check_exec(const struct listen_args *a)
{
	if (a->exec_argv && (a->any_ms || a->idle_ms || a->quit_ms >= 0))
		return tool_usage_error("listen",
					_("--exec hands the connection to the "
					  "program: -w, --idle and -q do not "
					  "apply"));
	if (a->no_stdin && a->quit_ms >= 0)
		return tool_usage_error("listen",
					_("-q counts from the end of "
					  "stdin, and -d reads none"));
	return 0;
}

static int parse_args(int argc, char **argv, struct sock_global *g,
		      struct listen_args *a)
{
	static const struct option longs[] = {
		{ "keep", no_argument, NULL, 'k' },
		{ "exec", required_argument, NULL, 'e' },
		{ "no-stdin", no_argument, NULL, 'd' },
		{ "idle", required_argument, NULL, 'I' },
		{ "help", no_argument, NULL, 'h' },
		TOOL_ACL_LONGOPTS,
		TOOL_TLS_LONGS,
		{ NULL, 0, NULL, 0 },
	};
	int c, ret;

	a->quit_ms = -1;
	optind = 1;
	opterr = 0;
	while (
	    (c = getopt_long(argc, argv, ":ke:dhlp:uUNw:q:" TOOL_GLOBAL_LETTERS,
			     longs, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			return -1;
		}
		if (tool_global_letter(c, g))
			continue;
		ret = tool_acl_option("listen", c, optarg, &a->acl);
		if (ret == 1)
			continue;
		if (ret)
			return ret;
		ret = tool_tls_option("listen", c, optarg, &a->tls);
		if (ret < 0)
			ret = take_option(c, a);
		if (ret < 0)
			return tool_bad_option("listen", c, argv);
		if (ret)
			return ret;
	}
	a->opts.family = g->family;
	if (check_exec(a))
		return EXIT_USAGE;
	return tool_endpoint_words("listen", argv + optind, argc - optind,
				   &a->nc, a->endpoint, sizeof(a->endpoint));
}

static void on_terminate(int sig)
{
	tool_trace_signaled();
	server_remove_file();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void on_child(int sig)
{
	(void)sig; /* only to interrupt the wait for a client */
}

/* The signal mask while waiting for a client: SIGCHLD is blocked at all
 * other times, so that a child ending between the reaping and the wait
 * still interrupts the wait instead of staying a zombie. */
static sigset_t wait_mask;

/* Handlers for the stop signals and SIGCHLD; then the mask becomes
 * orig with SIGCHLD blocked. */
static void install_signals(const struct sock_addr *a, const sigset_t *orig)
{
	struct sigaction sa = { 0 };
	sigset_t mask;

	server_claim_file(a);
	sa.sa_handler = on_terminate;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = on_child;
	sigaction(SIGCHLD, &sa, NULL);
	wait_mask = mask = *orig;
	sigaddset(&mask, SIGCHLD);
	sigdelset(&wait_mask, SIGCHLD);
	sigprocmask(SIG_SETMASK, &mask, NULL);
}

/* Bind, then take over the stop signals: held back in between, so that
 * a TERM arriving just after bind() still removes the socket file. */
static int listen_guarded(struct listen_args *a, struct sock_conn *c)
{
	sigset_t stop, old;
	int ret;

	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGHUP);
	sigprocmask(SIG_BLOCK, &stop, &old);
	ret = sock_listen(&a->addr, &a->opts, c);
	if (!ret)
		install_signals(&a->addr, &old);
	else
		sigprocmask(SIG_SETMASK, &old, NULL);
	return ret;
}

/* ---- serving ------------------------------------------------------- */

/* The children report their programs' ends themselves (exec.h). */
static void reap_children(struct listen_args *a)
{
	while (waitpid(-1, NULL, WNOHANG) > 0)
		if (a->children)
			a->children--;
}

/* --max-conns: with N programs running, the next client waits in the
 * listen backlog (as relay's sessions do) until one ends. */
static void wait_room(struct listen_args *a)
{
	reap_children(a);
	while (a->acl.max_conns && a->children >= a->acl.max_conns) {
		sigsuspend(&wait_mask);
		reap_children(a);
	}
}

/* Wait until a client is waiting on lfd, reaping ended programs
 * meanwhile.  Returns 0 or -errno. */
static int wait_client(struct listen_args *a, int lfd)
{
	struct pollfd p = { .fd = lfd, .events = POLLIN };

	for (;;) {
		wait_room(a);
		if (ppoll(&p, 1, NULL, &wait_mask) > 0)
			return 0;
		if (errno != EINTR)
			return -errno;
	}
}

static int wait_child(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return EXIT_RUNTIME;
	return WIFEXITED(status) && !WEXITSTATUS(status) ? EXIT_OK
							 : EXIT_RUNTIME;
}

/* Serve one accepted connection; returns an exit status, or -1 to go on
 * accepting. */
static int serve_conn(const struct sock_global *g, struct listen_args *a,
		      struct sock_conn *c, const char *peer)
{
	/* Not ended by the client's EOF: a client that half-closes (as
	 * sock connect does) still gets all of our stdin, like the late
	 * reply it waits for. */
	/* Both directions must end, so that a listener can answer after
	 * the client's half-close; but at a terminal nobody will type to a
	 * peer that has gone. */
	struct session_opts so = { .kind = a->addr.kind,
				   .peer = peer,
				   .end_with_peer = isatty(STDIN_FILENO),
				   .idle_ms = a->idle_ms,
				   .any_ms = a->any_ms,
				   .quit_ms = a->quit_ms,
				   .no_stdin = a->no_stdin };
	struct sock_tls *tls = NULL;
	pid_t pid;
	int ret;

	/* A client that fails the handshake ends only its own session. */
	if (a->tls_ctx &&
	    tool_tls_start(g, a->tls_ctx, c->fd, NULL, peer, a->any_ms, &tls)) {
		sock_close(c->fd);
		return a->keep ? -1 : EXIT_RUNTIME;
	}
	so.tls = tls;
	if (a->exec_argv) {
		pid = exec_start(g, a->exec_argv, c->fd, a->lfd, peer);
		sock_close(c->fd);
		if (pid < 0)
			return tool_fail(N_("exec for"), peer, -errno);
		a->children++;
		return a->keep ? -1 : wait_child(pid);
	}
	ret = session_run(g, c->fd, &so);
	if (tls)
		tool_tls_after(g, tls, peer);
	if (tool_tls_failed(tls, peer, ret))
		ret = EXIT_RUNTIME;
	sock_tls_free(tls);
	sock_close(c->fd);
	if (ret < 0)
		ret = tool_fail(N_("connection from"), peer, ret);
	return a->keep ? -1 : ret;
}

static int serve_stream(const struct sock_global *g, struct listen_args *a,
			int lfd)
{
	char peer[SOCK_ADDR_STR_MAX + 32];
	struct sock_conn c;
	int ret;

	/* Non-blocking: a client that leaves between the wait and
	 * accept() must not leave us stuck in accept(). */
	fcntl(lfd, F_SETFL, fcntl(lfd, F_GETFL) | O_NONBLOCK);
	for (;;) {
		ret = wait_client(a, lfd);
		if (!ret)
			ret = sock_accept(lfd, &c);
		if (ret == -EINTR || ret == -ECONNABORTED || ret == -EAGAIN)
			continue;
		if (ret)
			return tool_fail(N_("accept on"), a->endpoint, ret);
		server_peer_name(a->addr.kind, (struct sockaddr *)&c.peer,
				 c.peer_len, peer, sizeof(peer));
		/* Refused: closed before it reaches stdin or --exec. */
		if (!tool_acl_admit(g, &a->acl, c.fd,
				    (struct sockaddr *)&c.peer, c.peer_len,
				    peer)) {
			sock_close(c.fd);
			continue;
		}
		tool_verbosef(g, _("connection from %s"), peer);
		if (!a->keep) {
			/* One client only: later ones are refused, not
			 * left waiting in the backlog. */
			sock_close(lfd);
			a->lfd = -1;
			server_remove_file();
			server_forget_file();
		}
		ret = serve_conn(g, a, &c, peer);
		if (ret >= 0)
			return ret;
	}
}

static int serve_dgram(const struct sock_global *g, struct listen_args *a,
		       int fd)
{
	struct session_opts so = { .kind = a->addr.kind,
				   .reply_to_last = 1,
				   .idle_ms = a->idle_ms,
				   .any_ms = a->any_ms,
				   .quit_ms = a->quit_ms,
				   .no_stdin = a->no_stdin };
	int ret;

	if (a->exec_argv)
		return tool_usage_error("listen",
					_("--exec needs a stream endpoint"));
	ret = session_run(g, fd, &so);
	if (ret < 0)
		return tool_fail(N_("receiving on"), a->endpoint, ret);
	return ret;
}

int cmd_listen(int argc, char **argv, struct sock_global *g)
{
	struct listen_args a = { 0 };
	struct sock_conn c;
	int ret;

	ret = parse_args(argc, argv, g, &a);
	if (ret)
		goto out;
	ret = EXIT_USAGE;
	if (tool_parse_endpoint(a.endpoint, &a.addr))
		goto out;
	if (a.addr.kind == SOCK_KIND_STDIO) {
		ret =
		    tool_usage_error("listen", _("'-' is stdin/stdout; listen "
						 "needs a socket endpoint"));
		goto out;
	}
	ret = tool_check_family("listen", g, &a.addr, a.endpoint);
	if (!ret)
		ret = tool_acl_check("listen", &a.acl, &a.addr);
	if (!ret && a.acl.max_conns && sock_addr_is_dgram(a.addr.kind))
		ret = tool_usage_error("listen",
				       _("--max-conns counts "
					 "connections; %s has none"),
				       sock_addr_kind_name(a.addr.kind));
	if (!ret)
		ret = tool_tls_check("listen", &a.tls, 1, a.addr.tls);
	if (!ret && a.addr.tls && a.exec_argv)
		ret =
		    tool_usage_error("listen", _("--exec with tls:// is not "
						 "supported: the program "
						 "would get encrypted bytes"));
	if (ret)
		goto out;
	if (a.addr.tls && !(a.tls_ctx = tool_tls_context("listen", &a.tls, 1,
							 a.addr.host, &ret)))
		goto out;
	ret = listen_guarded(&a, &c);
	if (ret) {
		ret = server_fail_listen(&a.addr, a.endpoint, ret);
		goto out;
	}
	a.lfd = c.fd;
	server_say_listening(g, a.addr.kind, &c);
	ret = tool_sandbox_enter(
	    g, &(struct tool_sandbox){
		   .cmd = "listen", .own = &a.addr, .exec_argv = a.exec_argv });
	if (ret)
		goto out;
	if (sock_addr_is_dgram(a.addr.kind))
		ret = serve_dgram(g, &a, c.fd);
	else
		ret = serve_stream(g, &a, c.fd);
out:
	sock_tls_ctx_free(a.tls_ctx);
	exec_free(a.exec_argv);
	tool_acl_free(&a.acl);
	return ret < 0 ? EXIT_OK : ret;
}
