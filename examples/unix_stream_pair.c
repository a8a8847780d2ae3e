/*
 * unix_stream_pair - two processes on one computer talking through a
 * Unix-domain stream socket: the same workflow as TCP (socket, bind,
 * listen, accept / socket, connect), but the address is a file name or an
 * abstract name instead of an IP address and a port.
 *
 *   usage: unix_stream_pair [ENDPOINT]
 *   default: unix:@sock-example-PID (abstract: no file is created)
 *   e.g.     unix_stream_pair unix:/tmp/example.sock  (a socket file)
 *
 * The program listens, then fork()s: the child is the client.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sock/addr.h>
#include <sock/sock.h>

/* Print a socket address as sock_addr_format_sa() writes it. */
static void show(const char *who, const char *what,
		 const struct sockaddr_storage *sa, socklen_t len)
{
	char name[SOCK_ADDR_STR_MAX];

	sock_addr_format_sa((const struct sockaddr *)sa, len, name,
			    sizeof(name));
	printf("%s: %s %s\n", who, what, name);
}

/* Read until EOF into buf (NUL-terminated); returns bytes or -1. */
static ssize_t recv_all(int fd, char *buf, size_t size)
{
	size_t got = 0;
	ssize_t n;

	while (got < size - 1 &&
	       (n = recv(fd, buf + got, size - 1 - got, 0)) > 0)
		got += n;
	buf[got] = '\0';
	return n < 0 ? -1 : (ssize_t)got;
}

static int client(const struct sock_addr *addr)
{
	struct sock_conn c;
	char reply[256];
	int ret = sock_connect(addr, NULL, &c);

	if (ret < 0) {
		fprintf(stderr, "client: connect: %s\n", sock_strerror(ret));
		return 1;
	}
	/* A Unix client that did not bind() has no name: "(unnamed)". */
	show("client", "connected; my address:", &c.local, c.local_len);
	send(c.fd, "ping", 4, MSG_NOSIGNAL);
	sock_shutdown(c.fd, SHUT_WR); /* done sending; the reply may come */
	if (recv_all(c.fd, reply, sizeof(reply)) < 0) {
		perror("client: recv");
		return 1;
	}
	printf("client: got \"%s\"\n", reply);
	sock_close(c.fd);
	return 0;
}

static int server(int lfd)
{
	struct sock_conn c;
	struct ucred cred;
	socklen_t clen = sizeof(cred);
	char msg[256], reply[300];
	int ret = sock_accept(lfd, &c);

	if (ret < 0) {
		fprintf(stderr, "server: accept: %s\n", sock_strerror(ret));
		return 1;
	}
	show("server", "accepted a client; the client's address:", &c.peer,
	     c.peer_len);
	/* Only on a Unix socket: the kernel tells who is on the other end
	 * (both ends are on this computer, so a process id means something). */
	if (getsockopt(c.fd, SOL_SOCKET, SO_PEERCRED, &cred, &clen) == 0)
		printf("server: the client is process %d (uid %d)\n",
		       (int)cred.pid, (int)cred.uid);
	if (recv_all(c.fd, msg, sizeof(msg)) < 0) {
		perror("server: recv");
		return 1;
	}
	printf("server: got \"%s\"\n", msg);
	snprintf(reply, sizeof(reply), "pong (you said %s)", msg);
	send(c.fd, reply, strlen(reply), MSG_NOSIGNAL);
	sock_close(c.fd); /* the client's recv() now returns 0 */
	return 0;
}

int main(int argc, char **argv)
{
	char dflt[64];
	const char *text = argc > 1 ? argv[1] : dflt;
	struct sock_addr addr;
	struct sock_addr_error perr;
	struct sock_conn srv;
	struct stat st;
	int ret, status = 1;
	pid_t pid;

	snprintf(dflt, sizeof(dflt), "unix:@sock-example-%d", (int)getpid());
	if (argc > 2) {
		fprintf(stderr, "usage: %s [unix:PATH | unix:@NAME]\n",
			argv[0]);
		return 2;
	}
	if (sock_addr_parse(text, &addr, &perr) < 0 ||
	    addr.kind != SOCK_KIND_UNIX_STREAM) {
		fprintf(stderr, "%s: %s\n", text,
			addr.kind ? "not a unix: stream endpoint"
				  : perr.reason);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0); /* two processes share stdout */
	/* socket(AF_UNIX, SOCK_STREAM) + bind(name) + listen() */
	ret = sock_listen(&addr, NULL, &srv);
	if (ret < 0) {
		fprintf(stderr, "listen %s: %s\n", text, sock_strerror(ret));
		return 1;
	}
	show("server", "listening on", &srv.local, srv.local_len);
	/* A path name is a real file of type socket ('s' in ls -l); an
	 * abstract name (@...) lives only in the kernel, no file at all. */
	if (addr.path[0] && stat(addr.path, &st) == 0)
		printf("server: %s is a file: socket? %s\n", addr.path,
		       S_ISSOCK(st.st_mode) ? "yes" : "no");

	pid = fork();
	if (pid < 0) {
		perror("fork");
	} else if (pid == 0) {
		sock_close(srv.fd); /* the client does not need the listener */
		_exit(client(&addr));
	} else {
		int cst = 1;

		ret = server(srv.fd);
		waitpid(pid, &cst, 0);
		status =
		    ret == 0 && WIFEXITED(cst) && WEXITSTATUS(cst) == 0 ? 0 : 1;
	}
	sock_close(srv.fd);
	/* The socket file stays after close(): remove it (sock_remove does
	 * nothing for an abstract name, which vanishes with its socket). */
	sock_remove(&addr);
	return status;
}
