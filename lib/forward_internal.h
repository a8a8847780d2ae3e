/*
 * lib/forward_internal.h - the relay server's core (lib/forward_core.c:
 * the listener, the sessions, the totals, the events, and the pools that
 * lend buffers and pipes to sessions only while their data is moving),
 * and what its two variants (forward_stream.c, forward_dgram.c) offer it.
 *
 * Calls go down only, in three layers: forward.c (the public API) chooses
 * a variant once and hands it to the core; the variants call the core's
 * functions below; the core calls a variant only through its struct
 * fwd_variant.
 */
#ifndef SOCK_LIB_FORWARD_INTERNAL_H
#define SOCK_LIB_FORWARD_INTERNAL_H

#include <stddef.h>

#include <sock/copy.h>
#include <sock/forward.h>

#include "forward_retry.h"

/* The copy path's buffer: large reads and writes are what make a
 * user-space copy fast on loopback; a message source needs this much. */
#define FWD_BUF SOCK_COPY_BUF
/* The splice path's pipe: 16 pages by default; more per splice() call
 * means fewer calls. */
#define FWD_PIPE (256 * 1024)
/* Free buffers and pipes kept for the next burst. */
#define FWD_POOL_MAX 16
/* What sessions may hold at once (docs/relay.md, "What a session
 * costs"): a direction holds its buffer or pipe for as long as its
 * destination does not take the bytes, forever for a peer that never
 * reads.  Buffers lent stay under hold_max bytes (the option max_held,
 * FWD_HOLD_MAX by default): FWD_BUF ones while under a quarter of it,
 * FWD_SMALL ones beyond (a direction stalled then pins little), and at
 * the limit a direction waits for one to come back.  One pipe may be lent
 * per FWD_HOLD_PER_PIPE bytes of it; beyond, or when pipe2() fails (the
 * descriptor limit), a splice direction reads through a buffer. */
#define FWD_HOLD_MAX ((size_t)64 << 20)
#define FWD_SMALL (16 * 1024)
#define FWD_HOLD_PER_PIPE (2 * FWD_PIPE)

/* The variant's struct that holds head p (its member named head). */
#define fwd_container_of(p, type)                                              \
	((type *)(void *)((char *)(p)-offsetof(type, head)))

/*
 * What every session has, whatever its variant: the head of the variant's
 * own struct (struct fwd_stream_session, struct fwd_dgram_session), its
 * first member, so that the core's allocation and free() are the
 * variant's struct's.  The core owns the links, the id and the times; the
 * variant fills in fd[] and timer (the core closes and cancels them when
 * the session ends) and last_ms.
 */
struct fwd_session {
	struct sock_forward *f;
	struct fwd_session *prev, *next; /* every session */
	unsigned long long id;
	long long start_ms, last_ms;
	int fd[2]; /* client, target; -1 when none */
	int timer; /* the variant's: a retry, a resumed pump... */
	struct sockaddr_storage peer; /* the client's address */
	socklen_t peer_len;
	/* Waiting for a buffer (sock__fwd_wait()): the core's queue. */
	struct fwd_session *wprev, *wnext;
	unsigned char waiting;
};

/* What the core asks of a variant. */
struct fwd_variant {
	/* The size of the variant's session struct (head first). */
	size_t session_size;
	/* Start serving lfd, setting *state to the variant's own state
	 * (freed by free() even when start() fails); NULL: the core
	 * accepts clients on lfd and hands each to accept. */
	int (*start)(struct sock_forward *f, void **state);
	void (*accept)(struct sock_forward *f, int fd,
		       const struct sockaddr *peer, socklen_t peer_len);
	/* A session ends: give back what it holds (before its sockets
	 * close). */
	void (*release)(struct fwd_session *s);
	/* The bytes a session has moved: b[0] client -> target, b[1]
	 * back. */
	void (*bytes)(const struct fwd_session *s, unsigned long long b[2]);
	/* A buffer has come back for a session that waited for one
	 * (sock__fwd_wait()); NULL: the variant never waits. */
	void (*wake)(struct fwd_session *s);
	/* Free the variant's state (not NULL); NULL: it has none. */
	void (*free)(struct sock_forward *f, void *state);
	/* 1: connections (an error resets the other side, and a session
	 * that ends makes room on the listener). */
	unsigned char stream;
};

extern const struct fwd_variant sock__fwd_stream;
extern const struct fwd_variant sock__fwd_dgram;

/* The forwarder: the core's; the variants read it and write none of
 * it (they change it through the functions below). */
struct sock_forward {
	struct sock_loop *loop;
	int lfd;
	enum sock_kind from;
	const struct sock_target *target;
	struct sock_forward_opts o;
	const struct fwd_variant *v;
	void *vstate; /* the variant's own state (see start()) */
	int splice;   /* stream -> stream bytes go through splice() */
	sock_forward_event_fn fn;
	void *arg;
	struct fwd_session *head;
	struct sock_forward_stats st;
	unsigned long long next_id;
	int watching;	  /* lfd is watched for clients */
	int accept_timer; /* accepting paused after an error */
	int stopped;
	/* Pools: free buffers and pipes kept for the next burst. */
	char **bufs;
	size_t nbufs;
	int (*pipes)[2];
	size_t npipes;
	/* Lent to sessions now (bytes of buffers, pipes), and the most. */
	size_t held, hold_max;
	size_t pipes_lent, pipes_max;
	/* Sessions waiting for a buffer, oldest first, and the timer that
	 * wakes them once one comes back. */
	struct fwd_session *wait_head, *wait_tail;
	size_t nwaiting;
	int wake_timer;
	struct fwd_retry_queue retry; /* forward_retry.c's */
};

/* The forwarder, serving lfd with variant v (see sock_forward_new());
 * NULL with errno set on failure. */
struct sock_forward *sock__fwd_create(struct sock_loop *loop, int lfd,
				      enum sock_kind from,
				      const struct sock_target *target,
				      const struct sock_forward_opts *o,
				      const struct fwd_variant *v, int splice,
				      sock_forward_event_fn fn, void *arg);
/* sock_forward_stop(), sock_forward_free() (f not NULL) and
 * sock_forward_get_stats(). */
void sock__fwd_stop(struct sock_forward *f);
void sock__fwd_destroy(struct sock_forward *f);
void sock__fwd_stats(const struct sock_forward *f,
		     struct sock_forward_stats *out);

/* A new session of the variant's size, zeroed but for its head, counted
 * and linked in (fd[] = -1); NULL when out of memory.  peer is the
 * client's address. */
struct fwd_session *sock__fwd_session_new(struct sock_forward *f,
					  const struct sockaddr *peer,
					  socklen_t peer_len);

/* Report and free a session: its sockets are closed (reset first when err
 * is set and the session is a stream one), the pools get its buffers. */
void sock__fwd_session_end(struct fwd_session *s, enum sock_forward_end end,
			   int err);

/* 1 when err (-errno) is the relay's own shortage (descriptors, memory,
 * kernel buffers), which must not be blamed on a side: such a session
 * ends as SOCK_FORWARD_END_RELAY. */
int sock__fwd_short(int err);

/* Watch lfd for clients (on) or leave them waiting in the kernel. */
void sock__fwd_watch_listener(struct sock_forward *f, int on);

void sock__fwd_event(struct sock_forward *f, enum sock_forward_event_type t,
		     const struct fwd_session *s, enum sock_forward_end end,
		     int err);

/* Count datagrams relayed and dropped in the totals. */
void sock__fwd_count(struct sock_forward *f, unsigned long long datagrams,
		     unsigned long long dropped);

/* The pools.  A buffer of *size bytes (FWD_BUF, or FWD_SMALL unless
 * large is set: a message source must read a whole message) within
 * hold_max: 0, -ENOBUFS at the limit (wait: sock__fwd_wait()), or
 * -ENOMEM.  A pipe of FWD_PIPE bytes if the kernel allows: 0, -ENOBUFS
 * past pipes_max, or pipe2()'s -errno (EMFILE...).  Giving back: a
 * buffer of its size; an empty pipe to the pool, or dropping one that
 * still holds bytes (its fds are set to -1 either way). */
int sock__fwd_take_buf(struct sock_forward *f, int large, char **buf,
		       size_t *size);
void sock__fwd_give_buf(struct sock_forward *f, char *buf, size_t size);
int sock__fwd_take_pipe(struct sock_forward *f, int p[2]);
void sock__fwd_give_pipe(struct sock_forward *f, int p[2]);
void sock__fwd_drop_pipe(struct sock_forward *f, int p[2]);

/* s waits for a buffer: the variant's wake() is called once one comes
 * back (not at once: from the loop).  Ending the session cancels it. */
void sock__fwd_wait(struct fwd_session *s);

#endif
