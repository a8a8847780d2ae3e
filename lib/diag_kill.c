/*
 * lib/diag_kill.c - SOCK_DESTROY: one sock_diag request naming one
 * socket exactly (the tuple, interface and cookie its dump reported),
 * and the kernel's acknowledgement.  Sits beside the dump driver; its
 * own netlink socket, so that a kill never shares state with a dump.
 */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>

#include "diag_internal.h"
#include "sys.h"

/* Room for the request, and for the ack that quotes it. */
#define DIAG_KILL_BUF 8192

size_t sock__diag_destroy_request(const struct sock_diag_entry *e, void *buf)
{
	struct nlmsghdr *h = mnl_nlmsg_put_header(buf);
	struct inet_diag_req_raw *req;
	size_t alen = e->family == AF_INET ? 4 : 16;

	h->nlmsg_type = SOCK_DESTROY;
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	req = mnl_nlmsg_put_extra_header(h, sizeof(*req));
	req->sdiag_family = e->family;
	req->sdiag_protocol = e->protocol;
	/* a raw socket is found by the protocol it carries */
	if (e->protocol == IPPROTO_RAW)
		req->sdiag_raw_protocol = (uint8_t)e->in.local_port;
	req->idiag_states = ~0u;
	if (e->protocol != IPPROTO_RAW) {
		req->id.idiag_sport = htons(e->in.local_port);
		req->id.idiag_dport = htons(e->in.remote_port);
	}
	memcpy(req->id.idiag_src, e->in.local, alen);
	memcpy(req->id.idiag_dst, e->in.remote, alen);
	req->id.idiag_if = e->in.ifindex;
	/* without the cookie, a new socket on the same tuple could go */
	req->id.idiag_cookie[0] = (uint32_t)e->cookie;
	req->id.idiag_cookie[1] = (uint32_t)(e->cookie >> 32);
	return h->nlmsg_len;
}

/* The acknowledgement: an NLMSG_ERROR carrying 0 or -errno. */
int sock__diag_destroy_ack(const void *buf, size_t len)
{
	const struct nlmsghdr *h = buf;
	struct nlmsgerr err;

	if (len < sizeof(*h) || h->nlmsg_len > len ||
	    h->nlmsg_type != NLMSG_ERROR ||
	    mnl_nlmsg_get_payload_len(h) < sizeof(err))
		return -EBADMSG;
	memcpy(&err, mnl_nlmsg_get_payload(h), sizeof(err));
	if (err.error > 0 || err.error <= -4096)
		return -EPROTO;
	return err.error;
}

static int kill_send(int fd, const struct sock_diag_entry *e)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	uint64_t buf[DIAG_KILL_BUF / 8];
	size_t len = sock__diag_destroy_request(e, buf);
	ssize_t n;

	if (sock__sendto(fd, buf, len, 0, (struct sockaddr *)&kernel,
			 sizeof(kernel)) < 0)
		return -errno;
	do
		n = sock__recv(fd, buf, sizeof(buf), 0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return sock__diag_destroy_ack(buf, (size_t)n);
}

int sock_diag_destroy(const struct sock_diag_entry *e)
{
	int fd, ret;

	if (!e || (e->family != AF_INET && e->family != AF_INET6) ||
	    (e->protocol != IPPROTO_TCP && e->protocol != IPPROTO_UDP &&
	     e->protocol != IPPROTO_RAW))
		return -EINVAL;
	fd = sock__diag_nl_open();
	if (fd < 0)
		return fd;
	ret = kill_send(fd, e);
	sock__close(fd);
	return ret;
}
