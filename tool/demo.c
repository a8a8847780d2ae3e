/*
 * tool/demo.c - sock demo [KIND] [SCENARIO] [--svg FILE] [--mermaid]:
 * the command line, the names of scenarios and states, and the choice
 * of rendering.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "demo.h"
#include "i18n.h"

static void usage(FILE *f)
{
	fprintf(f, "%s",
		_("usage: sock demo [tcp|udp|unix|unix-dgram|seqpacket] "
		  "[SCENARIO] [--svg FILE] [--mermaid]\n\n"
		  "Runs a real server and a real client on loopback (or an "
		  "abstract Unix name)\n"
		  "and prints every socket call of both, in time order, with "
		  "the kernel's\n"
		  "TCP state of each end after each call.\n\n"
		  "SCENARIO:\n"
		  "  normal           connect, one exchange, close (default)\n"
		  "  refused          nothing listens: connect() fails with "
		  "ECONNREFUSED\n"
		  "  half-close       the client shuts down writing; the "
		  "server answers late\n"
		  "  stream-vs-dgram  three sends: one read on a stream, three "
		  "on datagrams\n"
		  "  backlog          listen backlog 1 and three clients (tcp "
		  "only)\n\n"
		  "  --svg FILE       also write a sequence diagram (SVG) to "
		  "FILE\n"
		  "  --mermaid        print a Mermaid sequenceDiagram instead "
		  "of the text\n"));
}

static const struct {
	const char *name;
	enum sock_kind kind;
} kinds[] = {
	{ "tcp", SOCK_KIND_TCP },
	{ "udp", SOCK_KIND_UDP },
	{ "unix", SOCK_KIND_UNIX_STREAM },
	{ "unix-dgram", SOCK_KIND_UNIX_DGRAM },
	{ "seqpacket", SOCK_KIND_UNIX_SEQPACKET },
	{ "unix-seqpacket", SOCK_KIND_UNIX_SEQPACKET },
};

static const char *const scenarios[] = {
	[DEMO_NORMAL] = "normal",
	[DEMO_REFUSED] = "refused",
	[DEMO_HALF_CLOSE] = "half-close",
	[DEMO_STREAM_VS_DGRAM] = "stream-vs-dgram",
	[DEMO_BACKLOG] = "backlog",
};

const char *demo_scenario_name(enum demo_scenario s)
{
	return scenarios[s];
}

/* TCP states as the kernel names them (netstat's spelling), and how a
 * learner reads them in the message catalog's language. */
static const struct {
	const char *kernel;
	const char *label;
} states[] = {
	{ "ESTABLISHED", N_("ESTABLISHED") },
	{ "SYN_SENT", N_("SYN_SENT") },
	{ "SYN_RECV", N_("SYN_RECV") },
	{ "FIN_WAIT1", N_("FIN_WAIT1") },
	{ "FIN_WAIT2", N_("FIN_WAIT2") },
	{ "TIME_WAIT", N_("TIME_WAIT") },
	{ "CLOSE", N_("CLOSED") },
	{ "CLOSE_WAIT", N_("CLOSE_WAIT") },
	{ "LAST_ACK", N_("LAST_ACK") },
	{ "LISTEN", N_("LISTEN") },
	{ "CLOSING", N_("CLOSING") },
};

const char *demo_state_label(const char *state)
{
	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++)
		if (!strcmp(states[i].kernel, state))
			return _(states[i].label);
	return state;
}

struct demo_args {
	const char *svg;
	int mermaid;
};

static int word(struct demo *d, const char *w, int *have_kind, int *have_sc)
{
	for (size_t i = 0; !*have_kind && i < sizeof(kinds) / sizeof(kinds[0]);
	     i++)
		if (!strcmp(w, kinds[i].name)) {
			d->kind = kinds[i].kind;
			*have_kind = 1;
			return 0;
		}
	for (size_t i = 0;
	     !*have_sc && i < sizeof(scenarios) / sizeof(*scenarios); i++)
		if (!strcmp(w, scenarios[i])) {
			d->scenario = (enum demo_scenario)i;
			*have_sc = 1;
			return 0;
		}
	return tool_usage_error("demo",
				_("'%s' is neither a kind (tcp, udp, unix, "
				  "unix-dgram, seqpacket) nor a scenario"),
				w);
}

/* 0, -1 after --help, or an exit status. */
static int parse_args(int argc, char **argv, struct demo *d,
		      struct demo_args *a)
{
	int have_kind = 0, have_sc = 0;

	d->kind = SOCK_KIND_TCP;
	for (int i = 1; i < argc; i++) {
		const char *w = argv[i];

		if (!strcmp(w, "-h") || !strcmp(w, "--help")) {
			usage(stdout);
			return -1;
		} else if (!strcmp(w, "--mermaid")) {
			a->mermaid = 1;
		} else if (!strcmp(w, "--svg") || !strncmp(w, "--svg=", 6)) {
			a->svg = w[5] == '=' ? w + 6 : argv[++i];
			if (!a->svg || !*a->svg)
				return tool_usage_error(
				    "demo", _("option '--svg' needs a file"));
		} else if (w[0] == '-') {
			return tool_usage_error("demo", _("bad option '%s'"),
						w);
		} else if (word(d, w, &have_kind, &have_sc)) {
			return EXIT_USAGE;
		}
	}
	return 0;
}

/* Scenarios that make no sense for a kind are refused up front. */
static int check_fit(const struct demo *d)
{
	int dgram = d->kind == SOCK_KIND_UDP || d->kind == SOCK_KIND_UNIX_DGRAM;

	if (d->scenario == DEMO_HALF_CLOSE && dgram)
		return tool_usage_error(
		    "demo", _("half-close needs a stream (tcp, unix, "
			      "seqpacket): datagram sockets have no "
			      "connection to half-close"));
	if (d->scenario == DEMO_BACKLOG && d->kind != SOCK_KIND_TCP)
		return tool_usage_error(
		    "demo", _("the backlog scenario is for tcp only"));
	return 0;
}

static int write_svg(const struct demo *d, const char *path, FILE *f)
{
	int ret = demo_print_svg(d, f);

	if (fclose(f) && !ret)
		ret = -errno;
	if (ret) {
		tool_errorf(_("demo: --svg %s: %s"), path, strerror(-ret));
		return EXIT_RUNTIME;
	}
	return 0;
}

int cmd_demo(int argc, char **argv, struct sock_global *g)
{
	struct demo d = { 0 };
	struct demo_args a = { 0 };
	FILE *svg = NULL;
	int ret;

	(void)g;
	ret = parse_args(argc, argv, &d, &a);
	if (ret)
		return ret < 0 ? EXIT_OK : ret;
	ret = check_fit(&d);
	if (ret)
		return ret;
	/* An unwritable file is found before the demo runs. */
	if (a.svg && !(svg = fopen(a.svg, "we"))) {
		tool_errorf(_("demo: --svg %s: %s"), a.svg, strerror(errno));
		return EXIT_RUNTIME;
	}
	ret = demo_run(&d);
	if (ret < 0 && !d.n) {
		if (svg)
			fclose(svg);
		free(d.ev);
		tool_errorf(_("demo: the demo could not run: %s"),
			    strerror(-ret));
		return EXIT_RUNTIME;
	}
	if (a.mermaid)
		demo_print_mermaid(&d, stdout);
	else
		demo_print_text(&d, stdout);
	ret = svg ? write_svg(&d, a.svg, svg) : 0;
	free(d.ev);
	return ret;
}
