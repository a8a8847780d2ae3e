/*
 * sock/trace.h - the --trace hook: every socket call the library makes,
 * decoded, as one line of text.
 *
 * The library formats "socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP) = 3" and
 * hands the line to a hook; what to do with it (print it on stderr) is
 * the caller's business.  With no hook set, each call costs one load and
 * one branch.  The hook is process-wide; set it before starting threads.
 */
#ifndef SOCK_TRACE_H
#define SOCK_TRACE_H

#include <stddef.h>

/* Receives one line, without a newline; the text is valid only during
 * the call.  err is the negative errno of a call that failed (0 for
 * success), so that the caller can add an explanation in its language. */
typedef void (*sock_trace_fn)(const char *line, int err, void *arg);

/* Install (fn != NULL) or remove (fn == NULL) the hook. */
void sock_trace_set(sock_trace_fn fn, void *arg);

/* After three data calls (send/recv/read/write...) in a row on one
 * descriptor, the rest are folded into one summary line.  A run ends
 * after a second without one on its descriptor: the summary comes out
 * then (when the program waits in a sock_loop, or at the next call),
 * and the next call is shown again.  A datagram from a sender a socket
 * has not heard from before is always shown. */

/* Emit the summary of any calls folded so far (at exit, say). */
void sock_trace_flush(void);

/* For a handler of a signal that ends the process: the summaries of the
 * calls folded so far as text, one line each with its newline, in buf
 * (NUL-terminated, cut short to fit), using async-signal-safe code only,
 * and without calling the hook.  They count as emitted.  Returns the
 * length; the caller writes it. */
size_t sock_trace_fold_text(char *buf, size_t size);

#endif
