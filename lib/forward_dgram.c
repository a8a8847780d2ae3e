/*
 * lib/forward_dgram.c - datagram sessions of the relay server.
 *
 * One bound socket takes every client's datagrams; each client address
 * gets a session with its own socket connected to the target, so the
 * target's replies arrive already sorted by client and go back out of
 * the bound socket to that address.  Datagrams travel in batches
 * (recvmmsg/sendmmsg): one system call per batch instead of one per
 * datagram is most of what a UDP relay can save.
 *
 * Nothing the relay has read is dropped because a queue is full: a Unix
 * datagram receiver's queue holds only max_dgram_qlen (10) datagrams, and
 * a direct sender would simply wait.  When the target's queue is full, the
 * relay stops reading clients until it drains; when a client's queue is
 * full, its replies wait in a small stash and its session stops reading
 * the target meanwhile.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include "forward_internal.h"
#include "sys.h"

/* Datagrams per batch. */
#define DG_BATCH 32
/* A UDP payload is at most 65507 bytes; a Unix datagram may be as large
 * as the sender's buffer (208 KiB by default), so fewer fit a batch. */
#define DG_UDP_SLOT 65536
#define DG_UNIX_SLOT (256 * 1024)
#define DG_UNIX_BATCH 8
#define DG_TABLE_MIN 256
/* A client whose queue was full is offered its replies again after: */
#define DG_RETRY_MS 5

struct dg_batch {
	char *bufs;
	struct mmsghdr msgs[DG_BATCH];
	struct iovec iov[DG_BATCH];
	struct sockaddr_storage addrs[DG_BATCH];
};

struct fwd_dgram {
	/* Sessions by client address. */
	struct fwd_dgram_session **table;
	size_t table_size;
	int sweep_timer;
	size_t slot;
	unsigned int n; /* datagrams per batch */
	struct dg_batch in, out;
	/* in[next..count) were read from clients and not yet passed on;
	 * blocked is the session whose target refused in[next]. */
	unsigned int next, count;
	struct fwd_dgram_session *blocked;
	int resume_timer;
	/* Per datagram of in: its session (NULL: dropped) and whether it
	 * has gone out; tx sends one session's datagrams in one call. */
	struct fwd_dgram_session *sess[DG_BATCH];
	unsigned char sent[DG_BATCH];
	struct mmsghdr tx[DG_BATCH];
};

/* Replies a client's queue refused, in order. */
struct fwd_stash {
	unsigned int first, n;
	size_t len[DG_BATCH];
	char *data[DG_BATCH];
};

/* A client address and its socket towards the target. */
struct fwd_dgram_session {
	struct fwd_session head; /* first: the core allocates and frees */
	struct fwd_dgram_session *hnext; /* the address table's chain */
	struct fwd_stash *stash;     /* replies the client's queue refused */
	unsigned long long bytes[2]; /* client -> target, back */
};
_Static_assert(offsetof(struct fwd_dgram_session, head) == 0,
	       "the head comes first");

static struct fwd_dgram_session *dgram_of(const struct fwd_session *h)
{
	return fwd_container_of(h, struct fwd_dgram_session);
}

/* The variant's state, which the core holds for it. */
static struct fwd_dgram *dg_of(const struct sock_forward *f)
{
	return f->vstate;
}

/* ---- sessions by client address ------------------------------------ */

static size_t hash_addr(const struct sockaddr_storage *a, socklen_t len)
{
	const unsigned char *p = (const unsigned char *)a;
	size_t h = 1469598103934665603ULL;

	for (socklen_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 1099511628211ULL;
	return h;
}

static struct fwd_dgram_session **
bucket(struct sock_forward *f, const struct sockaddr_storage *a, socklen_t len)
{
	struct fwd_dgram *d = dg_of(f);

	return &d->table[hash_addr(a, len) & (d->table_size - 1)];
}

static struct fwd_dgram_session *
find(struct sock_forward *f, const struct sockaddr_storage *a, socklen_t len)
{
	struct fwd_dgram_session *s = *bucket(f, a, len);

	while (s && (s->head.peer_len != len || memcmp(&s->head.peer, a, len)))
		s = s->hnext;
	return s;
}

/* Keep chains short: twice the buckets once sessions outnumber them. */
static void grow_table(struct sock_forward *f)
{
	struct fwd_dgram *d = dg_of(f);
	size_t old = d->table_size, size = old * 2;
	struct fwd_dgram_session **t, **was = d->table;

	if (f->st.open <= old || !(t = calloc(size, sizeof(*t))))
		return;
	d->table = t;
	d->table_size = size;
	for (size_t i = 0; i < old; i++) {
		while (was[i]) {
			struct fwd_dgram_session *s = was[i];
			struct fwd_dgram_session **b =
			    bucket(f, &s->head.peer, s->head.peer_len);

			was[i] = s->hnext;
			s->hnext = *b;
			*b = s;
		}
	}
	free(was);
}

/* What a session's socket is watched for: the target's replies unless
 * some wait for the client, and room when the target's queue was full. */
static void watch_session(struct fwd_dgram_session *s)
{
	uint32_t ev = s->stash ? 0 : EPOLLIN;

	if (dg_of(s->head.f)->blocked == s)
		ev |= EPOLLOUT;
	sock_loop_mod(s->head.f->loop, s->head.fd[1], ev);
}

static void free_stash(struct fwd_dgram_session *s)
{
	struct fwd_stash *st = s->stash;

	if (!st)
		return;
	for (unsigned int i = st->first; i < st->n; i++)
		free(st->data[i]);
	sock__fwd_count(s->head.f, 0, st->n - st->first);
	free(st);
	s->stash = NULL;
}

static void on_resume(struct sock_loop *loop, void *arg);

static void forget(struct fwd_session *h)
{
	struct fwd_dgram_session *s = dgram_of(h);
	struct sock_forward *f = h->f;
	struct fwd_dgram *d = dg_of(f);
	struct fwd_dgram_session **p;

	free_stash(s);
	for (unsigned int i = d ? d->next : 0; d && i < d->count; i++) {
		if (d->sess[i] == s && !d->sent[i]) {
			d->sent[i] = 1;
			sock__fwd_count(f, 0, 1);
		}
		if (d->sess[i] == s)
			d->sess[i] = NULL;
	}
	if (d && d->blocked == s) {
		/* Its target never drained: its datagrams are given up;
		 * the rest of the batch goes on from the loop. */
		d->blocked = NULL;
		if (!d->resume_timer)
			d->resume_timer =
			    sock_loop_timer(f->loop, 0, on_resume, f);
		if (d->resume_timer < 0)
			d->resume_timer = 0;
	}
	if (!d || !d->table)
		return;
	p = bucket(f, &s->head.peer, s->head.peer_len);
	while (*p && *p != s)
		p = &(*p)->hnext;
	if (*p)
		*p = s->hnext;
}

/* ---- idle expiry ---------------------------------------------------- */

static long sweep_every(const struct sock_forward *f)
{
	long ms = f->o.udp_idle_ms / 4;

	return ms < 25 ? 25 : ms > 5000 ? 5000 : ms;
}

static void on_sweep(struct sock_loop *loop, void *arg);

static void arm_sweep(struct sock_forward *f)
{
	struct fwd_dgram *d = dg_of(f);

	if (d->sweep_timer || f->o.udp_idle_ms <= 0 || !f->head)
		return;
	d->sweep_timer = sock_loop_timer(f->loop, sweep_every(f), on_sweep, f);
	if (d->sweep_timer < 0)
		d->sweep_timer = 0;
}

static void on_sweep(struct sock_loop *loop, void *arg)
{
	struct sock_forward *f = arg;
	long long now = sock_loop_now_ms();
	struct fwd_session *s = f->head, *next;

	(void)loop;
	dg_of(f)->sweep_timer = 0;
	for (; s; s = next) {
		next = s->next;
		if (now - s->last_ms >= f->o.udp_idle_ms)
			sock__fwd_session_end(s, SOCK_FORWARD_END_IDLE, 0);
	}
	arm_sweep(f);
}

/* ---- batches -------------------------------------------------------- */

static void prepare(struct fwd_dgram *d, struct dg_batch *b, int named)
{
	for (unsigned int i = 0; i < d->n; i++) {
		struct msghdr *h = &b->msgs[i].msg_hdr;

		b->iov[i].iov_base = b->bufs + i * d->slot;
		b->iov[i].iov_len = d->slot;
		*h = (struct msghdr){ .msg_iov = &b->iov[i], .msg_iovlen = 1 };
		if (named) {
			h->msg_name = &b->addrs[i];
			h->msg_namelen = sizeof(b->addrs[i]);
		}
	}
}

/* Whole datagrams only: a truncated one is dropped, not passed on cut. */
static int whole(const struct dg_batch *b, unsigned int i)
{
	return !(b->msgs[i].msg_hdr.msg_flags & MSG_TRUNC);
}

/* ---- the target's replies ------------------------------------------ */

/* Send out[0..n) (already named) from fd.  Returns how many left: the
 * first of them met a full queue.  Other failures (a client gone) drop
 * one datagram and not the rest of the batch. */
static unsigned int send_batch(struct sock_forward *f, int fd, unsigned int n)
{
	struct dg_batch *b = &dg_of(f)->out;
	unsigned int done = 0;

	while (done < n) {
		int k =
		    sock__sendmmsg(fd, b->msgs + done, n - done, MSG_DONTWAIT);

		if (k < 0 && errno == EAGAIN)
			return done;
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			sock__fwd_count(f, 0, 1);
			done++;
			continue;
		}
		done += (unsigned int)k;
	}
	return done;
}

static void on_stash_retry(struct sock_loop *loop, void *arg);

/* Offer the stash to the client again; returns 1 when it is empty. */
static int flush_stash(struct fwd_dgram_session *s)
{
	struct fwd_stash *st = s->stash;

	while (st->first < st->n) {
		unsigned int i = st->first;

		if (sock__sendto(s->head.f->lfd, st->data[i], st->len[i],
				 MSG_DONTWAIT | MSG_NOSIGNAL,
				 (struct sockaddr *)&s->head.peer,
				 s->head.peer_len) < 0) {
			if (errno == EAGAIN)
				return 0;
			sock__fwd_count(s->head.f, 0, 1);
		} else {
			s->bytes[1] += st->len[i];
			sock__fwd_count(s->head.f, 1, 0);
		}
		free(st->data[i]);
		st->first++;
	}
	free(st);
	s->stash = NULL;
	return 1;
}

static void retry_later(struct fwd_dgram_session *s)
{
	s->head.timer =
	    sock_loop_timer(s->head.f->loop, DG_RETRY_MS, on_stash_retry, s);
	if (s->head.timer < 0)
		s->head.timer = 0;
}

static void on_stash_retry(struct sock_loop *loop, void *arg)
{
	struct fwd_dgram_session *s = arg;

	(void)loop;
	s->head.timer = 0;
	if (flush_stash(s))
		watch_session(s);
	else
		retry_later(s);
}

/* The client's queue is full: keep out[from..n) for it.  An unconnected
 * socket cannot be polled for one peer's room, so a timer asks again. */
static void stash(struct fwd_dgram_session *s, unsigned int from,
		  unsigned int n)
{
	struct dg_batch *b = &dg_of(s->head.f)->out;
	struct fwd_stash *st = calloc(1, sizeof(*st));

	for (unsigned int i = from; st && i < n; i++) {
		size_t len = b->iov[i].iov_len;

		st->data[st->n] = malloc(len ? len : 1);
		if (!st->data[st->n])
			break;
		memcpy(st->data[st->n], b->iov[i].iov_base, len);
		st->len[st->n++] = len;
	}
	sock__fwd_count(s->head.f, 0, n - from - (st ? st->n : 0));
	s->stash = st;
	if (!st)
		return;
	watch_session(s);
	retry_later(s);
}

/* Name what arrived from the target with the client's address, dropping
 * cut datagrams; returns how many are ready to send. */
static unsigned int address_replies(struct fwd_dgram_session *s, int n)
{
	struct dg_batch *b = &dg_of(s->head.f)->out;
	unsigned int out = 0;

	for (int i = 0; i < n; i++) {
		struct msghdr *h = &b->msgs[out].msg_hdr;
		size_t len = b->msgs[i].msg_len;

		if (!whole(b, (unsigned int)i)) {
			sock__fwd_count(s->head.f, 0, 1);
			continue;
		}
		b->iov[out].iov_base = b->iov[i].iov_base;
		b->iov[out].iov_len = len;
		*h = (struct msghdr){ .msg_iov = &b->iov[out],
				      .msg_iovlen = 1,
				      .msg_name = &s->head.peer,
				      .msg_namelen = s->head.peer_len };
		s->bytes[1] += len;
		out++;
	}
	return out;
}

static void read_replies(struct fwd_dgram_session *s)
{
	struct sock_forward *f = s->head.f;
	struct fwd_dgram *d = dg_of(f);
	unsigned int out, sent;
	int n;

	prepare(d, &d->out, 0);
	n = sock__recvmmsg(s->head.fd[1], d->out.msgs, d->n, MSG_DONTWAIT,
			   NULL);
	if (n < 0) {
		/* ECONNREFUSED: nothing listens there (an ICMP answer to
		 * an earlier datagram); the next datagram tries anew. */
		if (errno != EAGAIN && errno != EINTR)
			sock__fwd_session_end(
			    &s->head, SOCK_FORWARD_END_UNREACHABLE, -errno);
		return;
	}
	out = address_replies(s, n);
	s->head.last_ms = sock_loop_now_ms();
	sent = send_batch(f, f->lfd, out);
	sock__fwd_count(f, sent, 0);
	if (sent < out) {
		for (unsigned int i = sent; i < out; i++)
			s->bytes[1] -= d->out.iov[i].iov_len;
		stash(s, sent, out);
	}
}

/* ---- clients' datagrams -------------------------------------------- */

static void pass_on(struct sock_forward *f);

/* An error on the session's socket (ICMP port unreachable from a target
 * that died) while its replies wait for the client: nothing reads the
 * socket then, and EPOLLERR, reported whatever the watch, would wake the
 * loop at once, forever.  Taking the error clears it; the stashed replies
 * still go to the client, and the client's next datagram meets the
 * target's state anew (read_replies() ends the session on an error). */
static void take_error(struct fwd_dgram_session *s)
{
	int err = 0;

	sock__getsockopt_error(s->head.fd[1], &err);
}

static void on_session(struct sock_loop *loop, int fd, uint32_t ev, void *arg)
{
	struct fwd_dgram_session *s = arg;
	struct sock_forward *f = s->head.f;
	struct fwd_dgram *d = dg_of(f);

	(void)loop;
	(void)fd;
	if ((ev & (EPOLLOUT | EPOLLERR)) && d->blocked == s) {
		d->blocked = NULL;
		watch_session(s);
		pass_on(f);
	}
	if ((ev & (EPOLLIN | EPOLLERR)) && !s->stash)
		read_replies(s);
	else if (ev & EPOLLERR)
		take_error(s);
}
/* A Unix datagram larger than the sending socket's SO_SNDBUF (208 KiB
 * by default) is refused (EMSGSIZE): the relay's own sending sockets
 * get room for the largest one it takes in, and one more in flight.
 * The kernel doubles the value and caps it at wmem_max, which is
 * still enough (2 * 208 KiB) where that is the default. */
static void room_to_send(int fd, enum sock_kind kind)
{
	if (kind == SOCK_KIND_UNIX_DGRAM)
		sock__setsockopt_int(fd, SOL_SOCKET, SO_SNDBUF,
				     2 * DG_UNIX_SLOT);
}

/* A new client: a socket of its own towards the target, the first of
 * the target's addresses that takes a connect(). */
static struct fwd_dgram_session *open_session(struct sock_forward *f,
					      const struct sockaddr_storage *a,
					      socklen_t len)
{
	struct fwd_dgram_session *s;
	struct fwd_session *h;
	int fd = -EHOSTUNREACH, pending;

	if (f->o.max_sessions && f->st.open >= f->o.max_sessions)
		return NULL;
	h = sock__fwd_session_new(f, (const struct sockaddr *)a, len);
	if (!h)
		return NULL;
	s = dgram_of(h);
	for (size_t i = 0; i < f->target->n && fd < 0; i++)
		fd = sock_connect_start(f->target, i, &pending);
	if (fd >= 0) {
		s->head.fd[1] = fd;
		room_to_send(fd, f->target->kind);
		if (sock_loop_add(f->loop, fd, EPOLLIN, on_session, s))
			fd = -ENOMEM;
	}
	if (fd < 0) {
		/* Out of descriptors is the relay's shortage, not TO's. */
		sock__fwd_session_end(&s->head,
				      sock__fwd_short(fd)
					  ? SOCK_FORWARD_END_RELAY
					  : SOCK_FORWARD_END_UNREACHABLE,
				      fd);
		return NULL;
	}
	s->hnext = *bucket(f, a, len);
	*bucket(f, a, len) = s;
	grow_table(f);
	arm_sweep(f);
	return s;
}

enum { DG_DONE, DG_BLOCKED };

/* Find or open the session of every datagram just read; the ones cut
 * short or without a session are dropped. */
static void assign(struct sock_forward *f)
{
	struct fwd_dgram *d = dg_of(f);
	struct dg_batch *b = &d->in;
	long long now = sock_loop_now_ms();

	memset(d->sess, 0, sizeof(d->sess));
	for (unsigned int i = 0; i < d->count; i++) {
		socklen_t len = b->msgs[i].msg_hdr.msg_namelen;
		struct fwd_dgram_session *s = NULL;

		d->sent[i] = 1;
		b->iov[i].iov_len = b->msgs[i].msg_len;
		if (whole(b, i) && !(s = find(f, &b->addrs[i], len)))
			s = open_session(f, &b->addrs[i], len);
		if (!s) {
			sock__fwd_count(f, 0, 1);
			continue;
		}
		s->head.last_ms = now;
		d->sess[i] = s;
		d->sent[i] = 0;
	}
}

static void sent_one(struct sock_forward *f, struct fwd_dgram_session *s,
		     unsigned int i)
{
	struct fwd_dgram *d = dg_of(f);

	d->sent[i] = 1;
	s->bytes[0] += d->in.iov[i].iov_len;
	sock__fwd_count(f, 1, 0);
}

/* Send every datagram of in[from..count) that belongs to s, in order, in
 * one sendmmsg: with one busy client, the whole batch is one call. */
static int send_group(struct sock_forward *f, struct fwd_dgram_session *s,
		      unsigned int from)
{
	struct fwd_dgram *d = dg_of(f);
	unsigned int idx[DG_BATCH], n = 0, k = 0;

	for (unsigned int j = from; j < d->count; j++) {
		if (d->sent[j] || d->sess[j] != s)
			continue;
		d->tx[n].msg_hdr = (struct msghdr){ .msg_iov = &d->in.iov[j],
						    .msg_iovlen = 1 };
		idx[n++] = j;
	}
	while (k < n) {
		int r = sock__sendmmsg(s->head.fd[1], d->tx + k, n - k,
				       MSG_DONTWAIT | MSG_NOSIGNAL);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && errno == EAGAIN) {
			d->blocked = s;
			watch_session(s);
			return DG_BLOCKED;
		}
		if (r <= 0) {
			/* Refused (ECONNREFUSED from an earlier ICMP...):
			 * this one is lost, the rest still go. */
			d->sent[idx[k++]] = 1;
			sock__fwd_count(f, 0, 1);
			continue;
		}
		for (int q = 0; q < r; q++)
			sent_one(f, s, idx[k++]);
	}
	return DG_DONE;
}

/* Pass on what the last batch still holds; while a target's queue is
 * full, no more is read from clients. */
static void pass_on(struct sock_forward *f)
{
	struct fwd_dgram *d = dg_of(f);

	while (d->next < d->count && !f->stopped) {
		if (!d->sent[d->next] &&
		    send_group(f, d->sess[d->next], d->next) == DG_BLOCKED) {
			sock__fwd_watch_listener(f, 0);
			return;
		}
		d->next++;
	}
	d->next = d->count = 0;
	sock__fwd_watch_listener(f, 1);
}

static void on_resume(struct sock_loop *loop, void *arg)
{
	struct sock_forward *f = arg;
	struct fwd_dgram *d = dg_of(f);

	(void)loop;
	d->resume_timer = 0;
	if (!d->blocked)
		pass_on(f);
}

static void on_clients(struct sock_loop *loop, int fd, uint32_t ev, void *arg)
{
	struct sock_forward *f = arg;
	struct fwd_dgram *d = dg_of(f);
	int n;

	(void)loop;
	(void)ev;
	if (d->count)
		return;
	prepare(d, &d->in, 1);
	n = sock__recvmmsg(fd, d->in.msgs, d->n, MSG_DONTWAIT, NULL);
	if (n <= 0)
		return;
	d->count = (unsigned int)n;
	d->next = 0;
	assign(f);
	pass_on(f);
}

static int start(struct sock_forward *f, void **state)
{
	int unix_kind = f->from == SOCK_KIND_UNIX_DGRAM ||
			f->target->kind == SOCK_KIND_UNIX_DGRAM;
	struct fwd_dgram *d = calloc(1, sizeof(*d));

	if (!d)
		return -ENOMEM;
	*state = d;
	d->slot = unix_kind ? DG_UNIX_SLOT : DG_UDP_SLOT;
	d->n = unix_kind ? DG_UNIX_BATCH : DG_BATCH;
	d->in.bufs = malloc(d->slot * d->n);
	d->out.bufs = malloc(d->slot * d->n);
	d->table_size = DG_TABLE_MIN;
	d->table = calloc(d->table_size, sizeof(*d->table));
	if (!d->in.bufs || !d->out.bufs || !d->table)
		return -ENOMEM;
	room_to_send(f->lfd, f->from);
	return sock_loop_add(f->loop, f->lfd, EPOLLIN, on_clients, f);
}

static void free_all(struct sock_forward *f, void *state)
{
	struct fwd_dgram *d = state;

	if (d->sweep_timer)
		sock_loop_timer_cancel(f->loop, d->sweep_timer);
	if (d->resume_timer)
		sock_loop_timer_cancel(f->loop, d->resume_timer);
	free(d->in.bufs);
	free(d->out.bufs);
	free(d->table);
	free(d);
}

static void bytes(const struct fwd_session *h, unsigned long long b[2])
{
	const struct fwd_dgram_session *s = dgram_of(h);

	b[0] = s->bytes[0];
	b[1] = s->bytes[1];
}

const struct fwd_variant sock__fwd_dgram = { .session_size = sizeof(
						 struct fwd_dgram_session),
					     .start = start,
					     .release = forget,
					     .bytes = bytes,
					     .free = free_all };
