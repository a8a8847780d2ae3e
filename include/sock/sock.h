/*
 * sock/sock.h - open sockets for endpoints: resolve, bind, listen, connect,
 * accept.
 *
 * Every descriptor returned is CLOEXEC and belongs to the caller, who
 * closes it (sock_close() traces the close).  Failures are returned as
 * -errno; resolver failures as values at or below -SOCK_ERR_EAI_BASE (use
 * sock_strerror() for either).  Nothing here prints or exits.
 */
#ifndef SOCK_SOCK_H
#define SOCK_SOCK_H

#include <stddef.h>
#include <sys/socket.h>

#include <sock/addr.h>

/* Resolver error n (an EAI_* code, negative in glibc) is returned as
 * -(SOCK_ERR_EAI_BASE - n), so every error stays a negative int. */
#define SOCK_ERR_EAI_BASE 10000

/* Backlog passed to listen(): the kernel caps it at somaxconn. */
#define SOCK_LISTEN_BACKLOG 4096

/* A connected or accepted socket with the addresses of both ends. */
struct sock_conn {
	int fd;
	struct sockaddr_storage local;
	socklen_t local_len;
	struct sockaddr_storage peer;
	socklen_t peer_len;
};

/* How sock_connect() and sock_listen() choose addresses. */
struct sock_opts {
	int family;	/* AF_UNSPEC, or AF_INET/AF_INET6 forced by -4/-6 */
	int timeout_ms; /* connect timeout per address; <= 0: none */
	int backlog;	/* listen() backlog; <= 0: SOCK_LISTEN_BACKLOG */
};

/*
 * Connect to an Internet or Unix endpoint (not SOCK_KIND_STDIO).  Every
 * address the name resolves to is tried in order until one answers; the
 * error of the last attempt is returned when none does.  Datagram kinds
 * are connect()ed so that send/recv work, and a unix-dgram client first
 * binds an auto-bound (abstract) address so the server can answer.
 * Returns 0 and fills *out, or a negative error.
 */
int sock_connect(const struct sock_addr *a, const struct sock_opts *o,
		 struct sock_conn *out);

/*
 * Open a listening socket (stream kinds: bind + listen with SO_REUSEADDR;
 * datagram kinds: bind only).  An empty host serves IPv4 and IPv6 through
 * one dual-stack socket where the machine has IPv6.  A Unix path that
 * exists and is not a socket is refused with -ENOTSOCK; a stale socket
 * (connect() refused) is replaced; a live one gives -EADDRINUSE.
 * Returns 0 and fills *out (local = the bound address, port 0 resolved),
 * or a negative error.
 */
int sock_listen(const struct sock_addr *a, const struct sock_opts *o,
		struct sock_conn *out);

/*
 * Accept one connection on listening socket lfd (accept4, CLOEXEC).
 * Returns 0 and fills *out, or a negative error (-EAGAIN when lfd is
 * non-blocking and nobody waits).
 */
int sock_accept(int lfd, struct sock_conn *out);

/* The addresses an endpoint resolved to, kept for a caller that connects
 * to it again and again (sock relay, once per client). */
struct sock_target_addr {
	struct sockaddr_storage sa;
	socklen_t len;
	int type, proto;
};

struct sock_target {
	enum sock_kind kind;
	size_t n;
	struct sock_target_addr *addrs;
};

/*
 * Resolve a connectable endpoint once: t->addrs gets every address in
 * the order sock_connect() would try them.  Returns 0, or a negative
 * error (a resolver failure, -ENOMEM).  Free with sock_target_free().
 */
int sock_resolve(const struct sock_addr *a, const struct sock_opts *o,
		 struct sock_target *t);

/* Free what sock_resolve() allocated; t itself is the caller's. */
void sock_target_free(struct sock_target *t);

/*
 * Start a non-blocking connect to address i of t (a unix-dgram socket is
 * auto-bound first, as in sock_connect()).  Returns the socket (CLOEXEC,
 * O_NONBLOCK) with *pending set to 1 when the connection is still in
 * progress (wait for EPOLLOUT, then read SO_ERROR), or a negative error.
 */
int sock_connect_start(const struct sock_target *t, size_t i, int *pending);

/* Remove the socket file of a Unix listener at a filesystem path (no-op
 * for other endpoints, abstract names included); a file that is not a
 * socket is left (-ENOTSOCK).  Returns 0 or -errno. */
int sock_remove(const struct sock_addr *a);

/* close() with tracing; returns 0 or -errno. */
int sock_close(int fd);

/* shutdown(fd, how) with tracing; returns 0 or -errno. */
int sock_shutdown(int fd, int how);

/* Text for an error returned by this library (errno or resolver). */
const char *sock_strerror(int err);

#endif
