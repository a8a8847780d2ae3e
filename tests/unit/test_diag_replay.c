/*
 * tests/unit/test_diag_replay.c - SOCK_DIAG_FILE in ss's format (bare
 * netlink messages, as ss -D writes them and TCPDIAG_FILE reads them),
 * made here from the TCP records of tests/data/diag-netns.bin, and
 * replay files cut or damaged part way: what came before is kept and
 * sock_diag_replay_stop() says where it stopped.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>

#include <sock/diag.h>

#include "../../lib/diag_internal.h"

static char bare[4096]; /* the TCP replies, no record headers */
static size_t bare_len;
static char path[] = "/tmp/sock-test-replay.XXXXXX";

static const char *data_file(void)
{
	static char p[512];
	const char *d = getenv("SOCK_TEST_DATA");

	snprintf(p, sizeof(p), "%s/diag-netns.bin", d ? d : "tests/data");
	return p;
}

/* ss -D's file for the same namespace: the TCP records' bytes alone. */
static int setup(void **state)
{
	static char rec[16384];
	FILE *f = fopen(data_file(), "rb");
	size_t len, off = 0;
	struct diag_rec h;

	(void)state;
	if (!f)
		return -1;
	len = fread(rec, 1, sizeof(rec), f);
	fclose(f);
	while (len - off >= sizeof(h)) {
		memcpy(&h, rec + off, sizeof(h));
		off += sizeof(h);
		if (h.protocol == IPPROTO_TCP &&
		    bare_len + h.len <= sizeof(bare)) {
			memcpy(bare + bare_len, rec + off, h.len);
			bare_len += h.len;
		}
		off += h.len;
	}
	return bare_len ? 0 : -1;
}

/* The snapshot of the first len bytes of buf, as a replay file. */
static struct sock_diag *replay(const void *buf, size_t len, int protocols)
{
	struct sock_diag_query q = { .protocols = (unsigned)protocols };
	struct sock_diag *d = NULL;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, buf, len), (ssize_t)len);
	close(fd);
	q.replay = path;
	assert_int_equal(sock_diag_snapshot(&q, &d), 0);
	unlink(path);
	strcpy(path + strlen(path) - 6, "XXXXXX");
	return d;
}

/* Both formats give the same TCP rows, in the same order. */
static void test_ss_format(void **state)
{
	struct sock_diag_query q = { .protocols = SOCK_DIAG_TCP };
	struct sock_diag *a = NULL, *b;

	(void)state;
	q.replay = data_file();
	assert_int_equal(sock_diag_snapshot(&q, &a), 0);
	b = replay(bare, bare_len, SOCK_DIAG_TCP);
	assert_int_equal(sock_diag_replay_stop(b, NULL),
			 SOCK_DIAG_REPLAY_WHOLE);
	assert_int_equal(sock_diag_source(b), SOCK_DIAG_SRC_REPLAY);
	assert_int_equal(sock_diag_count(b), 6); /* 4 listeners, 2 estab. */
	assert_int_equal(sock_diag_count(a), sock_diag_count(b));
	for (size_t i = 0; i < sock_diag_count(a); i++)
		assert_memory_equal(sock_diag_get(a, i), sock_diag_get(b, i),
				    sizeof(struct sock_diag_entry));
	sock_diag_free(a);
	sock_diag_free(b);
}

/* Message boundaries of bare (offsets where one begins). */
static size_t boundaries(size_t *at, size_t max)
{
	struct nlmsghdr h;
	size_t n = 0, off = 0;

	while (off < bare_len && n < max) {
		at[n++] = off;
		memcpy(&h, bare + off, sizeof(h));
		off += NLMSG_ALIGN(h.nlmsg_len);
	}
	return n;
}

/* Cut anywhere: the rows before the cut, and where it stopped: the
 * start of the message cut, or the cut itself on a boundary that is
 * not the end of a dump. */
static void test_cut_everywhere(void **state)
{
	size_t at[64], n = boundaries(at, 64), prev = 0;
	uint64_t off;

	(void)state;
	assert_true(n > 4);
	for (size_t cut = sizeof(struct nlmsghdr); cut < bare_len; cut++) {
		struct sock_diag *d = replay(bare, cut, SOCK_DIAG_TCP);
		size_t start = 0;
		int why = sock_diag_replay_stop(d, &off);

		for (size_t i = 0; i < n && at[i] <= cut; i++)
			start = at[i];
		assert_true(sock_diag_count(d) >= prev);
		prev = sock_diag_count(d);
		if (why == SOCK_DIAG_REPLAY_WHOLE) {
			/* only right after an NLMSG_DONE */
			struct nlmsghdr h;
			size_t last = 0;

			for (size_t i = 0; i < n && at[i] < cut; i++)
				last = at[i];
			memcpy(&h, bare + last, sizeof(h));
			assert_int_equal(h.nlmsg_type, NLMSG_DONE);
			assert_int_equal(start, cut);
		} else {
			assert_int_equal(why, SOCK_DIAG_REPLAY_CUT);
			assert_int_equal(off, start);
		}
		sock_diag_free(d);
	}
}

/* A message whose length is impossible, after two good ones: they are
 * kept and the bad one is named.  The same at byte 0 is no dump. */
static void test_damaged(void **state)
{
	size_t at[64];
	char buf[sizeof(bare)];
	struct nlmsghdr h;
	struct sock_diag_query q = { 0 };
	struct sock_diag *d;
	uint64_t off = 0;
	int fd;

	(void)state;
	assert_true(boundaries(at, 64) > 3);
	memcpy(buf, bare, bare_len);
	memcpy(&h, buf + at[2], sizeof(h));
	h.nlmsg_len = 3;
	memcpy(buf + at[2], &h, sizeof(h));
	d = replay(buf, bare_len, SOCK_DIAG_TCP);
	assert_int_equal(sock_diag_replay_stop(d, &off), SOCK_DIAG_REPLAY_BAD);
	assert_int_equal(off, at[2]);
	assert_int_equal(sock_diag_count(d), 2);
	sock_diag_free(d);

	memcpy(&h, bare, sizeof(h));
	h.nlmsg_len = 3;
	memcpy(buf, &h, sizeof(h));
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, buf, bare_len), (ssize_t)bare_len);
	close(fd);
	q.replay = path;
	d = NULL;
	assert_int_equal(sock_diag_snapshot(&q, &d), -EINVAL);
	assert_null(d);
	unlink(path);
	strcpy(path + strlen(path) - 6, "XXXXXX");
}

/* A message larger than one read (64 KiB): a socket with a big unknown
 * attribute, then the end of the dump. */
static void test_big_message(void **state)
{
	size_t big = 100000, len = big + NLMSG_HDRLEN;
	char *buf = calloc(1, len + 2 * NLMSG_HDRLEN);
	struct nlmsghdr h;
	struct nlattr a;
	struct sock_diag *d;

	(void)state;
	assert_non_null(buf);
	memcpy(&h, bare, sizeof(h)); /* the first socket's header */
	assert_int_equal(h.nlmsg_type, SOCK_DIAG_BY_FAMILY);
	/* its inet_diag_msg, then one attribute of type 0x7ff filling
	 * the rest */
	memcpy(buf + NLMSG_HDRLEN, bare + NLMSG_HDRLEN, 72);
	a.nla_type = 0x7ff;
	a.nla_len = (uint16_t)(big - 72 > 65535 ? 65535 : big - 72);
	memcpy(buf + NLMSG_HDRLEN + 72, &a, sizeof(a));
	h.nlmsg_len = (uint32_t)len;
	memcpy(buf, &h, sizeof(h));
	h.nlmsg_type = NLMSG_DONE;
	h.nlmsg_len = NLMSG_HDRLEN + 4;
	memcpy(buf + len, &h, sizeof(h));
	d = replay(buf, len + NLMSG_HDRLEN + 4, SOCK_DIAG_TCP);
	assert_int_equal(sock_diag_replay_stop(d, NULL),
			 SOCK_DIAG_REPLAY_WHOLE);
	free(buf);
	sock_diag_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ss_format),
		cmocka_unit_test(test_cut_everywhere),
		cmocka_unit_test(test_damaged),
		cmocka_unit_test(test_big_message),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
