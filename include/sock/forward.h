/*
 * sock/forward.h - a relay server: take clients on one socket, connect
 * each to a target, copy both ways.  Every session lives in one loop.
 *
 * Stream kinds (tcp, unix, unix-seqpacket): each accepted client gets its
 * own connection to the target.  A half-close travels on by itself in each
 * direction (the client's end of data becomes a shutdown(SHUT_WR) towards
 * the target, and the reply still flows back); the session ends when both
 * directions are done.  An error on one side (a reset) resets the other.
 *
 * Datagram kinds (udp, unix-dgram): one session per client address, each
 * with its own socket connected to the target; the target's replies go
 * back to that client from the listening socket.  Sessions end after
 * idle_ms without a datagram either way.
 *
 * The library never prints: what happens is reported through the event
 * callback.
 */
#ifndef SOCK_FORWARD_H
#define SOCK_FORWARD_H

#include <sys/socket.h>

#include <sock/acl.h>
#include <sock/addr.h>
#include <sock/keepalive.h>
#include <sock/loop.h>
#include <sock/proxy.h>
#include <sock/sock.h>

/* How stream bytes are moved from one socket to the other. */
enum sock_forward_io {
	SOCK_FORWARD_IO_AUTO = 0, /* the faster one measured (docs/relay.md) */
	SOCK_FORWARD_IO_SPLICE,	  /* splice() through a pipe, no user copy */
	SOCK_FORWARD_IO_COPY,	  /* recv()/send() through a large buffer */
};

struct sock_forward_opts {
	/* At most this many sessions at once; 0: no limit.  Beyond it a
	 * stream listener stops accepting (clients wait in its backlog)
	 * and datagrams from new client addresses are dropped. */
	unsigned int max_sessions;
	long udp_idle_ms;	 /* datagram sessions: end after this quiet */
	long connect_timeout_ms; /* per target address; <= 0: none */
	/* Stream sessions: end after this long without a byte either
	 * way (SOCK_FORWARD_END_IDLE); 0: never. */
	long stream_idle_ms;
	/* TCP sides of stream sessions, both: keepalive as this says (all
	 * zero: on, with sock/keepalive.h's defaults). */
	struct sock_keepalive keepalive;
	enum sock_forward_io io;
	/* Bytes of buffers all sessions may hold at once (a side that does
	 * not read pins what waits for it); 0: 64 MiB.  Pipes lent: one per
	 * 512 KiB of it.  See docs/relay.md, "What a session costs". */
	size_t max_held;
	/* Stream kinds: reach the target through this proxy; the target's
	 * addresses are then the proxy's, and each session asks it for
	 * proxy_host:proxy_port (sock/proxy.h) before any byte moves, in
	 * the connect timeout.  NULL: no proxy.  Must outlive the
	 * forwarder. */
	const struct sock_proxy *proxy;
	const char *proxy_host;
	int proxy_port;
	/* Stream kinds: clients these lists refuse (sock/acl.h) are closed
	 * at once, reported as REFUSED.  NULL: all come in. */
	const struct sock_acl *acl;
	/* TLS (sock/tls.h): the client side is a TLS server with this
	 * context, the target side a TLS client with that one, checked
	 * against tls_host; NULL: plain.  TLS sessions never splice. */
	struct sock_tls_ctx *tls_from, *tls_to;
	const char *tls_host;
};

/* Why a session ended. */
enum sock_forward_end {
	SOCK_FORWARD_END_DONE = 0,    /* both directions finished */
	SOCK_FORWARD_END_CLIENT,      /* an error on the client's side */
	SOCK_FORWARD_END_TARGET,      /* an error on the target's side */
	SOCK_FORWARD_END_UNREACHABLE, /* no target address answered */
	SOCK_FORWARD_END_IDLE,	      /* the session went quiet */
	SOCK_FORWARD_END_STOPPED,     /* sock_forward_stop() */
	SOCK_FORWARD_END_RELAY,	      /* the relay ran short (memory) */
};

enum sock_forward_event_type {
	SOCK_FORWARD_OPENED,	    /* a client arrived (session id, peer) */
	SOCK_FORWARD_CLOSED,	    /* a session ended (all fields) */
	SOCK_FORWARD_ACCEPT_FAILED, /* accept() failed (err); retried */
	SOCK_FORWARD_REFUSED,	    /* the acl refused a client (peer, uid,
				       err when its credentials failed) */
};

struct sock_forward_event {
	enum sock_forward_event_type type;
	unsigned long long id; /* 1, 2, 3... in order of arrival */
	const struct sockaddr *peer;
	socklen_t peer_len;
	unsigned long long bytes_out;  /* client -> target */
	unsigned long long bytes_back; /* target -> client */
	long long duration_ms;
	enum sock_forward_end end;
	int err;	  /* 0, or the -errno that ended it */
	unsigned int uid; /* REFUSED: a Unix client's uid, else -1 */
};

typedef void (*sock_forward_event_fn)(const struct sock_forward_event *ev,
				      void *arg);

/* Totals since the start. */
struct sock_forward_stats {
	unsigned long long sessions;	/* opened */
	unsigned long long open;	/* open now */
	unsigned long long unreachable; /* the target did not answer */
	unsigned long long errors;	/* ended by an error on a side */
	unsigned long long bytes_out;	/* client -> target, all sessions */
	unsigned long long bytes_back;	/* target -> client */
	unsigned long long datagrams;	/* datagrams relayed, both ways */
	unsigned long long dropped;	/* datagrams dropped */
};

struct sock_forward;

/*
 * Serve clients arriving on lfd (a listening stream socket, or a bound
 * datagram socket, of kind from) by connecting each to target, which
 * must stay valid while the forwarder lives.  lfd stays the caller's.
 * The kinds must agree: both connection-oriented or both datagram
 * (EPROTOTYPE otherwise), and target must not be lfd's own address
 * (ELOOP, see sock_forward_target_is_self()).  Returns the forwarder, or
 * NULL with errno set.
 */
struct sock_forward *sock_forward_new(struct sock_loop *loop, int lfd,
				      enum sock_kind from,
				      const struct sock_target *target,
				      const struct sock_forward_opts *o,
				      sock_forward_event_fn fn, void *arg);

/*
 * 1 when some address of target is lfd's own: connecting there reaches
 * the forwarder itself, every session would open another, without end.
 * A wildcard address matches every address of this machine with its
 * port (IPv4 ones too for a dual-stack IPv6 socket); Unix names match
 * when they are the same abstract name or the same file.  0 when none
 * does, or a negative error.  sock_forward_new() refuses such a target
 * with ELOOP.
 */
int sock_forward_target_is_self(int lfd, const struct sock_target *t);

/* Stop taking clients and end every session (reported as STOPPED). */
void sock_forward_stop(struct sock_forward *f);

/* Stop, then free; NULL is ignored. */
void sock_forward_free(struct sock_forward *f);

void sock_forward_get_stats(const struct sock_forward *f,
			    struct sock_forward_stats *out);

/* 1 when stream kinds from and to can be relayed by moving bytes alone
 * (both SOCK_STREAM): the splice() path is open to them. */
int sock_forward_can_splice(enum sock_kind from, enum sock_kind to);

#endif
