/*
 * lib/sys.h - internal: the socket calls libsock makes, each traced
 * through the hook of sock/trace.h.  They behave exactly like the calls
 * they wrap (same return values, errno set), so call sites read as plain
 * Berkeley API code.  Made in lib/sys.c, described by lib/trace.c; no
 * other file in lib/ calls the socket API itself (`make lint`).
 */
#ifndef SOCK_LIB_SYS_H
#define SOCK_LIB_SYS_H

#include <fcntl.h>
#include <netdb.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <sock/trace.h>

/* The hook, or NULL: tested inline so that tracing off costs a branch.
 * -DSOCK_NO_TRACE compiles tracing out, for the benchmark that measures
 * what the branch costs. */
#ifdef SOCK_NO_TRACE
#define sock__trace_fn ((sock_trace_fn)0)
#else
extern sock_trace_fn sock__trace_fn;
#endif

int sock__socket(int domain, int type, int protocol);
int sock__setsockopt_int(int fd, int level, int name, int value);
int sock__setsockopt_linger(int fd, int onoff, int secs);
int sock__getsockopt_int(int fd, int level, int name, int *value);
int sock__bind(int fd, const struct sockaddr *sa, socklen_t len);
int sock__listen(int fd, int backlog);
int sock__connect(int fd, const struct sockaddr *sa, socklen_t len);
int sock__accept4(int fd, struct sockaddr *sa, socklen_t *len, int flags);
int sock__getsockname(int fd, struct sockaddr *sa, socklen_t *len);
int sock__getpeername(int fd, struct sockaddr *sa, socklen_t *len);
int sock__getsockopt_error(int fd, int *soerr);
/* getsockopt(SO_PEERCRED): the peer's pid, uid and gid (Unix sockets). */
int sock__getsockopt_peercred(int fd, pid_t *pid, uid_t *uid, gid_t *gid);
/* getsockopt(TCP_INFO), keeping only tcpi_state. */
int sock__getsockopt_tcp_state(int fd, int *state);
int sock__poll_connect(int fd, int timeout_ms);
ssize_t sock__recv(int fd, void *buf, size_t len, int flags);
ssize_t sock__send(int fd, const void *buf, size_t len, int flags);
ssize_t sock__recvfrom(int fd, void *buf, size_t len, int flags,
		       struct sockaddr *sa, socklen_t *salen);
ssize_t sock__sendto(int fd, const void *buf, size_t len, int flags,
		     const struct sockaddr *sa, socklen_t salen);
ssize_t sock__recvmsg(int fd, struct msghdr *m, int flags);
ssize_t sock__sendmsg(int fd, const struct msghdr *m, int flags);
int sock__recvmmsg(int fd, struct mmsghdr *v, unsigned int n, int flags,
		   struct timespec *timeout);
int sock__sendmmsg(int fd, struct mmsghdr *v, unsigned int n, int flags);
/* One end of the pair is a pipe (the trace tells which). */
ssize_t sock__splice(int in, loff_t *in_off, int out, loff_t *out_off,
		     size_t len, unsigned int flags);
int sock__shutdown(int fd, int how);
int sock__close(int fd);
int sock__unlink(const char *path);
/* unlinkat(dirfd, base), traced as an unlink of path. */
int sock__unlinkat(int dirfd, const char *base, const char *path);
int sock__getaddrinfo(const char *host, const char *service,
		      const struct addrinfo *hints, struct addrinfo **res);

/* Folding: milliseconds until the summary of some folded calls is due
 * (the descriptor has been quiet long enough), -1 for none; and emit
 * the summaries that are due.  The event loop calls both while it
 * waits, so summaries do not wait for the next call. */
int sock__trace_quiet_ms(void);
void sock__trace_quiet(void);

/* Emit one trace line built printf-style (only when a hook is set). */
void sock__tracef(int err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
