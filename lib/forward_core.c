/*
 * lib/forward_core.c - the relay server's core, the bottom layer of the
 * forward files: the forwarder's state, the listener, the list of
 * sessions, the totals, the events and the pools.  Moving the bytes is
 * forward_stream.c's and forward_dgram.c's job: they call down into this
 * file, and it calls them only through the struct fwd_variant it is
 * given (lib/forward.c chooses it).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <sock/forward.h>

#include "forward_internal.h"
#include "sys.h"

/* Clients taken per wake-up of the listener, so that a flood of new
 * clients cannot starve the sessions already open. */
#define ACCEPT_BATCH 64
/* After accept() fails for want of descriptors or memory, try again this
 * much later (the listener would report ready again at once). */
#define ACCEPT_RETRY_MS 100

void sock__fwd_event(struct sock_forward *f, enum sock_forward_event_type t,
		     const struct fwd_session *s, enum sock_forward_end end,
		     int err)
{
	struct sock_forward_event ev = { .type = t, .end = end, .err = err };
	unsigned long long b[2];

	if (!f->fn)
		return;
	if (s) {
		f->v->bytes(s, b);
		ev.id = s->id;
		ev.peer = (const struct sockaddr *)&s->peer;
		ev.peer_len = s->peer_len;
		ev.bytes_out = b[0];
		ev.bytes_back = b[1];
		ev.duration_ms = sock_loop_now_ms() - s->start_ms;
	}
	f->fn(&ev, f->arg);
}

/* ---- the pools ------------------------------------------------------ */

static void wake_waiters(struct sock_forward *f);

int sock__fwd_take_buf(struct sock_forward *f, int large, char **buf,
		       size_t *size)
{
	size_t want = FWD_BUF;

	if (!large && f->held + FWD_BUF > f->hold_max / 4)
		want = FWD_SMALL;
	if (f->held + want > f->hold_max)
		return -ENOBUFS;
	if (want == FWD_BUF && f->nbufs)
		*buf = f->bufs[--f->nbufs];
	else if (!(*buf = malloc(want)))
		return -ENOMEM;
	*size = want;
	f->held += want;
	return 0;
}

/* Only FWD_BUF buffers are pooled: a small one is lent in a squeeze. */
static int pool_buf(struct sock_forward *f, char *buf, size_t size)
{
	if (size != FWD_BUF || f->nbufs >= FWD_POOL_MAX)
		return 0;
	if (!f->bufs && !(f->bufs = malloc(FWD_POOL_MAX * sizeof(*f->bufs))))
		return 0;
	f->bufs[f->nbufs++] = buf;
	return 1;
}

void sock__fwd_give_buf(struct sock_forward *f, char *buf, size_t size)
{
	f->held -= size;
	if (!pool_buf(f, buf, size))
		free(buf);
	wake_waiters(f);
}

int sock__fwd_take_pipe(struct sock_forward *f, int p[2])
{
	if (f->pipes_lent >= f->pipes_max)
		return -ENOBUFS;
	if (f->npipes) {
		f->npipes--;
		p[0] = f->pipes[f->npipes][0];
		p[1] = f->pipes[f->npipes][1];
	} else if (pipe2(p, O_CLOEXEC | O_NONBLOCK) < 0) {
		return -errno;
	} else {
		/* A larger pipe is an optimisation only: keep the default
		 * size when the kernel refuses (a user over its pipe page
		 * quota). */
		fcntl(p[0], F_SETPIPE_SZ, FWD_PIPE);
	}
	f->pipes_lent++;
	return 0;
}

void sock__fwd_drop_pipe(struct sock_forward *f, int p[2])
{
	close(p[0]);
	close(p[1]);
	p[0] = p[1] = -1;
	f->pipes_lent--;
}

/* Only an empty pipe goes back to the pool: bytes left in it would leak
 * into another session. */
void sock__fwd_give_pipe(struct sock_forward *f, int p[2])
{
	if (f->npipes >= FWD_POOL_MAX ||
	    (!f->pipes &&
	     !(f->pipes = malloc(FWD_POOL_MAX * sizeof(*f->pipes))))) {
		sock__fwd_drop_pipe(f, p);
		return;
	}
	f->pipes[f->npipes][0] = p[0];
	f->pipes[f->npipes][1] = p[1];
	f->npipes++;
	f->pipes_lent--;
	p[0] = p[1] = -1;
}

/* ---- sessions waiting for a buffer ---------------------------------- */

void sock__fwd_wait(struct fwd_session *s)
{
	struct sock_forward *f = s->f;

	if (s->waiting)
		return;
	s->waiting = 1;
	s->wnext = NULL;
	s->wprev = f->wait_tail;
	if (f->wait_tail)
		f->wait_tail->wnext = s;
	else
		f->wait_head = s;
	f->wait_tail = s;
	f->nwaiting++;
}

static void stop_waiting(struct fwd_session *s)
{
	struct sock_forward *f = s->f;

	if (!s->waiting)
		return;
	if (s->wprev)
		s->wprev->wnext = s->wnext;
	else
		f->wait_head = s->wnext;
	if (s->wnext)
		s->wnext->wprev = s->wprev;
	else
		f->wait_tail = s->wprev;
	s->waiting = 0;
	f->nwaiting--;
}

/* Wake the sessions that waited when the wake-up was due, oldest first,
 * while there is room: one that finds none waits again, at the back. */
static void on_wake(struct sock_loop *loop, void *arg)
{
	struct sock_forward *f = arg;
	size_t n = f->nwaiting; /* those that wait again come after */

	(void)loop;
	f->wake_timer = 0;
	while (n-- && f->wait_head && f->held + FWD_SMALL <= f->hold_max) {
		struct fwd_session *s = f->wait_head;

		stop_waiting(s);
		f->v->wake(s);
	}
}

/* From the loop, not at once: a buffer comes back in the middle of a
 * session's work, and the woken one may be that very session. */
static void wake_waiters(struct sock_forward *f)
{
	if (!f->wait_head || f->wake_timer || f->stopped)
		return;
	f->wake_timer = sock_loop_timer(f->loop, 0, on_wake, f);
	if (f->wake_timer < 0)
		f->wake_timer = 0;
}

void sock__fwd_count(struct sock_forward *f, unsigned long long datagrams,
		     unsigned long long dropped)
{
	f->st.datagrams += datagrams;
	f->st.dropped += dropped;
}

int sock__fwd_short(int err)
{
	return err == -EMFILE || err == -ENFILE || err == -ENOMEM ||
	       err == -ENOBUFS;
}

/* ---- the listener --------------------------------------------------- */

void sock__fwd_watch_listener(struct sock_forward *f, int on)
{
	if (f->watching != on && !f->stopped)
		sock_loop_mod(f->loop, f->lfd, on ? EPOLLIN : 0);
	f->watching = on;
}

static int full(const struct sock_forward *f)
{
	return f->o.max_sessions && f->st.open >= f->o.max_sessions;
}

static void on_accept_retry(struct sock_loop *loop, void *arg)
{
	struct sock_forward *f = arg;

	(void)loop;
	f->accept_timer = 0;
	if (!full(f))
		sock__fwd_watch_listener(f, 1);
}

/* Out of descriptors: the pipes kept for the next burst are descriptors
 * a client could use (a direction without a pipe copies instead). */
static void close_pooled_pipes(struct sock_forward *f)
{
	while (f->npipes) {
		f->npipes--;
		close(f->pipes[f->npipes][0]);
		close(f->pipes[f->npipes][1]);
	}
}

/* Out of descriptors or memory: say so once per pause, and let sessions
 * end before trying again. */
static void pause_accepting(struct sock_forward *f, int err)
{
	if (err == -EMFILE || err == -ENFILE)
		close_pooled_pipes(f);
	sock__fwd_event(f, SOCK_FORWARD_ACCEPT_FAILED, NULL, 0, err);
	sock__fwd_watch_listener(f, 0);
	f->accept_timer =
	    sock_loop_timer(f->loop, ACCEPT_RETRY_MS, on_accept_retry, f);
	if (f->accept_timer < 0) {
		f->accept_timer = 0;
		sock__fwd_watch_listener(f, 1);
	}
}

/* Errors that belong to one client, which has gone: take the next. */
static int client_gone(int err)
{
	return err == ECONNABORTED || err == EPROTO || err == EPERM ||
	       err == ENETDOWN || err == ENETUNREACH || err == EHOSTUNREACH ||
	       err == EHOSTDOWN || err == ENONET || err == EOPNOTSUPP;
}

/* A client the acl refuses is closed at once: it never reaches the
 * target.  Returns 1 when c may come in. */
static int admit(struct sock_forward *f, int c, const struct sockaddr *peer,
		 socklen_t len)
{
	struct sock_forward_event ev = { .type = SOCK_FORWARD_REFUSED,
					 .peer = peer,
					 .peer_len = len };
	uid_t uid;
	int ret = sock_acl_admit(f->o.acl, c, peer, len, &uid);

	if (ret == 1)
		return 1;
	sock__close(c);
	ev.err = ret < 0 ? ret : 0;
	ev.uid = (unsigned int)uid;
	if (f->fn)
		f->fn(&ev, f->arg);
	return 0;
}

static void on_listener(struct sock_loop *loop, int fd, uint32_t events,
			void *arg)
{
	struct sock_forward *f = arg;

	(void)loop;
	(void)events;
	for (int i = 0; i < ACCEPT_BATCH && !f->stopped; i++) {
		struct sockaddr_storage peer;
		socklen_t len = sizeof(peer);
		int c;

		if (full(f)) {
			sock__fwd_watch_listener(f, 0);
			return;
		}
		c = sock__accept4(fd, (struct sockaddr *)&peer, &len,
				  SOCK_CLOEXEC | SOCK_NONBLOCK);
		if (c >= 0 &&
		    (!f->o.acl || admit(f, c, (struct sockaddr *)&peer, len)))
			f->v->accept(f, c, (struct sockaddr *)&peer, len);
		else if (c >= 0)
			continue;
		else if (errno == EAGAIN || errno == EINTR)
			return;
		else if (!client_gone(errno))
			return pause_accepting(f, -errno);
	}
}

/* ---- sessions ------------------------------------------------------- */

struct fwd_session *sock__fwd_session_new(struct sock_forward *f,
					  const struct sockaddr *peer,
					  socklen_t peer_len)
{
	struct fwd_session *s = calloc(1, f->v->session_size);

	if (!s)
		return NULL;
	s->f = f;
	s->id = ++f->next_id;
	s->fd[0] = s->fd[1] = -1;
	s->start_ms = s->last_ms = sock_loop_now_ms();
	if (peer_len > sizeof(s->peer))
		peer_len = sizeof(s->peer);
	memcpy(&s->peer, peer, peer_len);
	s->peer_len = peer_len;
	s->next = f->head;
	if (f->head)
		f->head->prev = s;
	f->head = s;
	f->st.sessions++;
	f->st.open++;
	sock__fwd_event(f, SOCK_FORWARD_OPENED, s, 0, 0);
	return s;
}

static void unlink_session(struct fwd_session *s)
{
	struct sock_forward *f = s->f;

	if (s->prev)
		s->prev->next = s->next;
	else
		f->head = s->next;
	if (s->next)
		s->next->prev = s->prev;
}

/* An abortive close: SO_LINGER 0 turns close() into a TCP reset, the
 * one way to tell a peer that the far end failed (not merely finished). */
static void close_side(struct sock_forward *f, int fd, int reset)
{
	if (fd < 0)
		return;
	sock_loop_del(f->loop, fd);
	if (reset)
		sock__setsockopt_linger(fd, 1, 0);
	sock__close(fd);
}

void sock__fwd_session_end(struct fwd_session *s, enum sock_forward_end end,
			   int err)
{
	struct sock_forward *f = s->f;
	int stream = f->v->stream;
	unsigned long long b[2];

	if (s->timer)
		sock_loop_timer_cancel(f->loop, s->timer);
	stop_waiting(s);
	f->v->release(s);
	close_side(f, s->fd[0], stream && err);
	close_side(f, s->fd[1], stream && err);
	f->v->bytes(s, b);
	f->st.open--;
	f->st.bytes_out += b[0];
	f->st.bytes_back += b[1];
	if (end == SOCK_FORWARD_END_UNREACHABLE)
		f->st.unreachable++;
	else if (err)
		f->st.errors++;
	sock__fwd_event(f, SOCK_FORWARD_CLOSED, s, end, err);
	unlink_session(s);
	free(s);
	if (!f->stopped && !f->accept_timer && !full(f) && stream)
		sock__fwd_watch_listener(f, 1);
}

/* ---- the forwarder -------------------------------------------------- */

static void free_variant(struct sock_forward *f)
{
	if (f->v->free && f->vstate)
		f->v->free(f, f->vstate);
	f->vstate = NULL;
}

struct sock_forward *sock__fwd_create(struct sock_loop *loop, int lfd,
				      enum sock_kind from,
				      const struct sock_target *target,
				      const struct sock_forward_opts *o,
				      const struct fwd_variant *v, int splice,
				      sock_forward_event_fn fn, void *arg)
{
	struct sock_forward *f = calloc(1, sizeof(*f));
	int ret;

	if (!f)
		return NULL;
	*f = (struct sock_forward){ .loop = loop,
				    .lfd = lfd,
				    .from = from,
				    .target = target,
				    .o = *o,
				    .v = v,
				    .splice = splice,
				    .fn = fn,
				    .arg = arg,
				    .watching = 1 };
	f->hold_max = o->max_held ? o->max_held : FWD_HOLD_MAX;
	if (f->hold_max < FWD_BUF)
		f->hold_max = FWD_BUF; /* room for one whole message */
	f->pipes_max = f->hold_max / FWD_HOLD_PER_PIPE;
	fcntl(lfd, F_SETFL, fcntl(lfd, F_GETFL) | O_NONBLOCK);
	/* A stream variant is fed by the accept loop here. */
	if (v->start)
		ret = v->start(f, &f->vstate);
	else
		ret = sock_loop_add(loop, lfd, EPOLLIN, on_listener, f);
	if (ret) {
		free_variant(f);
		free(f);
		errno = -ret;
		return NULL;
	}
	return f;
}

void sock__fwd_stop(struct sock_forward *f)
{
	if (f->stopped)
		return;
	sock_loop_del(f->loop, f->lfd);
	f->stopped = 1;
	if (f->accept_timer)
		sock_loop_timer_cancel(f->loop, f->accept_timer);
	f->accept_timer = 0;
	if (f->wake_timer)
		sock_loop_timer_cancel(f->loop, f->wake_timer);
	f->wake_timer = 0;
	while (f->head)
		sock__fwd_session_end(f->head, SOCK_FORWARD_END_STOPPED, 0);
	free_variant(f);
}

void sock__fwd_destroy(struct sock_forward *f)
{
	sock__fwd_stop(f);
	free_variant(f);
	for (size_t i = 0; i < f->nbufs; i++)
		free(f->bufs[i]);
	close_pooled_pipes(f);
	free(f->bufs);
	free(f->pipes);
	free(f);
}

void sock__fwd_stats(const struct sock_forward *f,
		     struct sock_forward_stats *out)
{
	*out = f->st;
	/* Sessions still open have moved bytes too. */
	for (const struct fwd_session *s = f->head; s; s = s->next) {
		unsigned long long b[2];

		f->v->bytes(s, b);
		out->bytes_out += b[0];
		out->bytes_back += b[1];
	}
}
