/*
 * tool/list_graph.c - sock list --graph: who talks to whom, as Graphviz
 * DOT text (--graph dot) or rendered by Graphviz's dot (--graph svg).
 *
 * Processes are boxes, their sockets ellipses (listeners diamonds),
 * remote hosts plain leaves.  Two local inet sockets are peers when one's
 * local address is the other's remote and the other way round; Unix
 * sockets name their peer's inode.  Every section of the output is
 * sorted, so one snapshot always gives the same text.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd.h"
#include "i18n.h"
#include "list.h"

int list_graph_format(const char *name)
{
	if (!strcmp(name, "dot"))
		return LIST_GRAPH_DOT;
	if (!strcmp(name, "svg"))
		return LIST_GRAPH_SVG;
	return -1;
}

int list_graph_option(const char *a, const char *next, struct list_opts *o)
{
	const char *v = a[7] ? a + 8 : next;

	if (!v || !*v) {
		tool_usage_error("list", _("option '--graph' needs a value "
					   "(dot or svg)"));
		return -1;
	}
	o->graph = list_graph_format(v);
	if (o->graph < 0) {
		tool_usage_error("list",
				 _("--graph %s: not a graph format (dot or "
				   "svg)"),
				 v);
		return -1;
	}
	o->programs = 1; /* the graph's nodes are processes */
	return 0;
}

/* ---- lines of output, sorted before they are printed ---------------- */

struct lines {
	char **v;
	size_t n, cap;
	int err;
};

static void lines_push(struct lines *l, char *s)
{
	if (!s) {
		l->err = -ENOMEM;
		return;
	}
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		char **v = realloc(l->v, cap * sizeof(*v));

		if (!v) {
			free(s);
			l->err = -ENOMEM;
			return;
		}
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = s;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted, each distinct line once (both ends of a pair give its edge). */
static void lines_print(FILE *out, struct lines *l)
{
	if (l->n)
		qsort(l->v, l->n, sizeof(*l->v), cmp_str);
	for (size_t i = 0; i < l->n; i++)
		if (!i || strcmp(l->v[i], l->v[i - 1]))
			fprintf(out, "\t%s\n", l->v[i]);
}

static void lines_free(struct lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

/* ---- DOT strings ------------------------------------------------------ */

/*
 * s (n bytes) inside a DOT quoted string.  Graphviz reads backslash
 * escapes in labels (\n, \l, \N...), so a backslash is doubled and shows
 * as itself; a quote is escaped; control characters are shown as \xNN
 * text (a name stays one line); bytes that are not UTF-8, which dot
 * rejects, become U+FFFD.
 */
static void dot_text(FILE *f, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		size_t u;

		if (c == '"')
			fputs("\\\"", f);
		else if (c == '\\')
			fputs("\\\\", f);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\\\x%02x", c);
		else if (c < 0x80)
			putc(c, f);
		else if ((u = tool_utf8_len((const unsigned char *)s + i,
					    n - i))) {
			fwrite(s + i, 1, u, f);
			i += u - 1;
		} else
			fputs("\xef\xbf\xbd", f);
	}
}

/* The same for a NUL-terminated string. */
static void dot_str(FILE *f, const char *s)
{
	dot_text(f, s, strlen(s));
}

/* A line built with stdio into memory. */
struct line {
	FILE *f;
	char *buf;
	size_t len;
};

static FILE *line_open(struct line *ln)
{
	ln->buf = NULL;
	ln->f = open_memstream(&ln->buf, &ln->len);
	return ln->f;
}

static void line_close(struct line *ln, struct lines *l)
{
	if (!ln->f) {
		lines_push(l, NULL);
		return;
	}
	if (fclose(ln->f)) {
		free(ln->buf);
		ln->buf = NULL;
	}
	lines_push(l, ln->buf);
}

/* ---- sockets ---------------------------------------------------------- */

static int is_inet(const struct sock_diag_entry *e)
{
	return e->family == AF_INET || e->family == AF_INET6;
}

/* An address as 16 bytes: IPv4 as ::ffff:a.b.c.d (a v6 socket talking to
 * a v4 one sees that), any wildcard as all zeros. */
static void norm_addr(uint8_t out[16], int family, const uint8_t *a)
{
	static const uint8_t zero[4];

	memset(out, 0, 16);
	if (family == AF_INET6) {
		memcpy(out, a, 16);
	} else if (memcmp(a, zero, 4)) {
		out[10] = out[11] = 0xff;
		memcpy(out + 12, a, 4);
	}
}

/* What joins two inet sockets: protocol and both ends, normalized. */
struct ikey {
	uint32_t netns; /* peers share a network namespace */
	uint8_t proto;
	uint8_t local[16];
	uint16_t lport;
	uint8_t remote[16];
	uint16_t rport;
};

struct isock {
	struct ikey k;
	size_t i; /* index in the snapshot */
};

static int cmp_ikey(const struct ikey *a, const struct ikey *b)
{
	int c = (a->netns > b->netns) - (a->netns < b->netns);

	if (!c)
		c = (int)a->proto - (int)b->proto;
	if (!c)
		c = memcmp(a->local, b->local, 16);
	if (!c)
		c = (int)a->lport - (int)b->lport;
	if (!c)
		c = memcmp(a->remote, b->remote, 16);
	if (!c)
		c = (int)a->rport - (int)b->rport;
	return c;
}

static int cmp_isock(const void *a, const void *b)
{
	const struct isock *x = a, *y = b;
	int c = cmp_ikey(&x->k, &y->k);

	return c ? c : (x->i > y->i) - (x->i < y->i);
}

struct graph {
	const struct sock_diag *d;
	size_t n;
	struct isock *in; /* the inet sockets, sorted by key */
	size_t nin;
	struct lines procs, socks, hosts, owns, peers;
};

static void ikey_of(struct ikey *k, const struct sock_diag_entry *e)
{
	memset(k, 0, sizeof(*k));
	k->netns = e->netns;
	k->proto = e->protocol;
	norm_addr(k->local, e->family, e->in.local);
	k->lport = e->in.local_port;
	norm_addr(k->remote, e->family, e->in.remote);
	k->rport = e->in.remote_port;
}

/* The first socket with key k, or -1. */
static long find(const struct graph *g, const struct ikey *k)
{
	size_t lo = 0, hi = g->nin;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cmp_ikey(&g->in[mid].k, k) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < g->nin && !cmp_ikey(&g->in[lo].k, k) ? (long)g->in[lo].i
							 : -1;
}

static int is_loopback(const uint8_t a[16])
{
	static const uint8_t v6[16] = { [15] = 1 };
	static const uint8_t mapped[12] = { [10] = 0xff, [11] = 0xff };

	return !memcmp(a, v6, 16) || (!memcmp(a, mapped, 12) && a[12] == 127);
}

/*
 * The local peer of inet socket e, or -1: the socket whose ends are e's
 * ends swapped; for a connected UDP socket talking to this machine, else
 * the unconnected socket bound to its remote address (or to a wildcard
 * address) and port, which is what receives its datagrams.
 */
static long inet_peer(const struct graph *g, const struct sock_diag_entry *e)
{
	struct ikey k, own;
	long p;

	if (!e->in.remote_port || e->state == SOCK_DIAG_LISTEN)
		return -1;
	ikey_of(&own, e);
	memset(&k, 0, sizeof(k));
	k.netns = own.netns;
	k.proto = own.proto;
	memcpy(k.local, own.remote, 16);
	k.lport = own.rport;
	memcpy(k.remote, own.local, 16);
	k.rport = own.lport;
	p = find(g, &k);
	if (p >= 0 || e->protocol != IPPROTO_UDP || !is_loopback(own.remote))
		return p;
	memset(k.remote, 0, 16);
	k.rport = 0;
	p = find(g, &k);
	if (p >= 0)
		return p;
	memset(k.local, 0, 16);
	return find(g, &k);
}

/* The Unix socket with inode ino, or -1 (a linear walk is too slow for
 * big tables, so the caller's sorted index is used). */
struct uidx {
	uint32_t ino;
	size_t i;
};

static int cmp_uidx(const void *a, const void *b)
{
	const struct uidx *x = a, *y = b;

	return (x->ino > y->ino) - (x->ino < y->ino);
}

/* A socket's node name: its inode, or for a socket without one
 * (TIME_WAIT), its protocol and both ends. */
#define ID_SIZE 160
static void sock_id_buf(char *buf, const struct graph *g, size_t i)
{
	const struct sock_diag_entry *e = sock_diag_get(g->d, i);
	char a[64], b[64];

	if (e->inode || !is_inet(e)) {
		snprintf(buf, ID_SIZE, "\"s%u\"", e->inode);
		return;
	}
	list_format_endpoint(a, sizeof(a), e, 1, NULL);
	list_format_endpoint(b, sizeof(b), e, 0, NULL);
	snprintf(buf, ID_SIZE, "\"s:%s:%s-%s\"",
		 sock_diag_proto_name(e->family, e->protocol), a, b);
}

static void sock_id(FILE *f, const struct graph *g, size_t i)
{
	char buf[ID_SIZE];

	sock_id_buf(buf, g, i);
	fputs(buf, f);
}

static const char *unix_type(int type)
{
	switch (type) {
	case SOCK_STREAM:
		return "stream";
	case SOCK_DGRAM:
		return "dgram";
	case SOCK_SEQPACKET:
		return "seqpacket";
	}
	return "unix";
}

/* The state an edge shows for one end, in netstat's words (translated
 * where the catalog has them); "" for an unconnected UDP or raw socket. */
static const char *state_word(const struct sock_diag_entry *e)
{
	const char *s;

	if (e->family == AF_UNIX)
		s = e->state == SOCK_DIAG_LISTEN	? "LISTENING"
		    : e->state == SOCK_DIAG_ESTABLISHED ? "CONNECTED"
		    : e->state == SOCK_DIAG_SYN_SENT	? "CONNECTING"
							: "";
	else if (e->protocol != IPPROTO_TCP)
		s = e->state == SOCK_DIAG_ESTABLISHED ? "ESTABLISHED" : "";
	else
		s = sock_diag_state_netstat(e->state);
	return *s ? gettext(s) : s;
}

static int is_listener(const struct sock_diag_entry *e)
{
	if (e->state == SOCK_DIAG_LISTEN)
		return 1;
	/* an unconnected UDP socket bound to a port waits for datagrams */
	return is_inet(e) && e->protocol == IPPROTO_UDP &&
	       e->state == SOCK_DIAG_CLOSE && e->in.local_port;
}

static void unix_label(FILE *f, const struct graph *g,
		       const struct sock_diag_entry *e)
{
	const char *name;
	size_t len = sock_diag_unix_name(g->d, e, &name);

	fprintf(f, "unix %s", unix_type(e->type));
	if (!len)
		return;
	fputs("\\n", f);
	if (name[0] == '\0') {
		putc('@', f);
		dot_text(f, name + 1, len - 1);
	} else {
		dot_text(f, name, strnlen(name, len));
	}
}

static void sock_node(struct graph *g, size_t i)
{
	const struct sock_diag_entry *e = sock_diag_get(g->d, i);
	int listener = is_listener(e);
	struct line ln;
	FILE *f = line_open(&ln);
	char a[64];

	if (f) {
		sock_id(f, g, i);
		fprintf(f, " [shape=%s, label=\"",
			listener ? "diamond" : "ellipse");
		if (is_inet(e)) {
			list_format_endpoint(a, sizeof(a), e, 1, NULL);
			fprintf(f, "%s %s",
				sock_diag_proto_name(e->family, e->protocol),
				a);
		} else {
			unix_label(f, g, e);
		}
		if (listener) {
			fputs("\\n", f);
			dot_str(f, e->state == SOCK_DIAG_LISTEN
				       ? _("listening")
				       : _("waiting for datagrams"));
		}
		fputs("\"];", f);
	}
	line_close(&ln, &g->socks);
}

/* The owners of socket i, each process once, or the unknown owner. */
static void owner_edges(struct graph *g, size_t i)
{
	const struct sock_diag_entry *e = sock_diag_get(g->d, i);
	size_t n = 0;
	const struct sock_diag_owner *ow =
	    e->inode ? sock_diag_owners(g->d, e->inode, &n) : NULL;
	struct line ln;

	for (size_t j = 0; j < n; j++) {
		int seen = 0;

		for (size_t k = 0; k < j; k++)
			seen |= ow[k].pid == ow[j].pid;
		if (seen)
			continue;
		if (line_open(&ln)) {
			fprintf(ln.f, "\"p%d\" [shape=box, label=\"%d/",
				ow[j].pid, ow[j].pid);
			dot_str(ln.f, ow[j].command);
			fputs("\"];", ln.f);
		}
		line_close(&ln, &g->procs);
		if (line_open(&ln)) {
			fprintf(ln.f, "\"p%d\" -- ", ow[j].pid);
			sock_id(ln.f, g, i);
			putc(';', ln.f);
		}
		line_close(&ln, &g->owns);
	}
	if (n)
		return;
	if (line_open(&ln)) {
		fputs("\"unknown\" [shape=box, style=dashed, label=\"", ln.f);
		dot_str(ln.f, _("unknown owner"));
		fputs("\"];", ln.f);
	}
	line_close(&ln, &g->procs);
	if (line_open(&ln)) {
		fputs("\"unknown\" -- ", ln.f);
		sock_id(ln.f, g, i);
		putc(';', ln.f);
	}
	line_close(&ln, &g->owns);
}

/* The edge from inet socket i to its remote host, a leaf. */
static void remote_edge(struct graph *g, size_t i)
{
	const struct sock_diag_entry *e = sock_diag_get(g->d, i);
	struct line ln;
	char a[64];

	list_format_endpoint(a, sizeof(a), e, 0, NULL);
	*strrchr(a, ':') = '\0'; /* the port goes on the edge */
	if (line_open(&ln)) {
		sock_id(ln.f, g, i);
		fprintf(ln.f, " -- \"h:%s\" [label=\"", a);
		dot_str(ln.f, state_word(e));
		fprintf(ln.f, " :%u\"];", e->in.remote_port);
	}
	line_close(&ln, &g->peers);
	if (line_open(&ln))
		fprintf(ln.f, "\"h:%s\" [shape=plaintext, label=\"%s\"];", a,
			a);
	line_close(&ln, &g->hosts);
}

/* The edge between sockets i and p, its ends in a fixed order so that
 * both write the same line; labelled by their states. */
static void peer_edge(struct graph *g, size_t i, size_t p)
{
	const char *sa = state_word(sock_diag_get(g->d, i));
	const char *sb = state_word(sock_diag_get(g->d, p));
	char na[ID_SIZE], nb[ID_SIZE];
	struct line ln;

	sock_id_buf(na, g, i);
	sock_id_buf(nb, g, p);
	if (strcmp(na, nb) > 0) {
		const char *t = sa;
		char tmp[ID_SIZE];

		sa = sb;
		sb = t;
		memcpy(tmp, na, sizeof(tmp));
		memcpy(na, nb, sizeof(tmp));
		memcpy(nb, tmp, sizeof(tmp));
	}
	if (line_open(&ln)) {
		fprintf(ln.f, "%s -- %s [label=\"", na, nb);
		if (!strcmp(sa, sb) || !*sb)
			dot_str(ln.f, sa);
		else if (!*sa)
			dot_str(ln.f, sb);
		else {
			dot_str(ln.f, sa);
			fputs(" / ", ln.f);
			dot_str(ln.f, sb);
		}
		fputs("\"];", ln.f);
	}
	line_close(&ln, &g->peers);
}

static int has_remote(const struct sock_diag_entry *e)
{
	static const uint8_t zero[16];

	return is_inet(e) && e->in.remote_port &&
	       memcmp(e->in.remote, zero, e->family == AF_INET ? 4 : 16);
}

static void unix_edges(struct graph *g, const struct uidx *ux, size_t nux)
{
	for (size_t j = 0; j < nux; j++) {
		const struct sock_diag_entry *e = sock_diag_get(g->d, ux[j].i);
		struct uidx key = { .ino = e->un.peer }, *hit;

		if (!e->un.peer)
			continue;
		hit = bsearch(&key, ux, nux, sizeof(*ux), cmp_uidx);
		if (hit)
			peer_edge(g, ux[j].i, hit->i);
	}
}

static int build(struct graph *g)
{
	struct uidx *ux = calloc(g->n ? g->n : 1, sizeof(*ux));
	size_t nux = 0;

	g->in = calloc(g->n ? g->n : 1, sizeof(*g->in));
	if (!ux || !g->in) {
		free(ux);
		return -ENOMEM;
	}
	for (size_t i = 0; i < g->n; i++) {
		const struct sock_diag_entry *e = sock_diag_get(g->d, i);

		if (is_inet(e)) {
			ikey_of(&g->in[g->nin].k, e);
			g->in[g->nin++].i = i;
		} else if (e->family == AF_UNIX) {
			ux[nux].ino = e->inode;
			ux[nux++].i = i;
		}
	}
	qsort(g->in, g->nin, sizeof(*g->in), cmp_isock);
	qsort(ux, nux, sizeof(*ux), cmp_uidx);
	for (size_t i = 0; i < g->n; i++) {
		const struct sock_diag_entry *e = sock_diag_get(g->d, i);
		long p;

		sock_node(g, i);
		owner_edges(g, i);
		if (!is_inet(e))
			continue;
		p = inet_peer(g, e);
		if (p >= 0)
			peer_edge(g, i, (size_t)p);
		else if (has_remote(e))
			remote_edge(g, i);
	}
	unix_edges(g, ux, nux);
	free(ux);
	return 0;
}

int list_print_graph(FILE *out, const struct sock_diag *d,
		     const struct list_opts *o)
{
	struct graph g = { .d = d, .n = sock_diag_count(d) };
	int ret = build(&g);
	struct lines *all[] = { &g.procs, &g.socks, &g.hosts, &g.owns,
				&g.peers };

	(void)o;
	for (size_t i = 0; !ret && i < sizeof(all) / sizeof(all[0]); i++)
		ret = all[i]->err;
	if (!ret) {
		fputs("graph sock {\n"
		      "\tgraph [rankdir=LR, fontname=\"sans-serif\", "
		      "labelloc=b, label=\"",
		      out);
		dot_str(out, _("boxes: processes; ellipses: sockets; "
			       "diamonds: listening sockets; "
			       "edges: state of the connection"));
		fputs("\"];\n\tnode [fontname=\"sans-serif\"];\n"
		      "\tedge [fontname=\"sans-serif\", fontsize=10];\n",
		      out);
		for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
			lines_print(out, all[i]);
		fputs("}\n", out);
	}
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		lines_free(all[i]);
	free(g.in);
	if (ret)
		return ret;
	if (fflush(out) || ferror(out))
		return errno ? -errno : -EIO;
	return 0;
}

/* ---- --graph svg: the DOT text through `dot -Tsvg` ---------------------- */

int list_graph_svg(const struct sock_diag *d, const struct list_opts *o)
{
	char *argv[] = { "dot", "-Tsvg", NULL };
	posix_spawn_file_actions_t fa;
	int fds[2], ret, status;
	pid_t pid;
	FILE *f;

	if (pipe2(fds, O_CLOEXEC)) {
		tool_errorf(_("list: --graph svg: cannot make a pipe: %s"),
			    strerror(errno));
		return EXIT_RUNTIME;
	}
	fflush(stdout);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[0], 0);
	ret = posix_spawnp(&pid, "dot", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(fds[0]);
	if (ret) {
		close(fds[1]);
		if (ret == ENOENT)
			tool_errorf(_("list: --graph svg needs Graphviz's dot "
				      "program, which is not installed "
				      "(Debian: apt-get install graphviz; or "
				      "use --graph dot)"));
		else
			tool_errorf(_("list: --graph svg: cannot run dot: %s"),
				    strerror(ret));
		return EXIT_RUNTIME;
	}
	f = fdopen(fds[1], "w");
	ret = f ? list_print_graph(f, d, o) : -errno;
	if (f)
		fclose(f);
	else
		close(fds[1]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return EXIT_RUNTIME;
	if (WIFSIGNALED(status)) {
		tool_errorf(_("list: --graph svg: dot was killed by signal %d"),
			    WTERMSIG(status));
		return EXIT_RUNTIME;
	}
	if (WEXITSTATUS(status)) {
		tool_errorf(_("list: --graph svg: dot failed (exit status %d)"),
			    WEXITSTATUS(status));
		return EXIT_RUNTIME;
	}
	if (ret) {
		tool_errorf(_("list: --graph svg: writing to dot: %s"),
			    strerror(-ret));
		return EXIT_RUNTIME;
	}
	return EXIT_OK;
}
