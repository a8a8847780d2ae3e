/*
 * lib/trace_internal.h - internal: what lib/trace.c tells lib/sys.c.  The
 * wrappers in sys.c make the calls; each call's describer here decides
 * what to print (decoding constants, folding bulk data calls) and hands
 * the line to the hook.  A wrapper calls its describer only when a hook
 * is set, with the call's result and the errno it left.  Not installed.
 */
#ifndef SOCK_TRACE_INTERNAL_H
#define SOCK_TRACE_INTERNAL_H

#include <netdb.h>
#include <sys/socket.h>
#include <sys/types.h>

/* Workflow calls: always shown, one line each. */
void sock__trace_socket(int domain, int type, int protocol, int ret, int err);
void sock__trace_setsockopt_int(int fd, int level, int name, int value, int ret,
				int err);
void sock__trace_setsockopt_linger(int fd, int onoff, int secs, int ret,
				   int err);
void sock__trace_getsockopt_int(int fd, int level, int name, int value, int ret,
				int err);
void sock__trace_getsockopt_error(int fd, int soerr, int ret, int err);
/* bind() and connect(): "op(fd, address)" */
void sock__trace_addr_call(const char *op, int fd, const struct sockaddr *sa,
			   socklen_t len, int ret, int err);
void sock__trace_listen(int fd, int backlog, int ret, int err);
/* accept4(), getsockname(), getpeername(): the address they returned */
void sock__trace_name_call(const char *op, int fd, const struct sockaddr *sa,
			   socklen_t len, int ret, int err);
void sock__trace_poll_connect(int fd, int timeout_ms, int ret, int err);
void sock__trace_shutdown(int fd, int how, int ret, int err);
void sock__trace_close(int fd, int ret, int err);
void sock__trace_unlink(const char *path, int ret, int err);
void sock__trace_getaddrinfo(const char *host, const char *service, int ret,
			     const struct addrinfo *res);

/* Before a workflow call on fd (shutdown, close): the summary of the data
 * calls folded on it comes first, so that the order stays true; closing
 * also forgets the senders fd has heard from. */
void sock__trace_fd_flush(int fd, int closing);

/* Data calls: folded after the first few in a run on one descriptor.
 * sa, when set, is the peer a datagram came from or went to. */
void sock__trace_data(const char *op, int fd, size_t len, ssize_t ret, int err,
		      const struct sockaddr *sa, socklen_t salen);
void sock__trace_mmsg(const char *op, int fd, const struct mmsghdr *v,
		      unsigned int n, int ret, int err);
void sock__trace_msg(const char *op, int fd, const struct msghdr *m,
		     ssize_t ret, int err);
void sock__trace_splice(int in, int out, size_t len, ssize_t ret, int err);

#endif
