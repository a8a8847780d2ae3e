/*
 * lib/forward_retry.h - stream sessions waiting for a Unix target whose
 * backlog is full (connect() answers EAGAIN at once, so only asking again
 * tells when there is room).  Each retrying session backs off on its own
 * (FWD_RETRY_MS doubling up to FWD_RETRY_MAX_MS), and at most
 * FWD_RETRY_ACTIVE of them retry at once; the others wait in arrival
 * order, with no timer but their connect timeout, until one of those
 * connects or gives up.  So a thousand waiting clients cost about a hundred
 * connect() calls a second (at most FWD_RETRY_ACTIVE * 1000 /
 * FWD_RETRY_MAX_MS once they have backed off), not fifty thousand.
 */
#ifndef SOCK_LIB_FORWARD_RETRY_H
#define SOCK_LIB_FORWARD_RETRY_H

#include <sock/loop.h>

#define FWD_RETRY_MS 20
#define FWD_RETRY_MAX_MS 250
#define FWD_RETRY_ACTIVE 32

struct fwd_session;

/* A session's place among the waiting (in its variant's struct). */
struct fwd_retry {
	struct fwd_retry *prev, *next; /* the queue, while queued */
	struct fwd_session *s;
	sock_loop_timer_fn fn; /* what asks again (arg: s) */
	long delay_ms;	       /* the next wait, while retrying */
	unsigned char state;   /* FWD_RETRY_NONE, _ACTIVE or _QUEUED */
};

enum { FWD_RETRY_NONE, FWD_RETRY_ACTIVE_, FWD_RETRY_QUEUED };

/* The forwarder's share: the queue and how many retry now. */
struct fwd_retry_queue {
	struct fwd_retry *head, *tail;
	unsigned int active;
};

/* Session s found the backlog full: arm its next try (fn(loop, s) in
 * s->timer), or queue it.  Returns 1 when it waits, 0 when its connect
 * timeout has passed or no timer could be armed (give it up). */
int sock__fwd_retry_wait(struct fwd_retry *r, struct fwd_session *s,
			 sock_loop_timer_fn fn);

/* The session stops waiting (it connected, failed otherwise, or ends):
 * its turn goes to the first one queued.  Idempotent. */
void sock__fwd_retry_done(struct fwd_retry *r);

#endif
