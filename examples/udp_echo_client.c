/*
 * udp_echo_client - send each MESSAGE as one datagram and print each
 * reply.  Datagrams keep their boundaries: three messages sent are three
 * datagrams received, never glued together, never split.
 *
 *   usage: udp_echo_client ENDPOINT [MESSAGE...]
 *   e.g.   udp_echo_client udp://127.0.0.1:40000 one two three
 *
 * The server is udp_echo_server, or: build/sock listen udp://:40000
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>

#include <sock/addr.h>
#include <sock/sock.h>

/* UDP gives no delivery guarantee: wait this long for each reply. */
#define REPLY_TIMEOUT_MS 2000

int main(int argc, char **argv)
{
	char *dflt[] = { "hello, echo" };
	char **msgs = argc > 2 ? argv + 2 : dflt;
	int nmsgs = argc > 2 ? argc - 2 : 1;
	struct sock_addr addr;
	struct sock_addr_error perr;
	struct sock_conn c;
	char buf[65536];
	int ret;

	if (argc < 2) {
		fprintf(stderr, "usage: %s ENDPOINT [MESSAGE...]\n", argv[0]);
		return 2;
	}
	if (sock_addr_parse(argv[1], &addr, &perr) < 0) {
		fprintf(stderr, "%s: %s (at character %zu)\n", argv[1],
			perr.reason, perr.pos + 1);
		return 2;
	}
	if (!sock_addr_is_dgram(addr.kind)) {
		fprintf(stderr, "%s: not a datagram endpoint (udp://...)\n",
			argv[1]);
		return 2;
	}
	/* connect() on a UDP socket sends nothing: it only records the
	 * peer, so that send()/recv() work without an address each time
	 * and datagrams from anybody else are filtered out. */
	ret = sock_connect(&addr, NULL, &c);
	if (ret < 0) {
		fprintf(stderr, "connect %s: %s\n", argv[1],
			sock_strerror(ret));
		return 1;
	}
	/* Send them all first, then read: the server may answer in any
	 * order it likes, and each reply is one whole datagram. */
	for (int i = 0; i < nmsgs; i++) {
		if (send(c.fd, msgs[i], strlen(msgs[i]), 0) < 0) {
			fprintf(stderr, "send: %s\n", sock_strerror(-errno));
			goto fail;
		}
	}
	for (int i = 0; i < nmsgs; i++) {
		struct pollfd p = { .fd = c.fd, .events = POLLIN };
		ssize_t n;

		/* Nothing tells a UDP client "no reply is coming": a lost
		 * datagram is simply never seen.  So wait a bounded time. */
		if (poll(&p, 1, REPLY_TIMEOUT_MS) == 0) {
			fprintf(stderr, "no reply within %d ms\n",
				REPLY_TIMEOUT_MS);
			goto fail;
		}
		/* Nobody listening at that port: the kernel's "port
		 * unreachable" comes back on a connected UDP socket as
		 * ECONNREFUSED from recv(). */
		n = recv(c.fd, buf, sizeof(buf), 0);
		if (n < 0) {
			fprintf(stderr, "recv: %s\n", sock_strerror(-errno));
			goto fail;
		}
		printf("reply %d (%zd bytes): %.*s\n", i + 1, n, (int)n, buf);
	}
	sock_close(c.fd);
	return 0;
fail:
	sock_close(c.fd);
	return 1;
}
