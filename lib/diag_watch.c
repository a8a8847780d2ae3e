/*
 * lib/diag_watch.c - sockets reported as they are destroyed: a
 * NETLINK_SOCK_DIAG socket joined to the kernel's destroy groups
 * (SKNLGRP_INET*_DESTROY).  Each report is an inet_diag message like a
 * dump's, named by an INET_DIAG_PROTOCOL attribute, with the socket's
 * final tcp_info; it is parsed by the dump's parser into a throw-away
 * snapshot that hands each socket on instead of keeping it.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>

#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <sock/diag_watch.h>

#include "diag_internal.h"
#include "sys.h"

/* Room for the kernel's bursts while nobody reads: about 2k reports. */
#define WATCH_RCVBUF (1 << 20)

struct sock_diag_watch {
	int fd;
	unsigned long lost;
	struct sock_diag *d; /* parses, and emits instead of keeping */
};

static unsigned int group_bits(unsigned int protocols)
{
	unsigned int g = 0;

	if (protocols & SOCK_DIAG_TCP)
		g |= 1u << (SKNLGRP_INET_TCP_DESTROY - 1) |
		     1u << (SKNLGRP_INET6_TCP_DESTROY - 1);
	if (protocols & SOCK_DIAG_UDP)
		g |= 1u << (SKNLGRP_INET_UDP_DESTROY - 1) |
		     1u << (SKNLGRP_INET6_UDP_DESTROY - 1);
	return g;
}

static int watch_socket(unsigned int groups)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK,
				  .nl_groups = groups };
	int fd, err;

	fd = sock__socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK,
			  NETLINK_SOCK_DIAG);
	if (fd < 0)
		return errno == EAFNOSUPPORT ? -EPROTONOSUPPORT : -errno;
	/* a smaller buffer only means reports lost, said as -ENOBUFS */
	(void)sock__setsockopt_int(fd, SOL_SOCKET, SO_RCVBUF, WATCH_RCVBUF);
	if (sock__bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		err = -errno;
		sock__close(fd);
		return err;
	}
	return fd;
}

int sock_diag_watch_open(unsigned int protocols, struct sock_diag_watch **out)
{
	const struct sock_diag_query q = {
		.protocols = SOCK_DIAG_TCP | SOCK_DIAG_UDP,
		.extras = SOCK_DIAG_X_INFO | SOCK_DIAG_X_MEM | SOCK_DIAG_X_EXT,
	};
	unsigned int groups = group_bits(protocols);
	struct sock_diag_watch *w;
	int fd;

	if (!groups)
		return -EINVAL;
	w = calloc(1, sizeof(*w));
	if (!w || !(w->d = sock__diag_new(&q))) {
		free(w);
		return -ENOMEM;
	}
	fd = watch_socket(groups);
	if (fd < 0) {
		sock_diag_free(w->d);
		free(w);
		return fd;
	}
	w->fd = fd;
	*out = w;
	return 0;
}

int sock_diag_watch_fd(const struct sock_diag_watch *w)
{
	return w ? w->fd : -1;
}

unsigned long sock_diag_watch_lost(const struct sock_diag_watch *w)
{
	return w ? w->lost : 0;
}

/* The protocol a report names (INET_DIAG_PROTOCOL); 0 when none. */
static int report_protocol(const struct nlmsghdr *h)
{
	const struct nlattr *a;

	mnl_attr_for_each(a, h, sizeof(struct inet_diag_msg))
	{
		if (mnl_attr_get_type(a) == INET_DIAG_PROTOCOL &&
		    mnl_attr_get_payload_len(a) >= 1)
			return *(const uint8_t *)mnl_attr_get_payload(a);
	}
	return 0;
}

/* The reports of one read; 0, or what parsing or fn returned. */
static int watch_buf(struct sock_diag_watch *w, const void *buf, size_t len)
{
	const struct nlmsghdr *h = buf;
	int n = (int)len, ret;

	for (; mnl_nlmsg_ok(h, n); h = mnl_nlmsg_next(h, &n)) {
		struct diag_req r = { .d = w->d };

		if (h->nlmsg_type != SOCK_DIAG_BY_FAMILY ||
		    mnl_nlmsg_get_payload_len(h) < sizeof(struct inet_diag_msg))
			continue;
		r.protocol = report_protocol(h);
		r.family =
		    ((const struct inet_diag_msg *)mnl_nlmsg_get_payload(h))
			->idiag_family;
		if (r.protocol != IPPROTO_TCP && r.protocol != IPPROTO_UDP)
			continue;
		ret = sock__diag_inet_parse(&r, h);
		if (ret == -EINVAL)
			continue; /* not a socket we can name */
		if (ret)
			return ret;
	}
	return 0;
}

int sock_diag_watch_read(struct sock_diag_watch *w, sock_diag_emit_fn *fn,
			 void *arg)
{
	uint64_t buf[8192 / 8]; /* the kernel sends at most a page */
	int lost = 0, ret;
	ssize_t n;

	if (!w || !fn)
		return -EINVAL;
	sock__diag_set_emit(w->d, fn, arg);
	for (;;) {
		n = sock__recv(w->fd, buf, sizeof(buf), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == ENOBUFS) {
			w->lost++;
			lost = 1;
			continue;
		}
		if (n < 0)
			return errno == EAGAIN ? (lost ? -ENOBUFS : 0) : -errno;
		ret = watch_buf(w, buf, (size_t)n);
		if (ret)
			return ret;
	}
}

void sock_diag_watch_free(struct sock_diag_watch *w)
{
	if (!w)
		return;
	sock__close(w->fd);
	sock_diag_free(w->d);
	free(w);
}
