/*
 * lib/io.c - single traced data calls, the wait for a non-blocking
 * connect, and a TCP socket's state (see sock/io.h).
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <sock/io.h>

#include "sys.h"

ssize_t sock_send(int fd, const void *buf, size_t len)
{
	ssize_t n = sock__send(fd, buf, len, 0);

	return n < 0 ? -errno : n;
}

ssize_t sock_recv(int fd, void *buf, size_t len)
{
	ssize_t n = sock__recv(fd, buf, len, 0);

	return n < 0 ? -errno : n;
}

ssize_t sock_sendto(int fd, const void *buf, size_t len,
		    const struct sockaddr *sa, socklen_t salen)
{
	ssize_t n = sock__sendto(fd, buf, len, 0, sa, salen);

	return n < 0 ? -errno : n;
}

ssize_t sock_recvfrom(int fd, void *buf, size_t len, struct sockaddr *sa,
		      socklen_t *salen)
{
	ssize_t n = sock__recvfrom(fd, buf, len, 0, sa, salen);

	return n < 0 ? -errno : n;
}

int sock_connect_wait(int fd, int timeout_ms)
{
	int n = sock__poll_connect(fd, timeout_ms), soerr = 0;

	if (n < 0)
		return -errno;
	if (n == 0)
		return -ETIMEDOUT;
	if (sock__getsockopt_error(fd, &soerr) < 0)
		return -errno;
	return -soerr;
}

int sock_tcp_state(int fd)
{
	int state;

	if (sock__getsockopt_tcp_state(fd, &state) < 0)
		return -errno;
	return state;
}
