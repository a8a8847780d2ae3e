/*
 * lib/copy.c - the copy engine: one direction's read, write and end of
 * data, over the operations of its two ends (sock/copy.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <sock/copy.h>

#include "sys.h"

/* ---- ready-made ends ------------------------------------------------ */

static ssize_t neg(ssize_t n)
{
	return n < 0 ? -errno : n;
}

static ssize_t fd_read(struct sock_copy_end *e, void *buf, size_t len)
{
	return neg(read(e->rfd, buf, len));
}

static ssize_t fd_write(struct sock_copy_end *e, const void *buf, size_t len)
{
	return neg(write(e->wfd, buf, len));
}

const struct sock_copy_ops sock_copy_ops_fd = { fd_read, fd_write, NULL };

static int trunc_flag(const struct sock_copy_end *e)
{
	return e->flags & SOCK_COPY_MESSAGES ? MSG_TRUNC : 0;
}

static ssize_t sk_read(struct sock_copy_end *e, void *buf, size_t len)
{
	return neg(sock__recv(e->rfd, buf, len, trunc_flag(e)));
}

static ssize_t sk_write(struct sock_copy_end *e, const void *buf, size_t len)
{
	return neg(sock__send(e->wfd, buf, len, MSG_NOSIGNAL));
}

static int sk_shutdown(struct sock_copy_end *e)
{
	if (e->flags & SOCK_COPY_CONNECTIONLESS)
		return 0;
	return sock__shutdown(e->wfd, SHUT_WR) < 0 ? -errno : 0;
}

const struct sock_copy_ops sock_copy_ops_socket = { sk_read, sk_write,
						    sk_shutdown };

static ssize_t lp_read(struct sock_copy_end *e, void *buf, size_t len)
{
	struct sockaddr_storage from;
	socklen_t fromlen = sizeof(from);
	ssize_t n = sock__recvfrom(e->rfd, buf, len, MSG_TRUNC,
				   (struct sockaddr *)&from, &fromlen);

	/* An unnamed Unix sender cannot be answered. */
	if (n >= 0 && fromlen > sizeof(sa_family_t)) {
		memcpy(&e->peer, &from, fromlen);
		e->peer_len = fromlen;
	}
	return neg(n);
}

static ssize_t lp_write(struct sock_copy_end *e, const void *buf, size_t len)
{
	return neg(sock__sendto(e->wfd, buf, len, MSG_NOSIGNAL,
				(struct sockaddr *)&e->peer, e->peer_len));
}

const struct sock_copy_ops sock_copy_ops_last_peer = { lp_read, lp_write,
						       NULL };

/* ---- one direction -------------------------------------------------- */

void sock_copy_init(struct sock_copy_dir *d, struct sock_copy_end *src,
		    struct sock_copy_end *dst)
{
	*d = (struct sock_copy_dir){ .src = src,
				     .dst = dst,
				     .pipe = { -1, -1 } };
}

int sock_copy_holds(const struct sock_copy_dir *d)
{
	return d->len || d->empty;
}

int sock_copy_wants_read(const struct sock_copy_dir *d)
{
	if (d->eof || sock_copy_holds(d) || d->src->rfd < 0)
		return 0;
	return d->dst->ops != &sock_copy_ops_last_peer || d->dst->peer_len;
}

int sock_copy_can_splice(const struct sock_copy_end *src,
			 const struct sock_copy_end *dst)
{
	return (src->flags & dst->flags & SOCK_COPY_SPLICE) &&
	       !((src->flags | dst->flags) & SOCK_COPY_MESSAGES);
}

static ssize_t fail(struct sock_copy_dir *d, enum sock_copy_side side,
		    ssize_t err)
{
	d->fail = side;
	return err;
}

int sock_copy_finish(struct sock_copy_dir *d)
{
	const struct sock_copy_end *dst = d->dst;
	int ret = 0;

	d->done = 1;
	/* An end with nothing to send (rfd -1) never says it has ended:
	 * its peer may keep sending until it is done itself. */
	if (d->src->rfd >= 0 && dst->wfd >= 0 && dst->ops->shutdown_write)
		ret = dst->ops->shutdown_write(d->dst);
	if (ret == -ENOTCONN)
		ret = 0;
	return (int)fail(d, SOCK_COPY_DST, ret);
}

/* A message end is read whole; a read bound for one from a byte stream
 * is cut to a size every message end takes. */
static size_t read_cap(const struct sock_copy_dir *d)
{
	if (!(d->src->flags & SOCK_COPY_MESSAGES) &&
	    (d->dst->flags & SOCK_COPY_MESSAGES) && d->cap > SOCK_COPY_MSG_MAX)
		return SOCK_COPY_MSG_MAX;
	return d->cap;
}

static ssize_t read_some(struct sock_copy_dir *d, size_t cap)
{
	ssize_t n;

	if (!d->splice)
		return d->buf ? d->src->ops->read(d->src, d->buf, cap)
			      : -ENOBUFS;
	if (d->pipe[1] < 0)
		return -ENOBUFS;
	n = sock__splice(d->src->rfd, NULL, d->pipe[1], NULL, cap,
			 SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
	return neg(n);
}

/* MSG_TRUNC reports the whole size: a longer message was cut, and the
 * bytes past the buffer were never read.  One peer's oversized datagram
 * is dropped; on a connection the stream of messages is broken. */
static ssize_t oversized(struct sock_copy_dir *d)
{
	if (!(d->src->flags & SOCK_COPY_CONNECTIONLESS))
		return fail(d, SOCK_COPY_SRC, -EMSGSIZE);
	d->dropped++;
	return 0;
}

ssize_t sock_copy_read(struct sock_copy_dir *d)
{
	size_t cap = read_cap(d);
	ssize_t n = read_some(d, cap);

	if (n < 0)
		return fail(d, SOCK_COPY_SRC, n);
	if ((d->src->flags & SOCK_COPY_MESSAGES) && (size_t)n > cap)
		return oversized(d);
	/* An empty datagram is a message; only a stream's 0 is the end. */
	if (n == 0 && (d->src->flags & SOCK_COPY_CONNECTIONLESS)) {
		d->empty = 1;
		return 0;
	}
	if (n == 0) {
		d->eof = 1;
		return sock_copy_finish(d);
	}
	d->len = (size_t)n;
	d->off = 0;
	return n;
}

static ssize_t write_some(struct sock_copy_dir *d)
{
	if (d->splice)
		return neg(sock__splice(d->pipe[0], NULL, d->dst->wfd, NULL,
					d->len,
					SPLICE_F_MOVE | SPLICE_F_NONBLOCK));
	return d->dst->ops->write(d->dst, d->buf + d->off, d->len - d->off);
}

/* What was written leaves the direction: a message whole, whatever the
 * count (a datagram goes out whole or not at all). */
static void consume(struct sock_copy_dir *d, size_t n)
{
	d->bytes += n;
	d->empty = 0;
	if (d->splice) {
		d->len -= n;
		return;
	}
	d->off += n;
	if ((d->dst->flags & SOCK_COPY_MESSAGES) || d->off == d->len)
		d->len = d->off = 0;
}

ssize_t sock_copy_write(struct sock_copy_dir *d)
{
	ssize_t n = write_some(d);

	if (n < 0 && n != -EAGAIN && n != -EINTR &&
	    (d->dst->flags & SOCK_COPY_LOSSY)) {
		/* The peer heard last may be gone (a Unix client that
		 * exited, say): its message is lost, other peers count. */
		d->dropped++;
		d->len = d->off = d->empty = 0;
		return 0;
	}
	if (n < 0)
		return fail(d, SOCK_COPY_DST, n);
	/* A destination that takes nothing of what waits would spin. */
	if (n == 0 && d->len)
		return fail(d, SOCK_COPY_DST, -EIO);
	consume(d, (size_t)n);
	return n;
}

int sock_copy_step(struct sock_copy_dir *d, int can_read, int can_write)
{
	ssize_t ret;

	if (d->done)
		return 0;
	if (sock_copy_holds(d)) {
		if (!can_write)
			return 0;
		ret = sock_copy_write(d);
	} else if (d->eof) {
		ret = sock_copy_finish(d);
	} else {
		if (!can_read)
			return 0;
		ret = sock_copy_read(d);
	}
	return ret < 0 ? (int)ret : 1;
}
