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
#include "session.h"

/* How long a datagram client waits for more replies after stdin ends. */
#define DEFAULT_IDLE_MS 2000

static void usage(FILE *f)
{
	fprintf(
	    f, "usage: sock connect [-d] [-w SECONDS] [--idle SECONDS] [-4|-6] "
	       "ENDPOINT\n\n"
	       "Connect to ENDPOINT; copy stdin to it and what it sends to "
	       "stdout.\n"
	       "At the end of stdin the write side is shut down (SHUT_WR) "
	       "and the reply\n"
	       "is read until the peer closes. Datagram endpoints (udp, "
	       "unix-dgram)\n"
	       "send each read from stdin as one datagram and, after stdin "
	       "ends, wait\n"
	       "for replies until none has come for the idle time.\n\n"
	       "  -w, --timeout SECONDS  give up connecting after SECONDS\n"
	       "  --idle SECONDS         datagram idle time after stdin ends "
	       "(default 2)\n"
	       "  -d, --no-stdin         never read stdin, never half-close: "
	       "only receive\n"
	       "  -4, -6                 IPv4 or IPv6 only\n"
	       "  -v, --trace            say what happens; show every "
	       "socket call\n");
}

struct connect_args {
	const char *endpoint;
	struct sock_opts opts;
	long idle_ms;
	int no_stdin;
};

static int parse_args(int argc, char **argv, struct sock_global *g,
		      struct connect_args *a)
{
	static const struct option longs[] = {
		{ "timeout", required_argument, NULL, 'w' },
		{ "idle", required_argument, NULL, 'I' },
		{ "no-stdin", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	a->opts.family = g->family;
	a->idle_ms = DEFAULT_IDLE_MS;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":w:dh", longs, NULL)) != -1) {
		long ms = optarg ? tool_parse_seconds(optarg) : 0;

		if (c == 'h') {
			usage(stdout);
			return -1;
		}
		if ((c == 'w' && ms <= 0) || (c == 'I' && ms < 0))
			return tool_usage_error("connect",
						"bad number of seconds '%s' (a "
						"number up to %d%s)",
						optarg, TOOL_SECONDS_MAX,
						c == 'w' ? ", above 0" : "");
		if (c == 'd')
			a->no_stdin = 1;
		else if (c == 'w')
			a->opts.timeout_ms = (int)ms;
		else if (c == 'I')
			a->idle_ms = ms;
		else
			return tool_bad_option("connect", c, argv);
	}
	if (optind != argc - 1)
		return tool_usage_error("connect", "needs one ENDPOINT");
	a->endpoint = argv[optind];
	return 0;
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
	tool_verbosef(g, "connected to %s from %s", peer, local);
}

int cmd_connect(int argc, char **argv, struct sock_global *g)
{
	char peer[SOCK_ADDR_STR_MAX];
	struct connect_args a = { 0 };
	struct sock_addr addr;
	struct sock_conn conn;
	int ret;

	ret = parse_args(argc, argv, g, &a);
	if (ret)
		return ret < 0 ? EXIT_OK : ret;
	if (tool_parse_endpoint(a.endpoint, &addr))
		return EXIT_USAGE;
	if (addr.kind == SOCK_KIND_STDIO)
		return tool_usage_error("connect",
					"'-' is stdin/stdout; connect needs "
					"a socket endpoint");
	ret = tool_check_family("connect", g, &addr, a.endpoint);
	if (ret)
		return ret;
	ret = sock_connect(&addr, &a.opts, &conn);
	if (ret)
		return tool_fail("connect to", a.endpoint, ret);
	say_connected(g, &conn, peer, sizeof(peer));
	struct session_opts so = {
		.kind = addr.kind,
		.end_with_peer = 1,
		.idle_ms = sock_addr_is_dgram(addr.kind) ? a.idle_ms : 0,
		.peer = peer,
		.no_stdin = a.no_stdin,
	};
	ret = session_run(g, conn.fd, &so);
	sock_close(conn.fd);
	if (ret < 0)
		return tool_fail("connection to", a.endpoint, ret);
	return ret;
}
