/*
 * tool/connect.c - sock connect: a client.  stdin goes to the socket, the
 * socket to stdout; at the end of stdin the write side is shut down and
 * the reply is read until the peer closes.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <sock/sock.h>

#include "cmd.h"
#include "i18n.h"
#include "proxy.h"
#include "sandbox.h"
#include "scan.h"
#include "session.h"
#include "tls.h"

/* How long a datagram client waits for more replies after stdin ends. */
#define DEFAULT_IDLE_MS 2000

static void usage(FILE *f)
{
	fputs(
	    _("usage: sock connect [-dNuUz] [-w SECONDS] [--idle SECONDS] "
	      "[-q SECONDS] [-4|-6]\n"
	      "                    ENDPOINT | HOST PORT | -z HOST PORT...\n\n"
	      "Connect to ENDPOINT; copy stdin to it and what it sends to "
	      "stdout.\n"
	      "At the end of stdin the write side is shut down (SHUT_WR) "
	      "and the reply\n"
	      "is read until the peer closes. Datagram endpoints (udp, "
	      "unix-dgram)\n"
	      "send each read from stdin as one datagram and, after stdin "
	      "ends, wait\n"
	      "for replies until none has come for 2 s (or --idle).\n"
	      "HOST PORT as two words means HOST:PORT, as in nc.\n\n"
	      "  -w, --timeout SECONDS  give up connecting after SECONDS, and "
	      "end the\n"
	      "                         session once nothing has moved for "
	      "SECONDS (nc -w)\n"
	      "  --idle SECONDS         once stdin has ended, end when "
	      "nothing has come\n"
	      "                         for SECONDS (0: never; datagrams: "
	      "default 2)\n"
	      "  -q SECONDS             quit SECONDS after the end of stdin, "
	      "even if the\n"
	      "                         peer has not closed (nc -q)\n"
	      "  -N                     accepted for nc: sock always shuts "
	      "down its write\n"
	      "                         side at the end of stdin\n"
	      "  -d, --no-stdin         never read stdin, never half-close: "
	      "only receive\n"
	      "  -z                     only test: connect, close, exit 0 if "
	      "every port is\n"
	      "                         open, else 1; PORT may be a range "
	      "LOW-HIGH (-v: a line each)\n"
	      "  -u                     UDP: HOST:PORT means udp://HOST:PORT\n"
	      "  -U                     ENDPOINT is a Unix socket path "
	      "(unix:PATH; -uU: unix-dgram)\n"
	      "  -4, -6                 IPv4 or IPv6 only\n"
	      "  -v, --verbose          say what happens (peer, bytes) on "
	      "stderr\n"
	      "  --trace                print every socket call as it is "
	      "made\n"
	      "  --proxy URL            through a proxy: socks5://[USER@]HOST:PORT,\n"
	      "                         socks4a://[USER@]HOST:PORT or "
	      "http://[USER@]HOST:PORT\n"
	      "                         (HTTP CONNECT); the proxy resolves "
	      "the target's name\n"
	      "  --proxy-auth-file FILE the proxy password is FILE's first "
	      "line (else\n"
	      "                         $SOCK_PROXY_PASSWORD)\n"
	      "  --proxy-dns local      resolve the target's name here, not "
	      "at the proxy\n"),
	    f);
	tool_tls_usage(f, 1, 0);
}

struct connect_args {
	char endpoint[SOCK_ADDR_STR_MAX + 16];
	struct sock_opts opts;
	struct tool_nc nc;
	long idle_ms;
	long quit_ms;
	long any_ms; /* -w: the idle time of nc -w */
	int idle_set;
	int no_stdin;
	int zero_io;
	struct tool_tls tls;
	char **words; /* what follows the options */
	int nwords;
	struct tool_proxy_opts proxy;
};

static int bad_seconds(const char *text, const char *above)
{
	return tool_usage_error("connect",
				_("bad number of seconds '%s' (a number up to "
				  "%d%s)"),
				text, TOOL_SECONDS_MAX, above);
}

/* Options that mean nothing for a port test are refused, not ignored. */
static int check_zero_io(const struct connect_args *a, long wait_ms)
{
	if (!a->zero_io)
		return 0;
	if (a->no_stdin || a->quit_ms >= 0 || wait_ms >= 0)
		return tool_usage_error("connect",
					_("-z only connects and "
					  "closes: -d, -q and --idle "
					  "do not apply"));
	if (a->nc.udp && !a->nc.unix_path)
		return tool_usage_error("connect",
					_("-z needs a connection to test, and "
					  "UDP has none"));
	return 0;
}

static int parse_args(int argc, char **argv, struct sock_global *g,
		      struct connect_args *a)
{
	static const struct option longs[] = {
		{ "timeout", required_argument, NULL, 'w' },
		{ "idle", required_argument, NULL, 'I' },
		{ "no-stdin", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		TOOL_PROXY_LONGOPTS,
		TOOL_TLS_LONGS,
		{ NULL, 0, NULL, 0 },
	};
	long idle = -1;
	int c, ret;

	a->idle_ms = DEFAULT_IDLE_MS;
	a->quit_ms = -1;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":w:dhq:zuUN" TOOL_GLOBAL_LETTERS,
				longs, NULL)) != -1) {
		long ms = optarg ? tool_parse_seconds(optarg) : 0;

		if (c == 'h') {
			usage(stdout);
			return -1;
		}
		if (tool_global_letter(c, g) ||
		    (ret = tool_proxy_option("connect", c, optarg,
					     &a->proxy)) == 1)
			continue;
		if (ret)
			return ret;
		int tls = tool_tls_option("connect", c, optarg, &a->tls);

		if (tls >= 0) {
			if (tls)
				return tls;
			continue;
		}
		if ((c == 'w' && ms <= 0) || ((c == 'I' || c == 'q') && ms < 0))
			return bad_seconds(optarg,
					   c == 'w' ? _(", above 0") : "");
		if (c == 'd')
			a->no_stdin = 1;
		else if (c == 'w')
			a->opts.timeout_ms = (int)ms;
		else if (c == 'I')
			idle = ms;
		else if (c == 'q')
			a->quit_ms = ms;
		else if (c == 'z')
			a->zero_io = 1;
		else if (c == 'u')
			a->nc.udp = 1;
		else if (c == 'U')
			a->nc.unix_path = 1;
		else if (c != 'N') /* what sock always does */
			return tool_bad_option("connect", c, argv);
	}
	a->opts.family = g->family;
	if (check_zero_io(a, idle))
		return EXIT_USAGE;
	if (a->no_stdin && a->quit_ms >= 0)
		return tool_usage_error("connect",
					_("-q counts from the end of "
					  "stdin, and -d reads none"));
	/* -w is nc's: the connect timeout and the idle time at once. */
	a->any_ms = a->opts.timeout_ms;
	if (idle >= 0) {
		a->idle_ms = idle;
		a->idle_set = 1;
	}
	a->words = argv + optind;
	a->nwords = argc - optind;
	if (a->zero_io && a->nwords > 2)
		return 0;
	return tool_endpoint_words("connect", a->words, a->nwords, &a->nc,
				   a->endpoint, sizeof(a->endpoint));
}

static void say_connected(const struct sock_global *g,
			  const struct sock_conn *c, char *peer, size_t len)
{
	char local[SOCK_ADDR_STR_MAX];

	if (sock_addr_format_sa((const struct sockaddr *)&c->peer, c->peer_len,
				peer, len) < 0)
		snprintf(peer, len, "?");
	if (sock_addr_format_sa((const struct sockaddr *)&c->local,
				c->local_len, local, sizeof(local)) < 0)
		snprintf(local, sizeof(local), "?");
	tool_verbosef(g, _("connected to %s from %s"), peer, local);
}

static int run_session(const struct sock_global *g,
		       const struct connect_args *a,
		       const struct sock_addr *addr,
		       const struct sock_conn *conn, const char *peer,
		       struct sock_tls *tls)
{
	struct session_opts so = {
		.kind = addr->kind,
		.end_with_peer = 1,
		/* A stream ends with its peer's close; a datagram client
		 * only by the idle time, 2 s unless told. */
		.idle_ms = sock_addr_is_dgram(addr->kind) || a->idle_set
			       ? a->idle_ms
			       : 0,
		.any_ms = a->any_ms,
		.quit_ms = a->quit_ms,
		.peer = peer,
		.no_stdin = a->no_stdin,
		.tls = tls,
	};
	int ret = session_run(g, conn->fd, &so);

	if (tls)
		tool_tls_after(g, tls, a->endpoint);
	if (tool_tls_failed(tls, a->endpoint, ret))
		return EXIT_RUNTIME;
	if (ret < 0)
		return tool_fail(N_("connection to"), a->endpoint, ret);
	return ret;
}

/* The connection, directly or through --proxy; peer: what -v calls it.
 * Returns 0 or an exit status after saying what failed. */
static int open_conn(const struct sock_global *g, struct connect_args *a,
		     const struct sock_addr *addr, struct sock_conn *conn,
		     char *peer, size_t len)
{
	int ret;

	if (a->proxy.url) {
		ret = tool_proxy_connect(g, &a->proxy, a->endpoint, &a->opts,
					 conn);
		if (ret)
			return ret;
		snprintf(peer, len, "%s", a->endpoint);
		tool_verbosef(g, _("connected to %s through the proxy"), peer);
		return 0;
	}
	ret = sock_connect(addr, &a->opts, conn);
	if (ret)
		return tool_fail(N_("connect to"), a->endpoint, ret);
	say_connected(g, conn, peer, len);
	return 0;
}

/* Connect (through --proxy if given; and shake hands, for tls://), then
 * run the session. */
static int connect_to(const struct sock_global *g, struct connect_args *a,
		      const struct sock_addr *addr)
{
	char peer[SOCK_ADDR_STR_MAX + 16];
	struct sock_tls_ctx *ctx = NULL;
	struct sock_tls *tls = NULL;
	struct sock_conn conn;
	int ret = 0;

	if (addr->tls &&
	    !(ctx = tool_tls_context("connect", &a->tls, 0, NULL, &ret)))
		return ret;
	ret = open_conn(g, a, addr, &conn, peer, sizeof(peer));
	if (ret) {
		sock_tls_ctx_free(ctx);
		return ret;
	}
	ret = tool_sandbox_enter(
	    g, &(struct tool_sandbox){ .cmd = "connect", .peer = addr });
	if (!ret && ctx)
		ret = tool_tls_start(g, ctx, conn.fd, addr->host, a->endpoint,
				     a->opts.timeout_ms, &tls);
	if (!ret)
		ret = run_session(g, a, addr, &conn, peer, tls);
	sock_tls_free(tls);
	sock_tls_ctx_free(ctx);
	sock_close(conn.fd);
	return ret;
}

int cmd_connect(int argc, char **argv, struct sock_global *g)
{
	struct connect_args a = { 0 };
	struct sock_addr addr;
	int ret;

	ret = parse_args(argc, argv, g, &a);
	if (ret)
		return ret < 0 ? EXIT_OK : ret;
	if (a.zero_io && a.proxy.url)
		return tool_usage_error("connect", _("-z tests ports directly: "
						     "--proxy does not apply"));
	if (a.zero_io && g->sandbox)
		return tool_usage_error(
		    "connect", _("-z opens connections to every port "
				 "named: --sandbox cannot go with it"));
	if (a.zero_io)
		return scan_run(g, &a.opts, &a.nc, a.words, a.nwords);
	if (tool_parse_endpoint(a.endpoint, &addr))
		return EXIT_USAGE;
	if (addr.kind == SOCK_KIND_STDIO)
		return tool_usage_error("connect",
					_("'-' is stdin/stdout; connect needs "
					  "a socket endpoint"));
	ret = tool_check_family("connect", g, &addr, a.endpoint);
	if (ret)
		return ret;
	ret =
	    tool_proxy_setup("connect", &a.proxy, &addr, a.endpoint, g->family);
	if (ret)
		return ret;
	ret = tool_tls_check("connect", &a.tls, 0, addr.tls);
	if (ret)
		return ret;
	return connect_to(g, &a, &addr);
}
