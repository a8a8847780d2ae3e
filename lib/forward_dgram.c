/*
 * lib/forward_dgram.c - datagram sessions of the relay server.
 *
 * One bound socket takes every client's datagrams; each client address
 * gets a session with its own socket connected to the target, so the
 * target's replies arrive already sorted by client and go back out of
 * the bound socket to that address.  Datagrams travel in batches
 * (recvmmsg/sendmmsg): one system call per batch instead of one per
 * datagram is most of what a UDP relay can save.
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

struct fwd_batch {
	size_t slot;
	unsigned int n;
	char *bufs;
	struct mmsghdr msgs[DG_BATCH];
	struct iovec iov[DG_BATCH];
	struct sockaddr_storage addrs[DG_BATCH];
};

/* ---- sessions by client address ------------------------------------ */

static size_t hash_addr(const struct sockaddr_storage *a, socklen_t len)
{
	const unsigned char *p = (const unsigned char *)a;
	size_t h = 1469598103934665603ULL;

	for (socklen_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 1099511628211ULL;
	return h;
}

static struct fwd_session **
bucket(struct sock_forward *f, const struct sockaddr_storage *a, socklen_t len)
{
	return &f->table[hash_addr(a, len) & (f->table_size - 1)];
}

static struct fwd_session *find(struct sock_forward *f,
				const struct sockaddr_storage *a, socklen_t len)
{
	struct fwd_session *s = *bucket(f, a, len);

	while (s && (s->peer_len != len || memcmp(&s->peer, a, len)))
		s = s->hnext;
	return s;
}

/* Keep chains short: twice the buckets once sessions outnumber them. */
static void grow_table(struct sock_forward *f)
{
	size_t old = f->table_size, size = old * 2;
	struct fwd_session **t, **was = f->table;

	if (f->st.open <= old || !(t = calloc(size, sizeof(*t))))
		return;
	f->table = t;
	f->table_size = size;
	for (size_t i = 0; i < old; i++) {
		while (was[i]) {
			struct fwd_session *s = was[i];
			struct fwd_session **b =
			    bucket(f, &s->peer, s->peer_len);

			was[i] = s->hnext;
			s->hnext = *b;
			*b = s;
		}
	}
	free(was);
}

void sock__fwd_dgram_forget(struct fwd_session *s)
{
	struct sock_forward *f = s->f;
	struct fwd_session **p;

	if (!f->table)
		return;
	p = bucket(f, &s->peer, s->peer_len);
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
	if (f->sweep_timer || f->o.udp_idle_ms <= 0 || !f->head)
		return;
	f->sweep_timer = sock_loop_timer(f->loop, sweep_every(f), on_sweep, f);
	if (f->sweep_timer < 0)
		f->sweep_timer = 0;
}

static void on_sweep(struct sock_loop *loop, void *arg)
{
	struct sock_forward *f = arg;
	long long now = sock_loop_now_ms();
	struct fwd_session *s = f->head, *next;

	(void)loop;
	f->sweep_timer = 0;
	for (; s; s = next) {
		next = s->next;
		if (now - s->last_ms >= f->o.udp_idle_ms)
			sock__fwd_session_end(s, SOCK_FORWARD_END_IDLE, 0);
	}
	arm_sweep(f);
}

/* ---- the target's replies ------------------------------------------ */

static void prepare(struct fwd_batch *b, int named)
{
	for (unsigned int i = 0; i < b->n; i++) {
		struct msghdr *h = &b->msgs[i].msg_hdr;

		b->iov[i].iov_base = b->bufs + i * b->slot;
		b->iov[i].iov_len = b->slot;
		*h = (struct msghdr){ .msg_iov = &b->iov[i], .msg_iovlen = 1 };
		if (named) {
			h->msg_name = &b->addrs[i];
			h->msg_namelen = sizeof(b->addrs[i]);
		}
	}
}

/* Whole datagrams only: a truncated one is dropped, not passed on cut. */
static int whole(const struct fwd_batch *b, unsigned int i)
{
	return !(b->msgs[i].msg_hdr.msg_flags & MSG_TRUNC);
}

/* Send the received datagrams (msgs[0..n), already named) out of fd;
 * what the socket refuses now is dropped, as a network would. */
static void send_batch(struct sock_forward *f, int fd, unsigned int n)
{
	struct fwd_batch *b = f->batch;
	unsigned int done = 0;

	while (done < n) {
		int k = sendmmsg(fd, b->msgs + done, n - done, MSG_DONTWAIT);

		if (k <= 0) {
			/* One bad datagram (a client gone) must not take
			 * the rest of the batch with it. */
			if (k < 0 && errno == EINTR)
				continue;
			f->st.dropped++;
			done++;
			continue;
		}
		done += (unsigned int)k;
	}
}

static void on_reply(struct sock_loop *loop, int fd, uint32_t ev, void *arg)
{
	struct fwd_session *s = arg;
	struct sock_forward *f = s->f;
	struct fwd_batch *b = f->batch;
	unsigned int out = 0;
	int n;

	(void)loop;
	(void)ev;
	prepare(b, 0);
	n = recvmmsg(fd, b->msgs, b->n, MSG_DONTWAIT, NULL);
	if (n < 0) {
		/* ECONNREFUSED: nothing listens there (an ICMP answer to
		 * an earlier datagram); the next datagram tries anew. */
		if (errno != EAGAIN && errno != EINTR)
			sock__fwd_session_end(s, SOCK_FORWARD_END_UNREACHABLE,
					      -errno);
		return;
	}
	for (int i = 0; i < n; i++) {
		struct msghdr *h = &b->msgs[out].msg_hdr;

		if (!whole(b, (unsigned int)i)) {
			f->st.dropped++;
			continue;
		}
		b->msgs[out] = b->msgs[i];
		b->iov[out].iov_base = b->iov[i].iov_base;
		b->iov[out].iov_len = b->msgs[i].msg_len;
		h->msg_iov = &b->iov[out];
		h->msg_name = &s->peer;
		h->msg_namelen = s->peer_len;
		s->half[1].bytes += b->msgs[i].msg_len;
		out++;
	}
	s->last_ms = sock_loop_now_ms();
	f->st.datagrams += out;
	send_batch(f, f->lfd, out);
}

/* ---- clients' datagrams -------------------------------------------- */

/* A new client: a socket of its own towards the target, the first of
 * the target's addresses that takes a connect(). */
static struct fwd_session *open_session(struct sock_forward *f,
					const struct sockaddr_storage *a,
					socklen_t len)
{
	struct fwd_session *s;
	int fd = -EHOSTUNREACH, pending;

	if (f->o.max_sessions && f->st.open >= f->o.max_sessions)
		return NULL;
	s = sock__fwd_session_new(f, (const struct sockaddr *)a, len);
	if (!s)
		return NULL;
	for (size_t i = 0; i < f->target->n && fd < 0; i++)
		fd = sock_connect_start(f->target, i, &pending);
	if (fd >= 0) {
		s->fd[1] = fd;
		if (sock_loop_add(f->loop, fd, EPOLLIN, on_reply, s))
			fd = -ENOMEM;
	}
	if (fd < 0) {
		sock__fwd_session_end(s, SOCK_FORWARD_END_UNREACHABLE, fd);
		return NULL;
	}
	s->hnext = *bucket(f, a, len);
	*bucket(f, a, len) = s;
	grow_table(f);
	arm_sweep(f);
	return s;
}

static void forward_one(struct sock_forward *f, unsigned int i, long long now)
{
	struct fwd_batch *b = f->batch;
	socklen_t len = b->msgs[i].msg_hdr.msg_namelen;
	struct fwd_session *s;
	size_t n = b->msgs[i].msg_len;

	if (!whole(b, i)) {
		f->st.dropped++;
		return;
	}
	s = find(f, &b->addrs[i], len);
	if (!s)
		s = open_session(f, &b->addrs[i], len);
	if (!s) {
		f->st.dropped++;
		return;
	}
	s->last_ms = now;
	if (sock__send(s->fd[1], b->iov[i].iov_base, n,
		       MSG_DONTWAIT | MSG_NOSIGNAL) < 0) {
		f->st.dropped++;
		return;
	}
	s->half[0].bytes += n;
	f->st.datagrams++;
}

static void on_client(struct sock_loop *loop, int fd, uint32_t ev, void *arg)
{
	struct sock_forward *f = arg;
	struct fwd_batch *b = f->batch;
	long long now;
	int n;

	(void)loop;
	(void)ev;
	prepare(b, 1);
	n = recvmmsg(fd, b->msgs, b->n, MSG_DONTWAIT, NULL);
	if (n <= 0)
		return;
	now = sock_loop_now_ms();
	for (int i = 0; i < n && !f->stopped; i++)
		forward_one(f, (unsigned int)i, now);
}

int sock__fwd_dgram_start(struct sock_forward *f)
{
	int unix_kind = f->from == SOCK_KIND_UNIX_DGRAM ||
			f->target->kind == SOCK_KIND_UNIX_DGRAM;
	struct fwd_batch *b = calloc(1, sizeof(*b));

	if (!b)
		return -ENOMEM;
	b->slot = unix_kind ? DG_UNIX_SLOT : DG_UDP_SLOT;
	b->n = unix_kind ? DG_UNIX_BATCH : DG_BATCH;
	b->bufs = malloc(b->slot * b->n);
	f->table_size = DG_TABLE_MIN;
	f->table = calloc(f->table_size, sizeof(*f->table));
	f->batch = b;
	if (!b->bufs || !f->table) {
		sock__fwd_dgram_free(f);
		return -ENOMEM;
	}
	return sock_loop_add(f->loop, f->lfd, EPOLLIN, on_client, f);
}

void sock__fwd_dgram_free(struct sock_forward *f)
{
	if (f->sweep_timer)
		sock_loop_timer_cancel(f->loop, f->sweep_timer);
	f->sweep_timer = 0;
	if (f->batch)
		free(f->batch->bufs);
	free(f->batch);
	free(f->table);
	f->batch = NULL;
	f->table = NULL;
}
