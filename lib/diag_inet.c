/*
 * lib/diag_inet.c - inet_diag: dump requests for TCP, UDP and raw
 * sockets of one IP family, and the parser for their replies.
 */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>

#include "diag_internal.h"

/* Longest filter program we send; longer ones run in user space only. */
#define BYTECODE_MAX 4096

/* The idiag_ext bits for what the query wants: none by default, so a
 * plain listing costs the kernel nothing more.  The shutdown state and
 * cgroup id come with every full socket unasked. */
static uint8_t ext_bits(unsigned int extras, int protocol)
{
	unsigned int bits = 0;

	if ((extras & SOCK_DIAG_X_INFO) && protocol == IPPROTO_TCP)
		bits |= 1u << (INET_DIAG_INFO - 1) | 1u << (INET_DIAG_CONG - 1);
	if (extras & SOCK_DIAG_X_MEM)
		bits |= 1u << (INET_DIAG_SKMEMINFO - 1);
	return (uint8_t)bits;
}

size_t sock__diag_inet_request(const struct sock_diag *d, void *buf,
			       size_t size, int family, int protocol,
			       uint32_t seq)
{
	struct nlmsghdr *h = mnl_nlmsg_put_header(buf);
	struct inet_diag_req_raw *req;
	char bc[BYTECODE_MAX];
	size_t bclen;

	h->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	h->nlmsg_seq = seq;
	/* inet_diag_req_raw is inet_diag_req_v2 with the pad byte named:
	 * raw sockets need it to say "any protocol". */
	req = mnl_nlmsg_put_extra_header(h, sizeof(*req));
	req->sdiag_family = (uint8_t)family;
	req->sdiag_protocol = (uint8_t)protocol;
	if (protocol == IPPROTO_RAW)
		req->sdiag_raw_protocol = IPPROTO_RAW;
	/* Only the states asked for cross over to user space. */
	req->idiag_states = sock__diag_mask(d, family, protocol);
	req->idiag_ext = ext_bits(sock__diag_extras(d), protocol);
	bclen =
	    sock__diag_filter_bytecode(sock__diag_filter(d), bc, sizeof(bc));
	if (bclen && h->nlmsg_len + MNL_ATTR_HDRLEN + bclen <= size)
		mnl_attr_put(h, INET_DIAG_REQ_BYTECODE, bclen, bc);
	return h->nlmsg_len;
}

/* Our tcp_info must lie as the kernel's does, up to what the installed
 * header knows. */
_Static_assert(offsetof(struct sock_diag_tcp_info, tcpi_snd_wnd) ==
		   offsetof(struct tcp_info, tcpi_snd_wnd),
	       "struct sock_diag_tcp_info differs from struct tcp_info");
_Static_assert(offsetof(struct sock_diag_tcp_info, tcpi_bytes_acked) ==
		   offsetof(struct tcp_info, tcpi_bytes_acked),
	       "struct sock_diag_tcp_info differs from struct tcp_info");

/* Old kernels' INET_DIAG_MEMINFO: r, w, f, t (no buffer sizes). */
struct diag_meminfo {
	uint32_t rmem, wmem, fmem, tmem;
};

static void mem_old(struct sock_diag_extra *x, const struct nlattr *a)
{
	struct diag_meminfo m;

	if (x->mem_count || mnl_attr_get_payload_len(a) < sizeof(m))
		return;
	memcpy(&m, mnl_attr_get_payload(a), sizeof(m));
	x->mem[SOCK_DIAG_MEM_RMEM_ALLOC] = m.rmem;
	x->mem[SOCK_DIAG_MEM_WMEM_QUEUED] = m.wmem;
	x->mem[SOCK_DIAG_MEM_FWD_ALLOC] = m.fmem;
	x->mem[SOCK_DIAG_MEM_WMEM_ALLOC] = m.tmem;
	/* the sizes stay unknown: mem_count covers the first field only */
	x->mem_count = 1;
}

void sock__diag_skmem(struct sock_diag_extra *x, const void *p, size_t len)
{
	size_t n = len / sizeof(uint32_t);

	if (n > SOCK_DIAG_MEM_MAX)
		n = SOCK_DIAG_MEM_MAX;
	memcpy(x->mem, p, n * sizeof(uint32_t));
	x->mem_count = (uint8_t)n;
}

/* tcp_info as long as the kernel's, into our zeroed struct: a kernel
 * older than our definition reports a prefix, a newer one more than
 * we know (cut). */
static void tcp_info(struct sock_diag_extra *x, const struct nlattr *a)
{
	size_t len = mnl_attr_get_payload_len(a);

	if (len > sizeof(x->info))
		len = sizeof(x->info);
	memcpy(&x->info, mnl_attr_get_payload(a), len);
	x->info_len = (uint16_t)len;
}

static void cong(struct sock_diag_extra *x, const struct nlattr *a)
{
	size_t len = mnl_attr_get_payload_len(a);

	if (len >= sizeof(x->cong))
		len = sizeof(x->cong) - 1;
	memcpy(x->cong, mnl_attr_get_payload(a), len);
	x->cong[len] = '\0';
	if (x->cong[0])
		x->have |= SOCK_DIAG_HAVE_CONG;
}

static int ext_attr(const struct nlattr *a, void *arg)
{
	struct sock_diag_extra *x = arg;
	size_t len = mnl_attr_get_payload_len(a);

	switch (mnl_attr_get_type(a)) {
	case INET_DIAG_INFO:
		tcp_info(x, a);
		break;
	case INET_DIAG_CONG:
		cong(x, a);
		break;
	case INET_DIAG_SKMEMINFO:
		sock__diag_skmem(x, mnl_attr_get_payload(a), len);
		break;
	case INET_DIAG_MEMINFO:
		mem_old(x, a);
		break;
	case INET_DIAG_SHUTDOWN:
		if (len >= 1) {
			x->shutdown = *(const uint8_t *)mnl_attr_get_payload(a);
			x->have |= SOCK_DIAG_HAVE_SHUTDOWN;
		}
		break;
	case INET_DIAG_CGROUP_ID:
		if (len >= sizeof(uint64_t)) {
			memcpy(&x->cgroup_id, mnl_attr_get_payload(a), 8);
			x->have |= SOCK_DIAG_HAVE_CGROUP;
		}
		break;
	}
	return MNL_CB_OK;
}

/* Only what the query asked for is kept (the rest is dropped). */
static void ext_parse(struct sock_diag_extra *x, const struct nlmsghdr *h,
		      const struct inet_diag_msg *m, unsigned int extras)
{
	mnl_attr_parse(h, sizeof(*m), ext_attr, x);
	if (!(extras & SOCK_DIAG_X_INFO)) {
		x->info_len = 0;
		x->have &= ~SOCK_DIAG_HAVE_CONG;
		memset(&x->info, 0, sizeof(x->info));
	}
	if (!(extras & SOCK_DIAG_X_MEM))
		x->mem_count = 0;
	if (!(extras & SOCK_DIAG_X_EXT)) {
		x->have &= ~(SOCK_DIAG_HAVE_SHUTDOWN | SOCK_DIAG_HAVE_CGROUP);
		return;
	}
}

int sock__diag_inet_parse(struct diag_req *r, const struct nlmsghdr *h)
{
	const struct inet_diag_msg *m = mnl_nlmsg_get_payload(h);
	struct sock_diag_entry e = { 0 };
	struct sock_diag_extra x;
	unsigned int extras;
	size_t alen;

	if (mnl_nlmsg_get_payload_len(h) < sizeof(*m))
		return -EINVAL;
	if (m->idiag_family != AF_INET && m->idiag_family != AF_INET6)
		return -EINVAL;
	if (r->protocol != IPPROTO_TCP && r->protocol != IPPROTO_UDP &&
	    r->protocol != IPPROTO_RAW)
		return -EINVAL;
	e.family = m->idiag_family;
	e.protocol = (uint8_t)r->protocol;
	e.type = sock__diag_proto_type(r->protocol);
	e.state = m->idiag_state;
	e.rqueue = m->idiag_rqueue;
	e.wqueue = m->idiag_wqueue;
	e.uid = m->idiag_uid;
	e.inode = m->idiag_inode;
	e.in.local_port = ntohs(m->id.idiag_sport);
	e.in.remote_port = ntohs(m->id.idiag_dport);
	alen = e.family == AF_INET ? 4 : 16;
	memcpy(e.in.local, m->id.idiag_src, alen);
	memcpy(e.in.remote, m->id.idiag_dst, alen);
	e.in.timer = m->idiag_timer;
	e.in.retrans = m->idiag_retrans;
	e.in.expires_ms = m->idiag_expires;
	e.in.ifindex = m->id.idiag_if;
	e.cookie =
	    (uint64_t)m->id.idiag_cookie[1] << 32 | m->id.idiag_cookie[0];
	extras = sock__diag_extras(r->d);
	if (!extras)
		return sock__diag_add(r->d, &e);
	memset(&x, 0, sizeof(x));
	ext_parse(&x, h, m, extras);
	return sock__diag_add_extra(r->d, &e, &x);
}
