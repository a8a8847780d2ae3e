/*
 * lib/loop.c - epoll event loop with one-shot timers.
 *
 * Watches live in an array indexed by descriptor; each carries a
 * generation number in the epoll cookie so that an event queued for a
 * descriptor that was removed (and perhaps reused) in the same batch is
 * dropped instead of reaching the wrong callback.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include <sock/loop.h>

#include "sys.h"

struct watch {
	sock_loop_fd_fn fn;
	void *arg;
	uint32_t events;
	uint32_t gen;
	int used;
	int always; /* epoll refused it: a regular file, always ready */
};

/*
 * Timers: a binary min-heap of slot numbers, ordered by (due, seq), so
 * arming and cancelling cost O(log n) however many are armed (a relay
 * may hold one per waiting client).  A timer's id names its slot and the
 * slot's generation, so that cancelling an id that already fired (its
 * slot reused) does nothing.  Free slots are reused oldest first, which
 * makes a stale id meeting its own generation again as rare as can be.
 */
#define SLOT_BITS 20
#define SLOT_MAX ((1 << SLOT_BITS) - 1)
#define GEN_MASK ((1 << (31 - SLOT_BITS)) - 1)

struct timer {
	long long due;
	unsigned long long seq; /* arming order: ties fire oldest first */
	sock_loop_timer_fn fn;
	void *arg;
	unsigned gen;
	int pos;       /* in the heap; -1 when free */
	int next_free; /* the free list, -1 at its end */
};

struct sock_loop {
	int epfd;
	struct watch *w;
	size_t wcap;
	size_t nused, nalways;
	uint32_t gen;
	struct timer *t; /* the slots */
	int *heap;	 /* slot numbers, the next due first */
	size_t nt, tcap; /* armed timers, slots */
	int free_head, free_tail;
	unsigned long long seq;
	int stop;
};

long long sock_loop_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct sock_loop *sock_loop_new(void)
{
	struct sock_loop *l = calloc(1, sizeof(*l));

	if (!l)
		return NULL;
	l->free_head = l->free_tail = -1;
	l->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (l->epfd < 0) {
		free(l);
		return NULL;
	}
	return l;
}

void sock_loop_free(struct sock_loop *l)
{
	if (!l)
		return;
	close(l->epfd);
	free(l->w);
	free(l->t);
	free(l->heap);
	free(l);
}

static int grow_watches(struct sock_loop *l, int fd)
{
	size_t cap = l->wcap ? l->wcap : 64;
	struct watch *w;

	while (cap <= (size_t)fd)
		cap *= 2;
	if (cap == l->wcap)
		return 0;
	w = realloc(l->w, cap * sizeof(*w));
	if (!w)
		return -ENOMEM;
	memset(w + l->wcap, 0, (cap - l->wcap) * sizeof(*w));
	l->w = w;
	l->wcap = cap;
	return 0;
}

static int ctl(struct sock_loop *l, int op, int fd)
{
	struct watch *w = &l->w[fd];
	struct epoll_event ev = { .events = w->events };

	ev.data.u64 = (uint64_t)w->gen << 32 | (uint32_t)fd;
	return epoll_ctl(l->epfd, op, fd, &ev) < 0 ? -errno : 0;
}

int sock_loop_add(struct sock_loop *l, int fd, uint32_t events,
		  sock_loop_fd_fn fn, void *arg)
{
	struct watch *w;
	int ret;

	if (fd < 0)
		return -EBADF;
	ret = grow_watches(l, fd);
	if (ret)
		return ret;
	w = &l->w[fd];
	if (w->used)
		return -EEXIST;
	*w = (struct watch){ fn, arg, events, ++l->gen, 1, 0 };
	ret = ctl(l, EPOLL_CTL_ADD, fd);
	if (ret == -EPERM) {
		/* Regular files cannot be polled: they never block. */
		w->always = 1;
		l->nalways++;
		ret = 0;
	}
	if (ret) {
		w->used = 0;
		return ret;
	}
	l->nused++;
	return 0;
}

static struct watch *find(struct sock_loop *l, int fd)
{
	if (fd < 0 || (size_t)fd >= l->wcap || !l->w[fd].used)
		return NULL;
	return &l->w[fd];
}

int sock_loop_mod(struct sock_loop *l, int fd, uint32_t events)
{
	struct watch *w = find(l, fd);

	if (!w)
		return -ENOENT;
	if (w->events == events)
		return 0;
	w->events = events;
	return w->always ? 0 : ctl(l, EPOLL_CTL_MOD, fd);
}

int sock_loop_del(struct sock_loop *l, int fd)
{
	struct watch *w = find(l, fd);

	if (!w)
		return -ENOENT;
	if (w->always)
		l->nalways--;
	else
		epoll_ctl(l->epfd, EPOLL_CTL_DEL, fd, NULL);
	w->used = 0;
	l->nused--;
	return 0;
}

/* Room for one more slot on the free list.  Returns 0 or -ENOMEM. */
static int grow_timers(struct sock_loop *l)
{
	size_t cap = l->tcap ? l->tcap * 2 : 8;
	struct timer *t;
	int *heap;

	if (l->free_head >= 0)
		return 0;
	if (cap > SLOT_MAX)
		cap = SLOT_MAX;
	if (cap <= l->tcap)
		return -ENOMEM;
	t = realloc(l->t, cap * sizeof(*t));
	if (!t)
		return -ENOMEM;
	l->t = t;
	heap = realloc(l->heap, cap * sizeof(*heap));
	if (!heap)
		return -ENOMEM;
	l->heap = heap;
	for (size_t i = l->tcap; i < cap; i++)
		t[i] = (struct timer){ .pos = -1,
				       .next_free =
					   i + 1 < cap ? (int)i + 1 : -1 };
	l->free_head = (int)l->tcap;
	l->free_tail = (int)cap - 1;
	l->tcap = cap;
	return 0;
}

static int earlier(const struct sock_loop *l, int a, int b)
{
	const struct timer *x = &l->t[a], *y = &l->t[b];

	return x->due < y->due || (x->due == y->due && x->seq < y->seq);
}

static void place(struct sock_loop *l, size_t i, int slot)
{
	l->heap[i] = slot;
	l->t[slot].pos = (int)i;
}

static void sift_up(struct sock_loop *l, size_t i)
{
	int slot = l->heap[i];

	while (i > 0 && earlier(l, slot, l->heap[(i - 1) / 2])) {
		place(l, i, l->heap[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
	place(l, i, slot);
}

static void sift_down(struct sock_loop *l, size_t i)
{
	int slot = l->heap[i];

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= l->nt)
			break;
		if (c + 1 < l->nt && earlier(l, l->heap[c + 1], l->heap[c]))
			c++;
		if (!earlier(l, l->heap[c], slot))
			break;
		place(l, i, l->heap[c]);
		i = c;
	}
	place(l, i, slot);
}

/* Take the slot out of the heap and put it at the free list's end. */
static void remove_slot(struct sock_loop *l, int slot)
{
	size_t i = (size_t)l->t[slot].pos;
	int last = l->heap[--l->nt];

	if (i < l->nt) {
		place(l, i, last);
		sift_down(l, i);
		sift_up(l, (size_t)l->t[last].pos);
	}
	l->t[slot].pos = -1;
	l->t[slot].gen = (l->t[slot].gen + 1) & GEN_MASK;
	l->t[slot].next_free = -1;
	if (l->free_tail >= 0)
		l->t[l->free_tail].next_free = slot;
	else
		l->free_head = slot;
	l->free_tail = slot;
}

int sock_loop_timer(struct sock_loop *l, long ms, sock_loop_timer_fn fn,
		    void *arg)
{
	struct timer *t;
	int slot;

	if (grow_timers(l))
		return -ENOMEM;
	slot = l->free_head;
	t = &l->t[slot];
	l->free_head = t->next_free;
	if (l->free_head < 0)
		l->free_tail = -1;
	t->due = sock_loop_now_ms() + ms;
	t->seq = ++l->seq;
	t->fn = fn;
	t->arg = arg;
	l->heap[l->nt] = slot;
	sift_up(l, l->nt++);
	return (int)(t->gen << SLOT_BITS) | (slot + 1);
}

void sock_loop_timer_cancel(struct sock_loop *l, int id)
{
	int slot = (id & SLOT_MAX) - 1;

	if (id <= 0 || slot < 0 || (size_t)slot >= l->tcap ||
	    l->t[slot].pos < 0 || l->t[slot].gen != ((unsigned)id >> SLOT_BITS))
		return;
	remove_slot(l, slot);
}

void sock_loop_stop(struct sock_loop *l)
{
	l->stop = 1;
}

/* Milliseconds until the next timer, -1 for none. */
static int next_timeout(struct sock_loop *l)
{
	long long now, first;

	if (!l->nt)
		return -1;
	first = l->t[l->heap[0]].due;
	now = sock_loop_now_ms();
	if (first <= now)
		return 0;
	return first - now > 1000000 ? 1000000 : (int)(first - now);
}

/* The earlier of two epoll timeouts (-1: none). */
static int sooner(int a, int b)
{
	if (a < 0)
		return b;
	return b >= 0 && b < a ? b : a;
}

static void fire_timers(struct sock_loop *l)
{
	long long now = sock_loop_now_ms();

	while (l->nt && l->t[l->heap[0]].due <= now && !l->stop) {
		struct timer t = l->t[l->heap[0]];

		remove_slot(l, l->heap[0]);
		t.fn(l, t.arg);
	}
}

static void dispatch(struct sock_loop *l, const struct epoll_event *ev)
{
	int fd = (int)(uint32_t)ev->data.u64;
	struct watch *w = find(l, fd);

	if (w && w->gen == (uint32_t)(ev->data.u64 >> 32))
		w->fn(l, fd, ev->events, w->arg);
}

/* Regular files: report what is asked for as ready. */
static void dispatch_always(struct sock_loop *l)
{
	for (size_t fd = 0; fd < l->wcap && l->nalways && !l->stop; fd++) {
		struct watch *w = &l->w[fd];

		if (w->used && w->always && w->events)
			w->fn(l, (int)fd, w->events, w->arg);
	}
}

static int any_always_ready(struct sock_loop *l)
{
	for (size_t fd = 0; l->nalways && fd < l->wcap; fd++)
		if (l->w[fd].used && l->w[fd].always && l->w[fd].events)
			return 1;
	return 0;
}

int sock_loop_run(struct sock_loop *l)
{
	struct epoll_event ev[64];

	l->stop = 0;
	while (!l->stop && (l->nused || l->nt)) {
		int timeout = any_always_ready(l) ? 0 : next_timeout(l);
		int n;

		if (sock__trace_fn)
			timeout = sooner(timeout, sock__trace_quiet_ms());
		n = epoll_wait(l->epfd, ev, 64, timeout);

		if (n < 0 && errno != EINTR)
			return -errno;
		for (int i = 0; i < n && !l->stop; i++)
			dispatch(l, &ev[i]);
		if (!l->stop)
			dispatch_always(l);
		if (!l->stop)
			fire_timers(l);
		if (sock__trace_fn)
			sock__trace_quiet();
	}
	l->stop = 0;
	return 0;
}
