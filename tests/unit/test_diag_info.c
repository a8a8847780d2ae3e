/*
 * tests/unit/test_diag_info.c - the inet_diag and unix_diag extensions
 * of sock list -i/-m/-e: replies built as the kernel sends them (a full
 * tcp_info, a short one from an old kernel, a longer one from a newer
 * kernel, congestion, skmeminfo, old meminfo, shutdown, cgroup id, Unix
 * meminfo), parsed through a replay, then the JSON (nulls for what was
 * not reported) and the verdict rules.
 */
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>

#include "../../lib/diag_internal.h"
#include "../../tool/list.h"

/* One recorded chunk (struct diag_rec + messages), as --dump writes. */
struct rec {
	uint8_t buf[8192];
	size_t len;
};

static struct nlmsghdr *msg(struct rec *r)
{
	return mnl_nlmsg_put_header(r->buf + sizeof(struct diag_rec) + r->len);
}

static void done_msg(struct rec *r, struct nlmsghdr *h)
{
	r->len += MNL_ALIGN(h->nlmsg_len);
}

static struct nlmsghdr *inet_msg(struct rec *r, int port, uint64_t cookie)
{
	struct nlmsghdr *h = msg(r);
	struct inet_diag_msg *m;

	h->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	h->nlmsg_flags = NLM_F_MULTI;
	m = mnl_nlmsg_put_extra_header(h, sizeof(*m));
	m->idiag_family = AF_INET;
	m->idiag_state = SOCK_DIAG_ESTABLISHED;
	m->idiag_timer = 2;
	m->idiag_retrans = 3;
	m->idiag_expires = 7197250;
	m->id.idiag_sport = htons((uint16_t)port);
	m->id.idiag_dport = htons(80);
	m->id.idiag_cookie[0] = (uint32_t)cookie;
	m->id.idiag_cookie[1] = (uint32_t)(cookie >> 32);
	m->idiag_inode = (uint32_t)port;
	return h;
}

static void sample_info(struct sock_diag_tcp_info *t)
{
	memset(t, 0, sizeof(*t));
	t->tcpi_rtt = 16;
	t->tcpi_rttvar = 9;
	t->tcpi_rto = 204000;
	t->tcpi_snd_mss = 53760;
	t->tcpi_snd_cwnd = 11;
	t->tcpi_snd_ssthresh = 0x7fffffff;
	t->tcpi_total_retrans = 2;
	t->tcpi_bytes_acked = 5001;
	t->tcpi_bytes_received = 100000;
	t->tcpi_bytes_sent = 5000;
	t->tcpi_delivery_rate = 1000000; /* bytes/s */
	t->tcpi_pacing_rate = 2000000;
	t->tcpi_min_rtt = 5;
	t->tcpi_snd_wnd = 107520;
	t->tcpi_rcv_wnd = 65536;
	t->tcpi_last_data_sent = 372;
	t->tcpi_last_data_recv = 372;
}

static void put_ext(struct nlmsghdr *h, size_t info_len, int old_mem)
{
	uint8_t info[sizeof(struct sock_diag_tcp_info) + 32];
	uint32_t mem[SOCK_DIAG_MEM_MAX] = { 0,	  131072, 0, 3939840, 4096,
					    8192, 0,	  0, 7 };
	uint32_t old[4] = { 1, 2, 3, 4 };
	uint64_t cg = 4242;

	memset(info, 0xee, sizeof(info)); /* beyond ours: must be cut */
	sample_info((struct sock_diag_tcp_info *)info);
	mnl_attr_put(h, INET_DIAG_INFO, info_len, info);
	mnl_attr_put_strz(h, INET_DIAG_CONG, "cubic");
	if (old_mem)
		mnl_attr_put(h, INET_DIAG_MEMINFO, sizeof(old), old);
	else
		mnl_attr_put(h, INET_DIAG_SKMEMINFO, sizeof(mem), mem);
	mnl_attr_put_u8(h, INET_DIAG_SHUTDOWN, 2);
	mnl_attr_put(h, INET_DIAG_CGROUP_ID, sizeof(cg), &cg);
}

/* Three sockets: a full tcp_info (port 1), an old kernel's 104 bytes
 * with old meminfo (port 2), a newer kernel's longer one (port 3). */
static struct sock_diag *take(unsigned int extras)
{
	struct sock_diag_query q = { .protocols = SOCK_DIAG_TCP,
				     .extras = extras };
	static struct rec r;
	struct diag_rec hd = { .magic = DIAG_REC_MAGIC,
			       .family = AF_INET,
			       .protocol = IPPROTO_TCP };
	struct sock_diag *d = sock__diag_new(&q);
	struct nlmsghdr *h;

	memset(&r, 0, sizeof(r));
	h = inet_msg(&r, 1, 0x4c2d3);
	put_ext(h, sizeof(struct sock_diag_tcp_info), 0);
	done_msg(&r, h);
	h = inet_msg(&r, 2, 0x100000001ull);
	put_ext(h, offsetof(struct sock_diag_tcp_info, tcpi_pacing_rate), 1);
	done_msg(&r, h);
	h = inet_msg(&r, 3, 3);
	put_ext(h, sizeof(struct sock_diag_tcp_info) + 32, 0);
	done_msg(&r, h);
	hd.len = (uint32_t)r.len;
	memcpy(r.buf, &hd, sizeof(hd));
	assert_non_null(d);
	assert_int_equal(sock__diag_replay_buf(d, r.buf, sizeof(hd) + r.len),
			 0);
	assert_int_equal(sock_diag_count(d), 3);
	return d;
}

static void test_full(void **state)
{
	struct sock_diag *d =
	    take(SOCK_DIAG_X_INFO | SOCK_DIAG_X_MEM | SOCK_DIAG_X_EXT);
	const struct sock_diag_entry *e = sock_diag_get(d, 0);
	const struct sock_diag_extra *x = sock_diag_extra(d, e);

	(void)state;
	assert_non_null(x);
	assert_int_equal(x->info_len, sizeof(struct sock_diag_tcp_info));
	assert_true(SOCK_DIAG_TCPI_HAS(x->info_len, tcpi_rcv_wnd));
	assert_int_equal(x->info.tcpi_rtt, 16);
	assert_int_equal(x->info.tcpi_bytes_acked, 5001);
	assert_int_equal(x->info.tcpi_rcv_wnd, 65536);
	assert_string_equal(x->cong, "cubic");
	assert_true(x->have & SOCK_DIAG_HAVE_CONG);
	assert_int_equal(x->mem_count, SOCK_DIAG_MEM_MAX);
	assert_int_equal(x->mem[SOCK_DIAG_MEM_RCVBUF], 131072);
	assert_int_equal(x->mem[SOCK_DIAG_MEM_DROPS], 7);
	assert_int_equal(x->shutdown, 2);
	assert_int_equal(x->cgroup_id, 4242);
	assert_int_equal(e->cookie, 0x4c2d3);
	assert_int_equal(e->in.timer, 2);
	assert_int_equal(e->in.retrans, 3);
	sock_diag_free(d);
}

/* An old kernel's tcp_info ends before pacing_rate: everything after
 * is absent (zero in the struct, "not reported" by its length). */
static void test_short(void **state)
{
	struct sock_diag *d = take(SOCK_DIAG_X_INFO | SOCK_DIAG_X_MEM);
	const struct sock_diag_extra *x =
	    sock_diag_extra(d, sock_diag_get(d, 1));

	(void)state;
	assert_int_equal(x->info_len,
			 offsetof(struct sock_diag_tcp_info, tcpi_pacing_rate));
	assert_true(SOCK_DIAG_TCPI_HAS(x->info_len, tcpi_total_retrans));
	assert_false(SOCK_DIAG_TCPI_HAS(x->info_len, tcpi_bytes_acked));
	assert_false(SOCK_DIAG_TCPI_HAS(x->info_len, tcpi_snd_wnd));
	assert_int_equal(x->info.tcpi_bytes_acked, 0);
	assert_int_equal(x->info.tcpi_total_retrans, 2);
	/* old meminfo: r w f t, no sizes */
	assert_int_equal(x->mem_count, 1);
	assert_int_equal(x->mem[SOCK_DIAG_MEM_RMEM_ALLOC], 1);
	/* not asked (-e): no shutdown or cgroup kept */
	assert_false(x->have &
		     (SOCK_DIAG_HAVE_SHUTDOWN | SOCK_DIAG_HAVE_CGROUP));
	sock_diag_free(d);
}

/* A newer kernel's longer tcp_info is cut at ours. */
static void test_long(void **state)
{
	struct sock_diag *d = take(SOCK_DIAG_X_INFO);
	const struct sock_diag_extra *x =
	    sock_diag_extra(d, sock_diag_get(d, 2));

	(void)state;
	assert_int_equal(x->info_len, sizeof(struct sock_diag_tcp_info));
	assert_int_equal(x->info.tcpi_snd_wnd, 107520);
	assert_int_equal(x->mem_count, 0); /* -m not asked */
	sock_diag_free(d);
}

static void test_not_asked(void **state)
{
	struct sock_diag *d = take(0);

	(void)state;
	assert_null(sock_diag_extra(d, sock_diag_get(d, 0)));
	sock_diag_free(d);
}

static char *json_of(const struct sock_diag *d, size_t i,
		     const struct list_opts *o)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	list_info_json(f, d, sock_diag_get(d, i), o);
	fclose(f);
	return text;
}

static void test_json(void **state)
{
	struct sock_diag *d = take(SOCK_DIAG_X_INFO | SOCK_DIAG_X_MEM);
	struct list_opts o = { .info = 1, .memory = 1, .timers = 1 };
	char *j;

	(void)state;
	j = json_of(d, 0, &o);
	assert_non_null(strstr(j, "\"congestion\":\"cubic\""));
	assert_non_null(strstr(j, "\"rtt_us\":16,"));
	assert_non_null(strstr(j, "\"bytes_acked\":5001,"));
	assert_non_null(strstr(j, "\"delivery_rate_bps\":8000000,"));
	assert_non_null(strstr(j, "\"ssthresh_segments\":null"));
	assert_non_null(strstr(j, "\"rcv_wnd_bytes\":65536"));
	assert_non_null(strstr(j, "\"drops\":7}"));
	assert_non_null(strstr(j, "\"timer\":{\"name\":\"keepalive\","
				  "\"expires_ms\":7197250,\"retransmits\":0,"
				  "\"probes\":3}"));
	free(j);
	j = json_of(d, 1, &o);
	assert_non_null(strstr(j, "\"rtt_us\":16,"));
	assert_non_null(strstr(j, "\"bytes_acked\":null"));
	assert_non_null(strstr(j, "\"pacing_rate_bps\":null"));
	assert_non_null(strstr(j, "\"snd_wnd_bytes\":null"));
	assert_non_null(strstr(j, "\"rcvbuf_bytes\":null"));
	assert_non_null(strstr(j, "\"limited_by\":null")); /* too little */
	free(j);
	sock_diag_free(d);
}

static void test_timer_text(void **state)
{
	struct sock_diag_entry e = { .family = AF_INET,
				     .protocol = IPPROTO_TCP };
	char buf[64];

	(void)state;
	e.in.timer = 2;
	e.in.expires_ms = 7197250;
	list_timer_text(buf, sizeof(buf), &e);
	assert_string_equal(buf, "keepalive (7197.25/0/0)");
	e.in.timer = 1;
	e.in.expires_ms = 200;
	e.in.retrans = 3;
	list_timer_text(buf, sizeof(buf), &e);
	assert_string_equal(buf, "on (0.20/3/0)");
	e.in.timer = 0;
	e.in.retrans = 0;
	list_timer_text(buf, sizeof(buf), &e);
	assert_string_equal(buf, "off (0.00/0/0)");
	e.in.timer = 3;
	e.in.expires_ms = 59680;
	list_timer_text(buf, sizeof(buf), &e);
	assert_string_equal(buf, "timewait (59.68/0/0)");
}

/* The verdict rules of docs/list.md, one case each. */
static void test_verdict(void **state)
{
	struct sock_diag_entry e = { .family = AF_INET,
				     .protocol = IPPROTO_TCP,
				     .state = SOCK_DIAG_ESTABLISHED };
	struct sock_diag_extra x = { .info_len = sizeof(x.info) };

	(void)state;
	sample_info(&x.info);
	x.info.tcpi_last_data_sent = x.info.tcpi_last_data_recv = 5;
	assert_string_equal(list_info_verdict(&e, &x), "application");
	x.info.tcpi_last_data_sent = x.info.tcpi_last_data_recv = 5000;
	assert_string_equal(list_info_verdict(&e, &x), "idle");
	x.info.tcpi_notsent_bytes = 1000;
	assert_string_equal(list_info_verdict(&e, &x), "backlog");
	x.info.tcpi_sndbuf_limited = 10;
	assert_string_equal(list_info_verdict(&e, &x), "sndbuf");
	x.info.tcpi_rwnd_limited = 20;
	assert_string_equal(list_info_verdict(&e, &x), "receiver");
	x.info.tcpi_rwnd_limited = x.info.tcpi_sndbuf_limited = 0;
	e.wqueue = 5000;
	x.info.tcpi_snd_wnd = 0;
	assert_string_equal(list_info_verdict(&e, &x), "receiver");
	x.info.tcpi_snd_wnd = 1000000;
	x.info.tcpi_unacked = 11;
	assert_string_equal(list_info_verdict(&e, &x), "congestion");
	x.info.tcpi_unacked = 0;
	x.info.tcpi_lost = 1;
	assert_string_equal(list_info_verdict(&e, &x), "congestion");
	e.state = SOCK_DIAG_LISTEN;
	assert_null(list_info_verdict(&e, &x));
	e.state = SOCK_DIAG_ESTABLISHED;
	x.info_len = offsetof(struct sock_diag_tcp_info, tcpi_pacing_rate);
	assert_null(list_info_verdict(&e, &x));
}

static void test_unix_mem(void **state)
{
	struct sock_diag_query q = { .protocols = SOCK_DIAG_UNIX,
				     .extras = SOCK_DIAG_X_MEM };
	static struct rec r;
	struct diag_rec hd = { .magic = DIAG_REC_MAGIC, .family = AF_UNIX };
	uint32_t mem[SOCK_DIAG_MEM_MAX] = {
		0, 212992, 0, 212992, 0, 0, 0, 0, 9
	};
	struct sock_diag *d = sock__diag_new(&q);
	struct nlmsghdr *h = msg(&r);
	struct unix_diag_msg *m;
	const struct sock_diag_extra *x;

	(void)state;
	h->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	m = mnl_nlmsg_put_extra_header(h, sizeof(*m));
	m->udiag_family = AF_UNIX;
	m->udiag_type = SOCK_DGRAM;
	m->udiag_state = SOCK_DIAG_CLOSE;
	m->udiag_ino = 77;
	mnl_attr_put(h, UNIX_DIAG_MEMINFO, sizeof(mem), mem);
	done_msg(&r, h);
	hd.len = (uint32_t)r.len;
	memcpy(r.buf, &hd, sizeof(hd));
	assert_int_equal(sock__diag_replay_buf(d, r.buf, sizeof(hd) + r.len),
			 0);
	assert_int_equal(sock_diag_count(d), 1);
	x = sock_diag_extra(d, sock_diag_get(d, 0));
	assert_non_null(x);
	assert_int_equal(x->mem_count, SOCK_DIAG_MEM_MAX);
	assert_int_equal(x->mem[SOCK_DIAG_MEM_RCVBUF], 212992);
	assert_int_equal(x->mem[SOCK_DIAG_MEM_DROPS], 9);
	sock_diag_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_short),
		cmocka_unit_test(test_long),
		cmocka_unit_test(test_not_asked),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_timer_text),
		cmocka_unit_test(test_verdict),
		cmocka_unit_test(test_unix_mem),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
