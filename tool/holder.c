/*
 * tool/holder.c - who holds a port: asked when a listener finds its
 * address in use, through the same sock_diag snapshot as sock list.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sock/diag.h>

#include "cmd.h"
#include "i18n.h"

static void append_owners(const struct sock_diag *d,
			  const struct sock_diag_entry *e, char *buf,
			  size_t len, size_t *off)
{
	const struct sock_diag_owner *o;
	size_t n;

	o = sock_diag_owners(d, e->inode, &n);
	for (size_t i = 0; o && i < n && *off < len; i++)
		*off +=
		    (size_t)snprintf(buf + *off, len - *off, "%s%d/%s",
				     *off ? ", " : "", o[i].pid, o[i].command);
}

/* The address a listener asked for: family 0 for a wildcard or a name
 * (then every socket on the port may be in the way). */
struct holder_want {
	int family;
	uint8_t addr[16];
};

static void want_of(const char *host, struct holder_want *w)
{
	memset(w, 0, sizeof(*w));
	if (inet_pton(AF_INET, host, w->addr) == 1)
		w->family = AF_INET;
	else if (inet_pton(AF_INET6, host, w->addr) == 1)
		w->family = AF_INET6;
}

static int is_wildcard(const struct sock_diag_entry *e)
{
	static const uint8_t zero[16];

	return !memcmp(e->in.local, zero, e->family == AF_INET ? 4 : 16);
}

/* Could this socket be what refused our bind?  The same address, or a
 * wildcard on either side. */
static int in_the_way(const struct sock_diag_entry *e,
		      const struct holder_want *w)
{
	if (!w->family || is_wildcard(e))
		return 1;
	if (e->family != w->family)
		return 0;
	return !memcmp(e->in.local, w->addr, w->family == AF_INET ? 4 : 16);
}

static int query(enum sock_kind kind, struct sock_diag_filter *f,
		 struct sock_diag **d)
{
	struct sock_diag_query q = { 0 };

	q.protocols = kind == SOCK_KIND_TCP ? SOCK_DIAG_TCP : SOCK_DIAG_UDP;
	/* A TCP port is taken by its listener (or a bound socket); TIME-WAIT
	 * leftovers hold no process. */
	if (kind == SOCK_KIND_TCP)
		q.states = 1u << SOCK_DIAG_LISTEN | 1u << SOCK_DIAG_CLOSE;
	q.flags = SOCK_DIAG_OWNERS;
	q.filter = f;
	return sock_diag_snapshot(&q, d);
}

int tool_port_holders(enum sock_kind kind, const char *host,
		      const char *service, char *buf, size_t len)
{
	int port = sock_addr_port(service, sock_addr_kind_name(kind));
	char num[12], *argv[] = { "sport", num, NULL };
	struct sock_diag_filter *f = NULL;
	struct sock_diag *d = NULL;
	size_t off = 0;
	struct holder_want w;
	int bad;

	if (port <= 0 || (kind != SOCK_KIND_TCP && kind != SOCK_KIND_UDP))
		return -1;
	snprintf(num, sizeof(num), "%d", port);
	if (sock_diag_filter_parse(2, argv, &f, &bad) || query(kind, f, &d)) {
		sock_diag_filter_free(f);
		return -1;
	}
	want_of(host, &w);
	for (size_t i = 0; i < sock_diag_count(d) && off < len; i++)
		if (in_the_way(sock_diag_get(d, i), &w))
			append_owners(d, sock_diag_get(d, i), buf, len, &off);
	sock_diag_free(d);
	sock_diag_filter_free(f);
	return off ? 0 : -1;
}
