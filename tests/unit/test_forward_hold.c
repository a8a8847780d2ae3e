/*
 * tests/unit/test_forward_hold.c - what the relay's sessions may hold at
 * once (lib/forward_core.c's pools, docs/relay.md "What a session
 * costs"): large buffers under a quarter of the bound, small ones beyond,
 * none at the bound; pipes up to their share; sessions that waited for a
 * buffer woken in order once one comes back, and never after they end.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include <sock/forward.h>
#include <sock/loop.h>

#include "../../lib/forward_internal.h"

static struct fwd_session *woken[8];
static int nwoken;

static int start(struct sock_forward *f, void **state)
{
	(void)f;
	*state = NULL;
	return 0;
}

static void release(struct fwd_session *s)
{
	(void)s;
}

static void bytes(const struct fwd_session *s, unsigned long long b[2])
{
	(void)s;
	b[0] = b[1] = 0;
}

static void wake(struct fwd_session *s)
{
	if (nwoken < 8)
		woken[nwoken++] = s;
}

static const struct fwd_variant fake = {
	.session_size = sizeof(struct fwd_session),
	.start = start,
	.release = release,
	.wake = wake,
	.bytes = bytes,
};

struct rig {
	struct sock_loop *loop;
	struct sock_forward *f;
	int sp[2];
};

static void rig_up(struct rig *r, size_t max_held)
{
	struct sock_forward_opts o = { .max_held = max_held };

	r->loop = sock_loop_new();
	assert_non_null(r->loop);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, r->sp), 0);
	r->f = sock__fwd_create(r->loop, r->sp[0], SOCK_KIND_TCP, NULL, &o,
				&fake, 0, NULL, NULL);
	assert_non_null(r->f);
	nwoken = 0;
}

static void rig_down(struct rig *r)
{
	sock__fwd_destroy(r->f);
	sock_loop_free(r->loop);
	close(r->sp[0]);
	close(r->sp[1]);
}

static void test_buffers_bounded(void **state)
{
	struct rig r;
	char *big, *small[64], *b;
	size_t size, n = 0;

	(void)state;
	rig_up(&r, 1 << 20);
	/* Under a quarter of the bound: a large one. */
	assert_int_equal(sock__fwd_take_buf(r.f, 0, &big, &size), 0);
	assert_int_equal(size, FWD_BUF);
	/* Beyond: small ones, up to the bound exactly. */
	while (n < 64 && !sock__fwd_take_buf(r.f, 0, &small[n], &size)) {
		assert_int_equal(size, FWD_SMALL);
		n++;
	}
	assert_int_equal(n, ((1 << 20) - FWD_BUF) / FWD_SMALL);
	assert_int_equal(sock__fwd_take_buf(r.f, 0, &b, &size), -ENOBUFS);
	/* A message source needs a whole large one: none at the bound. */
	assert_int_equal(sock__fwd_take_buf(r.f, 1, &b, &size), -ENOBUFS);
	sock__fwd_give_buf(r.f, big, FWD_BUF);
	assert_int_equal(sock__fwd_take_buf(r.f, 1, &b, &size), 0);
	assert_int_equal(size, FWD_BUF);
	sock__fwd_give_buf(r.f, b, size);
	while (n)
		sock__fwd_give_buf(r.f, small[--n], FWD_SMALL);
	assert_int_equal(r.f->held, 0);
	rig_down(&r);
}

static void test_pipes_bounded(void **state)
{
	struct rig r;
	int p[3][2];

	(void)state;
	rig_up(&r, 1 << 20); /* one pipe per 512 KiB: two */
	assert_int_equal(sock__fwd_take_pipe(r.f, p[0]), 0);
	assert_int_equal(sock__fwd_take_pipe(r.f, p[1]), 0);
	assert_int_equal(sock__fwd_take_pipe(r.f, p[2]), -ENOBUFS);
	sock__fwd_give_pipe(r.f, p[0]); /* to the pool */
	assert_int_equal(p[0][0], -1);
	assert_int_equal(sock__fwd_take_pipe(r.f, p[2]), 0);
	sock__fwd_drop_pipe(r.f, p[1]); /* closed: it held bytes */
	sock__fwd_give_pipe(r.f, p[2]);
	assert_int_equal(r.f->pipes_lent, 0);
	rig_down(&r);
}

static void test_waiters_woken_in_order(void **state)
{
	struct sockaddr_storage peer = { .ss_family = AF_UNIX };
	struct fwd_session *s[3];
	struct rig r;
	char *b;
	size_t size;

	(void)state;
	rig_up(&r, FWD_BUF);
	for (int i = 0; i < 3; i++)
		s[i] = sock__fwd_session_new(r.f, (struct sockaddr *)&peer,
					     sizeof(sa_family_t));
	assert_int_equal(sock__fwd_take_buf(r.f, 1, &b, &size), 0);
	sock__fwd_wait(s[0]);
	sock__fwd_wait(s[1]);
	sock__fwd_wait(s[2]);
	sock__fwd_wait(s[1]); /* once only */
	/* An ended session is never woken. */
	sock__fwd_session_end(s[1], SOCK_FORWARD_END_DONE, 0);
	sock__fwd_give_buf(r.f, b, size);
	assert_int_equal(nwoken, 0); /* from the loop, not at once */
	assert_int_equal(sock_loop_run(r.loop), 0);
	assert_int_equal(nwoken, 2);
	assert_ptr_equal(woken[0], s[0]);
	assert_ptr_equal(woken[1], s[2]);
	assert_null(r.f->wait_head);
	rig_down(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buffers_bounded),
		cmocka_unit_test(test_pipes_bounded),
		cmocka_unit_test(test_waiters_woken_in_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
