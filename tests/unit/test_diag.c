/*
 * tests/unit/test_diag.c - the reply parser over recorded sock_diag
 * replies (tests/data/diag-netns.bin, taken with sock list --dump from
 * tests/data/list-hold.py) and the /proc/net fallback over copies of
 * the same namespace's tables.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include <sock/diag.h>

#include "../../lib/diag_internal.h"

static const char *data_dir(void)
{
	const char *d = getenv("SOCK_TEST_DATA");

	return d ? d : "tests/data";
}

static struct sock_diag *take(struct sock_diag_query *q, int replay)
{
	static char path[512];
	struct sock_diag *d = NULL;

	if (replay) {
		snprintf(path, sizeof(path), "%s/diag-netns.bin", data_dir());
		q->replay = path;
	} else {
		snprintf(path, sizeof(path), "%s/proc", data_dir());
		q->proc_root = path;
		q->flags |= SOCK_DIAG_PROCFS;
	}
	assert_int_equal(sock_diag_snapshot(q, &d), 0);
	return d;
}

static const struct sock_diag_entry *find_port(const struct sock_diag *d,
					       int family, int proto, int port)
{
	for (size_t i = 0; i < sock_diag_count(d); i++) {
		const struct sock_diag_entry *e = sock_diag_get(d, i);

		if (e->family == family && e->protocol == proto &&
		    e->in.local_port == port)
			return e;
	}
	return NULL;
}

static const struct sock_diag_entry *
find_name(const struct sock_diag *d, const char *name, size_t len, int state)
{
	for (size_t i = 0; i < sock_diag_count(d); i++) {
		const struct sock_diag_entry *e = sock_diag_get(d, i);
		const char *n;
		size_t l = sock_diag_unix_name(d, e, &n);

		if (e->family == AF_UNIX && e->state == state && l >= len &&
		    !memcmp(n, name, len))
			return e;
	}
	return NULL;
}

static void inet_common(const struct sock_diag *d, int from_proc)
{
	const struct sock_diag_entry *e;
	uint8_t any6[16] = { 0 }, lo6[16] = { 0 };

	lo6[15] = 1;
	e = find_port(d, AF_INET, IPPROTO_TCP, 8080);
	assert_non_null(e);
	assert_int_equal(e->state, SOCK_DIAG_LISTEN);
	/* sock_diag reports the backlog; /proc/net/tcp says 0 */
	assert_int_equal(e->wqueue, from_proc ? 0 : 16);
	assert_memory_equal(e->in.local, "\0\0\0\0", 4);
	e = find_port(d, AF_INET6, IPPROTO_TCP, 8081);
	assert_non_null(e);
	assert_memory_equal(e->in.local, any6, 16);
	e = find_port(d, AF_INET6, IPPROTO_TCP, 8082);
	assert_non_null(e);
	assert_memory_equal(e->in.local, lo6, 16);
	e = find_port(d, AF_INET, IPPROTO_UDP, 5353);
	assert_non_null(e);
	assert_int_equal(e->state, SOCK_DIAG_CLOSE);
	assert_memory_equal(e->in.local, "\x7f\0\0\x01", 4);
	assert_non_null(find_port(d, AF_INET6, IPPROTO_UDP, 5354));
}

static void unix_common(const struct sock_diag *d)
{
	const struct sock_diag_entry *e;

	e = find_name(d, "/tmp/lh/stream.sock", 19, SOCK_DIAG_LISTEN);
	assert_non_null(e);
	assert_int_equal(e->type, SOCK_STREAM);
	assert_int_equal(e->un.refcnt, 2);
	e = find_name(d, "\0sock-list-test", 15, SOCK_DIAG_LISTEN);
	assert_non_null(e);
	e = find_name(d, "/tmp/lh/dgram.sock", 18, SOCK_DIAG_CLOSE);
	assert_non_null(e);
	assert_int_equal(e->type, SOCK_DGRAM);
	/* the accepted end carries the listener's name and a peer */
	e = find_name(d, "/tmp/lh/stream.sock", 19, SOCK_DIAG_ESTABLISHED);
	assert_non_null(e);
	assert_int_equal(e->un.refcnt, 3);
}

static void test_replay_all(void **state)
{
	struct sock_diag_query q = { 0 };
	struct sock_diag *d = take(&q, 1);

	(void)state;
	assert_int_equal(sock_diag_source(d), SOCK_DIAG_SRC_REPLAY);
	/* 4 TCP listeners + 2 established, 3 UDP, 7 Unix */
	assert_int_equal(sock_diag_count(d), 16);
	inet_common(d, 0);
	unix_common(d);
	sock_diag_free(d);
}

static void test_replay_peers(void **state)
{
	struct sock_diag_query q = { .protocols = SOCK_DIAG_UNIX };
	struct sock_diag *d = take(&q, 1);
	size_t linked = 0;

	(void)state;
	assert_int_equal(sock_diag_count(d), 7);
	/* every connected stream socket names a peer that names it back */
	for (size_t i = 0; i < sock_diag_count(d); i++) {
		const struct sock_diag_entry *e = sock_diag_get(d, i);

		if (e->state != SOCK_DIAG_ESTABLISHED)
			continue;
		for (size_t j = 0; j < sock_diag_count(d); j++) {
			const struct sock_diag_entry *p = sock_diag_get(d, j);

			if (p->inode == e->un.peer && p->un.peer == e->inode)
				linked++;
		}
	}
	assert_int_equal(linked, 4);
	sock_diag_free(d);
}

static void test_replay_selects(void **state)
{
	struct sock_diag_query q = { .protocols = SOCK_DIAG_TCP,
				     .family = AF_INET6,
				     .role = SOCK_DIAG_SERVERS };
	struct sock_diag *d = take(&q, 1);

	(void)state;
	assert_int_equal(sock_diag_count(d), 3);
	sock_diag_free(d);
	q = (struct sock_diag_query){ .protocols = SOCK_DIAG_UDP,
				      .role = SOCK_DIAG_CLIENTS };
	d = take(&q, 1);
	assert_int_equal(sock_diag_count(d), 1);
	assert_int_equal(sock_diag_get(d, 0)->in.remote_port, 5353);
	sock_diag_free(d);
}

static void test_procfs(void **state)
{
	struct sock_diag_query q = { .protocols = SOCK_DIAG_TCP |
						  SOCK_DIAG_UDP |
						  SOCK_DIAG_UNIX };
	struct sock_diag *d = take(&q, 0);

	(void)state;
	assert_int_equal(sock_diag_source(d), SOCK_DIAG_SRC_PROCFS);
	assert_int_equal(sock_diag_count(d), 16);
	inet_common(d, 1);
	unix_common(d);
	sock_diag_free(d);
}

/* What test_stream's callback saw; stops with -EIO at stop_at. */
struct seen {
	struct sock_diag_entry e[64];
	size_t n, stop_at;
};

static int keep(const struct sock_diag_entry *e, void *arg)
{
	struct seen *s = arg;

	if (s->n == s->stop_at)
		return -EIO;
	if (s->n < 64)
		s->e[s->n] = *e;
	s->n++;
	return 0;
}

/* The stream hands over what a snapshot holds, in the same order. */
static void stream_same(struct sock_diag_query *q, int replay)
{
	struct seen s = { .stop_at = SIZE_MAX };
	struct sock_diag *d = take(q, replay);
	int src = 0;

	assert_int_equal(sock_diag_stream(q, keep, &s, &src), 0);
	assert_int_equal(src, sock_diag_source(d));
	assert_int_equal(s.n, sock_diag_count(d));
	assert_true(s.n > 0 && s.n <= 64);
	for (size_t i = 0; i < s.n; i++)
		assert_memory_equal(&s.e[i], sock_diag_get(d, i),
				    sizeof(s.e[i]));
	sock_diag_free(d);
}

static void test_stream(void **state)
{
	unsigned int inet = SOCK_DIAG_TCP | SOCK_DIAG_UDP | SOCK_DIAG_RAW;
	struct sock_diag_query q = { .protocols = inet };
	struct seen s = { .stop_at = 2 };
	int src = 0;

	(void)state;
	stream_same(&q, 1);
	q = (struct sock_diag_query){ .protocols = inet };
	stream_same(&q, 0);
	/* the callback's error stops the listing */
	q = (struct sock_diag_query){ .protocols = inet };
	sock_diag_free(take(&q, 1)); /* points q at the replay file */
	assert_int_equal(sock_diag_stream(&q, keep, &s, &src), -EIO);
	assert_int_equal(s.n, 2);
	/* Unix sockets and owners need the whole table */
	q.protocols = SOCK_DIAG_ALL;
	assert_int_equal(sock_diag_stream(&q, keep, &s, &src), -EINVAL);
	q.protocols = SOCK_DIAG_TCP;
	q.flags = SOCK_DIAG_OWNERS;
	assert_int_equal(sock_diag_stream(&q, keep, &s, &src), -EINVAL);
}

static void test_replay_missing(void **state)
{
	struct sock_diag_query q = { .replay = "/nonexistent/sock-diag" };
	struct sock_diag *d = NULL;

	(void)state;
	assert_int_equal(sock_diag_snapshot(&q, &d), -ENOENT);
	assert_null(d);
}

static void test_garbage(void **state)
{
	struct sock_diag_query q = { 0 };
	struct sock_diag *d = sock__diag_new(&q);
	struct diag_rec h = { DIAG_REC_MAGIC, AF_INET, IPPROTO_TCP, 0, 1000 };
	uint8_t buf[64] = { 0 };

	(void)state;
	memcpy(buf, &h, sizeof(h));
	/* a record longer than the file, and a bad magic */
	assert_int_equal(sock__diag_replay_buf(d, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(sock__diag_replay_buf(d, "nonsense", 8), -EINVAL);
	assert_int_equal(sock_diag_count(d), 0);
	sock_diag_free(d);
}

/* Replay reads the file as a stream: a pipe (no size) gives the same
 * table as the file; /dev/zero (no size, no end) is not a dump, a file
 * cut short keeps what came before the cut; errors of opening and
 * reading are passed on. */
static void test_replay_stream(void **state)
{
	struct sock_diag_query q = { 0 };
	struct sock_diag *d;
	static char path[512];
	char cut[] = "/tmp/sock-test-diag.XXXXXX";
	char buf[4096];
	size_t want, len;
	int fds[2], fd;
	FILE *f;

	(void)state;
	d = take(&q, 1);
	want = sock_diag_count(d);
	assert_true(want > 0);
	sock_diag_free(d);
	f = fopen(q.replay, "rb");
	assert_non_null(f);
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	assert_true(len > 100 && len < sizeof(buf)); /* fits a pipe */

	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], buf, len), (ssize_t)len);
	close(fds[1]);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fds[0]);
	q.replay = path;
	d = NULL;
	assert_int_equal(sock_diag_snapshot(&q, &d), 0);
	assert_int_equal(sock_diag_count(d), want);
	sock_diag_free(d);
	close(fds[0]);

	q.replay = "/dev/zero";
	assert_int_equal(sock_diag_snapshot(&q, &d), -EINVAL);
	q.replay = "/tmp";
	assert_int_equal(sock_diag_snapshot(&q, &d), -EISDIR);
	fd = mkstemp(cut);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, buf, len - 10), (ssize_t)(len - 10));
	close(fd);
	q.replay = cut;
	assert_int_equal(sock_diag_snapshot(&q, &d), 0);
	assert_int_equal(sock_diag_replay_stop(d, NULL), SOCK_DIAG_REPLAY_CUT);
	assert_true(sock_diag_count(d) <= want);
	sock_diag_free(d);
	unlink(cut);
}

static void test_state_names(void **state)
{
	(void)state;
	assert_string_equal(sock_diag_state_name(SOCK_DIAG_TIME_WAIT),
			    "time-wait");
	assert_string_equal(sock_diag_state_name(SOCK_DIAG_LISTEN), "listen");
	assert_string_equal(sock_diag_state_name(99), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_replay_all),
		cmocka_unit_test(test_replay_peers),
		cmocka_unit_test(test_replay_selects),
		cmocka_unit_test(test_procfs),
		cmocka_unit_test(test_stream),
		cmocka_unit_test(test_replay_missing),
		cmocka_unit_test(test_replay_stream),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_state_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
