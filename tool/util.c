/*
 * tool/util.c - messages, endpoint errors with a caret, and the --trace
 * printer.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <sock/number.h>
#include <sock/sock.h>
#include <sock/trace.h>

#include "cmd.h"
#include "explain.h"
#include "i18n.h"
#include "visible.h"

/* Messages carry text from outside (option values, peers' paths, file
 * names): tool_vprint_line() keeps each one line and bounded. */
void tool_errorf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tool_vprint_line(stderr, "sock: ", "\n", fmt, ap);
	va_end(ap);
}

void tool_verbosef(const struct sock_global *g, const char *fmt, ...)
{
	va_list ap;

	if (!g->verbose)
		return;
	va_start(ap, fmt);
	tool_vprint_line(stderr, "sock: ", "\n", fmt, ap);
	va_end(ap);
}

int tool_usage_error(const char *cmd, const char *fmt, ...)
{
	char prefix[64], hint[128];
	va_list ap;

	snprintf(prefix, sizeof(prefix), "sock%s%s: ", cmd ? " " : "",
		 cmd ? cmd : "");
	snprintf(hint, sizeof(hint), _(" (try: sock %s%s--help)\n"),
		 cmd ? cmd : "", cmd ? " " : "");
	va_start(ap, fmt);
	tool_vprint_line(stderr, prefix, hint, fmt, ap);
	va_end(ap);
	return EXIT_USAGE;
}

/* Print text with control characters made visible, so that the caret
 * below it still lines up. */
/* Endpoints up to ECHO_WHOLE characters are echoed whole (the longest
 * Unix endpoint is 122); longer ones as ECHO_SIDE characters on each
 * side of the caret. */
#define ECHO_WHOLE 160
#define ECHO_SIDE 60

/* Copy at most len - 1 bytes of text into buf with control characters
 * made visible as '?', so that one error stays one line and a caret
 * below still lines up. */
static const char *visible(const char *text, char *buf, size_t len)
{
	return tool_visible(text, len, buf, len);
}

int tool_parse_endpoint(const char *text, struct sock_addr *out)
{
	struct sock_addr_error e = { 0, "invalid endpoint" };
	char echo[ECHO_WHOLE + 1];

	char hint[300];
	int socat = !tool_socat_hint(text, hint, sizeof(hint));

	/* the hint is made of the user's text: shown as visibly */
	visible(hint, hint, sizeof(hint));

	if (!sock_addr_parse(text, out, &e)) {
		/* TCP-LISTEN:8080 reads as a host and a port. */
		if (!socat || strncasecmp(text, out->host, strlen(out->host)) ||
		    text[strlen(out->host)] != ':')
			return 0;
		fprintf(stderr,
			_("sock: bad endpoint: '%s' is socat's address type, "
			  "not a host\n  sock writes this as: %s\n"),
			visible(out->host, echo, sizeof(echo)), hint);
		return -1;
	}
	size_t len = strlen(text), from = 0, shown = len;

	if (len > ECHO_WHOLE) {
		from = e.pos > ECHO_SIDE ? e.pos - ECHO_SIDE : 0;
		shown = 2 * ECHO_SIDE;
	}
	fprintf(stderr, _("sock: bad endpoint: %s\n  %s%s%s\n  %*s^\n"),
		tool_addr_reason(e.reason), from ? "..." : "",
		visible(text + from, echo, shown + 1),
		len - from > shown ? "..." : "",
		(int)(e.pos - from + (from ? 3 : 0)), "");
	if (socat)
		fprintf(stderr, _("  sock writes this as: %s\n"), hint);
	return -1;
}

int tool_check_family(const char *cmd, const struct sock_global *g,
		      const struct sock_addr *a, const char *endpoint)
{
	if (g->family == -1)
		return tool_usage_error(cmd, _("-4 and -6 together: choose "
					       "one"));
	if (!g->family || a->family == AF_UNIX || !a->family ||
	    a->family == g->family)
		return 0;
	return tool_usage_error(cmd, _("%s asks for IPv%c, but %s is IPv%c"),
				g->family == AF_INET ? "-4" : "-6",
				g->family == AF_INET ? '4' : '6', endpoint,
				a->family == AF_INET ? '4' : '6');
}

int tool_fail_detail(const char *action, const char *endpoint, int err,
		     const char *detail)
{
	const char *brief = tool_brief(err), *why = tool_explain(err);
	char shown[512];

	/* Binding, a missing path means a missing directory, not a
	 * missing socket. */
	if (err == -ENOENT && !strncmp(action, "listen", 6))
		why = tool_explain_bind_enoent();

	tool_errorf("%s %s: %s%s%s%s%s%s", _(action),
		    visible(endpoint, shown, sizeof(shown)),
		    brief ? brief : sock_strerror(err), why ? ": " : "",
		    why ? why : "", detail ? " (" : "", detail ? detail : "",
		    detail ? ")" : "");
	tool_explain_next(action, endpoint, err);
	return EXIT_RUNTIME;
}

int tool_fail(const char *action, const char *endpoint, int err)
{
	return tool_fail_detail(action, endpoint, err, NULL);
}

/* getopt leaves optind on the word after the failing one, or, inside a
 * bundle (-zx), on the bundle's own word or the one before it: only a
 * long option ("--name", "--name=value") names itself there; a letter
 * is named from optopt. */
int tool_bad_option(const char *cmd, int c, char **argv)
{
	const char *word = argv[optind - 1];
	int is_long = !strncmp(word, "--", 2) &&
		      (c == ':' || !optopt || strchr(word, '='));
	int n = is_long ? (int)strcspn(word, "=") : 0;

	if (c == ':' && is_long)
		return tool_usage_error(cmd, _("option '%.*s' needs a value"),
					n, word);
	if (c == ':')
		return tool_usage_error(cmd, _("option '-%c' needs a value"),
					optopt);
	if (is_long && optopt)
		return tool_usage_error(cmd, _("option '%.*s' takes no value"),
					n, word);
	if (is_long)
		return tool_usage_error(cmd, _("unknown option '%.*s'"), n,
					word);
	return tool_usage_error(cmd, _("unknown option '-%c'"), optopt);
}

int tool_global_letter(int c, struct sock_global *g)
{
	int family = c == '4' ? AF_INET : AF_INET6;

	if (c == 'v')
		g->verbose++;
	else if (c != '4' && c != '6')
		return 0;
	else if (g->family && g->family != family)
		g->family = -1; /* both: tool_check_family() refuses it */
	else
		g->family = family;
	return 1;
}

int tool_reader_gone(int err)
{
	return err == -EPIPE;
}

long tool_parse_seconds(const char *text)
{
	long ms;

	/* At most 24 days: the milliseconds must fit the int that poll()
	 * and the loop's timers take.  Digits only, as ports are. */
	if (sock_number_seconds(text, TOOL_SECONDS_MAX, &ms))
		return -1;
	return ms;
}

static void print_trace(const char *line, int err, void *arg)
{
	const char *why = err ? tool_explain(err) : NULL;

	(void)arg;
	if (why)
		fprintf(stderr, "%s (%s)\n", line, why);
	else
		fprintf(stderr, "%s\n", line);
}

static void flush_trace(void)
{
	sock_trace_flush();
}

void tool_trace_signaled(void)
{
	char buf[2048];
	size_t n = sock_trace_fold_text(buf, sizeof(buf));

	if (n && write(STDERR_FILENO, buf, n) < 0)
		return;
}

static void on_fatal(int sig)
{
	tool_trace_signaled();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Ctrl-C ends a trace like the end of input does: with the summaries of
 * what was folded.  (A signal the caller ignores stays ignored; listen
 * and relay handle these signals their own way.) */
static void catch_fatal(int sig)
{
	struct sigaction sa = { 0 }, old;

	if (sigaction(sig, NULL, &old) < 0 || old.sa_handler == SIG_IGN)
		return;
	sa.sa_handler = on_fatal;
	sigaction(sig, &sa, NULL);
}

void tool_trace_enable(void)
{
	sock_trace_set(print_trace, NULL);
	atexit(flush_trace);
	catch_fatal(SIGINT);
	catch_fatal(SIGTERM);
	catch_fatal(SIGHUP);
}

/*
 * Display cells of s's first len bytes: a translated word ("Dirección",
 * "ÚLTIMO_ACK") or a process name may hold characters of several bytes.
 * ASCII text, every cell of an English listing, takes the strlen() path.
 */
int tool_display_width(const char *s, size_t len)
{
	mbstate_t st = { 0 };
	size_t i = 0;
	int w = 0;

	while (i < len && !((unsigned char)s[i] & 0x80))
		i++;
	if (i == len)
		return (int)len;
	w = (int)i;
	while (i < len) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, s + i, len - i, &st);
		int cw;

		if (n == (size_t)-1 || n == (size_t)-2 || !n) {
			/* not valid here (a C locale, a broken name):
			 * a column a byte, as the terminal will likely */
			memset(&st, 0, sizeof(st));
			n = 1;
			cw = 1;
		} else {
			cw = wcwidth(wc);
			cw = cw < 0 ? 1 : cw;
		}
		w += cw;
		i += n;
	}
	return w;
}
