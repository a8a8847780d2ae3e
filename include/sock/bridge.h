/*
 * sock/bridge.h - the bridge of connect and listen: copy data both ways
 * between two ends (a socket, stdin/stdout), with half-close.  (The relay
 * server, `sock relay`, is sock/forward.h.)
 *
 * An end is a pair of descriptors: one to read, one to write (the same
 * socket twice, or stdin and stdout).  Direction A->B copies what A reads
 * into B's write side, and B->A the reverse.  When a direction reads EOF
 * and has written everything, the write side of the other end is
 * half-closed (shutdown(SHUT_WR) on a socket); the session ends when both
 * directions are done, or sooner as the flags below say.
 *
 * The bridge never closes the descriptors of its ends: the caller owns
 * them and closes them after the done callback.  Socket descriptors are
 * made non-blocking; other descriptors are left as they are, because
 * stdin and stdout are shared with the parent shell.
 */
#ifndef SOCK_BRIDGE_H
#define SOCK_BRIDGE_H

#include <stdint.h>
#include <sys/socket.h>

#include <sock/loop.h>

/* One side of a bridge. */
struct sock_bridge_end {
	/* Read from here; -1: this end sends nothing, and does not
	 * half-close the other end's write side either. */
	int rfd;
	int wfd;       /* write here; -1: this end receives nothing */
	int is_socket; /* 1: use the socket calls (traced, shutdown) */
	int messages;  /* 1: each read or write is one message */
	/* 1: no connection (UDP, unix-dgram): a 0-byte read is an empty
	 * datagram, not EOF, and there is no write side to shut down. */
	int connectionless;
	/* Unconnected datagram socket: remember who sent last and address
	 * what the other end sends to that peer (recvfrom/sendto). */
	int reply_to_last;
	/* A TLS session over the socket (sock/tls.h), its handshake done:
	 * the end reads and writes through it; NULL: plain. */
	struct sock_tls *tls;
};

/* The session ends soon after B->A is done (B closed, and everything it
 * sent is written to A): A's data already read or ready to read at that
 * moment is still sent, then the session ends without waiting for more
 * (a client stops reading stdin once the peer has closed). */
#define SOCK_BRIDGE_END_WITH_B 0x1

struct sock_bridge_stats {
	unsigned long long bytes_ab; /* bytes copied from A to B */
	unsigned long long bytes_ba; /* bytes copied from B to A */
	long long start_ms;	     /* sock_loop_now_ms() at creation */
	/* Datagrams dropped while the session went on: a reply to a
	 * reply_to_last peer that was gone, or a datagram larger than the
	 * largest message (SOCK_COPY_BUF, sock/copy.h). */
	unsigned long long dropped;
	/* The descriptor whose error ended the session (-1: none, or the
	 * error was not tied to one descriptor). */
	int err_fd;
	/* 1 when the session ended before A's input did: B closed first
	 * and A had nothing ready (END_WITH_B). */
	int a_cut;
	/* 1 when a time limit ended the session: idle_ms with nothing
	 * moving, or the quit time after A's input ended. */
	int timed_out;
};

struct sock_bridge;

/* Called once when the session ends: err is 0, or the negative error
 * that ended it (-ECONNRESET, -EPIPE...).  The callback may free the
 * bridge. */
typedef void (*sock_bridge_done_fn)(struct sock_bridge *b, int err, void *arg);

/*
 * Start a session on loop.  idle_ms > 0: once A has reached EOF and the
 * last data (or datagram) from B is idle_ms old, the session ends (a
 * datagram client has no other sign that the exchange is over); <= 0: no idle
 * end.
 * Returns the session, or NULL with errno set.
 */
struct sock_bridge *sock_bridge_new(struct sock_loop *loop,
				    const struct sock_bridge_end *a,
				    const struct sock_bridge_end *b,
				    unsigned int flags, long idle_ms,
				    sock_bridge_done_fn done, void *arg);

/* End the session once nothing has been read on either end for ms
 * milliseconds (nc -w), counted from now, or for an unconnected
 * datagram end (reply_to_last) from its first datagram; call before
 * running the loop.  ms <= 0: no such limit (the default). */
void sock_bridge_idle_any(struct sock_bridge *b, long ms);

/* End the session ms milliseconds after A's input has ended (nc -q);
 * call before running the loop.  ms < 0: no such limit (the default). */
void sock_bridge_quit_after_eof(struct sock_bridge *b, long ms);

/* Stop watching the ends and free the session; NULL is ignored. */
void sock_bridge_free(struct sock_bridge *b);

/* Byte counts so far. */
void sock_bridge_get_stats(const struct sock_bridge *b,
			   struct sock_bridge_stats *out);

#endif
