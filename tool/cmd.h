/*
 * tool/cmd.h - what the subcommands share: global options, the command
 * table entries, and the error reporting that maps library errors to
 * plain words and exit statuses.
 */
#ifndef SOCK_TOOL_CMD_H
#define SOCK_TOOL_CMD_H

#include <stdio.h>

#include <sock/addr.h>

/* Exit statuses, the same for every subcommand. */
enum {
	EXIT_OK = 0,
	EXIT_RUNTIME = 1, /* refused, reset, timed out, not found... */
	EXIT_USAGE = 2,	  /* bad flag or bad endpoint */
	/* The peer closed before all of stdin was sent: what a script
	 * piped in did not all arrive. */
	EXIT_UNSENT = 3,
};

/* Options that may stand before or after the subcommand. */
struct sock_global {
	int verbose; /* -v: human-readable events on stderr */
	int trace;   /* --trace: every socket call on stderr */
	int family;  /* AF_UNSPEC, AF_INET/AF_INET6 from -4/-6; -1: both
		      * (sock list: either; others refuse it) */
	int explain; /* --explain: plain sentences for learners */
	int sandbox; /* --sandbox: confined after start-up (sandbox.h) */
};

/* A subcommand: argv[0] is its name, global options already removed. */
struct tool_cmd {
	const char *name;
	int (*run)(int argc, char **argv, struct sock_global *g);
	const char *summary;
};

int cmd_connect(int argc, char **argv, struct sock_global *g);
int cmd_listen(int argc, char **argv, struct sock_global *g);
int cmd_relay(int argc, char **argv, struct sock_global *g);
int cmd_list(int argc, char **argv, struct sock_global *g);
int cmd_top(int argc, char **argv, struct sock_global *g);
int cmd_explain(int argc, char **argv, struct sock_global *g);
int cmd_demo(int argc, char **argv, struct sock_global *g);

/* "sock: " + message on stderr, one line. */
void tool_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* -v events: "sock: " + message, only when g->verbose. */
void tool_verbosef(const struct sock_global *g, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Parse an endpoint; on error print it with a caret under the bad
 * character and return -1 (the caller exits EXIT_USAGE). */
int tool_parse_endpoint(const char *text, struct sock_addr *out);

/* -4/-6 against an endpoint of the other family (tcp6://, an IPv4
 * literal...) is a usage error: returns EXIT_USAGE after saying so, or
 * 0 when they agree. */
int tool_check_family(const char *cmd, const struct sock_global *g,
		      const struct sock_addr *a, const char *endpoint);

/* Report a runtime failure of an action on an endpoint in plain words
 * ("connect: connection refused: nothing is listening on ...") and return
 * the exit status for it. */
int tool_fail(const char *action, const char *endpoint, int err);

/* The plain-words explanation of an error, or NULL (tool/messages.c). */
const char *tool_explain(int err);

/* ENOENT from bind(): the directory is missing. */
const char *tool_explain_bind_enoent(void);

/* The translation of a reason lib/addr.c gives for a bad endpoint. */
const char *tool_addr_reason(const char *reason);

/* A clearer name for an error than strerror's, or NULL. */
const char *tool_brief(int err);

/* 1 when writing our output failed with err because its reader went
 * away (| head): it had what it wanted, so every command ends then
 * without a word and with status 0. */
int tool_reader_gone(int err);

/* A usage error: message plus a hint to run --help; returns EXIT_USAGE. */
int tool_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A getopt failure (c is ':' for a missing value, '?' otherwise), named
 * as the user typed it (one letter of a bundle such as -zx names only
 * that letter); returns EXIT_USAGE. */
int tool_bad_option(const char *cmd, int c, char **argv);

/* The global one-letter flags (v, 4, 6) met inside a subcommand's
 * bundle (-zv): applies c to g and returns 1, or returns 0 for any
 * other c.  A subcommand lists TOOL_GLOBAL_LETTERS in its optstring. */
#define TOOL_GLOBAL_LETTERS "v46"
int tool_global_letter(int c, struct sock_global *g);

/* nc's ways of naming an endpoint (tool/words.c). */
struct tool_nc {
	int udp;	  /* -u: UDP */
	int unix_path;	  /* -U: the word is a Unix socket path */
	const char *port; /* listen -p PORT */
};

/* Turn the words left after the options into one endpoint text in buf:
 * ENDPOINT, HOST PORT (nc), a bare PORT (listen: ":PORT"; connect:
 * refused with a hint), with -u/-U/-p applied.  Returns 0, or
 * EXIT_USAGE after saying what is wrong. */
int tool_endpoint_words(const char *cmd, char **words, int n,
			const struct tool_nc *nc, char *buf, size_t len);

/* The socat address text names, as a sock command line in buf ("sock
 * listen -k :8080" for TCP-LISTEN:8080,fork); returns 0, or -1 when
 * text is not in socat's syntax. */
int tool_socat_hint(const char *text, char *buf, size_t len);

/* Like tool_fail(), with a detail appended in parentheses (NULL: none). */
int tool_fail_detail(const char *action, const char *endpoint, int err,
		     const char *detail);

/* "1234/nginx, 1240/nginx": the processes whose sockets of kind (tcp:
 * listeners; udp: any) on service's port are in the way of binding host
 * there (the same address, or a wildcard on either side).  Returns 0
 * with text in buf, or -1 when none could be found (no permission...). */
int tool_port_holders(enum sock_kind kind, const char *host,
		      const char *service, char *buf, size_t len);

/* The largest number of seconds tool_parse_seconds() accepts. */
#define TOOL_SECONDS_MAX 2000000

/* Parse a non-negative decimal number of seconds ("1.5" allowed) into
 * milliseconds; returns -1 when text is not one. */
long tool_parse_seconds(const char *text);

/* A whole number from 1 to 10000000 (--max-sessions); 0, or -1 when
 * text is not one. */
int tool_parse_count(const char *text, unsigned int *out);

/* Switch on --trace output (lines on stderr); a summary of folded calls
 * still comes out when SIGINT, SIGTERM or SIGHUP ends the process. */
void tool_trace_enable(void);

/* For a handler of a signal that ends the process: write the summaries
 * of folded calls (async-signal-safe; nothing without --trace). */
void tool_trace_signaled(void);

/* Display cells of the first len bytes of s in the current locale (a
 * byte that is not a character counts one). */
int tool_display_width(const char *s, size_t len);

#endif
