/*
 * lib/forward_retry.c - backing off from a full Unix backlog, with a cap
 * on how many sessions ask at once (see forward_retry.h).
 */
#include <limits.h>

#include "forward_internal.h"
#include "forward_retry.h"

/* Milliseconds left before s's connect timeout (<= 0: passed);
 * NO_LIMIT when it has none. */
#define NO_LIMIT LLONG_MAX

static long long time_left(const struct fwd_session *s)
{
	long limit = s->f->o.connect_timeout_ms;

	if (limit <= 0)
		return NO_LIMIT;
	return s->start_ms + limit - sock_loop_now_ms();
}

static int arm(struct fwd_session *s, long long ms, sock_loop_timer_fn fn)
{
	s->timer = sock_loop_timer(s->f->loop, (long)ms, fn, s);
	if (s->timer < 0) {
		s->timer = 0;
		return 0;
	}
	return 1;
}

static void enqueue(struct fwd_retry_queue *q, struct fwd_retry *r)
{
	r->next = NULL;
	r->prev = q->tail;
	if (q->tail)
		q->tail->next = r;
	else
		q->head = r;
	q->tail = r;
	r->state = FWD_RETRY_QUEUED;
}

static void dequeue(struct fwd_retry_queue *q, struct fwd_retry *r)
{
	if (r->prev)
		r->prev->next = r->next;
	else
		q->head = r->next;
	if (r->next)
		r->next->prev = r->prev;
	else
		q->tail = r->prev;
	r->prev = r->next = NULL;
	r->state = FWD_RETRY_NONE;
}

/* The next wait of an active session: doubled, capped, and never past
 * its connect timeout (so that it is given up on time). */
static long long next_delay(struct fwd_retry *r, long long left)
{
	long long ms = r->delay_ms;

	r->delay_ms = r->delay_ms * 2 > FWD_RETRY_MAX_MS ? FWD_RETRY_MAX_MS
							 : r->delay_ms * 2;
	return left < ms ? left : ms;
}

int sock__fwd_retry_wait(struct fwd_retry *r, struct fwd_session *s,
			 sock_loop_timer_fn fn)
{
	struct fwd_retry_queue *q = &s->f->retry;
	long long left = time_left(s);

	r->s = s;
	r->fn = fn;
	if (left <= 0) {
		sock__fwd_retry_done(r);
		return 0;
	}
	if (r->state == FWD_RETRY_NONE && q->active < FWD_RETRY_ACTIVE) {
		r->state = FWD_RETRY_ACTIVE_;
		r->delay_ms = FWD_RETRY_MS;
		q->active++;
	} else if (r->state == FWD_RETRY_NONE) {
		enqueue(q, r);
	}
	if (r->state == FWD_RETRY_ACTIVE_)
		return arm(s, next_delay(r, left), fn);
	/* Queued: only the connect timeout wakes it (its last try). */
	return left == NO_LIMIT || arm(s, left, fn);
}

void sock__fwd_retry_done(struct fwd_retry *r)
{
	struct fwd_retry_queue *q;
	struct fwd_retry *n;

	if (r->state == FWD_RETRY_NONE)
		return;
	q = &r->s->f->retry;
	if (r->state == FWD_RETRY_QUEUED)
		return dequeue(q, r);
	r->state = FWD_RETRY_NONE;
	q->active--;
	/* The first one queued takes the turn at once: the backlog may
	 * have room now (the one leaving found some). */
	while ((n = q->head)) {
		dequeue(q, n);
		if (n->s->timer)
			sock_loop_timer_cancel(n->s->f->loop, n->s->timer);
		n->s->timer = 0;
		n->state = FWD_RETRY_ACTIVE_;
		n->delay_ms = FWD_RETRY_MS;
		q->active++;
		if (arm(n->s, 0, n->fn))
			return;
		q->active--;
		n->state = FWD_RETRY_NONE;
	}
}
