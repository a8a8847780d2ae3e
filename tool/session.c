/*
 * tool/session.c - one stdin/stdout <-> socket session, shared by
 * connect and listen.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sock/loop.h>
#include <sock/bridge.h>

#include "session.h"
#include "i18n.h"

struct outcome {
	struct sock_loop *loop;
	int err;
	struct sock_bridge_stats stats;
};

static void on_done(struct sock_bridge *r, int err, void *arg)
{
	struct outcome *o = arg;

	(void)r;
	o->err = err;
	sock_loop_stop(o->loop);
}

static void report(const struct sock_global *g, const struct session_opts *o,
		   const struct outcome *out)
{
	double secs = (sock_loop_now_ms() - out->stats.start_ms) / 1000.0;

	tool_verbosef(g,
		      _("closed %s: sent %llu bytes, received %llu bytes "
			"in %.3f s"),
		      o->peer ? o->peer : _("connection"), out->stats.bytes_ab,
		      out->stats.bytes_ba, secs);
}

/* stdin or stdout failed: say so, not "connection to ...".  A reader of
 * our output that went away (| head) is the end of a pipeline, not an
 * error worth a message. */
static int stdio_failed(int fd, int err)
{
	if (fd == STDOUT_FILENO && tool_reader_gone(err))
		return EXIT_OK;
	tool_errorf("%s: %s",
		    fd == STDIN_FILENO ? _("reading standard input")
				       : _("writing standard output"),
		    strerror(-err));
	return EXIT_RUNTIME;
}

int session_run(const struct sock_global *g, int fd,
		const struct session_opts *o)
{
	int connectionless = sock_addr_is_dgram(o->kind);
	struct sock_bridge_end a = { .rfd = o->no_stdin ? -1 : STDIN_FILENO,
				     .wfd = STDOUT_FILENO };
	struct sock_bridge_end b = {
		.rfd = fd,
		.wfd = fd,
		.is_socket = 1,
		.messages =
		    connectionless || o->kind == SOCK_KIND_UNIX_SEQPACKET,
		.connectionless = connectionless,
		.reply_to_last = o->reply_to_last,
		.tls = o->tls,
	};
	struct outcome out = { 0 };
	struct sock_bridge *r;
	int ret;

	out.loop = sock_loop_new();
	if (!out.loop)
		return -errno;
	r = sock_bridge_new(out.loop, &a, &b,
			    o->end_with_peer ? SOCK_BRIDGE_END_WITH_B : 0,
			    o->idle_ms, on_done, &out);
	if (!r) {
		ret = -errno;
		sock_loop_free(out.loop);
		return ret;
	}
	sock_bridge_idle_any(r, o->any_ms);
	sock_bridge_quit_after_eof(r, o->quit_ms);
	ret = sock_loop_run(out.loop);
	if (!ret)
		ret = out.err;
	sock_bridge_get_stats(r, &out.stats);
	/* A terminal has nothing pending; a file or pipe that still had
	 * data deserves a word, or a script would think it was all sent. */
	if (out.stats.a_cut && !isatty(STDIN_FILENO)) {
		tool_errorf(
		    _("the peer closed first; the rest of standard input "
		      "was not sent"));
		if (!ret)
			ret = EXIT_UNSENT;
	}
	if (out.stats.timed_out)
		tool_verbosef(g, _("time limit reached (-w or -q): closing"));
	report(g, o, &out);
	sock_bridge_free(r);
	sock_loop_free(out.loop);
	if (ret && (out.stats.err_fd == STDIN_FILENO ||
		    out.stats.err_fd == STDOUT_FILENO))
		return stdio_failed(out.stats.err_fd, ret);
	return ret;
}
