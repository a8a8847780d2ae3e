/*
 * sock/io.h - single traced data calls and what the kernel says about a
 * connected socket, for a caller that drives each step itself (sock
 * demo) rather than through a relay or forwarder.
 *
 * Every call goes through the --trace hook like the rest of libsock.
 * Failures are returned as -errno; nothing here prints or exits.
 */
#ifndef SOCK_IO_H
#define SOCK_IO_H

#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>

/* send()/recv() once, no flags; bytes moved, or -errno. */
ssize_t sock_send(int fd, const void *buf, size_t len);
ssize_t sock_recv(int fd, void *buf, size_t len);

/* sendto()/recvfrom() once, no flags; recvfrom fills *sa and *salen
 * (*salen in: its size) with the sender.  Bytes moved, or -errno. */
ssize_t sock_sendto(int fd, const void *buf, size_t len,
		    const struct sockaddr *sa, socklen_t salen);
ssize_t sock_recvfrom(int fd, void *buf, size_t len, struct sockaddr *sa,
		      socklen_t *salen);

/* Wait up to timeout_ms for a non-blocking connect() to finish (poll
 * for POLLOUT, then SO_ERROR).  0 when connected, -ETIMEDOUT when the
 * time ran out, or the connection's error (-ECONNREFUSED...). */
int sock_connect_wait(int fd, int timeout_ms);

/* The kernel's TCP state of a TCP socket (getsockopt TCP_INFO's
 * tcpi_state, numbered as enum sock_diag_state), or -errno
 * (-EOPNOTSUPP for a socket that is not TCP). */
int sock_tcp_state(int fd);

#endif
