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

#include "diag_internal.h"

/* Longest filter program we send; longer ones run in user space only. */
#define BYTECODE_MAX 4096

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
	bclen =
	    sock__diag_filter_bytecode(sock__diag_filter(d), bc, sizeof(bc));
	if (bclen && h->nlmsg_len + MNL_ATTR_HDRLEN + bclen <= size)
		mnl_attr_put(h, INET_DIAG_REQ_BYTECODE, bclen, bc);
	return h->nlmsg_len;
}

int sock__diag_inet_parse(struct diag_req *r, const struct nlmsghdr *h)
{
	const struct inet_diag_msg *m = mnl_nlmsg_get_payload(h);
	struct sock_diag_entry e = { 0 };
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
	e.in.expires_ms = m->idiag_expires;
	e.in.ifindex = m->id.idiag_if;
	e.cookie =
	    (uint64_t)m->id.idiag_cookie[1] << 32 | m->id.idiag_cookie[0];
	return sock__diag_add(r->d, &e);
}
