/*
 * lib/sys.c - the socket calls of libsock: each one made, its errno kept,
 * and (when a hook is set) described by lib/trace.c.  The only file in
 * lib/ that calls the socket API directly; `make lint` checks that.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <unistd.h>

#include "sys.h"
#include "trace_internal.h"

int sock__socket(int domain, int type, int protocol)
{
	int fd = socket(domain, type, protocol), err = errno;

	if (sock__trace_fn)
		sock__trace_socket(domain, type, protocol, fd, err);
	errno = err;
	return fd;
}

int sock__setsockopt_int(int fd, int level, int name, int value)
{
	int ret = setsockopt(fd, level, name, &value, sizeof(value));
	int err = errno;

	if (sock__trace_fn)
		sock__trace_setsockopt_int(fd, level, name, value, ret, err);
	errno = err;
	return ret;
}

int sock__setsockopt_linger(int fd, int onoff, int secs)
{
	struct linger lg = { .l_onoff = onoff, .l_linger = secs };
	int ret = setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	int err = errno;

	if (sock__trace_fn)
		sock__trace_setsockopt_linger(fd, onoff, secs, ret, err);
	errno = err;
	return ret;
}

int sock__getsockopt_int(int fd, int level, int name, int *value)
{
	socklen_t len = sizeof(*value);
	int ret = getsockopt(fd, level, name, value, &len);
	int err = errno;

	if (sock__trace_fn)
		sock__trace_getsockopt_int(fd, level, name, *value, ret, err);
	errno = err;
	return ret;
}

int sock__getsockopt_error(int fd, int *soerr)
{
	socklen_t len = sizeof(*soerr);
	int ret = getsockopt(fd, SOL_SOCKET, SO_ERROR, soerr, &len);
	int err = errno;

	if (sock__trace_fn)
		sock__trace_getsockopt_error(fd, *soerr, ret, err);
	errno = err;
	return ret;
}

int sock__getsockopt_peercred(int fd, pid_t *pid, uid_t *uid, gid_t *gid)
{
	struct ucred uc = { .pid = 0, .uid = (uid_t)-1, .gid = (gid_t)-1 };
	socklen_t len = sizeof(uc);
	int ret = getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &uc, &len);
	int err = errno;

	*pid = uc.pid;
	*uid = uc.uid;
	*gid = uc.gid;
	if (sock__trace_fn)
		sock__tracef(ret < 0 ? -err : 0,
			     "getsockopt(%d, SOL_SOCKET, SO_PEERCRED) = %d "
			     "[pid %d, uid %u, gid %u]",
			     fd, ret, (int)uc.pid, (unsigned)uc.uid,
			     (unsigned)uc.gid);
	errno = err;
	return ret;
}

int sock__getsockopt_tcp_state(int fd, int *state)
{
	struct tcp_info ti = { 0 };
	socklen_t len = sizeof(ti);
	int ret = getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len);
	int err = errno;

	*state = ti.tcpi_state;
	if (sock__trace_fn)
		sock__trace_getsockopt_int(fd, IPPROTO_TCP, TCP_INFO, *state,
					   ret, err);
	errno = err;
	return ret;
}

int sock__bind(int fd, const struct sockaddr *sa, socklen_t len)
{
	int ret = bind(fd, sa, len), err = errno;

	if (sock__trace_fn)
		sock__trace_addr_call("bind", fd, sa, len, ret, err);
	errno = err;
	return ret;
}

int sock__connect(int fd, const struct sockaddr *sa, socklen_t len)
{
	int ret = connect(fd, sa, len), err = errno;

	if (sock__trace_fn)
		sock__trace_addr_call("connect", fd, sa, len, ret, err);
	errno = err;
	return ret;
}

int sock__listen(int fd, int backlog)
{
	int ret = listen(fd, backlog), err = errno;

	if (sock__trace_fn)
		sock__trace_listen(fd, backlog, ret, err);
	errno = err;
	return ret;
}

int sock__accept4(int fd, struct sockaddr *sa, socklen_t *len, int flags)
{
	int ret = accept4(fd, sa, len, flags), err = errno;

	if (sock__trace_fn)
		sock__trace_name_call("accept4", fd, sa, *len, ret, err);
	errno = err;
	return ret;
}

int sock__getsockname(int fd, struct sockaddr *sa, socklen_t *len)
{
	int ret = getsockname(fd, sa, len), err = errno;

	if (sock__trace_fn)
		sock__trace_name_call("getsockname", fd, sa, *len, ret, err);
	errno = err;
	return ret;
}

int sock__getpeername(int fd, struct sockaddr *sa, socklen_t *len)
{
	int ret = getpeername(fd, sa, len), err = errno;

	if (sock__trace_fn)
		sock__trace_name_call("getpeername", fd, sa, *len, ret, err);
	errno = err;
	return ret;
}

/* Wait for a non-blocking connect() to finish, up to timeout_ms. */
int sock__poll_connect(int fd, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = POLLOUT };
	int ret, err;

	do
		ret = poll(&p, 1, timeout_ms);
	while (ret < 0 && errno == EINTR);
	err = errno;
	if (sock__trace_fn)
		sock__trace_poll_connect(fd, timeout_ms, ret, err);
	errno = err;
	return ret;
}

ssize_t sock__recv(int fd, void *buf, size_t len, int flags)
{
	ssize_t ret = recv(fd, buf, len, flags);
	int err = errno;

	if (sock__trace_fn)
		sock__trace_data("recv", fd, len, ret, err, NULL, 0);
	errno = err;
	return ret;
}

ssize_t sock__send(int fd, const void *buf, size_t len, int flags)
{
	ssize_t ret = send(fd, buf, len, flags);
	int err = errno;

	if (sock__trace_fn)
		sock__trace_data("send", fd, len, ret, err, NULL, 0);
	errno = err;
	return ret;
}

ssize_t sock__recvfrom(int fd, void *buf, size_t len, int flags,
		       struct sockaddr *sa, socklen_t *salen)
{
	ssize_t ret = recvfrom(fd, buf, len, flags, sa, salen);
	int err = errno;

	if (sock__trace_fn)
		sock__trace_data("recvfrom", fd, len, ret, err, sa,
				 ret >= 0 ? *salen : 0);
	errno = err;
	return ret;
}

ssize_t sock__sendto(int fd, const void *buf, size_t len, int flags,
		     const struct sockaddr *sa, socklen_t salen)
{
	ssize_t ret = sendto(fd, buf, len, flags, sa, salen);
	int err = errno;

	if (sock__trace_fn)
		sock__trace_data("sendto", fd, len, ret, err, sa, salen);
	errno = err;
	return ret;
}

ssize_t sock__recvmsg(int fd, struct msghdr *m, int flags)
{
	ssize_t ret = recvmsg(fd, m, flags);
	int err = errno;

	if (sock__trace_fn)
		sock__trace_msg("recvmsg", fd, m, ret, err);
	errno = err;
	return ret;
}

ssize_t sock__sendmsg(int fd, const struct msghdr *m, int flags)
{
	ssize_t ret = sendmsg(fd, m, flags);
	int err = errno;

	if (sock__trace_fn)
		sock__trace_msg("sendmsg", fd, m, ret, err);
	errno = err;
	return ret;
}

int sock__recvmmsg(int fd, struct mmsghdr *v, unsigned int n, int flags,
		   struct timespec *timeout)
{
	int ret = recvmmsg(fd, v, n, flags, timeout), err = errno;

	if (sock__trace_fn)
		sock__trace_mmsg("recvmmsg", fd, v, n, ret, err);
	errno = err;
	return ret;
}

int sock__sendmmsg(int fd, struct mmsghdr *v, unsigned int n, int flags)
{
	int ret = sendmmsg(fd, v, n, flags), err = errno;

	if (sock__trace_fn)
		sock__trace_mmsg("sendmmsg", fd, v, n, ret, err);
	errno = err;
	return ret;
}

ssize_t sock__splice(int in, loff_t *in_off, int out, loff_t *out_off,
		     size_t len, unsigned int flags)
{
	ssize_t ret = splice(in, in_off, out, out_off, len, flags);
	int err = errno;

	if (sock__trace_fn)
		sock__trace_splice(in, out, len, ret, err);
	errno = err;
	return ret;
}

int sock__shutdown(int fd, int how)
{
	int ret, err;

	if (sock__trace_fn)
		sock__trace_fd_flush(fd, 0);
	ret = shutdown(fd, how);
	err = errno;
	if (sock__trace_fn)
		sock__trace_shutdown(fd, how, ret, err);
	errno = err;
	return ret;
}

int sock__close(int fd)
{
	int ret, err;

	if (sock__trace_fn)
		sock__trace_fd_flush(fd, 1);
	ret = close(fd);
	err = errno;
	if (sock__trace_fn)
		sock__trace_close(fd, ret, err);
	errno = err;
	return ret;
}

int sock__unlink(const char *path)
{
	int ret = unlink(path), err = errno;

	if (sock__trace_fn)
		sock__trace_unlink(path, ret, err);
	errno = err;
	return ret;
}

int sock__unlinkat(int dirfd, const char *base, const char *path)
{
	int ret = unlinkat(dirfd, base, 0), err = errno;

	if (sock__trace_fn)
		sock__trace_unlink(path, ret, err);
	errno = err;
	return ret;
}

int sock__getaddrinfo(const char *host, const char *service,
		      const struct addrinfo *hints, struct addrinfo **res)
{
	int ret = getaddrinfo(host, service, hints, res);

	if (sock__trace_fn)
		sock__trace_getaddrinfo(host ? host : "", service, ret,
					ret ? NULL : *res);
	return ret;
}
