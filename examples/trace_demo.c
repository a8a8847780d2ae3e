/*
 * trace_demo - the whole client/server workflow in one process, with
 * every socket call libsock makes printed as it happens (the hook behind
 * `sock --trace`).
 *
 *   usage: trace_demo [ENDPOINT]      default: tcp://127.0.0.1:0
 *
 * Lines starting with "trace:" come from the library; the rest from this
 * program.  Calls made directly (send, recv below) are not traced: the
 * hook sees only what goes through libsock.
 */
#include <stdio.h>

#include <sock/addr.h>
#include <sock/sock.h>
#include <sock/trace.h>

/* The hook: one decoded call per line; err < 0 when the call failed. */
static void print_call(const char *line, int err, void *arg)
{
	FILE *out = arg;

	if (err)
		fprintf(out, "trace: %s   <- %s\n", line, sock_strerror(err));
	else
		fprintf(out, "trace: %s\n", line);
}

int main(int argc, char **argv)
{
	const char *text = argc > 1 ? argv[1] : "tcp://127.0.0.1:0";
	struct sock_addr addr;
	struct sock_addr_error perr;
	struct sock_conn srv, cli, acc;
	char buf[64], where[SOCK_ADDR_STR_MAX];
	ssize_t n;
	int ret;

	if (argc > 2 || sock_addr_parse(text, &addr, &perr) < 0 ||
	    sock_addr_is_dgram(addr.kind) || addr.kind == SOCK_KIND_STDIO) {
		fprintf(stderr, "usage: %s [STREAM-ENDPOINT]\n", argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	sock_trace_set(print_call, stdout);

	printf("-- server: socket, setsockopt, bind, listen\n");
	ret = sock_listen(&addr, NULL, &srv);
	if (ret < 0)
		goto fail;
	/* Connect to the address really bound (port 0 is now a real port). */
	sock_addr_format_sa((struct sockaddr *)&srv.local, srv.local_len, where,
			    sizeof(where));
	if (addr.family != AF_UNIX) {
		char ep[SOCK_ADDR_STR_MAX + 8];

		snprintf(ep, sizeof(ep), "tcp://%s", where);
		sock_addr_parse(ep, &addr, NULL);
	}

	printf("-- client: socket, connect (the kernel completes the "
	       "handshake; accept comes later)\n");
	ret = sock_connect(&addr, NULL, &cli);
	if (ret < 0)
		goto fail;
	printf("-- server: accept gives a new socket for this client\n");
	ret = sock_accept(srv.fd, &acc);
	if (ret < 0)
		goto fail;

	printf("-- client: send (not traced: a direct call), then "
	       "shutdown(SHUT_WR)\n");
	send(cli.fd, "hi", 2, MSG_NOSIGNAL);
	sock_shutdown(cli.fd, SHUT_WR);
	n = recv(acc.fd, buf, sizeof(buf), 0);
	printf("-- server: recv got %zd bytes; next recv gives 0 = EOF: %zd\n",
	       n, recv(acc.fd, buf, sizeof(buf), 0));

	printf("-- both: close\n");
	sock_close(acc.fd);
	sock_close(cli.fd);
	sock_close(srv.fd);

	printf("-- client again, now that nobody listens there:\n");
	ret = sock_connect(&addr, NULL, &cli);
	if (ret == 0)
		sock_close(cli.fd);
	sock_remove(&addr);
	return 0;
fail:
	fprintf(stderr, "%s: %s\n", text, sock_strerror(ret));
	return 1;
}
