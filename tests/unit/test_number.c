/*
 * tests/unit/test_number.c - the one reader of typed numbers: ports,
 * seconds and counts take decimal digits only (and seconds one fraction),
 * within bounds, rounded to the millisecond.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <sock/number.h>

static void test_whole(void **state)
{
	unsigned long v = 0;

	(void)state;
	assert_int_equal(sock_number_parse("8080", 1, 65535, &v), 0);
	assert_int_equal(v, 8080);
	assert_int_equal(sock_number_parse("65535", 1, 65535, &v), 0);
	assert_int_not_equal(sock_number_parse("65536", 1, 65535, &v), 0);
	assert_int_not_equal(sock_number_parse("0", 1, 65535, &v), 0);
	assert_int_not_equal(sock_number_parse("", 1, 65535, &v), 0);
	assert_int_not_equal(sock_number_parse("0x10", 0, 65535, &v), 0);
	assert_int_not_equal(sock_number_parse(" 1", 0, 65535, &v), 0);
	assert_int_not_equal(sock_number_parse("+1", 0, 65535, &v), 0);
	assert_int_not_equal(sock_number_parse("1 ", 0, 65535, &v), 0);
	assert_int_not_equal(
	    sock_number_parse("99999999999999999999999999", 0, 65535, &v), 0);
}

static long secs(const char *s)
{
	long ms = -1;

	return sock_number_seconds(s, 2000000, &ms) ? -1 : ms;
}

static void test_seconds(void **state)
{
	(void)state;
	assert_int_equal(secs("10"), 10000);
	assert_int_equal(secs("0"), 0);
	assert_int_equal(secs("0.5"), 500);
	assert_int_equal(secs("1.25"), 1250);
	assert_int_equal(secs("0.0004"), 0);
	assert_int_equal(secs("0.0005"), 1);
	assert_int_equal(secs("1.9999"), 2000);
	assert_int_equal(secs("2000000"), 2000000000L);
	assert_int_equal(secs("2000000.0"), 2000000000L);
	assert_int_equal(secs("2000000.5"), -1);
	assert_int_equal(secs("2000001"), -1);
	assert_int_equal(secs("0x10"), -1);
	assert_int_equal(secs(" 1"), -1);
	assert_int_equal(secs("1e3"), -1);
	assert_int_equal(secs("inf"), -1);
	assert_int_equal(secs("nan"), -1);
	assert_int_equal(secs("-1"), -1);
	assert_int_equal(secs("1."), -1);
	assert_int_equal(secs(".5"), -1);
	assert_int_equal(secs("1.2.3"), -1);
	assert_int_equal(secs(""), -1);
}

static void test_digits(void **state)
{
	size_t n;

	(void)state;
	assert_int_equal(sock_number_digits("123abc", 65535, &n), 123);
	assert_int_equal(n, 3);
	assert_int_equal(sock_number_digits("abc", 65535, &n), 0);
	assert_int_equal(n, 0);
	/* capped above the cap: a long run does not overflow */
	assert_true(sock_number_digits("9999999999999999999999", 65535, &n) >
		    65535);
	assert_int_equal(n, 22);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whole),
		cmocka_unit_test(test_seconds),
		cmocka_unit_test(test_digits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
