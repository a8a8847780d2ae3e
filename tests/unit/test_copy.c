/*
 * tests/unit/test_copy.c - the copy engine (sock/copy.h) over
 * socketpair(): one direction from side A to side B, driven step by step
 * as a scheduler would.  Each pair is [0] the test's own end, [1] the
 * end the engine reads or writes.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include <sock/copy.h>

struct rig {
	int a[2], b[2]; /* the far side of A, the engine's A; same for B */
	struct sock_copy_end ea, eb;
	struct sock_copy_dir ab, ba;
	char bufs[2][SOCK_COPY_BUF];
};

static void pair(int type, int fds[2])
{
	assert_int_equal(socketpair(AF_UNIX, type | SOCK_NONBLOCK, 0, fds), 0);
}

static void end_of(struct sock_copy_end *e, int fd, unsigned flags)
{
	*e = (struct sock_copy_end){ .ops = &sock_copy_ops_socket,
				     .rfd = fd,
				     .wfd = fd,
				     .flags = flags };
}

static struct rig *rig_new(int type, unsigned flags)
{
	struct rig *r = calloc(1, sizeof(*r));

	assert_non_null(r);
	pair(type, r->a);
	pair(type, r->b);
	end_of(&r->ea, r->a[1], flags);
	end_of(&r->eb, r->b[0], flags);
	sock_copy_init(&r->ab, &r->ea, &r->eb);
	sock_copy_init(&r->ba, &r->eb, &r->ea);
	r->ab.buf = r->bufs[0];
	r->ba.buf = r->bufs[1];
	r->ab.cap = r->ba.cap = SOCK_COPY_BUF;
	return r;
}

static void rig_free(struct rig *r)
{
	for (int i = 0; i < 2; i++) {
		if (r->a[i] >= 0)
			close(r->a[i]);
		close(r->b[i]);
	}
	free(r);
}

/* Step d until it waits; returns the first error, or 0 once done. */
static int run(struct sock_copy_dir *d)
{
	for (int i = 0; i < 100; i++) {
		int ret = sock_copy_step(d, 1, 1);

		if (ret <= 0)
			return ret;
	}
	fail_msg("no wait after 100 steps");
	return 0;
}

static void put(int fd, const char *s)
{
	assert_int_equal(send(fd, s, strlen(s), 0), (ssize_t)strlen(s));
}

static void expect(int fd, const char *s)
{
	char got[64];
	ssize_t n = recv(fd, got, sizeof(got), 0);

	assert_int_equal(n, (ssize_t)strlen(s));
	assert_memory_equal(got, s, (size_t)n);
}

static void expect_eof(int fd)
{
	char c;

	assert_int_equal(recv(fd, &c, 1, 0), 0);
}

/* One side's end of data becomes the other's, and the reverse direction
 * still flows afterwards. */
static void half_close(struct rig *r, struct sock_copy_dir *d, int in, int out,
		       struct sock_copy_dir *back)
{
	put(in, "hello");
	shutdown(in, SHUT_WR);
	assert_int_equal(run(d), 0);
	assert_true(d->done);
	assert_int_equal(d->bytes, 5);
	expect(out, "hello");
	expect_eof(out);
	put(out, "back");
	assert_int_equal(run(back), -EAGAIN);
	assert_false(back->done);
	expect(in, "back");
	(void)r;
}

static void test_half_close_ab(void **state)
{
	struct rig *r = rig_new(SOCK_STREAM, 0);

	(void)state;
	half_close(r, &r->ab, r->a[0], r->b[1], &r->ba);
	rig_free(r);
}

static void test_half_close_ba(void **state)
{
	struct rig *r = rig_new(SOCK_STREAM, 0);

	(void)state;
	half_close(r, &r->ba, r->b[1], r->a[0], &r->ab);
	rig_free(r);
}

/* Nothing to read: EAGAIN from the source, nothing held. */
static void test_wait(void **state)
{
	struct rig *r = rig_new(SOCK_STREAM, 0);

	(void)state;
	assert_int_equal(sock_copy_step(&r->ab, 1, 1), -EAGAIN);
	assert_int_equal(r->ab.fail, SOCK_COPY_SRC);
	assert_false(sock_copy_holds(&r->ab));
	/* not allowed to read: it waits without a call */
	assert_int_equal(sock_copy_step(&r->ab, 0, 1), 0);
	rig_free(r);
}

/* A Unix peer that closes with data unread resets the connection: the
 * error is the source's. */
static void test_reset(void **state)
{
	struct rig *r = rig_new(SOCK_STREAM, 0);

	(void)state;
	put(r->a[1], "unread");
	close(r->a[0]);
	r->a[0] = -1;
	assert_int_equal(run(&r->ab), -ECONNRESET);
	assert_int_equal(r->ab.fail, SOCK_COPY_SRC);
	rig_free(r);
}

/* A destination whose peer is gone: the error is the destination's. */
static void test_write_error(void **state)
{
	struct rig *r = rig_new(SOCK_STREAM, 0);

	(void)state;
	close(r->b[1]);
	put(r->a[0], "x");
	assert_int_equal(run(&r->ab), -EPIPE);
	assert_int_equal(r->ab.fail, SOCK_COPY_DST);
	rig_free(r);
}

/* A full destination holds the bytes until it takes them. */
static void test_backpressure(void **state)
{
	struct rig *r = rig_new(SOCK_STREAM, 0);
	static char big[4096];
	char sink[65536];
	unsigned long long moved = 0;

	(void)state;
	for (int i = 0; i < 100000; i++) {
		if (send(r->a[0], big, sizeof(big), 0) < 0)
			assert_int_equal(errno, EAGAIN);
		if (run(&r->ab) == -EAGAIN && r->ab.fail == SOCK_COPY_DST)
			break;
	}
	assert_int_equal(r->ab.fail, SOCK_COPY_DST);
	assert_true(sock_copy_holds(&r->ab));
	assert_false(sock_copy_wants_read(&r->ab));
	for (ssize_t n; (n = recv(r->b[1], sink, sizeof(sink), 0)) > 0;)
		moved += (size_t)n;
	assert_int_equal(moved, r->ab.bytes);
	rig_free(r);
}

static ssize_t write_nothing(struct sock_copy_end *e, const void *buf,
			     size_t len)
{
	(void)e;
	(void)buf;
	(void)len;
	return 0;
}

/* A destination that takes nothing of what waits would spin the
 * scheduler: it is an error (EIO), not progress. */
static void test_zero_progress(void **state)
{
	struct rig *r = rig_new(SOCK_STREAM, 0);
	struct sock_copy_ops stuck = sock_copy_ops_socket;

	(void)state;
	stuck.write = write_nothing;
	r->eb.ops = &stuck;
	put(r->a[0], "abc");
	assert_int_equal(run(&r->ab), -EIO);
	assert_int_equal(r->ab.fail, SOCK_COPY_DST);
	rig_free(r);
}

/* seqpacket to seqpacket: each message arrives as itself. */
static void test_seqpacket_boundaries(void **state)
{
	struct rig *r = rig_new(SOCK_SEQPACKET, SOCK_COPY_MESSAGES);

	(void)state;
	put(r->a[0], "ab");
	put(r->a[0], "cde");
	shutdown(r->a[0], SHUT_WR);
	assert_int_equal(run(&r->ab), 0);
	assert_true(r->ab.done);
	expect(r->b[1], "ab");
	expect(r->b[1], "cde");
	expect_eof(r->b[1]);
	rig_free(r);
}

/* A connected message end whose message is larger than the buffer has a
 * broken stream of messages: EMSGSIZE, blamed on the source. */
static void test_emsgsize_connected(void **state)
{
	struct rig *r = rig_new(SOCK_SEQPACKET, SOCK_COPY_MESSAGES);

	(void)state;
	r->ab.cap = 4;
	put(r->a[0], "toolong");
	assert_int_equal(run(&r->ab), -EMSGSIZE);
	assert_int_equal(r->ab.fail, SOCK_COPY_SRC);
	rig_free(r);
}

/* Datagrams: boundaries kept, an empty datagram is a message (not the
 * end of data), and an oversized one is dropped while the rest goes on. */
static void test_dgram(void **state)
{
	struct rig *r =
	    rig_new(SOCK_DGRAM, SOCK_COPY_MESSAGES | SOCK_COPY_CONNECTIONLESS);
	char c;

	(void)state;
	r->ab.cap = 4;
	put(r->a[0], "one");
	assert_int_equal(send(r->a[0], "", 0, 0), 0);
	put(r->a[0], "toolong");
	put(r->a[0], "two");
	assert_int_equal(run(&r->ab), -EAGAIN);
	assert_false(r->ab.eof);
	assert_int_equal(r->ab.dropped, 1);
	assert_int_equal(r->ab.bytes, 6);
	expect(r->b[1], "one");
	assert_int_equal(recv(r->b[1], &c, 1, 0), 0);
	expect(r->b[1], "two");
	rig_free(r);
}

/* Bytes from a stream bound for a message end are cut to messages of at
 * most SOCK_COPY_MSG_MAX. */
static void test_stream_to_messages(void **state)
{
	struct rig *r = rig_new(SOCK_STREAM, 0);
	int m[2];
	static char data[70000], got[SOCK_COPY_BUF];
	struct sock_copy_end em;

	(void)state;
	pair(SOCK_SEQPACKET, m);
	end_of(&em, m[0], SOCK_COPY_MESSAGES);
	r->ab.dst = &em;
	assert_int_equal(send(r->a[0], data, sizeof(data), 0), sizeof(data));
	assert_int_equal(run(&r->ab), -EAGAIN);
	assert_int_equal(recv(m[1], got, sizeof(got), 0), SOCK_COPY_MSG_MAX);
	assert_int_equal(recv(m[1], got, sizeof(got), 0),
			 sizeof(data) - SOCK_COPY_MSG_MAX);
	close(m[0]);
	close(m[1]);
	rig_free(r);
}

/* splice through a pipe moves the bytes and the end of data alike. */
static void test_splice(void **state)
{
	struct rig *r = rig_new(SOCK_STREAM, SOCK_COPY_SPLICE);

	(void)state;
	assert_true(sock_copy_can_splice(&r->ea, &r->eb));
	assert_int_equal(pipe2(r->ab.pipe, O_NONBLOCK | O_CLOEXEC), 0);
	r->ab.splice = 1;
	r->ab.cap = 65536;
	put(r->a[0], "spliced");
	shutdown(r->a[0], SHUT_WR);
	assert_int_equal(run(&r->ab), 0);
	assert_true(r->ab.done);
	expect(r->b[1], "spliced");
	expect_eof(r->b[1]);
	close(r->ab.pipe[0]);
	close(r->ab.pipe[1]);
	rig_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_half_close_ab),
		cmocka_unit_test(test_half_close_ba),
		cmocka_unit_test(test_wait),
		cmocka_unit_test(test_reset),
		cmocka_unit_test(test_write_error),
		cmocka_unit_test(test_backpressure),
		cmocka_unit_test(test_zero_progress),
		cmocka_unit_test(test_seqpacket_boundaries),
		cmocka_unit_test(test_emsgsize_connected),
		cmocka_unit_test(test_dgram),
		cmocka_unit_test(test_stream_to_messages),
		cmocka_unit_test(test_splice),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
