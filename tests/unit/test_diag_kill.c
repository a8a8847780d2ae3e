/*
 * test_diag_kill.c - the SOCK_DESTROY request names the socket exactly
 * (family, protocol, ports, addresses, interface and cookie of the
 * dump), and the kernel's acknowledgement becomes 0 or -errno.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>

#include <sock/diag.h>

#include "../../lib/diag_internal.h"

static void test_request(void **state)
{
	struct sock_diag_entry e = { .family = AF_INET6,
				     .protocol = IPPROTO_TCP,
				     .state = SOCK_DIAG_ESTABLISHED,
				     .cookie = 0x1122334455667788ull };
	uint64_t buf[1024];
	const struct nlmsghdr *h = (const void *)buf;
	const struct inet_diag_req_v2 *r = (const void *)(h + 1);
	size_t len;

	(void)state;
	e.in.local_port = 40000;
	e.in.remote_port = 443;
	inet_pton(AF_INET6, "2001:db8::1", e.in.local);
	inet_pton(AF_INET6, "2001:db8::2", e.in.remote);
	e.in.ifindex = 3;
	len = sock__diag_destroy_request(&e, buf);
	assert_int_equal(len, NLMSG_LENGTH(sizeof(*r)));
	assert_int_equal(h->nlmsg_type, SOCK_DESTROY);
	assert_int_equal(h->nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK);
	assert_int_equal(r->sdiag_family, AF_INET6);
	assert_int_equal(r->sdiag_protocol, IPPROTO_TCP);
	assert_int_equal(ntohs(r->id.idiag_sport), 40000);
	assert_int_equal(ntohs(r->id.idiag_dport), 443);
	assert_memory_equal(r->id.idiag_src, e.in.local, 16);
	assert_memory_equal(r->id.idiag_dst, e.in.remote, 16);
	assert_int_equal(r->id.idiag_if, 3);
	assert_int_equal(r->id.idiag_cookie[0], 0x55667788u);
	assert_int_equal(r->id.idiag_cookie[1], 0x11223344u);
}

static size_t ack(void *buf, int error, uint16_t type)
{
	struct nlmsghdr *h = buf;
	struct nlmsgerr *err = (void *)(h + 1);

	memset(buf, 0, NLMSG_LENGTH(sizeof(*err)));
	h->nlmsg_len = NLMSG_LENGTH(sizeof(*err));
	h->nlmsg_type = type;
	err->error = error;
	return h->nlmsg_len;
}

static void test_ack(void **state)
{
	uint64_t buf[64];
	size_t len;

	(void)state;
	len = ack(buf, 0, NLMSG_ERROR);
	assert_int_equal(sock__diag_destroy_ack(buf, len), 0);
	len = ack(buf, -EOPNOTSUPP, NLMSG_ERROR);
	assert_int_equal(sock__diag_destroy_ack(buf, len), -EOPNOTSUPP);
	len = ack(buf, -EPERM, NLMSG_ERROR);
	assert_int_equal(sock__diag_destroy_ack(buf, len), -EPERM);
	len = ack(buf, 5, NLMSG_ERROR);
	assert_int_equal(sock__diag_destroy_ack(buf, len), -EPROTO);
	len = ack(buf, 0, NLMSG_DONE);
	assert_int_equal(sock__diag_destroy_ack(buf, len), -EBADMSG);
	assert_int_equal(sock__diag_destroy_ack(buf, len - 1), -EBADMSG);
	assert_int_equal(sock__diag_destroy_ack(buf, 3), -EBADMSG);
}

static void test_not_inet(void **state)
{
	struct sock_diag_entry e = { .family = AF_UNIX };

	(void)state;
	assert_int_equal(sock_diag_destroy(&e), -EINVAL);
	assert_int_equal(sock_diag_destroy(NULL), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_request),
		cmocka_unit_test(test_ack),
		cmocka_unit_test(test_not_inet),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
