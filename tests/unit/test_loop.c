/*
 * tests/unit/test_loop.c - the event loop: timers fire in the order they
 * are due (also when the loop wakes late and finds several due at once),
 * a timer cancelled by another's callback stays silent, a descriptor
 * removed (and its number reused) while another's event is dispatched
 * gets no stale event, and sock_loop_stop() ends the run after the
 * current callback.  Run it under `make asan` too: the removal tests are
 * about memory safety as much as about callbacks.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <sock/loop.h>

/* What the callbacks saw, in order. */
struct log {
	int seen[16];
	int n;
};

static void note(struct log *g, int what)
{
	assert_true(g->n < 16);
	g->seen[g->n++] = what;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

struct tag {
	struct log *log;
	int id;
	int cancel; /* timer id to cancel when this one fires */
};

static void on_timer(struct sock_loop *l, void *arg)
{
	struct tag *t = arg;

	note(t->log, t->id);
	if (t->cancel)
		sock_loop_timer_cancel(l, t->cancel);
}

/* Timers armed out of order, with two due at the same time (these keep
 * the order they were armed in); late = the loop starts only after all
 * are due, so one wake-up finds them all. */
static void check_order(int late)
{
	struct sock_loop *l = sock_loop_new();
	struct log g = { { 0 }, 0 };
	long ms[] = { 60, 20, 40, 40, 0 };
	struct tag tags[5];

	assert_non_null(l);
	for (int i = 0; i < 5; i++) {
		tags[i] = (struct tag){ &g, i, 0 };
		assert_true(sock_loop_timer(l, ms[i], on_timer, &tags[i]) > 0);
	}
	if (late)
		sleep_ms(80);
	assert_int_equal(sock_loop_run(l), 0);
	assert_int_equal(g.n, 5);
	assert_int_equal(g.seen[0], 4);
	assert_int_equal(g.seen[1], 1);
	assert_int_equal(g.seen[2], 2);
	assert_int_equal(g.seen[3], 3);
	assert_int_equal(g.seen[4], 0);
	sock_loop_free(l);
}

static void test_timer_order(void **state)
{
	(void)state;
	check_order(0);
}

static void test_timer_order_late(void **state)
{
	(void)state;
	check_order(1);
}

/* A cancels B: B never fires, whether it was due in the same wake-up
 * (late) or later; and the run ends, B no longer being armed. */
static void check_cancel(int late)
{
	struct sock_loop *l = sock_loop_new();
	struct log g = { { 0 }, 0 };
	struct tag a = { &g, 1, 0 }, b = { &g, 2, 0 };
	long long start = sock_loop_now_ms();

	assert_non_null(l);
	assert_true(sock_loop_timer(l, 10, on_timer, &a) > 0);
	a.cancel = sock_loop_timer(l, late ? 10 : 5000, on_timer, &b);
	assert_true(a.cancel > 0);
	if (late)
		sleep_ms(30);
	assert_int_equal(sock_loop_run(l), 0);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.seen[0], 1);
	assert_true(sock_loop_now_ms() - start < 4000);
	sock_loop_free(l);
}

static void test_cancel_from_callback(void **state)
{
	(void)state;
	check_cancel(0);
}

static void test_cancel_from_callback_late(void **state)
{
	(void)state;
	check_cancel(1);
}

static void on_stop_timer(struct sock_loop *l, void *arg)
{
	(void)arg;
	sock_loop_stop(l);
}

/* Two readable sockets reported in one epoll_wait(): whichever is
 * dispatched first removes and closes itself and the other, puts a pipe
 * (never readable) at the other's number, and adds a watch far above
 * the rest so that the loop's table of watches moves in memory.  The
 * other's queued event must reach neither its old callback nor the new
 * one. */
struct race {
	int a[2], b[2];
	int first, fired, stale;
	int pipe_w, high;
};

static void on_stale(struct sock_loop *l, int fd, uint32_t ev, void *arg)
{
	struct race *r = arg;

	(void)l, (void)fd, (void)ev;
	r->stale++;
}

static void on_ready(struct sock_loop *l, int fd, uint32_t ev, void *arg)
{
	struct race *r = arg;
	int other = fd == r->a[0] ? r->b[0] : r->a[0];
	int p[2];

	(void)ev;
	r->fired++;
	if (r->fired > 1)
		return;
	r->first = fd;
	assert_int_equal(sock_loop_del(l, fd), 0);
	assert_int_equal(sock_loop_del(l, other), 0);
	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	/* dup2 closes the other socket and reuses its number at once */
	assert_int_equal(dup2(p[0], other), other);
	close(p[0]);
	r->pipe_w = p[1];
	assert_int_equal(sock_loop_add(l, other, EPOLLIN, on_stale, r), 0);
	r->high = fcntl(p[1], F_DUPFD_CLOEXEC, 900);
	assert_true(r->high >= 900);
	assert_int_equal(sock_loop_add(l, r->high, EPOLLOUT, on_stale, r), 0);
	assert_int_equal(sock_loop_mod(l, r->high, 0), 0);
	assert_true(sock_loop_timer(l, 50, on_stop_timer, NULL) > 0);
}

static void test_del_during_dispatch(void **state)
{
	struct sock_loop *l = sock_loop_new();
	struct race r = { 0 };
	int other;

	(void)state;
	assert_non_null(l);
	assert_int_equal(
	    socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, r.a), 0);
	assert_int_equal(
	    socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, r.b), 0);
	assert_int_equal(write(r.a[1], "x", 1), 1);
	assert_int_equal(write(r.b[1], "y", 1), 1);
	assert_int_equal(sock_loop_add(l, r.a[0], EPOLLIN, on_ready, &r), 0);
	assert_int_equal(sock_loop_add(l, r.b[0], EPOLLIN, on_ready, &r), 0);
	assert_int_equal(sock_loop_run(l), 0);
	assert_int_equal(r.fired, 1);
	assert_int_equal(r.stale, 0);
	other = r.first == r.a[0] ? r.b[0] : r.a[0];
	assert_int_equal(sock_loop_del(l, other), 0);
	assert_int_equal(sock_loop_del(l, r.high), 0);
	assert_int_equal(sock_loop_del(l, other), -ENOENT);
	close(r.first);
	close(other);
	close(r.high);
	close(r.pipe_w);
	close(r.a[1]);
	close(r.b[1]);
	sock_loop_free(l);
}

static void on_ready_stop(struct sock_loop *l, int fd, uint32_t ev, void *arg)
{
	(void)fd, (void)ev;
	++*(int *)arg;
	sock_loop_stop(l);
}

/* Stop from an fd callback: the other ready descriptor of the same
 * wake-up is not dispatched, the armed timer does not fire, the run
 * returns 0; a second run goes on (stop is not sticky). */
static void test_stop_from_fd(void **state)
{
	struct sock_loop *l = sock_loop_new();
	struct log g = { { 0 }, 0 };
	struct tag t = { &g, 7, 0 };
	int a[2], b[2], calls = 0;

	(void)state;
	assert_non_null(l);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, a),
			 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, b),
			 0);
	assert_int_equal(write(a[1], "x", 1), 1);
	assert_int_equal(write(b[1], "y", 1), 1);
	assert_int_equal(sock_loop_add(l, a[0], EPOLLIN, on_ready_stop, &calls),
			 0);
	assert_int_equal(sock_loop_add(l, b[0], EPOLLIN, on_ready_stop, &calls),
			 0);
	assert_true(sock_loop_timer(l, 0, on_timer, &t) > 0);
	assert_int_equal(sock_loop_run(l), 0);
	assert_int_equal(calls, 1);
	assert_int_equal(g.n, 0);
	assert_int_equal(sock_loop_run(l), 0);
	assert_int_equal(calls, 2);
	sock_loop_del(l, a[0]);
	sock_loop_del(l, b[0]);
	close(a[0]), close(a[1]), close(b[0]), close(b[1]);
	sock_loop_free(l);
}

/* Stop from a timer while a descriptor is still watched (and never
 * ready): the run returns, and the later timer stays armed for the
 * next run. */
static void test_stop_from_timer(void **state)
{
	struct sock_loop *l = sock_loop_new();
	struct log g = { { 0 }, 0 };
	struct tag t = { &g, 3, 0 };
	int a[2], calls = 0;

	(void)state;
	assert_non_null(l);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, a),
			 0);
	assert_int_equal(sock_loop_add(l, a[0], EPOLLIN, on_ready_stop, &calls),
			 0);
	assert_true(sock_loop_timer(l, 10, on_stop_timer, NULL) > 0);
	assert_true(sock_loop_timer(l, 60, on_timer, &t) > 0);
	assert_int_equal(sock_loop_run(l), 0);
	assert_int_equal(calls, 0);
	assert_int_equal(g.n, 0);
	assert_int_equal(sock_loop_del(l, a[0]), 0);
	assert_int_equal(sock_loop_run(l), 0);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.seen[0], 3);
	close(a[0]), close(a[1]);
	sock_loop_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timer_order),
		cmocka_unit_test(test_timer_order_late),
		cmocka_unit_test(test_cancel_from_callback),
		cmocka_unit_test(test_cancel_from_callback_late),
		cmocka_unit_test(test_del_during_dispatch),
		cmocka_unit_test(test_stop_from_fd),
		cmocka_unit_test(test_stop_from_timer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
