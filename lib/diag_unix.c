/*
 * lib/diag_unix.c - unix_diag: the dump request for Unix sockets, the
 * reply parser (name, peer, queues, owner uid) and netstat's RefCnt.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <libmnl/libmnl.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>

#include "diag_internal.h"

size_t sock__diag_unix_request(const struct sock_diag *d, void *buf,
			       size_t size, uint32_t seq)
{
	struct nlmsghdr *h = mnl_nlmsg_put_header(buf);
	struct unix_diag_req *req;

	(void)size;
	h->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	h->nlmsg_seq = seq;
	req = mnl_nlmsg_put_extra_header(h, sizeof(*req));
	req->sdiag_family = AF_UNIX;
	req->udiag_states = sock__diag_mask(d, AF_UNIX, 0);
	req->udiag_show = UDIAG_SHOW_NAME | UDIAG_SHOW_PEER | UDIAG_SHOW_RQLEN |
			  UDIAG_SHOW_UID;
	if (sock__diag_extras(d) & SOCK_DIAG_X_MEM)
		req->udiag_show |= UDIAG_SHOW_MEMINFO;
	return h->nlmsg_len;
}

struct diag_unix_attrs {
	const struct nlattr *tb[UNIX_DIAG_MAX + 1];
};

static int attr(const struct nlattr *a, void *arg)
{
	struct diag_unix_attrs *u = arg;
	uint16_t type = mnl_attr_get_type(a);

	if (type <= UNIX_DIAG_MAX)
		u->tb[type] = a;
	return MNL_CB_OK;
}

static uint32_t attr_u32(const struct nlattr *a, uint32_t dflt)
{
	if (!a || mnl_attr_get_payload_len(a) < sizeof(uint32_t))
		return dflt;
	return mnl_attr_get_u32(a);
}

static void queues(struct sock_diag_entry *e, const struct nlattr *a)
{
	struct unix_diag_rqlen q;

	if (!a || mnl_attr_get_payload_len(a) < sizeof(q))
		return;
	memcpy(&q, mnl_attr_get_payload(a), sizeof(q));
	e->rqueue = q.udiag_rqueue;
	e->wqueue = q.udiag_wqueue;
}

int sock__diag_unix_parse(struct diag_req *r, const struct nlmsghdr *h)
{
	const struct unix_diag_msg *m = mnl_nlmsg_get_payload(h);
	struct sock_diag_entry e = { 0 };
	struct diag_unix_attrs u = { { 0 } };
	struct sock_diag_extra x;
	const struct nlattr *name, *mem;
	int ret;

	if (mnl_nlmsg_get_payload_len(h) < sizeof(*m))
		return -EINVAL;
	if (mnl_attr_parse(h, sizeof(*m), attr, &u) < 0)
		return -EINVAL;
	e.family = AF_UNIX;
	e.type = m->udiag_type;
	e.state = m->udiag_state;
	e.inode = m->udiag_ino;
	e.uid = attr_u32(u.tb[UNIX_DIAG_UID], SOCK_DIAG_NO_UID);
	e.un.peer = attr_u32(u.tb[UNIX_DIAG_PEER], 0);
	queues(&e, u.tb[UNIX_DIAG_RQLEN]);
	name = u.tb[UNIX_DIAG_NAME];
	if (name) {
		ret = sock__diag_add_name(r->d, &e, mnl_attr_get_payload(name),
					  mnl_attr_get_payload_len(name));
		if (ret)
			return ret;
	}
	if (!sock__diag_extras(r->d))
		return sock__diag_add(r->d, &e);
	memset(&x, 0, sizeof(x));
	mem = u.tb[UNIX_DIAG_MEMINFO];
	if (mem && (sock__diag_extras(r->d) & SOCK_DIAG_X_MEM))
		sock__diag_skmem(&x, mnl_attr_get_payload(mem),
				 mnl_attr_get_payload_len(mem));
	return sock__diag_add_extra(r->d, &e, &x);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Count, in a sorted array, how often v occurs. */
static uint32_t occurrences(const uint32_t *v, size_t n, uint32_t key)
{
	size_t lo = 0, hi = n, c = 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	while (lo + c < n && v[lo + c] == key)
		c++;
	return (uint32_t)c;
}

/*
 * netstat's RefCnt is the kernel's sk_refcnt, which unix_diag does not
 * report.  A socket with an open file holds 2, and every socket that
 * names it as peer holds one more: that reproduces /proc/net/unix for
 * listeners, pairs and datagram servers.  /proc data keeps its own.
 */
int sock__diag_unix_refcnt(struct sock_diag *d)
{
	size_t rows;
	const struct sock_diag_entry *e = sock__diag_rows(d, &rows);
	uint32_t *peers;
	size_t n = 0;

	if (sock_diag_source(d) == SOCK_DIAG_SRC_PROCFS)
		return 0;
	/* sized to the Unix sockets: a TCP listing's peak stays lower */
	for (size_t i = 0; i < rows; i++)
		n += e[i].family == AF_UNIX;
	if (!n)
		return 0;
	peers = malloc(n * sizeof(*peers));
	if (!peers)
		return -ENOMEM;
	n = 0;
	for (size_t i = 0; i < rows; i++)
		if (e[i].family == AF_UNIX && e[i].un.peer)
			peers[n++] = e[i].un.peer;
	qsort(peers, n, sizeof(*peers), cmp_u32);
	for (size_t i = 0; i < rows; i++)
		if (e[i].family == AF_UNIX && !e[i].un.refcnt)
			sock__diag_set_refcnt(
			    d, i, 2 + occurrences(peers, n, e[i].inode));
	free(peers);
	return 0;
}
