/*
 * lib/relay.c - two-way copy between two ends, one buffer per direction.
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

#include <sock/relay.h>

#include "sys.h"

/* Large enough for any UDP datagram (65507 bytes of payload at most). */
#define RELAY_BUF 65536
/* Messages read from a datagram or seqpacket socket: a Unix message may
 * be as large as the sender's buffer (212992 bytes by default). */
#define RELAY_MSG_BUF (256 * 1024)
/* After B closes, how long A's input may stay quiet before the session
 * stops waiting for it. */
#define RELAY_DRAIN_MS 250

struct dir {
	struct sock_relay *r;
	const struct sock_relay_end *src, *dst;
	char *buf;
	size_t len, off;
	int eof, done;
	unsigned long long bytes;
};

struct sock_relay {
	struct sock_loop *loop;
	struct sock_relay_end a, b;
	struct dir ab, ba;
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
	long long a_read_ms; /* when A's input last gave data */
	int err_fd;	     /* where the error that ended it happened */
	unsigned long long dropped;
	struct sockaddr_storage peer;
	socklen_t peer_len;
	long long start_ms;
	sock_relay_done_fn done;
	void *arg;
};

static void end_session(struct sock_relay *r, int err)
{
	if (!r->finished) {
		r->finished = 1;
		r->err = err;
	}
}

/* End on an error of a descriptor, remembering which one, so that a
 * full disk is not blamed on the peer. */
static void fail_on(struct sock_relay *r, int fd, int err)
{
	if (!r->finished)
		r->err_fd = fd;
	end_session(r, err);
}

/* A direction may read when its buffer is empty and, for a reply to the
 * last peer, once some peer has been heard: data must not be read before
 * it has somewhere to go. */
static int wants_read(const struct dir *d)
{
	if (d->eof || d->len || d->src->rfd < 0)
		return 0;
	return !d->dst->reply_to_last || d->r->peer_len;
}

static uint32_t interest(const struct sock_relay *r, int fd)
{
	const struct dir *dirs[2] = { &r->ab, &r->ba };
	uint32_t ev = 0;

	for (int i = 0; i < 2; i++) {
		if (dirs[i]->src->rfd == fd && wants_read(dirs[i]))
			ev |= EPOLLIN;
		if (dirs[i]->dst->wfd == fd && dirs[i]->len)
			ev |= EPOLLOUT;
	}
	return ev;
}

static void on_fd(struct sock_loop *loop, int fd, uint32_t events, void *arg);

/* Watch each descriptor for exactly what the directions want now. */
static void update(struct sock_relay *r)
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
static void report_if_done(struct sock_relay *r)
{
	if (r->finished && !r->reported) {
		r->reported = 1;
		r->done(r, r->err, r->arg);
	}
}

static void on_idle(struct sock_loop *loop, void *arg)
{
	struct sock_relay *r = arg;

	(void)loop;
	r->idle_timer = 0;
	end_session(r, 0);
	update(r);
	report_if_done(r);
}

/* A time limit (sock_relay_idle_any, sock_relay_quit_after_eof) ends
 * the session. */
static void time_up(struct sock_relay *r)
{
	if (!r->finished)
		r->timed_out = 1;
	end_session(r, 0);
	update(r);
	report_if_done(r);
}

static void arm_any(struct sock_relay *r, long ms);

static void on_any(struct sock_loop *loop, void *arg)
{
	struct sock_relay *r = arg;
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

static void arm_any(struct sock_relay *r, long ms)
{
	r->any_timer = sock_loop_timer(r->loop, ms, on_any, r);
	if (r->any_timer < 0)
		r->any_timer = 0;
}

/* Something moved: the idle count of sock_relay_idle_any() restarts. */
static void touch(struct sock_relay *r)
{
	if (r->any_ms <= 0 || r->finished)
		return;
	r->active_ms = sock_loop_now_ms();
	if (!r->any_timer)
		arm_any(r, r->any_ms);
}

void sock_relay_idle_any(struct sock_relay *r, long ms)
{
	r->any_ms = ms;
	/* An unconnected datagram end waits for its first peer. */
	if (!r->a.reply_to_last && !r->b.reply_to_last)
		touch(r);
}

static void on_quit(struct sock_loop *loop, void *arg)
{
	struct sock_relay *r = arg;

	(void)loop;
	r->quit_timer = 0;
	time_up(r);
}

void sock_relay_quit_after_eof(struct sock_relay *r, long ms)
{
	r->quit_ms = ms;
}

static void arm_quit(struct sock_relay *r)
{
	if (r->quit_ms < 0 || r->quit_timer || r->ab.src->rfd < 0)
		return;
	r->quit_timer = sock_loop_timer(r->loop, r->quit_ms, on_quit, r);
	if (r->quit_timer < 0)
		r->quit_timer = 0;
}

static void arm_idle(struct sock_relay *r)
{
	if (r->idle_ms <= 0 || !r->ab.done)
		return;
	if (r->idle_timer)
		sock_loop_timer_cancel(r->loop, r->idle_timer);
	r->idle_timer = sock_loop_timer(r->loop, r->idle_ms, on_idle, r);
	if (r->idle_timer < 0)
		r->idle_timer = 0;
}

/* The direction has read EOF and written everything: pass the EOF on. */
static void finish_dir(struct dir *d)
{
	struct sock_relay *r = d->r;

	d->done = 1;
	/* An end with nothing to send (rfd -1) never says it has ended:
	 * its peer may keep sending until it is done itself. */
	if (d->src->rfd >= 0 && d->dst->is_socket && !d->dst->connectionless &&
	    d->dst->wfd >= 0 && sock__shutdown(d->dst->wfd, SHUT_WR) < 0 &&
	    errno != ENOTCONN)
		end_session(r, -errno);
	if (r->ab.done && r->ba.done)
		end_session(r, 0);
	else if (d == &r->ba && (r->flags & SOCK_RELAY_END_WITH_B))
		r->draining = 1;
	else if (d == &r->ab)
		arm_idle(r);
	if (d == &r->ab)
		arm_quit(r);
}

static ssize_t do_send(struct dir *d)
{
	const struct sock_relay_end *e = d->dst;
	struct sock_relay *r = d->r;
	size_t n = d->len - d->off;

	if (!e->is_socket)
		return write(e->wfd, d->buf + d->off, n);
	if (e->reply_to_last)
		return sock__sendto(e->wfd, d->buf + d->off, n, MSG_NOSIGNAL,
				    (struct sockaddr *)&r->peer, r->peer_len);
	return sock__send(e->wfd, d->buf + d->off, n, MSG_NOSIGNAL);
}

static void do_write(struct dir *d)
{
	ssize_t n = do_send(d);

	if (n < 0 && errno != EAGAIN && errno != EINTR &&
	    d->dst->reply_to_last) {
		/* The peer heard last may be gone (a Unix client that exited,
		 * say): its datagram is lost, but other peers still count. */
		d->r->dropped++;
		n = 0;
		d->off = d->len;
	} else if (n < 0) {
		if (errno != EAGAIN && errno != EINTR)
			fail_on(d->r, d->dst->wfd, -errno);
		return;
	}
	d->bytes += (size_t)n;
	d->off += (size_t)n;
	/* A datagram goes out whole or not at all. */
	if (d->dst->dgram || d->off == d->len)
		d->len = d->off = 0;
	if (!d->len && d->eof)
		finish_dir(d);
}

static int from_messages(const struct dir *d)
{
	return d->src->is_socket && d->src->dgram;
}

/* A message socket is read whole; a read bound for a datagram socket
 * must fit in one UDP payload. */
static size_t read_cap(const struct dir *d)
{
	if (from_messages(d))
		return RELAY_MSG_BUF;
	return d->dst->dgram ? 65507 : RELAY_BUF;
}

static ssize_t do_recv(struct dir *d)
{
	const struct sock_relay_end *e = d->src;
	struct sock_relay *r = d->r;
	size_t cap = read_cap(d);
	ssize_t n;

	if (!e->is_socket)
		return read(e->rfd, d->buf, cap);
	if (e->reply_to_last) {
		struct sockaddr_storage from;
		socklen_t fromlen = sizeof(from);

		n = sock__recvfrom(e->rfd, d->buf, cap, MSG_TRUNC,
				   (struct sockaddr *)&from, &fromlen);
		/* An unnamed Unix sender cannot be answered. */
		if (n >= 0 && fromlen > sizeof(sa_family_t)) {
			memcpy(&r->peer, &from, fromlen);
			r->peer_len = fromlen;
		}
		return n;
	}
	return sock__recv(e->rfd, d->buf, cap, e->dgram ? MSG_TRUNC : 0);
}

/* MSG_TRUNC reports the whole size: a longer message was cut, and the
 * bytes past the buffer were never read.  One peer's oversized datagram
 * is dropped; on a connection the stream of messages is broken. */
static int oversized(struct dir *d, ssize_t n)
{
	if (!from_messages(d) || (size_t)n <= read_cap(d))
		return 0;
	if (d->src->connectionless)
		d->r->dropped++;
	else
		fail_on(d->r, d->src->rfd, -EMSGSIZE);
	return 1;
}

static void do_read(struct dir *d)
{
	ssize_t n = do_recv(d);

	if (n < 0) {
		if (errno != EAGAIN && errno != EINTR)
			fail_on(d->r, d->src->rfd, -errno);
		return;
	}
	if (oversized(d, n))
		return;
	touch(d->r);
	if (d == &d->r->ab && n > 0)
		d->r->a_read_ms = sock_loop_now_ms();
	/* An empty datagram is a message; only a stream's 0 is EOF. */
	if (n == 0 && !(d->src->connectionless && d->src->is_socket)) {
		d->eof = 1;
		finish_dir(d);
		return;
	}
	d->len = (size_t)n;
	d->off = 0;
	if (d == &d->r->ba)
		arm_idle(d->r);
	do_write(d);
}

static void on_drain(struct sock_loop *loop, void *arg);

/*
 * B has closed (END_WITH_B): A's input still goes out while it keeps
 * coming, since B may have only half-closed and still read (both sides
 * sending at once, say); the session ends once A's input has been quiet
 * for RELAY_DRAIN_MS.  Ending at once lost the tail of uploads whose
 * pipe was momentarily empty.
 */
static void check_drained(struct sock_relay *r)
{
	struct pollfd p = { .fd = r->ab.src->rfd, .events = POLLIN };
	long long quiet;

	if (!r->draining || r->finished || r->ab.done || r->ab.len ||
	    r->drain_timer)
		return;
	if (poll(&p, 1, 0) == 1)
		return;
	quiet = sock_loop_now_ms() - r->a_read_ms;
	if (quiet >= RELAY_DRAIN_MS) {
		end_session(r, 0);
		return;
	}
	r->drain_timer =
	    sock_loop_timer(r->loop, RELAY_DRAIN_MS - quiet, on_drain, r);
	if (r->drain_timer < 0) {
		r->drain_timer = 0;
		end_session(r, 0);
	}
}

static void on_drain(struct sock_loop *loop, void *arg)
{
	struct sock_relay *r = arg;

	(void)loop;
	r->drain_timer = 0;
	check_drained(r);
	update(r);
	report_if_done(r);
}

static void on_fd(struct sock_loop *loop, int fd, uint32_t events, void *arg)
{
	struct sock_relay *r = arg;
	struct dir *dirs[2] = { &r->ab, &r->ba };

	(void)loop;
	for (int i = 0; i < 2 && !r->finished; i++)
		if (dirs[i]->len && dirs[i]->dst->wfd == fd &&
		    (events & (EPOLLOUT | EPOLLERR | EPOLLHUP)))
			do_write(dirs[i]);
	for (int i = 0; i < 2 && !r->finished; i++)
		if (wants_read(dirs[i]) && dirs[i]->src->rfd == fd &&
		    (events & (EPOLLIN | EPOLLERR | EPOLLHUP)))
			do_read(dirs[i]);
	check_drained(r);
	update(r);
	report_if_done(r);
}

static void add_fd(struct sock_relay *r, int fd, int is_socket)
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

static int init_dir(struct sock_relay *r, struct dir *d,
		    const struct sock_relay_end *src,
		    const struct sock_relay_end *dst)
{
	d->r = r;
	d->src = src;
	d->dst = dst;
	if (src->rfd < 0 || dst->wfd < 0) {
		/* Nothing to copy this way: it is done from the start. */
		d->eof = 1;
		return 0;
	}
	d->buf = malloc(from_messages(d) ? RELAY_MSG_BUF : RELAY_BUF);
	return d->buf ? 0 : -ENOMEM;
}

struct sock_relay *sock_relay_new(struct sock_loop *loop,
				  const struct sock_relay_end *a,
				  const struct sock_relay_end *b,
				  unsigned int flags, long idle_ms,
				  sock_relay_done_fn done, void *arg)
{
	struct sock_relay *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	*r = (struct sock_relay){ .loop = loop,
				  .a = *a,
				  .b = *b,
				  .flags = flags,
				  .idle_ms = idle_ms,
				  .quit_ms = -1,
				  .done = done,
				  .arg = arg,
				  .start_ms = sock_loop_now_ms() };
	/* A's quiet counts from the start: input that has not come yet
	 * (a pipe whose writer the scheduler runs late) gets the same
	 * RELAY_DRAIN_MS as input that paused, not none. */
	r->a_read_ms = r->start_ms;
	if (init_dir(r, &r->ab, &r->a, &r->b) ||
	    init_dir(r, &r->ba, &r->b, &r->a)) {
		sock_relay_free(r);
		errno = ENOMEM;
		return NULL;
	}
	add_fd(r, r->a.rfd, r->a.is_socket);
	add_fd(r, r->a.wfd, r->a.is_socket);
	add_fd(r, r->b.rfd, r->b.is_socket);
	add_fd(r, r->b.wfd, r->b.is_socket);
	if (r->ab.eof)
		finish_dir(&r->ab);
	if (r->ba.eof && !r->finished)
		finish_dir(&r->ba);
	check_drained(r);
	update(r);
	/* Report from the loop, never from inside the constructor. */
	if (r->finished)
		r->idle_timer = sock_loop_timer(loop, 0, on_idle, r);
	return r;
}

void sock_relay_free(struct sock_relay *r)
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
	if (r->any_timer)
		sock_loop_timer_cancel(r->loop, r->any_timer);
	if (r->quit_timer)
		sock_loop_timer_cancel(r->loop, r->quit_timer);
	free(r->ab.buf);
	free(r->ba.buf);
	free(r);
}

void sock_relay_get_stats(const struct sock_relay *r,
			  struct sock_relay_stats *out)
{
	out->bytes_ab = r->ab.bytes;
	out->bytes_ba = r->ba.bytes;
	out->start_ms = r->start_ms;
	out->dropped = r->dropped;
	out->err_fd = r->finished && r->err ? r->err_fd : -1;
	out->a_cut = r->finished && !r->err && r->draining && !r->ab.done;
	out->timed_out = r->timed_out;
}

void sock_relay_get_peer(const struct sock_relay *r,
			 struct sockaddr_storage *peer, socklen_t *peer_len)
{
	*peer_len = r->peer_len;
	if (r->peer_len)
		memcpy(peer, &r->peer, r->peer_len);
}
