/*
 * tests/unit/test_top.c - sock top's rates: a row sampled twice from
 * sockets built as the kernel reports them gives bytes per second as
 * the change of tcp_info's counters over the time between the samples;
 * a counter that went back, a socket without tcp_info (TIME-WAIT) and
 * protocols without byte counters are handled as documented.
 */
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "../../tool/top_int.h"

static struct sock_diag_entry tcp_entry(int state)
{
	struct sock_diag_entry e = { .family = AF_INET,
				     .protocol = IPPROTO_TCP,
				     .type = SOCK_STREAM,
				     .state = (uint8_t)state,
				     .uid = SOCK_DIAG_NO_UID,
				     .cookie = 42 };

	e.in.local_port = 5000;
	e.in.remote_port = 40000;
	return e;
}

static struct sock_diag_extra info(uint64_t acked, uint64_t received,
				   uint32_t retrans)
{
	struct sock_diag_extra x;

	memset(&x, 0, sizeof(x));
	x.info_len = sizeof(x.info);
	x.info.tcpi_bytes_acked = acked;
	x.info.tcpi_bytes_received = received;
	x.info.tcpi_total_retrans = retrans;
	x.info.tcpi_rtt = 1500;
	return x;
}

static void test_rate(void **state)
{
	(void)state;
	assert_true(top_rate(3000, 1000, 2.0) == 1000.0);
	assert_true(top_rate(1000, 1000, 0.5) == 0.0);
	assert_true(top_rate(500, 1000, 1.0) == 0.0); /* went back */
	assert_true(top_rate(5000, 0, 0.0) == 0.0);   /* no interval */
}

static void test_two_samples(void **state)
{
	struct top_row r = { 0 };
	struct sock_diag_entry e = tcp_entry(SOCK_DIAG_ESTABLISHED);
	struct sock_diag_extra x = info(1000, 200, 0);

	(void)state;
	r.s.first_seen = 10.0;
	top_row_sample(&r, &e, &x, 10.0, 1);
	assert_int_equal(r.s.has_bytes, 1);
	assert_true(r.s.tx_rate == 0 && r.s.rx_rate == 0); /* first_dt 0 */
	x = info(5000, 1200, 3);
	top_row_sample(&r, &e, &x, 12.0, 1);
	assert_true(r.s.tx_rate == 2000.0);
	assert_true(r.s.rx_rate == 500.0);
	assert_true(r.s.retrans_rate == 1.5);
	assert_true(r.s.tx_bytes == 5000 && r.s.rx_bytes == 1200);
	assert_int_equal(r.s.rtt_us, 1500);
	assert_true(r.s.age == 2.0);
	assert_string_equal(r.s.state_name, "ESTABLISHED");
}

/* A row new in a poll grew over the interval since the last one. */
static void test_new_row_interval(void **state)
{
	struct top_row r = { 0 };
	struct sock_diag_entry e = tcp_entry(SOCK_DIAG_ESTABLISHED);
	struct sock_diag_extra x = info(4000, 0, 0);

	(void)state;
	r.first_dt = 0.5;
	top_row_sample(&r, &e, &x, 3.0, 1);
	assert_true(r.s.tx_rate == 8000.0);
}

/* TIME-WAIT has no tcp_info: the totals stay, the rates are 0. */
static void test_time_wait_keeps_totals(void **state)
{
	struct top_row r = { 0 };
	struct sock_diag_entry e = tcp_entry(SOCK_DIAG_ESTABLISHED);
	struct sock_diag_extra x = info(7000, 300, 0);

	(void)state;
	top_row_sample(&r, &e, &x, 1.0, 1);
	e.state = SOCK_DIAG_TIME_WAIT;
	top_row_sample(&r, &e, NULL, 2.0, 1);
	assert_true(r.s.tx_bytes == 7000 && r.s.rx_bytes == 300);
	assert_true(r.s.tx_rate == 0 && r.s.rx_rate == 0);
	assert_string_equal(r.s.state_name, "TIME_WAIT");
}

/* A tcp_info too short to hold the byte counters (a kernel before
 * 4.1) gives no rates rather than wrong ones. */
static void test_short_info(void **state)
{
	struct top_row r = { 0 };
	struct sock_diag_entry e = tcp_entry(SOCK_DIAG_ESTABLISHED);
	struct sock_diag_extra x = info(7000, 300, 0);

	(void)state;
	x.info_len = offsetof(struct sock_diag_tcp_info, tcpi_bytes_acked);
	top_row_sample(&r, &e, &x, 1.0, 1);
	assert_true(r.s.tx_bytes == 0 && r.s.tx_rate == 0);
}

/* UDP and Unix sockets have no byte counters: has_bytes is 0 (the
 * writers print n/a or null), their drops come from skmem. */
static void test_no_bytes(void **state)
{
	struct top_row r = { 0 };
	struct sock_diag_entry e = tcp_entry(SOCK_DIAG_CLOSE);
	struct sock_diag_extra x;

	(void)state;
	memset(&x, 0, sizeof(x));
	x.mem_count = SOCK_DIAG_MEM_MAX;
	x.mem[SOCK_DIAG_MEM_DROPS] = 17;
	e.protocol = IPPROTO_UDP;
	top_row_sample(&r, &e, &x, 1.0, 1);
	assert_int_equal(r.s.has_bytes, 0);
	assert_int_equal(r.s.has_drops, 1);
	assert_int_equal(r.s.drops, 17);
	assert_string_equal(r.s.proto, "udp");
	memset(&e, 0, sizeof(e));
	e.family = AF_UNIX;
	e.type = SOCK_STREAM;
	e.state = SOCK_DIAG_ESTABLISHED;
	e.uid = SOCK_DIAG_NO_UID;
	top_row_sample(&r, &e, NULL, 2.0, 1);
	assert_int_equal(r.s.has_bytes, 0);
	assert_string_equal(r.s.proto, "unix");
}

/* The view's filter: sock list's language, ss's quoted form too; a
 * bad word is refused with the reason and the old filter stays. */
static void test_set_filter(void **state)
{
	struct top_opts o = { .interval_ms = 1000,
			      .linger_ms = 5000,
			      .protocols = SOCK_DIAG_TCP,
			      .role = SOCK_DIAG_CLIENTS,
			      .no_owners = 1 };
	char err[256] = "";
	int e = 0;
	struct top_model *m = top_model_new(&o, &e);

	(void)state;
	assert_non_null(m);
	assert_string_equal(top_model_filter(m), "");
	assert_int_equal(
	    top_model_set_filter(m, "dport = :443", err, sizeof(err)), 0);
	assert_string_equal(top_model_filter(m), "dport = :443");
	assert_int_equal(
	    top_model_set_filter(m, "state sideways", err, sizeof(err)),
	    -EINVAL);
	assert_string_equal(err, "bad filter word 'sideways'");
	assert_string_equal(top_model_filter(m), "dport = :443");
	assert_int_equal(
	    top_model_set_filter(m, "( sport = :22", err, sizeof(err)),
	    -EINVAL);
	assert_int_equal(top_model_set_filter(m, "", err, sizeof(err)), 0);
	assert_string_equal(top_model_filter(m), "");
	assert_int_equal(top_model_kill(m, 12345), -ENOENT);
	assert_int_equal(top_model_count(m), 0);
	top_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rate),
		cmocka_unit_test(test_two_samples),
		cmocka_unit_test(test_new_row_interval),
		cmocka_unit_test(test_time_wait_keeps_totals),
		cmocka_unit_test(test_short_info),
		cmocka_unit_test(test_no_bytes),
		cmocka_unit_test(test_set_filter),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
