/*
 * udp_echo_server - a datagram server: no listen(), no accept(), no
 * connection.  One socket receives from anybody (recvfrom tells who
 * sent), and answers each datagram with sendto() to that sender.
 *
 *   usage: udp_echo_server [ENDPOINT [COUNT]]
 *   default ENDPOINT: udp://127.0.0.1:0 (port 0: the kernel picks one,
 *   printed on stdout); COUNT: echo that many datagrams, then exit
 *   (default 0: until Ctrl-C).
 *
 * Try it with:  build/examples/udp_echo_client udp://127.0.0.1:PORT a b
 *          or:  echo hi | build/sock connect udp://127.0.0.1:PORT
 */
#include <stdio.h>
#include <stdlib.h>

#include <sock/addr.h>
#include <sock/sock.h>

int main(int argc, char **argv)
{
	const char *text = argc > 1 ? argv[1] : "udp://127.0.0.1:0";
	long count = argc > 2 ? strtol(argv[2], NULL, 10) : 0;
	struct sock_addr addr;
	struct sock_addr_error perr;
	struct sock_conn srv;
	char name[SOCK_ADDR_STR_MAX];
	char buf[65536]; /* the largest UDP datagram fits */
	int ret;

	if (argc > 3 || count < 0) {
		fprintf(stderr, "usage: %s [ENDPOINT [COUNT]]\n", argv[0]);
		return 2;
	}
	if (sock_addr_parse(text, &addr, &perr) < 0) {
		fprintf(stderr, "%s: %s (at character %zu)\n", text,
			perr.reason, perr.pos + 1);
		return 2;
	}
	if (!sock_addr_is_dgram(addr.kind)) {
		fprintf(stderr, "%s: not a datagram endpoint (udp://...)\n",
			text);
		return 2;
	}
	/* For a datagram endpoint sock_listen() is socket() + bind() only:
	 * there are no connections to listen for or accept. */
	ret = sock_listen(&addr, NULL, &srv);
	if (ret < 0) {
		fprintf(stderr, "bind %s: %s\n", text, sock_strerror(ret));
		return 1;
	}
	sock_addr_format_sa((struct sockaddr *)&srv.local, srv.local_len, name,
			    sizeof(name));
	printf("listening on %s (%s)\n", name, sock_addr_kind_name(addr.kind));
	fflush(stdout);

	for (long done = 0; count == 0 || done < count; done++) {
		struct sockaddr_storage peer;
		socklen_t plen = sizeof(peer);
		/* One recvfrom() = exactly one datagram, as it was sent:
		 * datagrams keep their boundaries (unlike a TCP stream). */
		ssize_t n = recvfrom(srv.fd, buf, sizeof(buf), 0,
				     (struct sockaddr *)&peer, &plen);

		if (n < 0) {
			perror("recvfrom");
			break;
		}
		sock_addr_format_sa((struct sockaddr *)&peer, plen, name,
				    sizeof(name));
		printf("%zd bytes from %s\n", n, name);
		fflush(stdout);
		/* Reply to whoever sent it: the address travels with each
		 * datagram, there is no connection to answer on. */
		if (sendto(srv.fd, buf, n, 0, (struct sockaddr *)&peer, plen) <
		    0)
			perror("sendto");
	}
	sock_close(srv.fd);
	return 0;
}
