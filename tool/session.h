/*
 * tool/session.h - a session between stdin/stdout and a socket: the data
 * pump that connect and listen share.
 */
#ifndef SOCK_TOOL_SESSION_H
#define SOCK_TOOL_SESSION_H

#include <sock/addr.h>

#include "cmd.h"

struct session_opts {
	enum sock_kind kind;  /* the socket's kind */
	int reply_to_last;    /* unconnected datagram listener */
	int end_with_peer;    /* stop once the peer has closed */
	long idle_ms;	      /* after stdin ends: end after this quiet time */
	long any_ms;	      /* -w: end after this long with nothing moving */
	long quit_ms;	      /* -q: end this long after stdin ends (<0: no) */
	int no_stdin;	      /* -d: never read stdin, never half-close */
	const char *peer;     /* for -v: who is at the other end */
	struct sock_tls *tls; /* the socket's TLS session, or NULL */
};

/* Bridge stdin/stdout and socket fd until the session ends.  Returns 0
 * (also when a time limit ended it, as nc does), the negative error of
 * the socket that ended it (for the caller to report), EXIT_RUNTIME when
 * stdin or stdout failed, or EXIT_UNSENT when the peer closed before all
 * of stdin was sent (both already reported).  The caller closes fd. */
int session_run(const struct sock_global *g, int fd,
		const struct session_opts *o);

#endif
