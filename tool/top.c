/*
 * tool/top.c - sock top: the command line, then the full-screen view
 * (tool/top_ui.c) or, without a terminal, batch snapshots, --jsonl or
 * --events (tool/top_out.c), polling the model each interval.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cmd.h"
#include "i18n.h"
#include "list.h"
#include "top_int.h"
#include "top_out.h"

static void usage(FILE *f)
{
	fputs(
	    _("usage: sock top [-tuwxla46bC] [-d SECONDS] [-n COUNT]\n"
	      "                [--jsonl | --events [--json]] [FILTER]\n\n"
	      "  -d, --delay SECONDS  refresh every SECONDS (default 1)\n"
	      "  -n, --count COUNT    stop after COUNT refreshes (--events: "
	      "events)\n"
	      "  -b, --batch          text snapshots, no terminal needed "
	      "(like top -b)\n"
	      "  --jsonl              one JSON object per socket per "
	      "refresh\n"
	      "  --events             a line per socket opened, changing "
	      "state, closed\n"
	      "  --json               with --events: JSON objects\n"
	      "  --numeric            no host, service or user names\n"
	      "  --no-owners          do not look for the owning "
	      "processes\n"
	      "  -C, --no-color       no colours (also NO_COLOR)\n"
	      "  -t -u -w -x -l -a -4 -6, -N, --netns NS, --all-netns, "
	      "FILTER:\n"
	      "                       the sockets to watch, as in sock list\n"),
	    f);
}

/* Letters that may be bundled (-tab); 0, or -1 if c is not one. */
static int letter(char c, struct top_opts *o, int *all, int *listening)
{
	if (list_proto_letter(c, &o->protocols))
		;
	else if (c == 'l')
		*listening = 1;
	else if (c == 'a')
		*all = 1;
	else if (c == 'b')
		o->batch = 1;
	else if (c == 'C')
		o->no_color = 1;
	else if (!list_family_letter(c, &o->family))
		return -1;
	return 0;
}

static const struct {
	const char *name;
	char letter;
} long_letters[] = {
	{ "--tcp", 't' },   { "--udp", 'u' },	    { "--raw", 'w' },
	{ "--unix", 'x' },  { "--listening", 'l' }, { "--all", 'a' },
	{ "--batch", 'b' }, { "--no-color", 'C' },  { "--no-colour", 'C' },
};

static const struct {
	const char *name;
	size_t off;
} long_flags[] = {
	{ "--jsonl", offsetof(struct top_opts, jsonl) },
	{ "--events", offsetof(struct top_opts, events) },
	{ "--json", offsetof(struct top_opts, json) },
	{ "--numeric", offsetof(struct top_opts, numeric) },
	{ "--no-owners", offsetof(struct top_opts, no_owners) },
	{ "--all-netns", offsetof(struct top_opts, all_netns) },
};

/* A long flag without a value into o; 1 when a is one. */
static int long_flag(const char *a, struct top_opts *o, int *all,
		     int *listening)
{
	for (size_t i = 0; i < sizeof(long_letters) / sizeof(*long_letters);
	     i++)
		if (!strcmp(a, long_letters[i].name))
			return letter(long_letters[i].letter, o, all,
				      listening) == 0;
	for (size_t i = 0; i < sizeof(long_flags) / sizeof(*long_flags); i++)
		if (!strcmp(a, long_flags[i].name)) {
			*(int *)((char *)o + long_flags[i].off) = 1;
			return 1;
		}
	return 0;
}

/* The value of an option: "-dX", "--delay=X" or the next word. */
static const char *value(int argc, char **argv, int *i, const char *shrt,
			 const char *lng)
{
	const char *a = argv[*i];
	size_t n = strlen(lng);

	if (!strncmp(a, lng, n) && a[n] == '=')
		return a + n + 1;
	if (!strncmp(a, shrt, 2) && a[2])
		return a + 2;
	return *i + 1 < argc ? argv[++*i] : NULL;
}

static int is_opt(const char *a, const char *shrt, const char *lng)
{
	size_t n = strlen(lng);

	return !strncmp(a, shrt, 2) ||
	       (!strncmp(a, lng, n) && (!a[n] || a[n] == '='));
}

static int numbers(int argc, char **argv, int *i, struct top_opts *o)
{
	const char *a = argv[*i], *v;
	char *end;

	if (is_opt(a, "-d", "--delay")) {
		v = value(argc, argv, i, "-d", "--delay");
		o->interval_ms = v ? tool_parse_seconds(v) : -1;
		if (o->interval_ms <= 0)
			return tool_usage_error("top",
						_("-d needs a positive number "
						  "of seconds, not '%s'"),
						v ? v : "");
		return 0;
	}
	v = value(argc, argv, i, "-n", "--count");
	errno = 0;
	o->count = v && *v >= '0' && *v <= '9' ? strtol(v, &end, 10) : -1;
	if (!v || o->count <= 0 || errno || *end)
		return tool_usage_error(
		    "top", _("-n needs a positive number, not '%s'"),
		    v ? v : "");
	return 0;
}

static int netns_opt(int argc, char **argv, int *i, struct top_opts *o)
{
	o->netns = value(argc, argv, i, "-N", "--netns");
	if (!o->netns || !*o->netns)
		return tool_usage_error(
		    "top", _("option '%s' needs a namespace"), argv[*i]);
	return 0;
}

/* One option word at argv[*i]: 0, -1 after --help, or an exit status. */
static int option(int argc, char **argv, int *i, struct top_opts *o, int *all,
		  int *listening)
{
	const char *a = argv[*i];

	if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
		usage(stdout);
		return -1;
	}
	if (long_flag(a, o, all, listening))
		return 0;
	if (is_opt(a, "-d", "--delay") || is_opt(a, "-n", "--count"))
		return numbers(argc, argv, i, o);
	if (is_opt(a, "-N", "--netns"))
		return netns_opt(argc, argv, i, o);
	if (a[1] == '-')
		return tool_usage_error("top", _("bad option '%s'"), a);
	for (const char *c = a + 1; *c; c++)
		if (letter(*c, o, all, listening) < 0)
			return tool_usage_error(
			    "top", _("unknown flag '%c' in '%s'"), *c, a);
	return 0;
}

/* Which outputs go together. */
static int check_modes(const struct top_opts *o)
{
	if (o->batch + o->jsonl + o->events > 1)
		return tool_usage_error("top", _("-b, --jsonl and --events "
						 "exclude each other"));
	if (o->json && !o->events)
		return tool_usage_error("top", _("--json goes with --events "
						 "(for snapshots: --jsonl)"));
	if (o->netns && o->all_netns)
		return tool_usage_error("top", _("-N and --all-netns exclude "
						 "each other"));
	return 0;
}

/* The filter words' text, joined by blanks (for the view's header). */
static char *join_words(int argc, char **argv)
{
	size_t len = 1;
	char *s;

	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	s = calloc(1, len);
	for (int i = 0; s && i < argc; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, argv[i]);
	}
	return s;
}

static int parse_filter(int argc, char **argv, struct top_opts *o)
{
	char err[256];
	int st = 0, ret;

	ret = list_filter_words(argc, argv, &o->filter, &st, err, sizeof(err));
	if (ret == -ENOMEM) {
		tool_errorf(_("top: out of memory"));
		return EXIT_RUNTIME;
	}
	if (ret)
		return tool_usage_error("top", "%s", err);
	if (st && o->role == SOCK_DIAG_CLIENTS)
		o->role = 0;
	o->filter_text = join_words(argc, argv);
	return o->filter_text ? 0 : EXIT_RUNTIME;
}

static void defaults(struct top_opts *o, int all, int listening)
{
	const char *nc = getenv("NO_COLOR");

	if (o->family < 0)
		o->family = AF_UNSPEC;
	if (!o->protocols)
		o->protocols =
		    o->family ? SOCK_DIAG_TCP | SOCK_DIAG_UDP | SOCK_DIAG_RAW
			      : SOCK_DIAG_ALL;
	o->role = all ? 0 : listening ? SOCK_DIAG_SERVERS : SOCK_DIAG_CLIENTS;
	if (nc && *nc)
		o->no_color = 1;
	/* machine output never looks names up */
	if (o->jsonl || o->events)
		o->numeric = 1;
}

/* The command line into o; 0, -1 after --help, or an exit status. */
static int parse_args(int argc, char **argv, struct sock_global *g,
		      struct top_opts *o)
{
	int all = 0, listening = 0, i, ret = 0;

	o->interval_ms = 1000;
	o->linger_ms = 5000;
	o->family = g->family;
	for (i = 1; !ret && i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		ret = option(argc, argv, &i, o, &all, &listening);
	}
	if (!ret)
		ret = check_modes(o);
	if (ret)
		return ret;
	defaults(o, all, listening);
	return parse_filter(argc - i, argv + i, o);
}

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

static void catch_signals(void)
{
	/* SA_RESTART: a dump under way finishes; poll() still wakes up */
	struct sigaction sa = { .sa_handler = on_signal,
				.sa_flags = SA_RESTART };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* Wait until the deadline, taking in the kernel's destroy reports as
 * they come (--events prints them then); 0, or 1 after a signal or
 * once the reader of a pipe on stdout went away (| head: it had what
 * it wanted, even when nothing more happens to be written). */
static int wait_until(struct top_model *m, double deadline)
{
	double now;

	while (!stop_signal && (now = top_model_now()) < deadline) {
		struct pollfd p[2] = {
			{ .fd = top_model_fd(m), .events = POLLIN },
			{ .fd = STDOUT_FILENO, .events = 0 },
		};
		int ms = (int)((deadline - now) * 1000) + 1;

		if (poll(p, 2, ms) <= 0)
			continue;
		if (p[1].revents & (POLLERR | POLLHUP))
			return 1;
		if (p[0].revents)
			top_model_pump(m, top_model_now());
	}
	return stop_signal != 0;
}

/* Batch, --jsonl and --events: poll, write, wait, until the count or a
 * signal. */
static int run_plain(struct top_model *m, const struct top_opts *o)
{
	struct top_out out = { .f = stdout, .o = o };
	double next = top_model_now();
	int ret = 0;

	catch_signals();
	if (o->events)
		top_model_on_event(m, top_out_event, &out);
	for (long n = 0; !ret && !out.done; n++) {
		ret = top_model_poll(m, top_model_now());
		if (ret) {
			tool_errorf(_("top: cannot read the socket table: %s"),
				    strerror(-ret));
			return EXIT_RUNTIME;
		}
		if (o->events && !n)
			top_out_start(&out, m);
		ret = o->events ? out.err : top_out_refresh(&out, m);
		if (ret || (o->count && !o->events && n + 1 >= o->count))
			break;
		next += top_model_totals(m)->refresh;
		if (wait_until(m, next))
			break;
		ret = out.err;
	}
	return ret == -EPIPE ? EXIT_OK : ret ? EXIT_RUNTIME : EXIT_OK;
}

int cmd_top(int argc, char **argv, struct sock_global *g)
{
	struct top_opts o = { 0 };
	struct top_model *m = NULL;
	int ret = parse_args(argc, argv, g, &o), err = 0;

	if (!ret && !o.batch && !o.jsonl && !o.events &&
	    (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)))
		ret = tool_usage_error("top", _("the full-screen view needs a "
						"terminal; use -b, --jsonl or "
						"--events"));
	if (!ret && !(m = top_model_new(&o, &err)))
		ret = err == -ENOMEM
			  ? (tool_errorf(_("top: out of memory")), EXIT_RUNTIME)
			  : err;
	if (!ret)
		ret = o.batch || o.jsonl || o.events ? run_plain(m, &o)
						     : tool_top_ui_run(m, &o);
	top_model_free(m);
	sock_diag_filter_free(o.filter);
	free((char *)o.filter_text);
	return ret < 0 ? EXIT_OK : ret;
}
