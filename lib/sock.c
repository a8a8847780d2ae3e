/*
 * lib/sock.c - sockets for endpoints: resolve, bind, listen, connect,
 * accept.  Every call that reaches the kernel goes through lib/sys.h so
 * that --trace sees it.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sock/io.h>
#include <sock/sock.h>
#include <sock/unixfile.h>

#include "sys.h"

const char *sock_strerror(int err)
{
	if (err <= -SOCK_ERR_EAI_BASE)
		return gai_strerror(-(-err - SOCK_ERR_EAI_BASE));
	return strerror(-err);
}

static int eai_error(int eai)
{
	if (eai == EAI_SYSTEM)
		return errno ? -errno : -EIO;
	return -(SOCK_ERR_EAI_BASE - eai);
}

/* The family asked for: -4/-6 and the endpoint must agree. */
static int pick_family(const struct sock_addr *a, const struct sock_opts *o,
		       int *family)
{
	int want = o ? o->family : AF_UNSPEC;

	if (want && a->family && want != a->family)
		return -EAFNOSUPPORT;
	*family = want ? want : a->family;
	return 0;
}

static int resolve(const struct sock_addr *a, const struct sock_opts *o,
		   int passive, struct addrinfo **res)
{
	struct addrinfo hints = { 0 };
	int ret;

	ret = pick_family(a, o, &hints.ai_family);
	if (ret)
		return ret;
	ret =
	    sock_addr_socktype(a->kind, &hints.ai_socktype, &hints.ai_protocol);
	if (ret)
		return ret;
	/* An empty host listens on the wildcard, and (like nc) connects to
	 * the local machine. */
	if (passive && !a->host[0])
		hints.ai_flags = AI_PASSIVE;
	ret = sock__getaddrinfo(a->host[0] ? a->host : NULL, a->service, &hints,
				res);
	return ret ? eai_error(ret) : 0;
}

static int fill_names(int fd, struct sock_conn *c, int want_peer)
{
	c->fd = fd;
	c->local_len = sizeof(c->local);
	/* Traced: it shows the port the kernel chose (port 0, or the
	 * client's ephemeral port). */
	if (sock__getsockname(fd, (struct sockaddr *)&c->local, &c->local_len) <
	    0)
		return -errno;
	c->peer_len = 0;
	if (want_peer) {
		c->peer_len = sizeof(c->peer);
		if (sock__getpeername(fd, (struct sockaddr *)&c->peer,
				      &c->peer_len) < 0)
			c->peer_len = 0;
	}
	return 0;
}

/* connect(), bounded by timeout_ms when it is positive. */
static int connect_timed(int fd, const struct sockaddr *sa, socklen_t len,
			 int timeout_ms)
{
	int flags, ret;

	if (timeout_ms <= 0)
		return sock__connect(fd, sa, len) < 0 ? -errno : 0;
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0)
		return -errno;
	if (sock__connect(fd, sa, len) < 0) {
		if (errno != EINPROGRESS)
			return -errno;
		ret = sock_connect_wait(fd, timeout_ms);
		if (ret)
			return ret;
	}
	return fcntl(fd, F_SETFL, flags) < 0 ? -errno : 0;
}

/* A unix-dgram client binds an auto-bound abstract address first:
 * without a name of its own, the server could not answer it. */
static int autobind(int fd)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };

	return sock__bind(fd, (struct sockaddr *)&sun, sizeof(sa_family_t)) < 0
		   ? -errno
		   : 0;
}

static int connect_one(const struct sock_addr *a, const struct sockaddr *sa,
		       socklen_t len, int type, int proto,
		       const struct sock_opts *o, struct sock_conn *out)
{
	int fd, ret;

	fd = sock__socket(sa->sa_family, type | SOCK_CLOEXEC, proto);
	if (fd < 0)
		return -errno;
	ret = a->kind == SOCK_KIND_UNIX_DGRAM ? autobind(fd) : 0;
	if (!ret)
		ret = connect_timed(fd, sa, len, o ? o->timeout_ms : 0);
	if (!ret)
		ret = fill_names(fd, out, 1);
	if (ret)
		sock__close(fd);
	return ret;
}

static int connect_unix(const struct sock_addr *a, const struct sock_opts *o,
			struct sock_conn *out)
{
	struct sockaddr_un sun;
	socklen_t len = sock_addr_to_sun(a, &sun);
	int type, proto;

	sock_addr_socktype(a->kind, &type, &proto);
	return connect_one(a, (struct sockaddr *)&sun, len, type, 0, o, out);
}

int sock_connect(const struct sock_addr *a, const struct sock_opts *o,
		 struct sock_conn *out)
{
	struct addrinfo *res, *ai;
	int ret;

	if (a->family == AF_UNIX)
		return connect_unix(a, o, out);
	ret = resolve(a, o, 0, &res);
	if (ret)
		return ret;
	ret = -EHOSTUNREACH;
	for (ai = res; ai; ai = ai->ai_next) {
		ret = connect_one(a, ai->ai_addr, ai->ai_addrlen,
				  ai->ai_socktype, ai->ai_protocol, o, out);
		if (!ret)
			break;
	}
	freeaddrinfo(res);
	return ret;
}

/* ---- connecting many times to one target ------------------------- */

static int target_add(struct sock_target *t, const struct sockaddr *sa,
		      socklen_t len, int type, int proto)
{
	struct sock_target_addr *v;

	v = realloc(t->addrs, (t->n + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	t->addrs = v;
	v += t->n++;
	memset(v, 0, sizeof(*v));
	memcpy(&v->sa, sa, len);
	v->len = len;
	v->type = type;
	v->proto = proto;
	return 0;
}

int sock_resolve(const struct sock_addr *a, const struct sock_opts *o,
		 struct sock_target *t)
{
	struct addrinfo *res, *ai;
	int ret = 0;

	*t = (struct sock_target){ .kind = a->kind };
	if (a->family == AF_UNIX) {
		struct sockaddr_un sun;
		socklen_t len = sock_addr_to_sun(a, &sun);
		int type, proto;

		sock_addr_socktype(a->kind, &type, &proto);
		return target_add(t, (struct sockaddr *)&sun, len, type, 0);
	}
	ret = resolve(a, o, 0, &res);
	if (ret)
		return ret;
	for (ai = res; ai && !ret; ai = ai->ai_next)
		ret = target_add(t, ai->ai_addr, ai->ai_addrlen,
				 ai->ai_socktype, ai->ai_protocol);
	freeaddrinfo(res);
	if (ret)
		sock_target_free(t);
	return ret;
}

void sock_target_free(struct sock_target *t)
{
	free(t->addrs);
	t->addrs = NULL;
	t->n = 0;
}

int sock_connect_start(const struct sock_target *t, size_t i, int *pending)
{
	const struct sock_target_addr *ta = &t->addrs[i];
	int fd, ret = 0;

	*pending = 0;
	fd = sock__socket(ta->sa.ss_family,
			  ta->type | SOCK_CLOEXEC | SOCK_NONBLOCK, ta->proto);
	if (fd < 0)
		return -errno;
	if (t->kind == SOCK_KIND_UNIX_DGRAM)
		ret = autobind(fd);
	if (!ret &&
	    sock__connect(fd, (const struct sockaddr *)&ta->sa, ta->len) < 0) {
		if (errno == EINPROGRESS)
			*pending = 1;
		else
			ret = -errno;
	}
	if (ret) {
		sock__close(fd);
		return ret;
	}
	return fd;
}

/* ---- listening ------------------------------------------------------ */

static int is_stream(int type)
{
	return type == SOCK_STREAM || type == SOCK_SEQPACKET;
}

/* Options a listener needs before bind(): address reuse for TCP (so a
 * restart does not wait out TIME_WAIT), and the IPv6 dual-stack choice. */
static int listen_opts(int fd, const struct sockaddr *sa, int type,
		       const struct sock_opts *o)
{
	if (type == SOCK_STREAM &&
	    sock__setsockopt_int(fd, SOL_SOCKET, SO_REUSEADDR, 1) < 0)
		return -errno;
	if (sa->sa_family == AF_INET6) {
		int v6only = o && o->family == AF_INET6;

		if (sock__setsockopt_int(fd, IPPROTO_IPV6, IPV6_V6ONLY,
					 v6only) < 0)
			return -errno;
	}
	return 0;
}

static int listen_one(const struct sockaddr *sa, socklen_t len, int type,
		      int proto, const struct sock_opts *o,
		      struct sock_conn *out)
{
	int fd, ret;

	fd = sock__socket(sa->sa_family, type | SOCK_CLOEXEC, proto);
	if (fd < 0)
		return -errno;
	ret = sa->sa_family == AF_UNIX ? 0 : listen_opts(fd, sa, type, o);
	if (!ret && sock__bind(fd, sa, len) < 0)
		ret = -errno;
	if (!ret && is_stream(type) &&
	    sock__listen(fd, o && o->backlog > 0 ? o->backlog
						 : SOCK_LISTEN_BACKLOG) < 0)
		ret = -errno;
	if (!ret)
		ret = fill_names(fd, out, 0);
	if (ret)
		sock__close(fd);
	return ret;
}

/*
 * Tell a live socket at a path from the remains of one that died.  The
 * probe is a datagram socket whatever the kind: connecting it to a live
 * stream or seqpacket socket fails with EPROTOTYPE and, unlike a stream
 * probe, queues no connection that a live listener would then accept as
 * an empty client; to a live datagram socket it connects without sending
 * anything.  Only ECONNREFUSED (no socket behind the file) means stale.
 * Returns 1 for stale, -EADDRINUSE for live, or another negative error.
 */
static int probe_stale(const struct sockaddr_un *sun, socklen_t len)
{
	int fd, ret;

	fd = sock__socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	ret = sock__connect(fd, (const struct sockaddr *)sun, len) < 0 ? -errno
								       : 0;
	sock__close(fd);
	if (ret == -ECONNREFUSED)
		return 1;
	if (!ret || ret == -EPROTOTYPE)
		return -EADDRINUSE;
	return ret;
}

/* probe_stale() of the file in u's directory, not of a path resolved
 * anew (the path itself when the detour does not fit sun_path, or leads
 * nowhere: no /proc). */
static int probe_stale_in(const struct sock_unixfile *u,
			  const struct sockaddr_un *sun, socklen_t len)
{
	struct sockaddr_un via = { .sun_family = AF_UNIX };
	int ret;

	if (sock_unixfile_via_dir(u, via.sun_path, sizeof(via.sun_path)))
		return probe_stale(sun, len);
	ret = probe_stale(&via,
			  (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
				      strlen(via.sun_path) + 1));
	return ret == -ENOENT || ret == -ENOTDIR ? probe_stale(sun, len) : ret;
}

/* Make room for a Unix listener at a filesystem path, or say why not.
 * Every step works on the directory opened once (sock/unixfile.h), and
 * only the stale socket that was probed is removed. */
static int clear_unix_path(const struct sockaddr_un *sun, socklen_t len)
{
	struct sock_unixfile u;
	int ret = sock_unixfile_open(&u, sun->sun_path);

	if (!ret)
		ret = sock_unixfile_claim(&u);
	if (!ret)
		ret = probe_stale_in(&u, sun, len);
	if (ret == 1)
		ret = sock_unixfile_remove(&u);
	sock_unixfile_close(&u);
	if (ret == -ESTALE) /* replaced since the probe: not ours to remove */
		return -EADDRINUSE;
	return ret == -ENOENT ? 0 : ret;
}

static int listen_unix(const struct sock_addr *a, const struct sock_opts *o,
		       struct sock_conn *out)
{
	struct sockaddr_un sun;
	socklen_t len = sock_addr_to_sun(a, &sun);
	int type, proto, ret;

	sock_addr_socktype(a->kind, &type, &proto);
	if (sun.sun_path[0]) {
		ret = clear_unix_path(&sun, len);
		if (ret)
			return ret;
	}
	return listen_one((struct sockaddr *)&sun, len, type, 0, o, out);
}

/* An empty host means every address: IPv6 first, as one dual-stack
 * socket (o->family is unset here, so IPV6_V6ONLY is off), and plain
 * IPv4 where the machine has no IPv6. */
static int listen_any(const struct sock_addr *a, const struct sock_opts *o,
		      struct sock_conn *out)
{
	struct sock_addr any = *a;
	int ret;

	any.family = AF_INET6;
	ret = sock_listen(&any, o, out);
	if (ret != -EAFNOSUPPORT && ret != -EADDRNOTAVAIL &&
	    ret > -SOCK_ERR_EAI_BASE)
		return ret;
	any.family = AF_INET;
	return sock_listen(&any, o, out);
}

int sock_listen(const struct sock_addr *a, const struct sock_opts *o,
		struct sock_conn *out)
{
	struct addrinfo *res, *ai;
	int ret;

	if (a->family == AF_UNIX)
		return listen_unix(a, o, out);
	if (!a->host[0] && a->family == AF_UNSPEC &&
	    (!o || o->family == AF_UNSPEC))
		return listen_any(a, o, out);
	ret = resolve(a, o, 1, &res);
	if (ret)
		return ret;
	ret = -EADDRNOTAVAIL;
	for (ai = res; ai; ai = ai->ai_next) {
		ret = listen_one(ai->ai_addr, ai->ai_addrlen, ai->ai_socktype,
				 ai->ai_protocol, o, out);
		if (!ret)
			break;
	}
	freeaddrinfo(res);
	return ret;
}

int sock_accept(int lfd, struct sock_conn *out)
{
	struct sock_conn c;
	int fd;

	c.peer_len = sizeof(c.peer);
	fd = sock__accept4(lfd, (struct sockaddr *)&c.peer, &c.peer_len,
			   SOCK_CLOEXEC);
	if (fd < 0)
		return -errno;
	c.fd = fd;
	c.local_len = sizeof(c.local);
	if (sock__getsockname(fd, (struct sockaddr *)&c.local, &c.local_len) <
	    0)
		c.local_len = 0;
	*out = c;
	return 0;
}

int sock_close(int fd)
{
	return sock__close(fd) < 0 ? -errno : 0;
}

int sock_shutdown(int fd, int how)
{
	return sock__shutdown(fd, how) < 0 ? -errno : 0;
}

int sock_remove(const struct sock_addr *a)
{
	struct sock_unixfile u;
	int ret;

	if (a->family != AF_UNIX || !a->path[0])
		return 0;
	ret = sock_unixfile_open(&u, a->path);
	if (!ret)
		ret = sock_unixfile_claim(&u);
	if (!ret)
		ret = sock_unixfile_remove(&u);
	sock_unixfile_close(&u);
	return ret;
}
