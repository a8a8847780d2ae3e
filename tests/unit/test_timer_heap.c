/*
 * tests/unit/test_timer_heap.c - the loop's timer heap under numbers: a
 * few thousand timers armed in a shuffled order, with many ties and a
 * third cancelled (some from inside callbacks), fire in (due, armed)
 * order, the cancelled ones never; an id whose timer fired or was
 * cancelled cancels nothing when its slot is reused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <sock/loop.h>

#define N 3000

struct ent {
	long long due;
	int order; /* arming order */
	int id;	   /* the loop's timer id */
	int cancelled, fired;
	int cancel_other; /* index of a later one to cancel on firing; -1 */
};

static struct ent ents[N];
static int fired[N], nfired;

static void on_fire(struct sock_loop *l, void *arg)
{
	struct ent *e = arg;

	e->fired++;
	fired[nfired++] = (int)(e - ents);
	if (e->cancel_other >= 0 && !ents[e->cancel_other].fired) {
		sock_loop_timer_cancel(l, ents[e->cancel_other].id);
		ents[e->cancel_other].cancelled = 1;
	}
}

/* Arm every timer within one millisecond of the clock, so that each
 * one's due time is known exactly; retried when the clock ticks. */
static struct sock_loop *arm_all(void)
{
	for (int tries = 0; tries < 50; tries++) {
		struct sock_loop *l = sock_loop_new();
		long long now = sock_loop_now_ms();

		assert_non_null(l);
		for (int i = 0; i < N; i++) {
			long ms = (long)(((unsigned)i * 7919u) % 40);

			ents[i] = (struct ent){ now + ms, i, 0, 0, 0, -1 };
			ents[i].id = sock_loop_timer(l, ms, on_fire, &ents[i]);
			assert_true(ents[i].id > 0);
		}
		if (sock_loop_now_ms() == now)
			return l;
		sock_loop_free(l);
	}
	fail_msg("the clock ticked during every arming");
	return NULL;
}

static void test_heap_order(void **state)
{
	struct sock_loop *l;

	(void)state;
	l = arm_all();
	for (int i = 0; i < N; i += 3) {
		sock_loop_timer_cancel(l, ents[i].id);
		ents[i].cancelled = 1;
	}
	for (int i = 1; i < N; i += 10)
		ents[i].cancel_other = (i + 13) % N;
	nfired = 0;
	assert_int_equal(sock_loop_run(l), 0);
	for (int k = 0; k < nfired; k++) {
		struct ent *e = &ents[fired[k]];

		assert_int_equal(e->fired, 1);
		if (k) {
			struct ent *p = &ents[fired[k - 1]];

			assert_true(p->due < e->due ||
				    (p->due == e->due && p->order < e->order));
		}
	}
	for (int i = 0; i < N; i++)
		assert_int_equal(ents[i].fired, !ents[i].cancelled);
	sock_loop_free(l);
}

static int hits;

static void on_hit(struct sock_loop *l, void *arg)
{
	(void)l;
	(void)arg;
	hits++;
}

static void test_stale_id(void **state)
{
	struct sock_loop *l = sock_loop_new();
	int a, b;

	(void)state;
	assert_non_null(l);
	a = sock_loop_timer(l, 0, on_hit, NULL);
	assert_true(a > 0);
	assert_int_equal(sock_loop_run(l), 0);
	assert_int_equal(hits, 1);
	/* Every slot is reused once, a's among them. */
	for (int i = 0; i < 64; i++) {
		b = sock_loop_timer(l, 0, on_hit, NULL);
		assert_true(b > 0 && b != a);
	}
	sock_loop_timer_cancel(l, a);
	sock_loop_timer_cancel(l, 0);
	sock_loop_timer_cancel(l, -5);
	sock_loop_timer_cancel(l, 0x7fffffff);
	assert_int_equal(sock_loop_run(l), 0);
	assert_int_equal(hits, 65);
	sock_loop_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_heap_order),
		cmocka_unit_test(test_stale_id),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
