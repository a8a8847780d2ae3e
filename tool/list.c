/*
 * tool/list.c - sock list: netstat's flags and tables over a sock_diag
 * snapshot, plus --json, filters and the --dump / SOCK_DIAG_FILE hooks.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <sock/diag.h>
#include <sock/netns.h>

#include "cmd.h"
#include "i18n.h"
#include "list.h"

static void usage(FILE *f)
{
	fputs(
	    _("usage: sock list [-tuwxlanpeimo46] [--json] [--dump FILE] "
	      "[FILTER]\n\n"
	      "  -t, --tcp        TCP sockets       -u, --udp   UDP sockets\n"
	      "  -w, --raw        raw sockets       -x, --unix  Unix sockets\n"
	      "                   (no protocol flag: all of them)\n"
	      "  -l, --listening  only servers (listening TCP/Unix, "
	      "unconnected UDP/raw)\n"
	      "  -a, --all        servers and connected sockets\n"
	      "                   (neither: connected sockets only)\n"
	      "  -n, --numeric    no host, service or user names\n"
	      "  -p, --program    PID/Program name of every owner\n"
	      "  -e, --extend     User and Inode columns\n"
	      "  -i, --info       TCP internals and what limits each sender\n"
	      "  -m, --memory     socket memory (buffers, queues, drops)\n"
	      "  -o, --timers     netstat's Timer column\n"
	      "  -4, -6           IPv4 or IPv6 sockets only\n"
	      "  --json           an array of objects (see sock(1))\n"
	      "  --explain        a sentence under each row: what it means\n"
	      "  --graph dot|svg  who talks to whom, as Graphviz text or SVG\n"
	      "  --dump FILE      also write the kernel's replies to FILE;\n"
	      "                   SOCK_DIAG_FILE=FILE replays them\n"
	      "  -s, --summary    sockets counted by protocol and state, and "
	      "the kernel's\n"
	      "                   socket counters (with --json: an object)\n"
	      "  -K, --kill       destroy the sockets FILTER matches (needs a "
	      "FILTER\n"
	      "                   and CAP_NET_ADMIN); --dry-run only lists "
	      "them\n\n"
	      "  -N, --netns NS   the sockets of namespace NS: a name under "
	      "/run/netns,\n"
	      "                   an nsfs path, or a process id\n"
	      "  --all-netns      the sockets of every network namespace\n\n"
	      "FILTER: state NAME | port N | sport N | dport N | src ADDR | "
	      "dst ADDR,\n"
	      "        netns NAME | pid N | comm NAME | uid N | cgroup PATH;\n"
	      "        ports also with\n"
	      "        != < <= > >= (ss's neq lt le gt ge), addresses with "
	      "/LEN;\n"
	      "        joined with and, or, not and ( ); e.g.\n"
	      "        sock list -ta state established and dport 443\n"),
	    f);
}

int list_proto_letter(char c, unsigned int *protocols)
{
	static const char protos[] = "tuwx";
	static const unsigned int bits[] = { SOCK_DIAG_TCP, SOCK_DIAG_UDP,
					     SOCK_DIAG_RAW, SOCK_DIAG_UNIX };
	const char *p = c ? strchr(protos, c) : NULL;

	if (!p)
		return 0;
	*protocols |= bits[p - protos];
	return 1;
}

int list_family_letter(char c, int *family)
{
	int f = c == '4' ? AF_INET : c == '6' ? AF_INET6 : 0;

	if (!f)
		return 0;
	*family = *family && *family != f ? -1 /* both: no restriction */
					  : f;
	return 1;
}

/* One letter of a bundle like -tulpn; 0, or -1 if unknown. */
static int letter(char c, struct list_opts *o, int *all, int *listening)
{
	if (list_proto_letter(c, &o->protocols))
		;
	else if (c == 'l')
		*listening = 1;
	else if (c == 'a')
		*all = 1;
	else if (c == 'n')
		o->numeric = 1;
	else if (c == 'p')
		o->programs = 1;
	else if (c == 'e')
		o->extend = 1;
	else if (c == 'i')
		o->info = 1;
	else if (c == 'm')
		o->memory = 1;
	else if (c == 'o')
		o->timers = 1;
	else if (c == 's')
		o->summary = 1;
	else if (c == 'K')
		o->kill = 1;
	else if (!list_family_letter(c, &o->family))
		return -1;
	return 0;
}

static const struct {
	const char *name;
	char letter;
} long_opts[] = {
	{ "--tcp", 't' },     { "--udp", 'u' },	      { "--raw", 'w' },
	{ "--unix", 'x' },    { "--listening", 'l' }, { "--all", 'a' },
	{ "--numeric", 'n' }, { "--program", 'p' },   { "--programs", 'p' },
	{ "--extend", 'e' },  { "--info", 'i' },      { "--memory", 'm' },
	{ "--timers", 'o' },  { "--extend", 'e' },    { "--summary", 's' },
	{ "--kill", 'K' },
};

static char long_letter(const char *arg)
{
	for (size_t i = 0; i < sizeof(long_opts) / sizeof(long_opts[0]); i++)
		if (!strcmp(arg, long_opts[i].name))
			return long_opts[i].letter;
	return 0;
}

/* Flags up to the first word that is not one; returns the index of
 * that word, -1 after --help, or -2 after a usage error (reported). */
static int parse_flags(int argc, char **argv, struct list_opts *o, int *all,
		       int *listening)
{
	int i;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		const char *a = argv[i];
		char l = long_letter(a);

		if (!strcmp(a, "--")) {
			i++;
			break;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return -1;
		} else if (!strcmp(a, "--json")) {
			o->json = 1;
		} else if (!strcmp(a, "--dry-run")) {
			o->dry_run = 1;
		} else if (!strcmp(a, "--dump") || !strncmp(a, "--dump=", 7)) {
			o->dump =
			    a[6] ? a + 7 : (i + 1 < argc ? argv[++i] : NULL);
			if (!o->dump || !*o->dump) {
				tool_usage_error("list",
						 _("option '--dump' needs a "
						   "value"));
				return -2;
			}
		} else if (!strcmp(a, "--graph") ||
			   !strncmp(a, "--graph=", 8)) {
			if (list_graph_option(
				a, a[7] || i + 1 >= argc ? NULL : argv[++i], o))
				return -2;
		} else if (!strcmp(a, "--all-netns")) {
			o->all_netns = 1;
		} else if (!strcmp(a, "-N") || !strcmp(a, "--netns") ||
			   !strncmp(a, "--netns=", 8)) {
			o->netns = a[7] == '='	  ? a + 8
				   : i + 1 < argc ? argv[++i]
						  : NULL;
			if (!o->netns || !*o->netns) {
				tool_usage_error(
				    "list", _("option '%s' needs a namespace"),
				    a);
				return -2;
			}
		} else if (l) {
			letter(l, o, all, listening);
		} else if (a[1] == '-') {
			goto bad;
		} else {
			for (const char *c = a + 1; *c; c++)
				if (letter(*c, o, all, listening) < 0) {
					tool_usage_error(
					    "list",
					    _("unknown flag '%c' in "
					      "'%s'"),
					    *c, a);
					return -2;
				}
		}
	}
	return i;
bad:
	tool_usage_error("list", _("bad option '%s'"), argv[i]);
	return -2;
}

/* The filter's words cut into the grammar's tokens. */
struct list_tokens {
	char **v;
	int n, cap;
};

static int token_add(struct list_tokens *t, const char *s, size_t len)
{
	if (t->n == t->cap) {
		int cap = t->cap ? t->cap * 2 : 16;
		void *p = cap > t->cap
			      ? realloc(t->v, (size_t)cap * sizeof(*t->v))
			      : NULL;

		if (!p)
			return -ENOMEM;
		t->v = p;
		t->cap = cap;
	}
	t->v[t->n] = strndup(s, len);
	return t->v[t->n] ? (t->n++, 0) : -ENOMEM;
}

static void tokens_free(struct list_tokens *t)
{
	for (int i = 0; i < t->n; i++)
		free(t->v[i]);
	free(t->v);
}

/* ss users quote their filter as one word ('( sport = :22 or dport =
 * :22 )', 'sport=:5000'): cut every word at blanks, around each
 * parenthesis and '!', and around runs of '=', '&' and '|', none of
 * which a port, address or state name contains. */
static int split_word(struct list_tokens *t, const char *w)
{
	const char *op = "()!=&|<>";
	size_t len;
	int ret = 0;

	while (!ret && *w) {
		if (isspace((unsigned char)*w)) {
			w++;
			continue;
		}
		if (strchr("!<>", *w) && w[1] == '=')
			len = 2; /* != <= >= */
		else if (strchr("()!<>", *w))
			len = 1;
		else if (strchr(op, *w))
			for (len = 1; w[len] == *w; len++)
				;
		else
			for (len = 1; w[len] && !strchr(op, w[len]) &&
				      !isspace((unsigned char)w[len]);
			     len++)
				;
		ret = token_add(t, w, len);
		w += len;
	}
	return ret;
}

/* A filter that names a state picks the states itself, as in ss:
 * `sock list state listening` shows listeners without -l. */
static int names_state(const struct list_tokens *t)
{
	for (int i = 0; i < t->n; i++)
		if (!strcmp(t->v[i], "state"))
			return 1;
	return 0;
}

/* The grammar's verdict on t in words (err); 0 or -errno. */
static int parse_tokens(struct list_tokens *t, struct sock_diag_filter **out,
			char *err, size_t len)
{
	int bad = 0, ret;

	ret = sock_diag_filter_parse(t->n, t->v, out, &bad);
	if (ret == -ELOOP)
		snprintf(err, len,
			 _("filter nested too deeply (more than %d levels of "
			   "not and parentheses)"),
			 SOCK_DIAG_FILTER_DEPTH);
	else if (ret && ret != -ENOMEM && bad < t->n)
		snprintf(err, len, _("bad filter word '%s'"), t->v[bad]);
	else if (ret && ret != -ENOMEM)
		snprintf(err, len, _("filter ends too early after '%s'"),
			 t->n ? t->v[t->n - 1] : "");
	return ret == -ELOOP ? -EINVAL : ret;
}

int list_filter_words(int argc, char *const *argv,
		      struct sock_diag_filter **out, int *names_st, char *err,
		      size_t len)
{
	struct list_tokens t = { 0 };
	int ret = 0;

	*out = NULL;
	for (int i = 0; !ret && i < argc; i++)
		ret = split_word(&t, argv[i]);
	if (!ret && t.n)
		ret = parse_tokens(&t, out, err, len);
	if (ret == -ENOMEM)
		snprintf(err, len, "%s", strerror(ENOMEM));
	if (names_st)
		*names_st = !ret && names_state(&t);
	tokens_free(&t);
	return ret;
}

/* -l with a filter whose states are none of a server's: say why the
 * listing is empty instead of printing an empty table. */
static void explain_empty(const struct list_opts *o)
{
	uint32_t servers = 1u << SOCK_DIAG_LISTEN | 1u << SOCK_DIAG_CLOSE;

	if (o->role == SOCK_DIAG_SERVERS &&
	    !(sock_diag_filter_states(o->filter) & servers))
		tool_errorf(_("list: -l shows only listening and unconnected "
			      "sockets, and the filter's states are none of "
			      "them (use -a, or leave out -l)"));
}

static int parse_filter(int argc, char **argv, struct list_opts *o)
{
	char err[256];
	int st, ret = list_filter_words(argc, argv, &o->filter, &st, err,
					sizeof(err));

	if (ret == -ENOMEM) {
		tool_errorf(_("list: out of memory"));
		return EXIT_RUNTIME;
	}
	if (ret)
		return tool_usage_error("list", "%s", err);
	if (st && o->role == SOCK_DIAG_CLIENTS)
		o->role = 0;
	if (st)
		explain_empty(o);
	return 0;
}

/* The whole command line into o; 0, -1 after --help, or an exit code. */
static int parse_args(int argc, char **argv, struct sock_global *g,
		      struct list_opts *o)
{
	int all = 0, listening = 0, i;

	o->family = g->family;
	o->explain = g->explain;
	i = parse_flags(argc, argv, o, &all, &listening);
	if (i < 0)
		return i == -1 ? -1 : EXIT_USAGE;
	if (o->family < 0)
		o->family = AF_UNSPEC;
	if (!o->protocols)
		o->protocols =
		    o->family ? SOCK_DIAG_TCP | SOCK_DIAG_UDP | SOCK_DIAG_RAW
			      : SOCK_DIAG_ALL;
	o->role = all ? 0 : listening ? SOCK_DIAG_SERVERS : SOCK_DIAG_CLIENTS;
	return parse_filter(argc - i, argv + i, o);
}

static const char *source_name(int src)
{
	switch (src) {
	case SOCK_DIAG_SRC_NETLINK:
		return "sock_diag";
	case SOCK_DIAG_SRC_PROCFS:
		return "/proc/net";
	case SOCK_DIAG_SRC_REPLAY:
		return _("a replay file");
	}
	return _("sock_diag and /proc/net");
}

/* A write error of the listing; a reader that went away (| head) is
 * not one: it had what it wanted, so nothing is said and we exit 0. */
static int write_failed(int err)
{
	if (tool_reader_gone(err))
		return EXIT_OK;
	tool_errorf(_("list: writing the listing: %s"), strerror(-err));
	return EXIT_RUNTIME;
}

static int show(struct sock_diag *d, const struct list_opts *o,
		struct sock_global *g)
{
	int ret;

	tool_verbosef(g, _("list: %zu sockets from %s"), sock_diag_count(d),
		      source_name(sock_diag_source(d)));
	if (o->graph == LIST_GRAPH_SVG) {
		ret = list_graph_svg(d, o);
		if (ret)
			return ret;
	} else {
		ret = o->graph	? list_print_graph(stdout, d, o)
		      : o->json ? list_print_json(stdout, d, o)
				: list_print_table(stdout, d, o);
		if (ret)
			return write_failed(ret);
	}
	list_netns_report(d);
	if (o->programs && sock_diag_hidden(d))
		tool_errorf(_("list: %u processes of other users could not be "
			      "read, their sockets show no owner (run as root "
			      "to see them)"),
			    sock_diag_hidden(d));
	return EXIT_OK;
}

/* The listing without a snapshot: list_stream_table(). */
static int stream(const struct sock_diag_query *q, struct list_opts *o,
		  struct sock_global *g)
{
	size_t count = 0;
	int werr, ret = list_stream_table(stdout, q, o, &count, &werr);

	sock_diag_filter_free(o->filter);
	if (ret) {
		tool_errorf(_("list: cannot read the socket table: %s"),
			    strerror(-ret));
		return EXIT_RUNTIME;
	}
	tool_verbosef(g, _("list: %zu sockets"), count);
	return werr ? write_failed(werr) : EXIT_OK;
}

/* --dump FILE: the kernel's replies are written as they arrive. */
struct list_dump {
	int fd;
	int err; /* the first write error, negative errno */
};

static int dump_write(const void *buf, size_t len, void *arg)
{
	struct list_dump *dp = arg;
	const char *p = buf;
	ssize_t n;

	while (len) {
		n = write(dp->fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			dp->err = -errno;
			return dp->err;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The snapshot, with the --dump file open around it; failures are
 * reported naming what failed: the dump file, the replay file or the
 * socket table.  Returns 0 or an exit status. */
static int take(struct sock_diag_query *q, const struct list_opts *o,
		struct sock_diag **d)
{
	struct list_dump dp = { .fd = -1 };
	int ret;

	if (o->dump) {
		dp.fd = open(o->dump, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
			     0644);
		if (dp.fd < 0) {
			tool_errorf(_("list: --dump %s: %s"), o->dump,
				    strerror(errno));
			return EXIT_RUNTIME;
		}
		q->record = dump_write;
		q->record_arg = &dp;
	}
	ret = sock_diag_snapshot(q, d);
	if (dp.fd >= 0 && close(dp.fd) && !ret && !dp.err)
		dp.err = -errno;
	if (dp.err)
		tool_errorf(_("list: --dump %s: %s"), o->dump,
			    strerror(-dp.err));
	else if (ret && q->replay && list_replay_failed(q->replay, ret))
		;
	else if (ret && q->replay && ret == -EINVAL)
		tool_errorf(_("list: SOCK_DIAG_FILE=%s: not a recorded "
			      "sock_diag dump"),
			    q->replay);
	else if (ret && q->replay)
		tool_errorf(_("list: SOCK_DIAG_FILE=%s: %s"), q->replay,
			    strerror(-ret));
	else if (ret)
		tool_errorf(_("list: cannot read the socket table: %s"),
			    strerror(-ret));
	if (!ret && dp.err)
		sock_diag_free(*d);
	return ret || dp.err ? EXIT_RUNTIME : 0;
}

int cmd_list(int argc, char **argv, struct sock_global *g)
{
	struct list_opts o = { 0 };
	struct sock_diag_query q = { 0 };
	struct sock_netns_set *set = NULL;
	struct sock_diag *d;
	const char *env;
	int ret;

	ret = parse_args(argc, argv, g, &o);
	if (!ret)
		ret = list_netns_open(&o, &set);
	if (ret) {
		sock_diag_filter_free(o.filter);
		return ret < 0 ? EXIT_OK : ret;
	}
	q.netns = set;
	o.netns_column = sock_netns_count(set) > 1;
	q.protocols = o.protocols;
	q.family = o.family;
	q.role = o.role;
	q.filter = o.filter;
	q.flags = o.programs ? SOCK_DIAG_OWNERS : 0;
	q.extras = list_info_extras(&o);
	env = getenv("SOCK_DIAG_FILE");
	q.replay = env && *env && !o.dump ? env : NULL;
	env = getenv("SOCK_DIAG_PROCFS");
	if (env && *env == '1')
		q.flags |= SOCK_DIAG_PROCFS;
	if (o.summary)
		q.role = 0; /* every state is counted */
	ret = o.kill ? list_kill_prepare(&o, &q) : 0;
	if (!ret && !o.summary && !o.kill && list_can_stream(&o, &q))
		return stream(&q, &o, g);
	ret = ret ? ret : take(&q, &o, &d);
	if (ret) {
		sock_netns_free(set);
		sock_diag_filter_free(o.filter);
		return ret;
	}
	if (o.summary)
		ret = list_summary(stdout, d, &o, q.proc_root);
	else if (o.kill)
		ret = list_kill(stdout, d, &o);
	else
		ret = show(d, &o, g);
	ret = ret < 0 ? write_failed(ret) : ret;
	if (!ret && q.replay)
		ret = list_replay_report(d, q.replay);
	sock_diag_free(d);
	sock_netns_free(set);
	sock_diag_filter_free(o.filter);
	return ret;
}
