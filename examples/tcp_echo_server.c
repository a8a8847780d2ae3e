/*
 * tcp_echo_server - the server half of the Berkeley workflow, over TCP.
 *
 *   usage: tcp_echo_server [ENDPOINT [COUNT]]
 *   default ENDPOINT: tcp://127.0.0.1:0 (port 0: the kernel picks a free
 *   port, printed on stdout); COUNT: serve that many clients, then exit
 *   (default 0: serve until Ctrl-C).
 *
 * Try it with:  build/examples/tcp_echo_client 127.0.0.1:PORT hello
 *          or:  echo hello | build/sock connect 127.0.0.1:PORT
 */
#include <stdio.h>
#include <stdlib.h>

#include <sock/addr.h>
#include <sock/sock.h>

/* Send back everything the client sends, until it says "I'm done". */
static int echo(int fd)
{
	char buf[4096];
	ssize_t n;

	/* recv() returns what has arrived so far: maybe part of what the
	 * client wrote, maybe two writes glued together.  A stream has no
	 * message boundaries.  0 means the client shut down its sending
	 * side (end of file). */
	while ((n = recv(fd, buf, sizeof(buf), 0)) > 0) {
		/* send() may take less than asked: loop until all is out.
		 * MSG_NOSIGNAL: if the client is gone, get EPIPE instead of
		 * being killed by SIGPIPE. */
		for (ssize_t off = 0; off < n;) {
			ssize_t w = send(fd, buf + off, n - off, MSG_NOSIGNAL);

			if (w < 0)
				return -1;
			off += w;
		}
	}
	return n < 0 ? -1 : 0;
}

int main(int argc, char **argv)
{
	const char *text = argc > 1 ? argv[1] : "tcp://127.0.0.1:0";
	long count = argc > 2 ? strtol(argv[2], NULL, 10) : 0;
	struct sock_addr addr;
	struct sock_addr_error perr;
	struct sock_conn srv, cli;
	char name[SOCK_ADDR_STR_MAX];
	int ret;

	if (argc > 3 || count < 0) {
		fprintf(stderr, "usage: %s [ENDPOINT [COUNT]]\n", argv[0]);
		return 2;
	}
	/* "tcp://127.0.0.1:0" -> kind TCP, host "127.0.0.1", service "0".
	 * Nothing is resolved yet: parsing only reads the text. */
	if (sock_addr_parse(text, &addr, &perr) < 0) {
		fprintf(stderr, "%s: %s (at character %zu)\n", text,
			perr.reason, perr.pos + 1);
		return 2;
	}
	/* Any stream endpoint works (tcp://, unix:); not a datagram one. */
	if (sock_addr_is_dgram(addr.kind) || addr.kind == SOCK_KIND_STDIO) {
		fprintf(stderr, "%s: not a stream endpoint\n", text);
		return 2;
	}
	/* socket() + setsockopt(SO_REUSEADDR) + bind() + listen(): after
	 * this the kernel accepts connections for us and queues them. */
	ret = sock_listen(&addr, NULL, &srv);
	if (ret < 0) {
		fprintf(stderr, "listen %s: %s\n", text, sock_strerror(ret));
		return 1;
	}
	/* srv.local is the address really bound: with port 0 this is where
	 * we learn which port the kernel chose. */
	sock_addr_format_sa((struct sockaddr *)&srv.local, srv.local_len, name,
			    sizeof(name));
	printf("listening on %s (%s)\n", name, sock_addr_kind_name(addr.kind));
	fflush(stdout);

	for (long served = 0; count == 0 || served < count; served++) {
		/* accept(): take the next connection from the queue.  It is a
		 * NEW socket for this one client; srv.fd keeps listening. */
		ret = sock_accept(srv.fd, &cli);
		if (ret < 0) {
			fprintf(stderr, "accept: %s\n", sock_strerror(ret));
			continue;
		}
		sock_addr_format_sa((struct sockaddr *)&cli.peer, cli.peer_len,
				    name, sizeof(name));
		printf("client %s connected\n", name);
		fflush(stdout);
		if (echo(cli.fd) < 0)
			perror("echo");
		/* The client sent EOF and got everything back: close() ends
		 * the connection (the client's recv() now returns 0). */
		sock_close(cli.fd);
		printf("client %s done\n", name);
		fflush(stdout);
	}
	sock_close(srv.fd);
	return 0;
}
