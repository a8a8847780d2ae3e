/*
 * sock/copy.h - the copy engine: one direction of a two-way copy, from a
 * source end to a destination end, with the end of data passed on.
 *
 * A direction alternates between reading (it holds nothing) and writing
 * (it holds bytes or a message): a slow destination pushes back on its
 * source instead of growing memory.  When the source ends and everything
 * has been written, the destination's write side is shut down (a socket's
 * shutdown(SHUT_WR)) and the direction is done.
 *
 * The engine never waits and never allocates: it moves what the ends
 * allow now and says why it stopped.  A scheduler (lib/bridge.c's
 * level-triggered one, lib/forward_stream.c's edge-triggered one) decides
 * when to call it and lends the buffer or the pipe a direction moves
 * bytes through.
 *
 * An end is reached only through its operations (struct sock_copy_ops):
 * a new kind of end (TLS, a proxy's handshake done first) brings its own
 * table and the engine stays as it is.
 *
 * The message-size rule, one for every copy path: a message is at most
 * SOCK_COPY_BUF bytes, the buffer a direction from a message end reads
 * into.  A read from a message end (datagram, seqpacket) takes one whole
 * message; one larger than the buffer was cut by the kernel, so it is
 * dropped when it came from a connectionless end and ends a connection
 * with -EMSGSIZE (its stream of messages is broken).  Bytes from a byte
 * stream bound for a message end go out in messages of at most
 * SOCK_COPY_MSG_MAX bytes.  How much a byte stream reads at once is the
 * scheduler's choice (the buffer it lends).
 */
#ifndef SOCK_COPY_H
#define SOCK_COPY_H

#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>

/* The largest message copied, and the buffer a message source needs:
 * more than a Unix datagram under default buffers (208 KiB) and any UDP
 * payload. */
#define SOCK_COPY_BUF (256 * 1024)
/* A message cut from a byte stream: the largest UDP payload, which also
 * fits a seqpacket socket's default send buffer. */
#define SOCK_COPY_MSG_MAX 65507

struct sock_copy_end;

/* What an end can do.  Each call behaves like the system call it stands
 * for, but returns -errno instead of setting errno; -EAGAIN means "not
 * now". */
struct sock_copy_ops {
	/* Read at most len bytes: the count, 0 at the end of data, or
	 * -errno.  A message end reads one message and returns its whole
	 * size, even when larger than len (MSG_TRUNC). */
	ssize_t (*read)(struct sock_copy_end *e, void *buf, size_t len);
	/* Write at most len bytes (a message end: all or nothing). */
	ssize_t (*write)(struct sock_copy_end *e, const void *buf, size_t len);
	/* Tell the far side no more data comes; NULL: the end has no such
	 * notion (a pipe, a connectionless socket). */
	int (*shutdown_write)(struct sock_copy_end *e);
};

/* Flags of an end. */
enum {
	/* Each read or write is one message: boundaries are kept. */
	SOCK_COPY_MESSAGES = 0x1,
	/* No connection: a 0-byte read is an empty datagram, not the end
	 * of data, and an oversized message is dropped, not fatal. */
	SOCK_COPY_CONNECTIONLESS = 0x2,
	/* A failed write drops the message and the copy goes on (an
	 * unconnected socket whose last peer may be gone). */
	SOCK_COPY_LOSSY = 0x4,
	/* rfd and wfd are plain sockets or pipes that splice() may use. */
	SOCK_COPY_SPLICE = 0x8,
};

struct sock_copy_end {
	const struct sock_copy_ops *ops;
	int rfd;	/* read here; -1: the end sends nothing */
	int wfd;	/* write here; -1: the end receives nothing */
	unsigned flags; /* SOCK_COPY_* */
	void *ctx;	/* the ops' own state (a TLS session...) */
	/* sock_copy_ops_last_peer: the peer heard from last, whom what the
	 * end writes goes to (peer_len 0: none yet). */
	struct sockaddr_storage peer;
	socklen_t peer_len;
};

/* Which call a direction's error came from. */
enum sock_copy_side { SOCK_COPY_SRC, SOCK_COPY_DST };

struct sock_copy_dir {
	struct sock_copy_end *src, *dst;
	/* Lent by the scheduler before a read: a buffer of cap bytes, or
	 * (splice set) a pipe of cap bytes; NULL / -1 while not lent. */
	char *buf;
	int pipe[2];
	size_t cap;
	unsigned char splice;	  /* move bytes through pipe, not buf */
	unsigned char empty;	  /* an empty message waits to be written */
	unsigned char eof;	  /* the source has ended */
	unsigned char done;	  /* ... and the end was passed on */
	size_t len, off;	  /* held: buf[off..len), or len in the pipe */
	unsigned long long bytes; /* written to dst */
	unsigned long long dropped; /* messages lost (see the flags) */
	enum sock_copy_side fail;   /* where the last error came from */
};

/* Ready-made ends: read()/write() on any descriptor (stdin, stdout, a
 * pipe, a file); recv()/send() on a socket, traced, with shutdown unless
 * SOCK_COPY_CONNECTIONLESS; recvfrom()/sendto() on an unconnected datagram
 * socket answering the peer heard from last. */
extern const struct sock_copy_ops sock_copy_ops_fd;
extern const struct sock_copy_ops sock_copy_ops_socket;
extern const struct sock_copy_ops sock_copy_ops_last_peer;

/* Set up d from src to dst, holding nothing and lent nothing. */
void sock_copy_init(struct sock_copy_dir *d, struct sock_copy_end *src,
		    struct sock_copy_end *dst);

/* 1 when d holds bytes or a message not yet written. */
int sock_copy_holds(const struct sock_copy_dir *d);

/* 1 when d may read now: it holds nothing, its source has not ended,
 * and its destination has somewhere to send (a last-peer end must have
 * heard from a peer first). */
int sock_copy_wants_read(const struct sock_copy_dir *d);

/* 1 when both ends of src -> dst may splice (stream sockets, pipes). */
int sock_copy_can_splice(const struct sock_copy_end *src,
			 const struct sock_copy_end *dst);

/*
 * Read once into d (which must hold nothing and have its buffer or pipe
 * lent).  Returns the count read (0: the end of data, an empty message,
 * or a dropped one: see d->eof, sock_copy_holds(), d->dropped), or
 * -errno with d->fail set.  At the end of data the direction is finished
 * at once (sock_copy_finish()).
 */
ssize_t sock_copy_read(struct sock_copy_dir *d);

/* Write once what d holds.  Returns the count written, or -errno with
 * d->fail set; a write that gives nothing for bytes is -EIO (no
 * progress would spin the caller). */
ssize_t sock_copy_write(struct sock_copy_dir *d);

/* The source has ended: shut down the destination's write side, when
 * the source had something to send and the end knows how, and mark d
 * done.  Returns 0 or -errno (d->fail is SOCK_COPY_DST). */
int sock_copy_finish(struct sock_copy_dir *d);

/* One step: write what d holds, else finish an ended source, else read.
 * can_read and can_write say whether the source may have input and the
 * destination may take output.  Returns 1 when something happened, 0
 * when d waits (or is done), or -errno with d->fail set (-EAGAIN: the
 * failing side is not ready after all). */
int sock_copy_step(struct sock_copy_dir *d, int can_read, int can_write);

#endif
