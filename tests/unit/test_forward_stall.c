/*
 * tests/unit/test_forward_stall.c - stalled stream sessions at the bound
 * on what sessions hold (docs/relay.md, "What a session costs"), through
 * a real forwarder on Unix stream sockets: clients that never read pin
 * small buffers up to the bound, further sessions wait for one without
 * reading, and a session that ends hands its buffer to the oldest waiter,
 * which then moves bytes.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include <sock/forward.h>
#include <sock/loop.h>
#include <sock/sock.h>

#include "../../lib/forward_internal.h"

#define N 24

static void on_stop(struct sock_loop *loop, void *arg)
{
	(void)arg;
	sock_loop_stop(loop);
}

static void run_for(struct sock_loop *loop, long ms)
{
	assert_true(sock_loop_timer(loop, ms, on_stop, NULL) > 0);
	assert_int_equal(sock_loop_run(loop), 0);
}

static int listen_on(const char *text, struct sock_addr *a)
{
	struct sock_conn c;

	assert_int_equal(sock_addr_parse(text, a, NULL), 0);
	assert_int_equal(sock_listen(a, NULL, &c), 0);
	return c.fd;
}

/* The bytes waiting in each client's socket (what the relay wrote). */
static void queued(const int *cl, int *out)
{
	for (int i = 0; i < N; i++)
		if (cl[i] < 0 || ioctl(cl[i], FIONREAD, &out[i]) < 0)
			out[i] = -1;
}

static int waiters(const struct sock_forward *f)
{
	int n = 0;

	for (const struct fwd_session *s = f->wait_head; s; s = s->wnext)
		n++;
	return n;
}

static void test_stalled_wait_then_resume(void **state)
{
	char front[64], back[64], chunk[4096];
	struct sock_forward_opts o = { .io = SOCK_FORWARD_IO_COPY,
				       .max_held = 16 * FWD_SMALL };
	struct sock_addr fa, ba;
	struct sock_target t;
	struct sock_loop *loop = sock_loop_new();
	struct sock_forward *f;
	struct fwd_session *h;
	int lfd, tfd, cl[N], srv[N], n = 0, before[N], after[N], grew = 0;

	(void)state;
	memset(chunk, 'x', sizeof(chunk));
	snprintf(front, sizeof(front), "unix:@sock-stall-front-%d", getpid());
	snprintf(back, sizeof(back), "unix:@sock-stall-back-%d", getpid());
	lfd = listen_on(front, &fa);
	tfd = listen_on(back, &ba);
	assert_int_equal(sock_resolve(&ba, NULL, &t), 0);
	f = sock_forward_new(loop, lfd, SOCK_KIND_UNIX_STREAM, &t, &o, NULL,
			     NULL);
	assert_non_null(f);
	for (int i = 0; i < N; i++) {
		struct sock_conn c;

		assert_int_equal(sock_connect(&fa, NULL, &c), 0);
		cl[i] = c.fd;
	}
	run_for(loop, 100); /* accepted, connected to the target */
	while (n < N) {
		struct sock_conn c;

		assert_int_equal(sock_accept(tfd, &c), 0);
		srv[n++] = c.fd;
	}
	/* Every target sends until its socket is full, again as the relay
	 * moves the bytes on; no client reads. */
	for (int round = 0; round < 4; round++) {
		for (int i = 0; i < N; i++)
			while (send(srv[i], chunk, sizeof(chunk),
				    MSG_DONTWAIT) > 0)
				;
		run_for(loop, 150);
	}
	/* Only 16 KiB buffers (a quarter of the bound is under 256 KiB),
	 * up to the bound: 16 directions hold one each, the rest wait. */
	assert_int_equal(f->held, 16 * FWD_SMALL);
	assert_int_equal(waiters(f), N - 16);
	/* A session that holds one ends: its buffer comes back, and the
	 * oldest waiter takes it and moves bytes to its client. */
	queued(cl, before);
	for (h = f->head; h && h->waiting; h = h->next)
		;
	assert_non_null(h);
	sock__fwd_session_end(h, SOCK_FORWARD_END_DONE, 0);
	run_for(loop, 300);
	assert_int_equal(f->held, 16 * FWD_SMALL);
	queued(cl, after);
	for (int i = 0; i < N; i++)
		grew += after[i] > before[i];
	assert_int_equal(waiters(f), N - 17);
	assert_int_equal(grew, 1);
	sock_forward_free(f);
	for (int i = 0; i < N; i++) {
		if (cl[i] >= 0)
			close(cl[i]);
		close(srv[i]);
	}
	close(lfd);
	close(tfd);
	sock_target_free(&t);
	sock_loop_free(loop);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stalled_wait_then_resume),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
