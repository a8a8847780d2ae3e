/*
 * test_snmp.c - the counters of /proc/net/snmp and /proc/net/netstat:
 * the line-pair parser on good, odd and cut text, and
 * sock_diag_counters() over the fixture root the /proc/net tests use
 * (tests/data/proc).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sock/diag.h>

#include "../../lib/diag_internal.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static size_t parse(const char *text, struct sock_diag_counter *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		c[i].found = 0, c[i].value = 0;
	return sock__snmp_parse(text, strlen(text), c, n);
}

static void test_pairs(void **state)
{
	struct sock_diag_counter c[] = {
		{ "Tcp", "ActiveOpens", 0, 0 }, { "Tcp", "MaxConn", 0, 0 },
		{ "Udp", "InErrors", 0, 0 },	{ "UdpLite", "InErrors", 0, 0 },
		{ "Tcp", "Nope", 0, 0 },
	};

	(void)state;
	assert_int_equal(parse("Tcp: MaxConn ActiveOpens\n"
			       "Tcp: -1 94072\n"
			       "Udp: NoPorts InErrors\n"
			       "Udp: 1 5\n"
			       "UdpLite: NoPorts InErrors\n"
			       "UdpLite: 0 7\n",
			       c, ARRAY_SIZE(c)),
			 4);
	assert_true(c[0].found);
	assert_int_equal(c[0].value, 94072);
	assert_int_equal(c[1].value, -1); /* MaxConn is signed */
	assert_int_equal(c[2].value, 5);  /* Udp's, not UdpLite's */
	assert_int_equal(c[3].value, 7);
	assert_false(c[4].found);
}

static void test_odd_text(void **state)
{
	struct sock_diag_counter c[] = {
		{ "Tcp", "A", 0, 0 },
		{ "Tcp", "B", 0, 0 },
		{ "Tcp", "C", 0, 0 },
	};

	(void)state;
	/* a value that is not a number, one out of range, one missing */
	assert_int_equal(parse("Tcp: A B C\nTcp: x 99999999999999999999\n", c,
			       ARRAY_SIZE(c)),
			 0);
	/* no final newline; a header without values before the pair */
	assert_int_equal(parse("Tcp: C\nTcp: A B\nTcp: 1 2", c, ARRAY_SIZE(c)),
			 0);
	assert_int_equal(
	    parse("Tcp: C\nUdp: A\nTcp: A B\nTcp: 1 2", c, ARRAY_SIZE(c)), 2);
	assert_int_equal(c[1].value, 2);
	/* two headers in a row: the second pairs with the values */
	assert_int_equal(parse("Ip: X\nTcp: B\nTcp: 9\n", c, ARRAY_SIZE(c)), 1);
	assert_int_equal(c[1].value, 9);
	assert_int_equal(parse("", c, ARRAY_SIZE(c)), 0);
	assert_int_equal(parse(":\n:\n", c, ARRAY_SIZE(c)), 0);
}

static const char *root(const char *sub)
{
	static char path[4096];
	const char *dir = getenv("SOCK_TEST_DATA");

	snprintf(path, sizeof(path), "%s/%s", dir ? dir : "tests/data", sub);
	return path;
}

static void test_fixture_root(void **state)
{
	struct sock_diag_counter c[] = {
		{ "Tcp", "RetransSegs", 0, 0 },
		{ "Tcp", "CurrEstab", 0, 0 },
		{ "TcpExt", "ListenOverflows", 0, 0 },
		{ "TcpExt", "TCPTimeouts", 0, 0 },
		{ "Udp", "RcvbufErrors", 0, 0 },
		{ "TcpExt", "NotInThisKernel", 0, 0 },
	};

	(void)state;
	assert_int_equal(sock_diag_counters(root("proc"), c, ARRAY_SIZE(c)), 0);
	assert_int_equal(c[0].value, 29739);
	assert_int_equal(c[1].value, 4);
	assert_int_equal(c[2].value, 17);
	assert_int_equal(c[3].value, 88);
	assert_int_equal(c[4].value, 2);
	assert_true(c[4].found);
	assert_false(c[5].found);
	assert_int_equal(
	    sock_diag_counters(root("no-such-root"), c, ARRAY_SIZE(c)),
	    -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pairs),
		cmocka_unit_test(test_odd_text),
		cmocka_unit_test(test_fixture_root),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
