/*
 * lib/forward_stream.c - stream sessions of the relay server: connect to
 * the target without blocking, then move bytes both ways.
 *
 * Sockets are watched edge-triggered, once, for everything: the session
 * remembers which side may have input and which may take output, so the
 * loop never has to be told when a direction waits (no epoll_ctl per
 * transfer).  A direction borrows a buffer or a pipe from the forwarder's
 * pool when bytes arrive and gives it back once they are all written: an
 * idle session holds only its two sockets and this struct.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <sock/tls.h>

#include "forward_internal.h"
#include "forward_proxy.h"
#include "sys.h"

/* Reads and writes per session per wake-up: one busy flow must not keep
 * the others waiting. */
#define FWD_ROUNDS 16

#define WATCH (EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET)

/* A connection from a client to the target. */
struct fwd_stream_session {
	struct fwd_session head; /* first: the core allocates and frees */
	unsigned char rd[2];	 /* the side may have input (edge-triggered) */
	unsigned char wr[2];	 /* the side may take output */
	unsigned char connecting;
	unsigned char splice_ok;  /* both sides are byte streams: splice */
	size_t addr_i;		  /* the target address being tried */
	struct sock_proxy_hs *hs; /* the proxy's handshake while it runs */
	unsigned char proxied;	  /* the handshake has begun */
	struct fwd_retry retry;	  /* waiting for room in a Unix backlog */
	int idle_timer;		  /* --idle: checks last_ms */
	/* The sides as the copy engine sees them, and direction i from
	 * side i to side !i. */
	struct sock_copy_end end[2];
	struct sock_copy_dir dir[2];
	/* A TLS side (client: the relay serves TLS; target: it speaks
	 * TLS), and whether its handshake is still going on. */
	struct sock_tls *tls[2];
	unsigned char shaking[2];
};
_Static_assert(offsetof(struct fwd_stream_session, head) == 0,
	       "the head comes first");

static struct fwd_stream_session *stream_of(const struct fwd_session *h)
{
	return fwd_container_of(h, struct fwd_stream_session);
}

/* Give back what a direction holds once nothing waits in it. */
static void release_half(struct sock_forward *f, struct sock_copy_dir *h)
{
	if (h->buf) {
		sock__fwd_give_buf(f, h->buf, h->cap);
		h->buf = NULL;
	}
	if (h->pipe[0] >= 0) {
		if (h->len)
			sock__fwd_drop_pipe(f, h->pipe);
		else
			sock__fwd_give_pipe(f, h->pipe);
	}
}

static void release(struct fwd_session *h)
{
	struct fwd_stream_session *s = stream_of(h);

	sock__fwd_retry_done(&s->retry);
	if (s->idle_timer)
		sock_loop_timer_cancel(s->head.f->loop, s->idle_timer);
	s->idle_timer = 0;
	release_half(s->head.f, &s->dir[0]);
	release_half(s->head.f, &s->dir[1]);
	free(s->hs);
	s->hs = NULL;
	for (int i = 0; i < 2; i++) {
		sock_tls_free(s->tls[i]);
		s->tls[i] = NULL;
	}
}

/* Put TLS over side i with context c (NULL: it stays plain). */
static int wrap_tls(struct fwd_stream_session *s, int i, struct sock_tls_ctx *c,
		    const char *host)
{
	if (!c)
		return 0;
	s->tls[i] = sock_tls_new(c, s->head.fd[i], host);
	if (!s->tls[i])
		return -ENOMEM;
	sock_tls_copy_end(s->tls[i], &s->end[i]);
	s->shaking[i] = 1;
	return 0;
}

/* The client's handshake goes on while the target is being connected,
 * not after: one round trip less before the first byte.  Returns -1
 * when it failed and the session is gone. */
static int shake_client(struct fwd_stream_session *s)
{
	int r;

	if (!s->shaking[0])
		return 0;
	r = sock_tls_handshake(s->tls[0]);
	if (r == 0) {
		s->shaking[0] = 0;
		s->rd[0] = s->wr[0] = 1;
	} else if (r != -EAGAIN) {
		sock__fwd_session_end(&s->head, SOCK_FORWARD_END_CLIENT, r);
		return -1;
	}
	return 0;
}

/* Step the handshakes that are under way: 0 once none is, -EAGAIN
 * while one waits for its socket, or the error that ended one (*side:
 * which). */
static int shake(struct fwd_stream_session *s, int *side)
{
	int ret = 0;

	for (int i = 0; i < 2; i++) {
		int r;

		if (!s->shaking[i])
			continue;
		r = sock_tls_handshake(s->tls[i]);
		if (r == 0) {
			s->shaking[i] = 0;
			s->rd[i] = s->wr[i] = 1;
		} else if (r != -EAGAIN) {
			*side = i;
			return r;
		} else {
			ret = r;
		}
	}
	return ret;
}

/* ---- moving bytes --------------------------------------------------- */

/* A Unix message is refused when larger than the sender's buffer less a
 * little (208 KiB by default): the relay's seqpacket sockets take every
 * message its buffer holds (the kernel doubles the value, capped by
 * net.core.wmem_max), as a direct sender that raised its own would.  A
 * refusal leaves the default, and larger messages fail as before. */
static void size_for_messages(int fd)
{
	sock__setsockopt_int(fd, SOL_SOCKET, SO_SNDBUF, FWD_BUF);
}

/* A side as the copy engine sees it: a connected stream socket, which
 * keeps message boundaries when it is a seqpacket one. */
static void make_end(struct sock_copy_end *e, int fd, enum sock_kind kind)
{
	*e = (struct sock_copy_end){ .ops = &sock_copy_ops_socket,
				     .rfd = fd,
				     .wfd = fd };
	if (kind == SOCK_KIND_UNIX_SEQPACKET) {
		e->flags = SOCK_COPY_MESSAGES;
		size_for_messages(fd);
	} else {
		e->flags = SOCK_COPY_SPLICE;
	}
}

/*
 * Lend direction i what its next read goes into: a pipe where the
 * session splices and the relay has one to spare, a buffer otherwise (at
 * the descriptor limit too: the bytes still move, by copy).  0, -ENOBUFS
 * when the relay's limit on what sessions hold is reached (wait for a
 * buffer to come back), or -ENOMEM.
 */
static int lend(struct fwd_stream_session *s, int i)
{
	struct sock_forward *f = s->head.f;
	struct sock_copy_dir *d = &s->dir[i];

	if (d->buf || d->pipe[0] >= 0)
		return 0;
	if (s->splice_ok && !sock__fwd_take_pipe(f, d->pipe)) {
		d->splice = 1;
		d->cap = FWD_PIPE;
		return 0;
	}
	d->splice = 0;
	return sock__fwd_take_buf(f, !!(d->src->flags & SOCK_COPY_MESSAGES),
				  &d->buf, &d->cap);
}

/*
 * Move what is ready in direction i, for at most FWD_ROUNDS calls.
 * Returns 1 when there is more to do at once, 0 when the direction
 * waits for an event, or -errno (d->fail says which side's call).
 */
static int pump(struct fwd_stream_session *s, int i)
{
	struct sock_copy_dir *d = &s->dir[i];
	int ret = 0;

	for (int round = 0; round < FWD_ROUNDS && !d->done; round++) {
		if (sock_copy_wants_read(d) && s->rd[i]) {
			ret = lend(s, i);
			if (ret == -ENOBUFS) {
				sock__fwd_wait(&s->head);
				return 0;
			}
			if (ret < 0)
				return ret;
		}
		ret = sock_copy_step(d, s->rd[i], s->wr[!i]);
		if (ret == 0)
			return 0;
		if (ret == -EAGAIN && d->fail == SOCK_COPY_DST) {
			s->wr[!i] = 0;
			return 0;
		}
		if (ret == -EAGAIN) {
			/* Idle: a buffer or empty pipe goes back now. */
			s->rd[i] = 0;
			release_half(s->head.f, d);
			return 0;
		}
		if (ret < 0 && ret != -EINTR)
			return ret;
	}
	if (d->done)
		release_half(s->head.f, d);
	return !d->done;
}

static void on_resume(struct sock_loop *loop, void *arg);

/* Whose failure (err) ended direction i: a side's, or the relay's own
 * (a buffer it could not get, a call short of memory). */
static enum sock_forward_end who_failed(const struct fwd_stream_session *s,
					int i, int err)
{
	int side = s->dir[i].fail == SOCK_COPY_SRC ? i : !i;

	if (sock__fwd_short(err))
		return SOCK_FORWARD_END_RELAY;
	return side ? SOCK_FORWARD_END_TARGET : SOCK_FORWARD_END_CLIENT;
}

/* Move bytes both ways until both wait; end the session when both
 * directions are done or one fails. */
static void run(struct fwd_stream_session *s)
{
	unsigned long long before = s->dir[0].bytes + s->dir[1].bytes;
	int more = 0, hs_side = 0, hs = shake(s, &hs_side);

	if (hs == -EAGAIN)
		return;
	if (hs < 0) {
		sock__fwd_session_end(&s->head,
				      hs_side ? SOCK_FORWARD_END_TARGET
					      : SOCK_FORWARD_END_CLIENT,
				      hs);
		return;
	}

	for (int i = 0; i < 2; i++) {
		int ret = pump(s, i);

		if (ret < 0) {
			sock__fwd_session_end(&s->head, who_failed(s, i, ret),
					      ret);
			return;
		}
		more |= ret;
	}
	if (s->dir[0].bytes + s->dir[1].bytes != before)
		s->head.last_ms = sock_loop_now_ms();
	if (s->dir[0].done && s->dir[1].done) {
		sock__fwd_session_end(&s->head, SOCK_FORWARD_END_DONE, 0);
		return;
	}
	if (more && !s->head.timer) {
		s->head.timer =
		    sock_loop_timer(s->head.f->loop, 0, on_resume, s);
		if (s->head.timer < 0)
			s->head.timer = 0;
	}
}

static void on_resume(struct sock_loop *loop, void *arg)
{
	struct fwd_stream_session *s = arg;

	(void)loop;
	s->head.timer = 0;
	run(s);
}

static int so_error(int fd)
{
	int err = 0;

	if (sock__getsockopt_error(fd, &err) < 0)
		return -errno;
	return -err;
}

/* ---- connecting ----------------------------------------------------- */

static void open_flow(struct fwd_stream_session *s);

/* Through a proxy: its handshake runs between the connection and the
 * first byte (lib/forward_proxy.c). */
static void proxy_step(struct fwd_stream_session *s)
{
	int ret = sock__fwd_proxy_step(&s->head, &s->hs);

	if (ret == 0)
		open_flow(s);
	else if (ret != -EAGAIN)
		sock__fwd_session_end(&s->head, SOCK_FORWARD_END_UNREACHABLE,
				      ret);
}

static void start_connect(struct fwd_stream_session *s);

/* The relay's own shortage of descriptors: the client waits (in the
 * same queue as for a full backlog) until sessions end and free some. */
static int out_of_fds(int err)
{
	return err == -EMFILE || err == -ENFILE;
}

/* The target did not answer at this address: try the next one, or give
 * the client up with a reset. */
static void next_address(struct fwd_stream_session *s, int err)
{
	struct sock_forward *f = s->head.f;

	if (s->head.timer)
		sock_loop_timer_cancel(f->loop, s->head.timer);
	s->head.timer = 0;
	if (s->head.fd[1] >= 0) {
		sock_loop_del(f->loop, s->head.fd[1]);
		sock__close(s->head.fd[1]);
		s->head.fd[1] = -1;
	}
	if (sock__fwd_short(err)) {
		sock__fwd_session_end(&s->head, SOCK_FORWARD_END_RELAY, err);
		return;
	}
	if (++s->addr_i < f->target->n) {
		start_connect(s);
		return;
	}
	sock__fwd_session_end(&s->head, SOCK_FORWARD_END_UNREACHABLE, err);
}

static void on_connect_timeout(struct sock_loop *loop, void *arg)
{
	struct fwd_stream_session *s = arg;

	(void)loop;
	s->head.timer = 0;
	next_address(s, -ETIMEDOUT);
}

/* --idle: the session ends once no byte has moved for that long;
 * checked when the time would be up, re-armed for what is left. */
static void on_idle(struct sock_loop *loop, void *arg)
{
	struct fwd_stream_session *s = arg;
	long limit = s->head.f->o.stream_idle_ms;
	long long left = s->head.last_ms + limit - sock_loop_now_ms();

	s->idle_timer = 0;
	if (left <= 0) {
		sock__fwd_session_end(&s->head, SOCK_FORWARD_END_IDLE, 0);
		return;
	}
	s->idle_timer = sock_loop_timer(loop, (long)left, on_idle, s);
	if (s->idle_timer < 0)
		s->idle_timer = 0;
}

static void watch_idle(struct fwd_stream_session *s)
{
	struct sock_forward *f = s->head.f;

	s->head.last_ms = sock_loop_now_ms();
	if (f->o.stream_idle_ms <= 0 || s->idle_timer)
		return;
	s->idle_timer =
	    sock_loop_timer(f->loop, f->o.stream_idle_ms, on_idle, s);
	if (s->idle_timer < 0)
		s->idle_timer = 0;
}

/* Bytes may move: the target (or the tunnel to it) is open. */
static void open_flow(struct fwd_stream_session *s)
{
	if (s->head.timer)
		sock_loop_timer_cancel(s->head.f->loop, s->head.timer);
	s->head.timer = 0;
	s->connecting = 0;
	watch_idle(s);
	s->wr[1] = 1;
	s->rd[1] = 1;
	if (wrap_tls(s, 1, s->head.f->o.tls_to, s->head.f->o.tls_host)) {
		sock__fwd_session_end(&s->head, SOCK_FORWARD_END_RELAY,
				      -ENOMEM);
		return;
	}
	run(s);
}

static void connected(struct fwd_stream_session *s)
{
	if (s->head.f->o.proxy && !s->proxied) {
		if (s->head.timer)
			sock_loop_timer_cancel(s->head.f->loop, s->head.timer);
		s->head.timer = 0;
		s->proxied = 1;
		return proxy_step(s);
	}
	open_flow(s);
}

static void on_side(struct sock_loop *loop, int fd, uint32_t ev, void *arg);

/* A Unix listener with a full backlog answers EAGAIN at once, and the
 * relay may be out of descriptors: ask again later, within the connect
 * timeout (forward_retry.c says when). */
static void on_retry(struct sock_loop *loop, void *arg)
{
	struct fwd_stream_session *s = arg;

	(void)loop;
	s->head.timer = 0;
	start_connect(s);
}

static void start_connect(struct fwd_stream_session *s)
{
	struct sock_forward *f = s->head.f;
	int pending, fd, ret;

	fd = sock_connect_start(f->target, s->addr_i, &pending);
	if (out_of_fds(fd) ||
	    (fd == -EAGAIN &&
	     f->target->addrs[s->addr_i].sa.ss_family == AF_UNIX)) {
		if (!sock__fwd_retry_wait(&s->retry, &s->head, on_retry))
			next_address(s, fd);
		return;
	}
	sock__fwd_retry_done(&s->retry);
	if (fd < 0)
		return next_address(s, fd);
	s->head.fd[1] = fd;
	if (f->target->kind == SOCK_KIND_TCP)
		sock_keepalive_set(fd, &f->o.keepalive);
	make_end(&s->end[1], fd, f->target->kind);
	ret = sock_loop_add(f->loop, fd, WATCH, on_side, s);
	if (ret)
		return next_address(s, ret);
	if (!pending)
		return connected(s);
	if (f->o.connect_timeout_ms > 0)
		s->head.timer = sock_loop_timer(
		    f->loop, f->o.connect_timeout_ms, on_connect_timeout, s);
	if (s->head.timer < 0)
		s->head.timer = 0;
}

/* ---- events --------------------------------------------------------- */

static void on_side(struct sock_loop *loop, int fd, uint32_t ev, void *arg)
{
	struct fwd_stream_session *s = arg;
	int side = fd == s->head.fd[1];

	(void)loop;
	if (s->connecting && side == 1 && s->proxied)
		return proxy_step(s);
	if (s->connecting && side == 1) {
		int err = so_error(fd);

		if (err)
			next_address(s, err);
		else if (ev & (EPOLLOUT | EPOLLERR | EPOLLHUP))
			connected(s);
		return;
	}
	if (ev & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))
		s->rd[side] = 1;
	if (ev & (EPOLLOUT | EPOLLHUP | EPOLLERR))
		s->wr[side] = 1;
	/* TLS reads may need to write and writes to read (key updates):
	 * any edge may be the one a TLS call waits for. */
	if (s->tls[side])
		s->rd[side] = s->wr[side] = 1;
	/* Nothing reads this side any more, so nothing would meet its
	 * error: a reset after a half-close must still reach the other. */
	if ((ev & EPOLLERR) && s->dir[side].eof && !s->connecting) {
		int err = so_error(fd);

		if (err) {
			sock__fwd_session_end(&s->head,
					      side ? SOCK_FORWARD_END_TARGET
						   : SOCK_FORWARD_END_CLIENT,
					      err);
			return;
		}
	}
	if (!s->connecting)
		run(s);
	else if (side == 0)
		shake_client(s);
}

static void accept_client(struct sock_forward *f, int fd,
			  const struct sockaddr *peer, socklen_t peer_len)
{
	struct fwd_session *h = sock__fwd_session_new(f, peer, peer_len);
	struct fwd_stream_session *s;

	if (!h) {
		sock__close(fd);
		return;
	}
	s = stream_of(h);
	for (int i = 0; i < 2; i++)
		sock_copy_init(&s->dir[i], &s->end[i], &s->end[!i]);
	s->head.fd[0] = fd;
	/* A client that vanished without a word is found out. */
	if (f->from == SOCK_KIND_TCP)
		sock_keepalive_set(fd, &f->o.keepalive);
	make_end(&s->end[0], fd, f->from);
	s->splice_ok = (unsigned char)f->splice;
	if (wrap_tls(s, 0, f->o.tls_from, NULL)) {
		sock__fwd_session_end(&s->head, SOCK_FORWARD_END_RELAY,
				      -ENOMEM);
		return;
	}
	s->connecting = 1;
	/* The client may send before the target answers: its first bytes
	 * wait in its socket, and the edge is not lost (rd starts set). */
	s->rd[0] = 1;
	s->wr[0] = 1;
	if (sock_loop_add(f->loop, fd, WATCH, on_side, s)) {
		sock__fwd_session_end(&s->head, SOCK_FORWARD_END_RELAY,
				      -ENOMEM);
		return;
	}
	if (shake_client(s) < 0)
		return;
	start_connect(s);
}

/* A buffer came back after this session waited for one. */
static void wake(struct fwd_session *h)
{
	run(stream_of(h));
}

static void bytes(const struct fwd_session *h, unsigned long long b[2])
{
	const struct fwd_stream_session *s = stream_of(h);

	b[0] = s->dir[0].bytes;
	b[1] = s->dir[1].bytes;
}

const struct fwd_variant sock__fwd_stream = { .session_size = sizeof(
						  struct fwd_stream_session),
					      .accept = accept_client,
					      .release = release,
					      .wake = wake,
					      .bytes = bytes,
					      .stream = 1 };
