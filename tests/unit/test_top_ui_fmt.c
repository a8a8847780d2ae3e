/*
 * test_top_ui_fmt.c - the sizes and ages of sock top's view: at most
 * three digits and a unit (powers of 1024), the unit changing where
 * rounding would give a fourth digit; ages in the largest two units.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "../../tool/top_ui.h"

static void size_is(double v, const char *want)
{
	char b[16];

	ui_fmt_size(b, sizeof(b), v);
	assert_string_equal(b, want);
}

static void age_is(double v, const char *want)
{
	char b[16];

	ui_fmt_age(b, sizeof(b), v);
	assert_string_equal(b, want);
}

static void test_sizes(void **state)
{
	(void)state;
	size_is(0, "0");
	size_is(999, "999");
	size_is(999.4, "999");
	size_is(999.5, "1.0K"); /* not "1000" */
	size_is(1024, "1.0K");
	size_is(1536, "1.5K");
	size_is(10188, "9.9K");
	size_is(10189, "10K");
	size_is(1000000, "977K");
	size_is(1023 * 1024, "1.0M"); /* not "1023K" */
	size_is(5e9, "4.7G");
	size_is(-1, "0");
	size_is(NAN, "0");
}

static void test_ages(void **state)
{
	(void)state;
	age_is(0, "0s");
	age_is(59.9, "59s");
	age_is(60, "1m00");
	age_is(3599, "59m59");
	age_is(3600, "1h00");
	age_is(86399, "23h59");
	age_is(90000, "1d01");
	age_is(-5, "0s");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_ages),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
