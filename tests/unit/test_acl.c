/*
 * test_acl.c - allow and deny lists: CIDR blocks of both families, the
 * IPv4-mapped form a dual-stack listener sees, deny over allow, lists
 * and files' text with the bad word located, and user ids read from a
 * Unix peer's credentials.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <sock/acl.h>

/* Is text (an IPv4 or IPv6 address) let in by a? */
static int admits(const struct sock_acl *a, const char *text)
{
	struct sockaddr_in6 s6 = { .sin6_family = AF_INET6 };
	struct sockaddr_in s4 = { .sin_family = AF_INET };

	if (inet_pton(AF_INET, text, &s4.sin_addr) == 1)
		return sock_acl_check_addr(a, (struct sockaddr *)&s4,
					   sizeof(s4));
	assert_int_equal(inet_pton(AF_INET6, text, &s6.sin6_addr), 1);
	return sock_acl_check_addr(a, (struct sockaddr *)&s6, sizeof(s6));
}

static void test_empty_admits_all(void **state)
{
	struct sock_acl *a = sock_acl_new();

	(void)state;
	assert_true(admits(a, "192.0.2.1"));
	assert_true(admits(a, "2001:db8::1"));
	assert_false(sock_acl_has_cidrs(a));
	sock_acl_free(a);
}

static void test_allow_v4(void **state)
{
	struct sock_acl *a = sock_acl_new();

	(void)state;
	assert_int_equal(sock_acl_add(a, 0, "127.0.0.1"), 0);
	assert_int_equal(sock_acl_add(a, 0, "10.1.0.0/17"), 0);
	assert_true(admits(a, "127.0.0.1"));
	assert_false(admits(a, "127.0.0.2"));
	assert_true(admits(a, "10.1.127.255"));
	assert_false(admits(a, "10.1.128.0"));
	/* a dual-stack listener sees IPv4 clients mapped */
	assert_true(admits(a, "::ffff:127.0.0.1"));
	assert_false(admits(a, "::ffff:127.0.0.2"));
	/* an allow list refuses every family it does not name */
	assert_false(admits(a, "::1"));
	sock_acl_free(a);
}

static void test_deny_wins(void **state)
{
	struct sock_acl *a = sock_acl_new();

	(void)state;
	assert_int_equal(sock_acl_add(a, 0, "127.0.0.0/8"), 0);
	assert_int_equal(sock_acl_add(a, 1, "127.0.0.2"), 0);
	assert_true(admits(a, "127.0.0.1"));
	assert_false(admits(a, "127.0.0.2"));
	sock_acl_free(a);
	/* deny alone: everyone else comes in */
	a = sock_acl_new();
	assert_int_equal(sock_acl_add(a, 1, "::ffff:127.0.0.2/128"), 0);
	assert_false(admits(a, "127.0.0.2"));
	assert_true(admits(a, "127.0.0.3"));
	assert_true(admits(a, "::1"));
	sock_acl_free(a);
}

static void test_v6(void **state)
{
	struct sock_acl *a = sock_acl_new();

	(void)state;
	assert_int_equal(sock_acl_add(a, 0, "2001:db8::/33"), 0);
	assert_int_equal(sock_acl_add(a, 0, "::/0"), 0);
	assert_int_equal(sock_acl_add(a, 1, "2001:db8:8000::/33"), 0);
	assert_true(admits(a, "2001:db8::1"));
	assert_false(admits(a, "2001:db8:8000::1"));
	assert_true(admits(a, "fe80::1"));
	/* ::/0 holds the mapped IPv4 space too */
	assert_true(admits(a, "192.0.2.1"));
	sock_acl_free(a);
}

static void test_bad_words(void **state)
{
	static const char *const bad[] = {
		"",	   "127.0.0.1/33", "127.0.0.1/",   "127.0.0.1/-1",
		"127.0.0", "::1/129",	   "host.example", "1.2.3.4/8x",
		"::1/ 8",  "1.2.3.4.5",
	};
	struct sock_acl *a = sock_acl_new();

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(sock_acl_add(a, 0, bad[i]), -EINVAL);
	assert_false(sock_acl_has_cidrs(a));
	sock_acl_free(a);
}

static void test_list_text(void **state)
{
	const char *text = "# office\n10.0.0.0/8, 192.0.2.7 # the printer\n"
			   "\n  ::1\r\n";
	const char *bad = "127.0.0.1,\n127.0.0.300, ::1";
	struct sock_acl *a = sock_acl_new();
	size_t at = 0, len = 0;

	(void)state;
	assert_int_equal(sock_acl_add_list(a, 0, text, &at, &len), 0);
	assert_true(admits(a, "10.9.9.9"));
	assert_true(admits(a, "192.0.2.7"));
	assert_true(admits(a, "::1"));
	assert_false(admits(a, "192.0.2.8"));
	assert_int_equal(sock_acl_add_list(a, 1, bad, &at, &len), -EINVAL);
	assert_int_equal(at, 11);
	assert_int_equal(len, 11);
	sock_acl_free(a);
}

static void test_uid(void **state)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct sock_acl *a = sock_acl_new();
	int sv[2];
	uid_t uid;

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	/* no uid listed: every Unix client comes in */
	assert_int_equal(sock_acl_admit(a, sv[0], (struct sockaddr *)&sun,
					sizeof(sun), &uid),
			 1);
	assert_int_equal(sock_acl_add_uid(a, getuid() + 1), 0);
	assert_true(sock_acl_has_uids(a));
	assert_int_equal(sock_acl_admit(a, sv[0], (struct sockaddr *)&sun,
					sizeof(sun), &uid),
			 0);
	assert_int_equal(uid, getuid());
	assert_int_equal(sock_acl_add_uid(a, getuid()), 0);
	assert_int_equal(sock_acl_admit(a, sv[0], (struct sockaddr *)&sun,
					sizeof(sun), &uid),
			 1);
	close(sv[0]);
	close(sv[1]);
	sock_acl_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_admits_all),
		cmocka_unit_test(test_allow_v4),
		cmocka_unit_test(test_deny_wins),
		cmocka_unit_test(test_v6),
		cmocka_unit_test(test_bad_words),
		cmocka_unit_test(test_list_text),
		cmocka_unit_test(test_uid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
