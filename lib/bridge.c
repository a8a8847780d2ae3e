/*
 * lib/bridge.c - the bridge of connect and listen: two-way copy between
 * two ends, one buffer per direction, scheduled level-triggered.
 *
 * A direction alternates between reading (its buffer is empty) and
 * writing (its buffer holds data), so a slow reader pushes back on its
 * writer instead of growing memory.  A descriptor is watched only while
 * some direction wants it: a closed pipe keeps reporting EPOLLHUP, and
 * watching it without reading would spin.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <sock/copy.h>
#include <sock/bridge.h>
#include <sock/tls.h>

#include "sys.h"

/* A byte stream's reads: what the guide's traces show, and plenty for
 * one session. */
#define BRIDGE_STREAM_BUF 65536
/* After B closes, how long A's input may stay quiet before the session
 * stops waiting for it. */
#define BRIDGE_DRAIN_MS 250

struct sock_bridge {
	struct sock_loop *loop;
	struct sock_copy_end a, b;
	struct sock_copy_dir ab, ba;
	unsigned int flags;
	long idle_ms;
	int idle_timer;
	long any_ms; /* > 0: end once nothing moved for this long */
	int any_timer;
	long long active_ms; /* when something last moved */
	long quit_ms;	     /* >= 0: end this long after A's EOF */
	int quit_timer;
	int timed_out;
	int fds[4];
	int registered[4];
	int nfds;
	int finished, reported, err;
	int draining; /* END_WITH_B and B is done: A sends what is ready */
	int drain_timer;
	int pending_timer;   /* a TLS end holds decrypted bytes */
	long long a_read_ms; /* when A's input last gave data */
	int err_fd;	     /* where the error that ended it happened */
	long long start_ms;
	sock_bridge_done_fn done;
	void *arg;
};

static void end_session(struct sock_bridge *r, int err)
{
	if (!r->finished) {
		r->finished = 1;
		r->err = err;
	}
}

/* End on an error of a descriptor, remembering which one, so that a
 * full disk is not blamed on the peer. */
static void fail_on(struct sock_bridge *r, int fd, int err)
{
	if (!r->finished)
		r->err_fd = fd;
	end_session(r, err);
}

static uint32_t interest(const struct sock_bridge *r, int fd)
{
	const struct sock_copy_dir *dirs[2] = { &r->ab, &r->ba };
	uint32_t ev = 0;

	for (int i = 0; i < 2; i++) {
		if (dirs[i]->src->rfd == fd && sock_copy_wants_read(dirs[i]))
			ev |= EPOLLIN;
		if (dirs[i]->dst->wfd == fd && sock_copy_holds(dirs[i]))
			ev |= EPOLLOUT;
	}
	return ev;
}

static void on_fd(struct sock_loop *loop, int fd, uint32_t events, void *arg);

/* Watch each descriptor for exactly what the directions want now. */
static void update(struct sock_bridge *r)
{
	for (int i = 0; i < r->nfds; i++) {
		uint32_t ev = r->finished ? 0 : interest(r, r->fds[i]);

		if (!ev && r->registered[i]) {
			sock_loop_del(r->loop, r->fds[i]);
			r->registered[i] = 0;
		} else if (ev && r->registered[i]) {
			sock_loop_mod(r->loop, r->fds[i], ev);
		} else if (ev) {
			int ret =
			    sock_loop_add(r->loop, r->fds[i], ev, on_fd, r);

			if (ret)
				end_session(r, ret);
			else
				r->registered[i] = 1;
		}
	}
}

/* Tell the owner once that the session is over.  The callback may free
 * r: callers return right after. */
static void report_if_done(struct sock_bridge *r)
{
	if (r->finished && !r->reported) {
		r->reported = 1;
		r->done(r, r->err, r->arg);
	}
}

static void on_idle(struct sock_loop *loop, void *arg)
{
	struct sock_bridge *r = arg;

	(void)loop;
	r->idle_timer = 0;
	end_session(r, 0);
	update(r);
	report_if_done(r);
}

/* A time limit (sock_bridge_idle_any, sock_bridge_quit_after_eof) ends
 * the session. */
static void time_up(struct sock_bridge *r)
{
	if (!r->finished)
		r->timed_out = 1;
	end_session(r, 0);
	update(r);
	report_if_done(r);
}

static void arm_any(struct sock_bridge *r, long ms);

static void on_any(struct sock_loop *loop, void *arg)
{
	struct sock_bridge *r = arg;
	long long quiet = sock_loop_now_ms() - r->active_ms;

	(void)loop;
	r->any_timer = 0;
	/* Activity only moves active_ms: the timer is re-armed here for
	 * what is left, rather than once per read. */
	if (quiet < r->any_ms)
		arm_any(r, r->any_ms - (long)quiet);
	else
		time_up(r);
}

static void arm_any(struct sock_bridge *r, long ms)
{
	r->any_timer = sock_loop_timer(r->loop, ms, on_any, r);
	if (r->any_timer < 0)
		r->any_timer = 0;
}

/* Something moved: the idle count of sock_bridge_idle_any() restarts. */
static void touch(struct sock_bridge *r)
{
	if (r->any_ms <= 0 || r->finished)
		return;
	r->active_ms = sock_loop_now_ms();
	if (!r->any_timer)
		arm_any(r, r->any_ms);
}

void sock_bridge_idle_any(struct sock_bridge *r, long ms)
{
	r->any_ms = ms;
	/* An unconnected datagram end waits for its first peer. */
	if (r->a.ops != &sock_copy_ops_last_peer &&
	    r->b.ops != &sock_copy_ops_last_peer)
		touch(r);
}

static void on_quit(struct sock_loop *loop, void *arg)
{
	struct sock_bridge *r = arg;

	(void)loop;
	r->quit_timer = 0;
	time_up(r);
}

void sock_bridge_quit_after_eof(struct sock_bridge *r, long ms)
{
	r->quit_ms = ms;
}

static void arm_quit(struct sock_bridge *r)
{
	if (r->quit_ms < 0 || r->quit_timer || r->ab.src->rfd < 0)
		return;
	r->quit_timer = sock_loop_timer(r->loop, r->quit_ms, on_quit, r);
	if (r->quit_timer < 0)
		r->quit_timer = 0;
}

static void arm_idle(struct sock_bridge *r)
{
	if (r->idle_ms <= 0 || !r->ab.done)
		return;
	if (r->idle_timer)
		sock_loop_timer_cancel(r->loop, r->idle_timer);
	r->idle_timer = sock_loop_timer(r->loop, r->idle_ms, on_idle, r);
	if (r->idle_timer < 0)
		r->idle_timer = 0;
}

/* The direction is done (its end of data passed on): what that means
 * for the session. */
static void dir_done(struct sock_bridge *r, struct sock_copy_dir *d)
{
	if (r->ab.done && r->ba.done)
		end_session(r, 0);
	else if (d == &r->ba && (r->flags & SOCK_BRIDGE_END_WITH_B))
		r->draining = 1;
	else if (d == &r->ab)
		arm_idle(r);
	if (d == &r->ab)
		arm_quit(r);
}

/* An error of the engine ends the session, blamed on the descriptor of
 * the call that failed; EAGAIN and EINTR only mean "later". */
static int failed(struct sock_bridge *r, struct sock_copy_dir *d, ssize_t ret)
{
	if (ret >= 0 || ret == -EAGAIN || ret == -EINTR)
		return ret < 0;
	fail_on(r, d->fail == SOCK_COPY_SRC ? d->src->rfd : d->dst->wfd,
		(int)ret);
	return 1;
}

static void do_write(struct sock_bridge *r, struct sock_copy_dir *d)
{
	failed(r, d, sock_copy_write(d));
}

static void do_read(struct sock_bridge *r, struct sock_copy_dir *d)
{
	int was_done = d->done;

	if (failed(r, d, sock_copy_read(d)) || (!sock_copy_holds(d) && !d->eof))
		return;
	touch(r);
	if (d == &r->ab && d->len)
		r->a_read_ms = sock_loop_now_ms();
	if (d->done && !was_done) {
		dir_done(r, d);
		return;
	}
	if (d == &r->ba)
		arm_idle(r);
	do_write(r, d);
}

static void on_drain(struct sock_loop *loop, void *arg);

/*
 * B has closed (END_WITH_B): A's input still goes out while it keeps
 * coming, since B may have only half-closed and still read (both sides
 * sending at once, say); the session ends once A's input has been quiet
 * for BRIDGE_DRAIN_MS.  Ending at once lost the tail of uploads whose
 * pipe was momentarily empty.
 */
static void check_drained(struct sock_bridge *r)
{
	struct pollfd p = { .fd = r->ab.src->rfd, .events = POLLIN };
	long long quiet;

	if (!r->draining || r->finished || r->ab.done || r->ab.len ||
	    r->drain_timer)
		return;
	if (poll(&p, 1, 0) == 1)
		return;
	quiet = sock_loop_now_ms() - r->a_read_ms;
	if (quiet >= BRIDGE_DRAIN_MS) {
		end_session(r, 0);
		return;
	}
	r->drain_timer =
	    sock_loop_timer(r->loop, BRIDGE_DRAIN_MS - quiet, on_drain, r);
	if (r->drain_timer < 0) {
		r->drain_timer = 0;
		end_session(r, 0);
	}
}

static void on_drain(struct sock_loop *loop, void *arg)
{
	struct sock_bridge *r = arg;

	(void)loop;
	r->drain_timer = 0;
	check_drained(r);
	update(r);
	report_if_done(r);
}

static void on_fd(struct sock_loop *loop, int fd, uint32_t events, void *arg);

static void on_pending(struct sock_loop *loop, void *arg)
{
	struct sock_bridge *r = arg;

	r->pending_timer = 0;
	for (int i = 0; i < 2 && !r->finished; i++) {
		struct sock_copy_dir *d = i ? &r->ba : &r->ab;

		if (d->src->ctx && sock_copy_wants_read(d))
			on_fd(loop, d->src->rfd, EPOLLIN, r);
	}
}

/* Bytes OpenSSL has decrypted already do not make the socket readable:
 * a TLS source that holds some is read again from the loop. */
static void kick_pending(struct sock_bridge *r)
{
	for (int i = 0; i < 2 && !r->finished && !r->pending_timer; i++) {
		struct sock_copy_dir *d = i ? &r->ba : &r->ab;

		if (d->src->ctx && sock_copy_wants_read(d) &&
		    sock_tls_pending(d->src->ctx)) {
			r->pending_timer =
			    sock_loop_timer(r->loop, 0, on_pending, r);
			if (r->pending_timer < 0)
				r->pending_timer = 0;
		}
	}
}

static void on_fd(struct sock_loop *loop, int fd, uint32_t events, void *arg)
{
	struct sock_bridge *r = arg;
	struct sock_copy_dir *dirs[2] = { &r->ab, &r->ba };

	(void)loop;
	for (int i = 0; i < 2 && !r->finished; i++)
		if (sock_copy_holds(dirs[i]) && dirs[i]->dst->wfd == fd &&
		    (events & (EPOLLOUT | EPOLLERR | EPOLLHUP)))
			do_write(r, dirs[i]);
	for (int i = 0; i < 2 && !r->finished; i++)
		if (sock_copy_wants_read(dirs[i]) && dirs[i]->src->rfd == fd &&
		    (events & (EPOLLIN | EPOLLERR | EPOLLHUP)))
			do_read(r, dirs[i]);
	check_drained(r);
	kick_pending(r);
	update(r);
	report_if_done(r);
}

static void add_fd(struct sock_bridge *r, int fd, int is_socket)
{
	if (fd < 0)
		return;
	for (int i = 0; i < r->nfds; i++)
		if (r->fds[i] == fd)
			return;
	/* Sockets are ours; stdin and stdout are shared with the shell. */
	if (is_socket)
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	r->fds[r->nfds++] = fd;
}

/* The engine's view of an end: its calls and what its messages are. */
static void make_end(struct sock_copy_end *e, const struct sock_bridge_end *p)
{
	*e = (struct sock_copy_end){ .ops = &sock_copy_ops_fd,
				     .rfd = p->rfd,
				     .wfd = p->wfd };
	if (p->tls) {
		sock_tls_copy_end(p->tls, e);
		return;
	}
	if (!p->is_socket)
		return;
	e->ops =
	    p->reply_to_last ? &sock_copy_ops_last_peer : &sock_copy_ops_socket;
	if (p->messages)
		e->flags |= SOCK_COPY_MESSAGES;
	if (p->connectionless)
		e->flags |= SOCK_COPY_CONNECTIONLESS;
	if (p->reply_to_last)
		e->flags |= SOCK_COPY_LOSSY;
}

static int init_dir(struct sock_copy_dir *d, struct sock_copy_end *src,
		    struct sock_copy_end *dst)
{
	sock_copy_init(d, src, dst);
	if (src->rfd < 0 || dst->wfd < 0) {
		/* Nothing to copy this way: it is done from the start. */
		d->eof = 1;
		return 0;
	}
	/* A message source needs room for its largest message. */
	d->cap =
	    src->flags & SOCK_COPY_MESSAGES ? SOCK_COPY_BUF : BRIDGE_STREAM_BUF;
	d->buf = malloc(d->cap);
	return d->buf ? 0 : -ENOMEM;
}

/* A direction with nothing to copy ends at once. */
static void finish_early(struct sock_bridge *r, struct sock_copy_dir *d)
{
	if (!d->eof || r->finished)
		return;
	if (!failed(r, d, sock_copy_finish(d)))
		dir_done(r, d);
}

struct sock_bridge *sock_bridge_new(struct sock_loop *loop,
				    const struct sock_bridge_end *a,
				    const struct sock_bridge_end *b,
				    unsigned int flags, long idle_ms,
				    sock_bridge_done_fn done, void *arg)
{
	struct sock_bridge *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	*r = (struct sock_bridge){ .loop = loop,
				   .flags = flags,
				   .idle_ms = idle_ms,
				   .quit_ms = -1,
				   .done = done,
				   .arg = arg,
				   .start_ms = sock_loop_now_ms() };
	/* A's quiet counts from the start: input that has not come yet
	 * (a pipe whose writer the scheduler runs late) gets the same
	 * BRIDGE_DRAIN_MS as input that paused, not none. */
	r->a_read_ms = r->start_ms;
	make_end(&r->a, a);
	make_end(&r->b, b);
	if (init_dir(&r->ab, &r->a, &r->b) || init_dir(&r->ba, &r->b, &r->a)) {
		sock_bridge_free(r);
		errno = ENOMEM;
		return NULL;
	}
	add_fd(r, a->rfd, a->is_socket);
	add_fd(r, a->wfd, a->is_socket);
	add_fd(r, b->rfd, b->is_socket);
	add_fd(r, b->wfd, b->is_socket);
	finish_early(r, &r->ab);
	finish_early(r, &r->ba);
	check_drained(r);
	update(r);
	/* Report from the loop, never from inside the constructor. */
	if (r->finished)
		r->idle_timer = sock_loop_timer(loop, 0, on_idle, r);
	return r;
}

void sock_bridge_free(struct sock_bridge *r)
{
	if (!r)
		return;
	for (int i = 0; i < r->nfds; i++)
		if (r->registered[i])
			sock_loop_del(r->loop, r->fds[i]);
	if (r->idle_timer)
		sock_loop_timer_cancel(r->loop, r->idle_timer);
	if (r->drain_timer)
		sock_loop_timer_cancel(r->loop, r->drain_timer);
	if (r->pending_timer)
		sock_loop_timer_cancel(r->loop, r->pending_timer);
	if (r->any_timer)
		sock_loop_timer_cancel(r->loop, r->any_timer);
	if (r->quit_timer)
		sock_loop_timer_cancel(r->loop, r->quit_timer);
	free(r->ab.buf);
	free(r->ba.buf);
	free(r);
}

void sock_bridge_get_stats(const struct sock_bridge *r,
			   struct sock_bridge_stats *out)
{
	out->bytes_ab = r->ab.bytes;
	out->bytes_ba = r->ba.bytes;
	out->start_ms = r->start_ms;
	out->dropped = r->ab.dropped + r->ba.dropped;
	out->err_fd = r->finished && r->err ? r->err_fd : -1;
	out->a_cut = r->finished && !r->err && r->draining && !r->ab.done;
	out->timed_out = r->timed_out;
}
