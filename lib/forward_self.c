/*
 * lib/forward_self.c - is the relay's target the relay itself?  A
 * forwarder whose target is its own listening address connects every
 * client to itself, which accepts that connection as a new client, and
 * so on until the descriptors run out.
 */
#include <errno.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <sock/forward.h>

#include "sys.h"

/* An IPv4-mapped IPv6 address (::ffff:a.b.c.d) as the IPv4 one it is;
 * other addresses unchanged.  Copies into out. */
static void unmap(const struct sockaddr_storage *in,
		  struct sockaddr_storage *out)
{
	const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)in;
	struct sockaddr_in *s4 = (struct sockaddr_in *)out;

	*out = *in;
	if (in->ss_family != AF_INET6 || !IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr))
		return;
	memset(out, 0, sizeof(*out));
	s4->sin_family = AF_INET;
	s4->sin_port = s6->sin6_port;
	memcpy(&s4->sin_addr, &s6->sin6_addr.s6_addr[12], 4);
}

static int port_of(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return ((const struct sockaddr_in *)ss)->sin_port;
	return ((const struct sockaddr_in6 *)ss)->sin6_port;
}

/* The address bytes of an AF_INET or AF_INET6 address, and their size. */
static const void *addr_of(const struct sockaddr_storage *ss, size_t *len)
{
	if (ss->ss_family == AF_INET) {
		*len = 4;
		return &((const struct sockaddr_in *)ss)->sin_addr;
	}
	*len = 16;
	return &((const struct sockaddr_in6 *)ss)->sin6_addr;
}

static int is_wildcard(const struct sockaddr_storage *ss)
{
	static const unsigned char zero[16];
	size_t len;
	const void *a = addr_of(ss, &len);

	return !memcmp(a, zero, len);
}

/* Does a connect() to this address reach this machine?  Loopback, the
 * wildcard (which Linux takes as loopback), or an interface's address. */
static int is_local(const struct sockaddr_storage *ss)
{
	const struct sockaddr_in *s4 = (const struct sockaddr_in *)ss;
	const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;
	struct ifaddrs *ifs, *i;
	size_t len;
	const void *a = addr_of(ss, &len);
	int found = 0;

	if (is_wildcard(ss) ||
	    (ss->ss_family == AF_INET &&
	     (ntohl(s4->sin_addr.s_addr) >> 24) == 127) ||
	    (ss->ss_family == AF_INET6 && IN6_IS_ADDR_LOOPBACK(&s6->sin6_addr)))
		return 1;
	if (getifaddrs(&ifs) < 0)
		return 0;
	for (i = ifs; i && !found; i = i->ifa_next) {
		struct sockaddr_storage ia = { 0 };
		size_t ilen;

		if (!i->ifa_addr || i->ifa_addr->sa_family != ss->ss_family)
			continue;
		memcpy(&ia, i->ifa_addr,
		       ss->ss_family == AF_INET ? sizeof(struct sockaddr_in)
						: sizeof(struct sockaddr_in6));
		found = !memcmp(addr_of(&ia, &ilen), a, len);
	}
	freeifaddrs(ifs);
	return found;
}

/* The listener at l (bound; v6only for an IPv6 one) would accept a
 * connection to t. */
static int inet_is_self(const struct sockaddr_storage *l, int v6only,
			const struct sockaddr_storage *t)
{
	struct sockaddr_storage lu, tu;
	const void *la, *ta;
	size_t len;

	unmap(l, &lu);
	unmap(t, &tu);
	if ((tu.ss_family != AF_INET && tu.ss_family != AF_INET6) ||
	    port_of(&lu) != port_of(&tu))
		return 0;
	if (is_wildcard(&lu)) {
		if (lu.ss_family == AF_INET6 && tu.ss_family == AF_INET &&
		    v6only)
			return 0;
		if (lu.ss_family == AF_INET && tu.ss_family == AF_INET6)
			return 0;
		return is_local(&tu);
	}
	if (lu.ss_family != tu.ss_family)
		return 0;
	ta = addr_of(&tu, &len);
	la = addr_of(&lu, &len);
	return !memcmp(la, ta, len);
}

/* The same Unix name: the same abstract name, or paths to one file. */
static int unix_is_self(const struct sockaddr_un *l, socklen_t llen,
			const struct sockaddr_un *t, socklen_t tlen)
{
	size_t off = offsetof(struct sockaddr_un, sun_path);
	struct stat ls, ts;

	if (t->sun_family != AF_UNIX || llen <= off || tlen <= off)
		return 0;
	if (!l->sun_path[0] || !t->sun_path[0])
		return llen == tlen &&
		       !memcmp(l->sun_path, t->sun_path, llen - off);
	if (!stat(l->sun_path, &ls) && !stat(t->sun_path, &ts))
		return ls.st_dev == ts.st_dev && ls.st_ino == ts.st_ino;
	return !strncmp(l->sun_path, t->sun_path, sizeof(l->sun_path));
}

int sock_forward_target_is_self(int lfd, const struct sock_target *t)
{
	struct sockaddr_storage l;
	socklen_t llen = sizeof(l);
	int type, v6only = 0;

	if (sock__getsockname(lfd, (struct sockaddr *)&l, &llen) < 0 ||
	    sock__getsockopt_int(lfd, SOL_SOCKET, SO_TYPE, &type) < 0)
		return -errno;
	if (l.ss_family == AF_INET6 &&
	    sock__getsockopt_int(lfd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only) < 0)
		return -errno;
	for (size_t i = 0; i < t->n; i++) {
		const struct sock_target_addr *a = &t->addrs[i];

		if (a->type != type)
			continue;
		if (l.ss_family == AF_UNIX
			? unix_is_self((const struct sockaddr_un *)&l, llen,
				       (const struct sockaddr_un *)&a->sa,
				       a->len)
			: inet_is_self(&l, v6only, &a->sa))
			return 1;
	}
	return 0;
}
