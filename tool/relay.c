/*
 * tool/relay.c - sock relay FROM TO: a forwarder.  Listens on FROM and
 * connects every client to TO, all sessions in one process and one loop
 * (lib/forward.c); this file reads the command line, handles signals and
 * says what happens.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <sock/forward.h>
#include <sock/number.h>

#include "cmd.h"
#include "i18n.h"
#include "proxy.h"
#include "sandbox.h"
#include "server.h"
#include "tls.h"

/* Datagram sessions end after this many seconds without a datagram. */
#define UDP_IDLE_DEFAULT_MS 60000
/* A target that does not answer a connect in this time is given up. */
#define CONNECT_TIMEOUT_DEFAULT_MS 10000

struct relay_args {
	const char *from_text, *to_text;
	struct sock_addr from, to;
	struct sock_forward_opts fo;
	int stats;
	struct tool_proxy_opts proxy;
	struct tool_acl_opts acl;
	int idle_set; /* --idle: datagram sessions take it too */
	struct tool_tls tls;
};

struct relay_run {
	const struct sock_global *g;
	struct relay_args *a;
	struct sock_forward *fwd;
	struct sock_loop *loop;
	int sfd;
	sigset_t old_mask;  /* restored once the loop no longer reads signals */
	int accept_failing; /* reported once until accept works again */
};

static void usage(FILE *f)
{
	fputs(_("usage: sock relay [OPTIONS] FROM TO\n\n"
		"Listen on FROM; connect every client to TO and copy both "
		"ways until both\n"
		"directions are done.  A client's half-close reaches TO as "
		"one, a reset as a\n"
		"reset.  Datagram endpoints get one session per client "
		"address.  FROM and TO\n"
		"are both stream kinds (tcp, unix, unix-seqpacket) or both "
		"datagram kinds\n"
		"(udp, unix-dgram).\n\n"
		"  -m, --max-conns N     at most N sessions at once (also "
		"--max-sessions);\n"
		"                        further stream clients wait in the "
		"listen backlog,\n"
		"                        further datagram peers are dropped "
		"(default: no limit).\n"
		"                        A datagram session is per source "
		"address and port,\n"
		"                        which a sender can forge: -m is what "
		"bounds them\n"
		"      --udp-idle SECS   end a datagram session after SECS "
		"without traffic\n"
		"                        (default 60)\n"
		"      --idle SECS       end any session after SECS without "
		"traffic (stream\n"
		"                        default: never; datagram: as "
		"--udp-idle)\n"
		"      --keepalive I[,N[,C]]  TCP keepalive on both sides: "
		"the first probe\n"
		"                        after I s of silence, then every N s, "
		"C lost ends it\n"
		"                        (default 60,15,4; off: none)\n"
		"  -w, --timeout SECS    connect timeout towards TO "
		"(default 10; 0: none)\n"
		"      --io MODE         splice, copy or auto (default): how "
		"stream bytes move\n"
		"      --stats           totals on stderr at exit (SIGUSR1: "
		"at any time)\n"
		"  -4, -6                IPv4 or IPv6 only\n"
		"  -v, --verbose         a line per session on stderr\n"
		"      --trace           print every socket call as it is "
		"made\n"
		"      --proxy URL       reach TO through a proxy: "
		"socks5://[USER@]HOST:PORT,\n"
		"                        socks4a://... or http://... (HTTP "
		"CONNECT); TO's name\n"
		"                        is resolved by the proxy\n"
		"      --proxy-auth-file FILE  the proxy password is FILE's "
		"first line\n"
		"                        (else $SOCK_PROXY_PASSWORD)\n"
		"      --proxy-dns local  resolve TO's name here (once), not "
		"at the proxy\n"
		"      --allow CIDR[,CIDR...], --deny CIDR[,CIDR...]\n"
		"                        admit only these clients / refuse "
		"these (deny wins)\n"
		"      --allow-file FILE, --deny-file FILE  the same, read "
		"from FILE\n"
		"      --allow-uid UID[,UID...]  Unix FROM: admit only these "
		"users (names too)\n"),
	      f);
	tool_tls_usage(f, 1, 1);
}

static int parse_io(const char *text, enum sock_forward_io *io)
{
	if (!strcmp(text, "auto"))
		*io = SOCK_FORWARD_IO_AUTO;
	else if (!strcmp(text, "splice"))
		*io = SOCK_FORWARD_IO_SPLICE;
	else if (!strcmp(text, "copy"))
		*io = SOCK_FORWARD_IO_COPY;
	else
		return -1;
	return 0;
}

int tool_parse_count(const char *text, unsigned int *out)
{
	unsigned long v;

	if (sock_number_parse(text, 1, 10000000, &v))
		return -1;
	*out = (unsigned int)v;
	return 0;
}

/* --keepalive off, or IDLE[,INTERVAL[,COUNT]] (whole seconds, a count). */
static int parse_keepalive(const char *text, struct sock_keepalive *k)
{
	unsigned long v[3] = { 0, 0, 0 };
	const unsigned long max[3] = { SOCK_KEEPALIVE_SECS_MAX,
				       SOCK_KEEPALIVE_SECS_MAX,
				       SOCK_KEEPALIVE_COUNT_MAX };
	size_t n;

	*k = (struct sock_keepalive){ 0 };
	if (!strcmp(text, "off")) {
		k->off = 1;
		return 0;
	}
	for (int i = 0; i < 3; i++) {
		v[i] = sock_number_digits(text, max[i], &n);
		if (!n || v[i] < 1 || v[i] > max[i])
			return -1;
		text += n;
		if (!*text)
			break;
		if (*text++ != ',' || i == 2)
			return -1;
	}
	*k = (struct sock_keepalive){ 0, (int)v[0], (int)v[1], (int)v[2] };
	return 0;
}

/* One option; returns 0, or an exit status (help: -1). */
static int take_option(int c, struct relay_args *a, char **argv)
{
	long ms;
	int ret;

	switch (c) {
	case 'h':
		usage(stdout);
		return -1;
	case 'm':
		if (tool_parse_count(optarg, &a->fo.max_sessions))
			return tool_usage_error(
			    "relay",
			    _("bad --max-sessions '%s' (a whole number "
			      "from 1 to 10000000)"),
			    optarg);
		return 0;
	case 'i':
		ms = tool_parse_seconds(optarg);
		if (ms <= 0)
			return tool_usage_error(
			    "relay",
			    _("bad --udp-idle '%s' (seconds, above 0)"),
			    optarg);
		a->fo.udp_idle_ms = ms;
		return 0;
	case 'I':
		ms = tool_parse_seconds(optarg);
		if (ms <= 0)
			return tool_usage_error(
			    "relay", _("bad --idle '%s' (seconds, above 0)"),
			    optarg);
		a->fo.stream_idle_ms = ms;
		a->idle_set = 1;
		return 0;
	case 'k':
		if (parse_keepalive(optarg, &a->fo.keepalive))
			return tool_usage_error(
			    "relay",
			    _("bad --keepalive '%s' (off, or IDLE[,INTERVAL"
			      "[,COUNT]]: seconds from 1 to 32767, a count "
			      "from 1 to 127)"),
			    optarg);
		return 0;
	case 'w':
		ms = tool_parse_seconds(optarg);
		if (ms < 0)
			return tool_usage_error(
			    "relay", _("bad --timeout '%s' (seconds)"), optarg);
		a->fo.connect_timeout_ms = ms;
		return 0;
	case 'o':
		if (parse_io(optarg, &a->fo.io))
			return tool_usage_error(
			    "relay", _("bad --io '%s' (splice, copy or auto)"),
			    optarg);
		return 0;
	case 's':
		a->stats = 1;
		return 0;
	default:
		ret = tool_proxy_option("relay", c, optarg, &a->proxy);
		if (!ret)
			ret = tool_acl_option("relay", c, optarg, &a->acl);
		if (ret)
			return ret == 1 ? 0 : ret;
		ms = tool_tls_option("relay", c, optarg, &a->tls);
		return ms >= 0 ? (int)ms : tool_bad_option("relay", c, argv);
	}
}

static int parse_args(int argc, char **argv, struct relay_args *a)
{
	static const struct option longs[] = {
		{ "max-sessions", required_argument, NULL, 'm' },
		/* One name for listen and relay (first: before the acl's). */
		{ "max-conns", required_argument, NULL, 'm' },
		{ "udp-idle", required_argument, NULL, 'i' },
		{ "timeout", required_argument, NULL, 'w' },
		{ "idle", required_argument, NULL, 'I' },
		{ "keepalive", required_argument, NULL, 'k' },
		{ "io", required_argument, NULL, 'o' },
		{ "stats", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		TOOL_PROXY_LONGOPTS,
		TOOL_ACL_LONGOPTS,
		TOOL_TLS_LONGS,
		{ NULL, 0, NULL, 0 },
	};
	int c, ret;

	a->fo.udp_idle_ms = UDP_IDLE_DEFAULT_MS;
	a->fo.connect_timeout_ms = CONNECT_TIMEOUT_DEFAULT_MS;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":m:w:h", longs, NULL)) != -1)
		if ((ret = take_option(c, a, argv)))
			return ret;
	if (argc - optind != 2)
		return tool_usage_error("relay", _("needs FROM and TO "
						   "endpoints"));
	if (a->idle_set)
		a->fo.udp_idle_ms = a->fo.stream_idle_ms;
	a->from_text = argv[optind];
	a->to_text = argv[optind + 1];
	return 0;
}

/* Both ends must be sockets, and of one nature: bytes go to a stream,
 * messages to a datagram socket, and there is no framing that turns one
 * into the other without surprising someone. */
static int check_endpoints(const struct sock_global *g, struct relay_args *a)
{
	int ret;

	if (tool_parse_endpoint(a->from_text, &a->from) ||
	    tool_parse_endpoint(a->to_text, &a->to))
		return EXIT_USAGE;
	if (a->from.kind == SOCK_KIND_STDIO || a->to.kind == SOCK_KIND_STDIO)
		return tool_usage_error("relay", _("'-' is stdin/stdout; relay "
						   "joins two socket endpoints "
						   "(use sock connect)"));
	if (sock_addr_is_dgram(a->from.kind) != sock_addr_is_dgram(a->to.kind))
		return tool_usage_error(
		    "relay",
		    _("cannot relay %s (%s) to %s (%s): one carries "
		      "a byte stream, the other datagrams"),
		    a->from_text, sock_addr_kind_name(a->from.kind), a->to_text,
		    sock_addr_kind_name(a->to.kind));
	ret = tool_check_family("relay", g, &a->from, a->from_text);
	if (!ret)
		ret = tool_check_family("relay", g, &a->to, a->to_text);
	if (!ret)
		ret = tool_acl_check("relay", &a->acl, &a->from);
	if (!ret)
		ret = tool_proxy_setup("relay", &a->proxy, &a->to, a->to_text,
				       g->family);
	return ret;
}

/* Every session takes two descriptors (and a pipe while data moves):
 * the soft limit, often 1024, would cap a relay at a few hundred. */
static void raise_fd_limit(void)
{
	struct rlimit rl;

	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

/* ---- what happens --------------------------------------------------- */

static const char *end_words(enum sock_forward_end end)
{
	switch (end) {
	case SOCK_FORWARD_END_DONE:
		return _("both sides finished");
	case SOCK_FORWARD_END_CLIENT:
		return _("the client's side failed");
	case SOCK_FORWARD_END_TARGET:
		return _("the target's side failed");
	case SOCK_FORWARD_END_UNREACHABLE:
		return _("cannot reach the target");
	case SOCK_FORWARD_END_IDLE:
		return _("idle");
	case SOCK_FORWARD_END_STOPPED:
		return _("the relay is stopping");
	case SOCK_FORWARD_END_RELAY:
		return _("the relay itself ran short");
	}
	return "?";
}

/* What the relay did about a failure: a reset, passed on. */
static const char *consequence(const struct relay_run *r,
			       const struct sock_forward_event *ev)
{
	if (!ev->err || sock_addr_is_dgram(r->a->from.kind))
		return "";
	if (ev->end == SOCK_FORWARD_END_CLIENT)
		return _("; the target's connection was reset");
	if (ev->end == SOCK_FORWARD_END_RELAY)
		return _("; both connections were reset");
	return _("; the client's connection was reset");
}

static void say_closed(const struct relay_run *r,
		       const struct sock_forward_event *ev, const char *peer)
{
	const char *why = ev->err ? tool_explain(ev->err) : NULL;
	const char *brief = ev->err ? tool_brief(ev->err) : NULL;
	char err[400] = "";

	if (ev->err)
		snprintf(err, sizeof(err), ": %s%s%s%s",
			 brief ? brief : sock_strerror(ev->err),
			 why ? " (" : "", why ? why : "", why ? ")" : "");
	tool_verbosef(r->g,
		      _("session %llu from %s closed after %.3f s: %llu bytes "
			"out, %llu back; %s%s%s"),
		      ev->id, peer, ev->duration_ms / 1000.0, ev->bytes_out,
		      ev->bytes_back, end_words(ev->end), err,
		      consequence(r, ev));
}

static void on_event(const struct sock_forward_event *ev, void *arg)
{
	struct relay_run *r = arg;
	char peer[SOCK_ADDR_STR_MAX + 32];

	if (ev->type == SOCK_FORWARD_ACCEPT_FAILED) {
		if (!r->accept_failing++)
			tool_errorf(_("accept on %s: %s; waiting for sessions "
				      "to end"),
				    r->a->from_text, sock_strerror(ev->err));
		return;
	}
	r->accept_failing = 0;
	if (!r->g->verbose)
		return;
	server_peer_name(r->a->from.kind, ev->peer, ev->peer_len, peer,
			 sizeof(peer));
	if (ev->type == SOCK_FORWARD_REFUSED)
		tool_acl_say_refused(r->g, peer, ev->uid, ev->err);
	else if (ev->type == SOCK_FORWARD_OPENED)
		tool_verbosef(r->g, _("session %llu from %s opened"), ev->id,
			      peer);
	else
		say_closed(r, ev, peer);
}

static void print_stats(const struct relay_run *r)
{
	struct sock_forward_stats st;

	sock_forward_get_stats(r->fwd, &st);
	tool_errorf(
	    _("stats: %llu sessions (%llu open), %llu bytes out, %llu "
	      "back, %llu unreachable, %llu failed, %llu datagrams, %llu "
	      "dropped"),
	    st.sessions, st.open, st.bytes_out, st.bytes_back, st.unreachable,
	    st.errors, st.datagrams, st.dropped);
}

/* ---- signals -------------------------------------------------------- */

/* Signals arrive as reads on a signalfd, in the loop like any event:
 * nothing runs inside a handler, so stopping can close sockets and
 * print freely. */
static int block_signals(sigset_t *old_mask)
{
	sigset_t set;
	int fd;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGUSR1);

	if (sigprocmask(SIG_BLOCK, &set, old_mask) < 0)
		return -errno;
	fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (fd < 0)
		sigprocmask(SIG_SETMASK, old_mask, NULL);
	return fd;
}

/* Once stopped, a further signal must act again: timeout(1) sends TERM
 * to the relay, TERM again to its group, then CONT; kept blocked, that
 * second TERM could never end a relay stuck at exit (as under
 * LeakSanitizer, whose stop-the-world waits for a SIGSTOP that the CONT
 * discards).  A signal that came while stopping ends the process here,
 * after the cleanup; a late SIGUSR1 (stats) has nothing left to say. */
static void unblock_signals(const sigset_t *old_mask)
{
	signal(SIGUSR1, SIG_IGN);
	fflush(stdout);
	sigprocmask(SIG_SETMASK, old_mask, NULL);
}

static void on_signal(struct sock_loop *loop, int fd, uint32_t events,
		      void *arg)
{
	struct relay_run *r = arg;
	struct signalfd_siginfo si;

	(void)events;
	while (read(fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo == SIGUSR1) {
			print_stats(r);
			continue;
		}
		tool_verbosef(r->g, _("%s: stopping"),
			      strsignal((int)si.ssi_signo));
		sock_forward_stop(r->fwd);
		sock_loop_stop(loop);
		return;
	}
}

/* ---- running -------------------------------------------------------- */

/* TO is where FROM listens: each client would be relayed to the relay,
 * which takes that as a new client, until the descriptors run out. */
static int refuse_loop(const struct relay_args *a, const struct sock_conn *c)
{
	char local[SOCK_ADDR_STR_MAX];

	if (sock_addr_format_sa((const struct sockaddr *)&c->local,
				c->local_len, local, sizeof(local)) < 0)
		snprintf(local, sizeof(local), "?");
	return tool_usage_error("relay",
				_("TO %s is FROM's own address (listening on "
				  "%s): the relay would connect to itself, "
				  "again and again; TO must be another socket"),
				a->to_text, local);
}

static int serve(struct relay_run *r, const struct sock_conn *c,
		 const struct sock_target *t)
{
	int ret;

	r->fwd = sock_forward_new(r->loop, c->fd, r->a->from.kind, t, &r->a->fo,
				  on_event, r);
	if (!r->fwd && errno == ELOOP)
		return refuse_loop(r->a, c);
	if (!r->fwd)
		return tool_fail(N_("relay on"), r->a->from_text, -errno);
	server_say_listening(r->g, r->a->from.kind, c);
	tool_verbosef(r->g, _("relaying to %s"), r->a->to_text);
	ret = tool_sandbox_enter(
	    r->g, &(struct tool_sandbox){
		      .cmd = "relay", .own = &r->a->from, .to = t });
	if (ret) {
		sock_forward_free(r->fwd);
		return ret;
	}
	ret = sock_loop_add(r->loop, r->sfd, EPOLLIN, on_signal, r);
	if (!ret)
		ret = sock_loop_run(r->loop);
	if (r->a->stats)
		print_stats(r);
	sock_forward_free(r->fwd);
	return ret ? tool_fail(N_("relay on"), r->a->from_text, ret) : EXIT_OK;
}

static int run(const struct sock_global *g, struct relay_args *a)
{
	struct relay_run r = { .g = g, .a = a, .sfd = -1 };
	struct sock_opts so = { .family = g->family };
	struct sock_target t;
	struct sock_conn c;
	int ret;

	/* Through a proxy, the target's addresses are the proxy's. */
	ret = sock_resolve(a->proxy.url ? &a->proxy.p.addr : &a->to, &so, &t);
	if (ret)
		return tool_fail(N_("resolve"),
				 a->proxy.url ? a->proxy.url : a->to_text, ret);
	if (a->proxy.url) {
		a->fo.proxy = &a->proxy.p;
		a->fo.proxy_host = a->proxy.host;
		a->fo.proxy_port = a->proxy.port;
	}
	a->fo.acl = a->acl.acl;
	r.sfd = block_signals(&r.old_mask);
	r.loop = sock_loop_new();
	ret = r.loop && r.sfd >= 0 ? 0 : -errno;
	if (!ret)
		ret = sock_listen(&a->from, &so, &c);
	if (ret) {
		ret = r.loop && r.sfd >= 0
			  ? server_fail_listen(&a->from, a->from_text, ret)
			  : tool_fail(N_("relay on"), a->from_text, ret);
	} else {
		server_claim_file(&a->from);
		ret = serve(&r, &c, &t);
		server_remove_file();
		server_forget_file();
		sock_close(c.fd);
	}
	sock_loop_free(r.loop);
	if (r.sfd >= 0) {
		close(r.sfd);
		unblock_signals(&r.old_mask);
	}
	sock_target_free(&t);
	return ret;
}

int cmd_relay(int argc, char **argv, struct sock_global *g)
{
	struct relay_args a = { 0 };
	int ret;

	ret = parse_args(argc, argv, &a);
	if (!ret)
		ret = check_endpoints(g, &a);
	if (!ret)
		ret = tool_tls_relay(&a.tls, &a.from, &a.to, &a.fo.tls_from,
				     &a.fo.tls_to);
	if (!ret) {
		a.fo.tls_host = a.to.host;
		raise_fd_limit();
		ret = run(g, &a);
	}
	sock_tls_ctx_free(a.fo.tls_from);
	sock_tls_ctx_free(a.fo.tls_to);
	tool_acl_free(&a.acl);
	return ret < 0 ? EXIT_OK : ret;
}
