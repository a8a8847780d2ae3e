/*
 * tcp_echo_client - the client half of the Berkeley workflow, over TCP:
 * socket, connect, send, shutdown(SHUT_WR), recv until EOF, close.
 *
 *   usage: tcp_echo_client ENDPOINT [MESSAGE]
 *   e.g.   tcp_echo_client 127.0.0.1:40000 "hello there"
 *
 * The server is tcp_echo_server, or: build/sock listen :40000
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sock/addr.h>
#include <sock/sock.h>

/* send() may write only part of the buffer: loop until it is all out. */
static int send_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);

		if (n < 0)
			return -errno;
		buf += n;
		len -= n;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *msg = argc > 2 ? argv[2] : "hello, echo";
	struct sock_addr addr;
	struct sock_addr_error perr;
	struct sock_conn c;
	char buf[4096];
	ssize_t n;
	int ret;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: %s ENDPOINT [MESSAGE]\n", argv[0]);
		return 2;
	}
	if (sock_addr_parse(argv[1], &addr, &perr) < 0) {
		fprintf(stderr, "%s: %s (at character %zu)\n", argv[1],
			perr.reason, perr.pos + 1);
		return 2;
	}
	/* Any stream endpoint works (tcp://, unix:); not a datagram one. */
	if (sock_addr_is_dgram(addr.kind) || addr.kind == SOCK_KIND_STDIO) {
		fprintf(stderr, "%s: not a stream endpoint\n", argv[1]);
		return 2;
	}
	/* getaddrinfo() (name -> addresses), then socket() + connect() to
	 * each address until one answers.  No bind(): the kernel gives the
	 * client a free "ephemeral" port by itself. */
	ret = sock_connect(&addr, NULL, &c);
	if (ret < 0) {
		fprintf(stderr, "connect %s: %s\n", argv[1],
			sock_strerror(ret));
		return 1;
	}
	ret = send_all(c.fd, msg, strlen(msg));
	if (!ret)
		ret = send_all(c.fd, "\n", 1);
	if (ret < 0) {
		fprintf(stderr, "send: %s\n", sock_strerror(ret));
		sock_close(c.fd);
		return 1;
	}
	/* Half-close: "I'm done sending".  The server's recv() returns 0
	 * (EOF), so it knows the message is complete, while our receiving
	 * side stays open for the reply.  close() here would throw the
	 * reply away; sending nothing would leave both sides waiting. */
	sock_shutdown(c.fd, SHUT_WR);

	/* Read the reply until the server closes (recv() returns 0).  It
	 * may come in several pieces: a stream has no message boundaries. */
	while ((n = recv(c.fd, buf, sizeof(buf), 0)) > 0)
		fwrite(buf, 1, n, stdout);
	if (n < 0) {
		fprintf(stderr, "recv: %s\n", sock_strerror(-errno));
		sock_close(c.fd);
		return 1;
	}
	sock_close(c.fd);
	return 0;
}
