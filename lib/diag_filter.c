/*
 * lib/diag_filter.c - the filter language of sock list: parse words
 * into a small tree, evaluate it on a socket, and derive what the kernel
 * can do for us: a state mask (idiag_states) and inet_diag bytecode.
 *
 * The kernel only ever sees a superset of the filter (state conditions
 * it cannot express become "true" or "false", whichever lets more
 * sockets through); user space then evaluates the exact tree, so the
 * result does not depend on what the kernel understood.
 *
 * Recursion is bounded: the parser refuses "not" and "(" nested deeper
 * than SOCK_DIAG_FILTER_DEPTH, and a run of "and" or "or" (which has no
 * limit: a command line can hold 100k conditions) is one node whose
 * operands are a list walked by a loop, so the tree is never deeper
 * than about twice the nesting, whatever the length of the filter.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/inet_diag.h>

#include <sock/addr.h>
#include <sock/netns.h>

#include "diag_internal.h"

enum diag_filter_op {
	F_STATE,
	F_SPORT,
	F_DPORT,
	F_SRC,
	F_DST,
	F_NETNS, /* user space only, from here on */
	F_PID,
	F_COMM,
	F_CGROUP,
	F_UID,
	F_AND,
	F_OR,
	F_NOT
};

struct diag_filter_node {
	enum diag_filter_op op;
	int left; /* F_NOT: operand; F_AND, F_OR: first operand; else -1 */
	int next; /* the next operand of the parent F_AND/F_OR, or -1 */
	uint32_t states; /* F_STATE */
	int port;	 /* ports; -1 = any in host conditions */
	int cmp;	 /* ports: CMP_*; the port is compared to it */
	uint32_t num;	 /* F_PID, F_UID */
	char *str;	 /* F_NETNS, F_COMM, F_CGROUP (no trailing '/') */
	uint8_t family;	 /* F_SRC/F_DST: AF_INET or AF_INET6 */
	uint8_t prefix;	 /* bits compared */
	uint8_t addr[16];
};

enum { CMP_EQ, CMP_NE, CMP_LT, CMP_LE, CMP_GT, CMP_GE };

struct sock_diag_filter {
	struct diag_filter_node *nodes;
	int count, cap;
	int root;
};

struct diag_filter_parser {
	struct sock_diag_filter *f;
	int argc;
	char *const *argv;
	int pos;
	int bad;
	int depth; /* "not" and "(" around the current word */
};

#define S(x) (1u << SOCK_DIAG_##x)
#define CONNECTED                                                              \
	(SOCK_DIAG_STATES_ALL & ~(S(LISTEN) | S(CLOSE) | S(NEW_SYN_RECV)))
#define CLOSING_GROUP                                                          \
	(S(FIN_WAIT1) | S(FIN_WAIT2) | S(TIME_WAIT) | S(CLOSE_WAIT) |          \
	 S(LAST_ACK) | S(CLOSING))

/* Words for sets of states, looked up before the state names. */
static const struct {
	const char *name; /* lower case, without '-' and '_' */
	uint32_t mask;
} state_words[] = {
	{ "synrecv", S(SYN_RECV) | S(NEW_SYN_RECV) },
	{ "closed", S(CLOSE) },
	{ "unconnected", S(CLOSE) },
	{ "listening", S(LISTEN) },
	{ "closingstate", S(CLOSING) },
	{ "closing", CLOSING_GROUP },
	{ "connected", CONNECTED },
	{ "synchronized", CONNECTED & ~S(SYN_SENT) },
	{ "bucket", S(SYN_RECV) | S(NEW_SYN_RECV) | S(TIME_WAIT) },
	{ "big", SOCK_DIAG_STATES_ALL &
		     ~(S(SYN_RECV) | S(NEW_SYN_RECV) | S(TIME_WAIT)) },
	{ "all", SOCK_DIAG_STATES_ALL },
};

/* word in lower case without '-' and '_' into norm (cut to size). */
static void normalize(const char *word, char *norm, size_t size)
{
	size_t n = 0;

	for (; *word && n < size - 1; word++)
		if (*word != '-' && *word != '_')
			norm[n++] = (char)tolower((unsigned char)*word);
	norm[n] = '\0';
}

static int state_mask(const char *word, uint32_t *mask)
{
	char norm[32], name[32];

	normalize(word, norm, sizeof(norm));
	for (size_t i = 0; i < sizeof(state_words) / sizeof(state_words[0]);
	     i++)
		if (!strcmp(norm, state_words[i].name)) {
			*mask = state_words[i].mask;
			return 0;
		}
	/* one state by its name, up to listen (closing is a set above) */
	for (int st = SOCK_DIAG_ESTABLISHED; st <= SOCK_DIAG_LISTEN; st++) {
		normalize(sock_diag_state_name(st), name, sizeof(name));
		if (!strcmp(norm, name)) {
			*mask = 1u << st;
			return 0;
		}
	}
	return -EINVAL;
}

static int new_node(struct diag_filter_parser *p, enum diag_filter_op op,
		    int left)
{
	struct sock_diag_filter *f = p->f;

	if (f->count == f->cap) {
		size_t cap = f->cap ? (size_t)f->cap * 2 : 16;
		void *q = cap <= INT32_MAX
			      ? realloc(f->nodes, cap * sizeof(*f->nodes))
			      : NULL;

		if (!q)
			return -ENOMEM;
		f->nodes = q;
		f->cap = (int)cap;
	}
	f->nodes[f->count] = (struct diag_filter_node){
		.op = op, .left = left, .next = -1, .port = -1
	};
	return f->count++;
}

/* Operand r joins the F_AND/F_OR list that ends at *last: a new node
 * of type op over first and r when *list is -1 (then *list is set). */
static int chain(struct diag_filter_parser *p, enum diag_filter_op op,
		 int first, int *list, int *last, int r)
{
	if (*list < 0) {
		*list = new_node(p, op, first);
		if (*list < 0)
			return *list;
	}
	p->f->nodes[*last].next = r;
	*last = r;
	return 0;
}

static const char *peek(const struct diag_filter_parser *p)
{
	return p->pos < p->argc ? p->argv[p->pos] : NULL;
}

static int is(const char *w, const char *a, const char *b, const char *c)
{
	return w && (!strcmp(w, a) || !strcmp(w, b) || !strcmp(w, c));
}

static int fail(struct diag_filter_parser *p)
{
	if (p->bad < 0)
		p->bad = p->pos;
	return -EINVAL;
}

/* ss's ":PORT" or "PORT", a number or a service name. */
static int parse_port(const char *w, int *port)
{
	int ret = sock_addr_port(*w == ':' ? w + 1 : w, NULL);

	if (ret < 0)
		return ret;
	*port = ret;
	return 0;
}

/* "[v6]:port", "v4:port" -> split off the port, strip brackets. */
static int split_host(char *buf, char **host, int *port)
{
	char *colon, *close, *rest;

	*host = buf;
	*port = -1;
	if (*buf != '[') {
		colon = strchr(buf, ':');
		if (!colon || strchr(colon + 1, ':'))
			return 0; /* no port, or a bare IPv6 address */
		*colon = '\0';
		return parse_port(colon + 1, port);
	}
	close = strchr(buf, ']');
	if (!close)
		return -EINVAL;
	*close = '\0';
	*host = buf + 1;
	rest = close + 1;
	if (*rest == ':')
		return parse_port(rest + 1, port);
	if (*rest == '/') /* "[fe80::]/10": keep the prefix on the host */
		memmove(close, rest, strlen(rest) + 1);
	else if (*rest)
		return -EINVAL;
	return 0;
}

static int parse_addr(const char *word, struct diag_filter_node *n)
{
	char buf[128], *host, *slash, *end;
	long pfx;
	int max;

	if (strlen(word) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, word);
	if (split_host(buf, &host, &n->port))
		return -EINVAL;
	slash = strchr(host, '/');
	if (slash)
		*slash++ = '\0';
	if (inet_pton(AF_INET, host, n->addr) == 1)
		n->family = AF_INET;
	else if (inet_pton(AF_INET6, host, n->addr) == 1)
		n->family = AF_INET6;
	else
		return -EINVAL;
	max = n->family == AF_INET ? 32 : 128;
	n->prefix = (uint8_t)max;
	if (slash) {
		pfx = strtol(slash, &end, 10);
		if (*end || !*slash || pfx < 0 || pfx > max)
			return -EINVAL;
		n->prefix = (uint8_t)pfx;
	}
	return 0;
}

static int parse_expr(struct diag_filter_parser *p);

/* An optional "=" between a keyword and its value, as ss allows. */
static void skip_equals(struct diag_filter_parser *p)
{
	if (is(peek(p), "=", "==", "eq"))
		p->pos++;
}

/* A port comparison, ss's spellings; CMP_EQ when there is none. */
static int comparison(struct diag_filter_parser *p)
{
	static const struct {
		const char *a, *b, *c;
		int cmp;
	} ops[] = {
		{ "!=", "neq", "ne", CMP_NE }, { "<", "lt", "<", CMP_LT },
		{ "<=", "le", "<=", CMP_LE },  { ">", "gt", ">", CMP_GT },
		{ ">=", "ge", ">=", CMP_GE },
	};

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (is(peek(p), ops[i].a, ops[i].b, ops[i].c)) {
			p->pos++;
			return ops[i].cmp;
		}
	skip_equals(p);
	return CMP_EQ;
}

/* A decimal number up to UINT32_MAX - 1 (all of it). */
static int parse_num(const char *w, uint32_t *out)
{
	char *end;
	unsigned long long v;

	if (*w < '0' || *w > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(w, &end, 10);
	if (*end || errno || v >= UINT32_MAX)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

/* A cgroup path as /proc/PID/cgroup writes it: a leading '/' (added
 * when missing), none at the end, so that "/" becomes "" and every
 * path is below it. */
static char *cgroup_path(const char *val)
{
	size_t len = strlen(val);
	char *s;

	while (len && val[len - 1] == '/')
		len--;
	s = malloc(len + 2);
	if (s)
		snprintf(s, len + 2, "%s%.*s", *val == '/' ? "" : "/", (int)len,
			 val);
	if (s && !strcmp(s, "/"))
		*s = '\0';
	return s;
}

/* netns NAME, pid N, comm NAME, cgroup PATH, uid N: conditions on what
 * the kernel's socket dump does not say, checked in user space. */
static int parse_owner_pred(struct diag_filter_parser *p, const char *kw,
			    const char *val)
{
	enum diag_filter_op op = !strcmp(kw, "netns")	 ? F_NETNS
				 : !strcmp(kw, "pid")	 ? F_PID
				 : !strcmp(kw, "comm")	 ? F_COMM
				 : !strcmp(kw, "cgroup") ? F_CGROUP
							 : F_UID;
	uint32_t num = 0;
	int n;

	if ((op == F_PID || op == F_UID) && parse_num(val, &num))
		return fail(p);
	if (op == F_CGROUP && !*val)
		return fail(p);
	n = new_node(p, op, -1);
	if (n < 0)
		return n;
	p->f->nodes[n].num = num;
	if (op == F_NETNS || op == F_COMM || op == F_CGROUP) {
		p->f->nodes[n].str =
		    op == F_CGROUP ? cgroup_path(val) : strdup(val);
		if (!p->f->nodes[n].str)
			return -ENOMEM;
	}
	p->pos++;
	return n;
}

static int parse_pred(struct diag_filter_parser *p)
{
	const char *kw = peek(p), *val;
	int port = -1, n, l, r, cmp = CMP_EQ;
	struct diag_filter_node tmp = { 0 };

	if (!is(kw, "state", "port", "sport") &&
	    !is(kw, "dport", "src", "dst") && !is(kw, "netns", "pid", "comm") &&
	    !is(kw, "uid", "cgroup", "uid"))
		return fail(p);
	p->pos++;
	if (is(kw, "port", "sport", "dport"))
		cmp = comparison(p);
	else if (strcmp(kw, "state"))
		skip_equals(p);
	val = peek(p);
	if (!val)
		return fail(p);
	if (is(kw, "netns", "pid", "comm") || is(kw, "uid", "cgroup", "uid"))
		return parse_owner_pred(p, kw, val);
	if (!strcmp(kw, "state")) {
		if (state_mask(val, &tmp.states))
			return fail(p);
		n = new_node(p, F_STATE, -1);
		if (n >= 0)
			p->f->nodes[n].states = tmp.states;
	} else if (is(kw, "port", "sport", "dport")) {
		if (parse_port(val, &port))
			return fail(p);
		if (!strcmp(kw, "port")) {
			l = new_node(p, F_SPORT, -1);
			r = new_node(p, F_DPORT, -1);
			n = new_node(p, F_OR, l);
			if (l < 0 || r < 0 || n < 0)
				return -ENOMEM;
			p->f->nodes[l].port = p->f->nodes[r].port = port;
			p->f->nodes[l].cmp = p->f->nodes[r].cmp = cmp;
			p->f->nodes[l].next = r;
		} else {
			n = new_node(p, kw[0] == 's' ? F_SPORT : F_DPORT, -1);
			if (n >= 0) {
				p->f->nodes[n].port = port;
				p->f->nodes[n].cmp = cmp;
			}
		}
	} else {
		if (parse_addr(val, &tmp))
			return fail(p);
		n = new_node(p, kw[0] == 's' ? F_SRC : F_DST, -1);
		if (n >= 0) {
			tmp.op = p->f->nodes[n].op;
			tmp.left = tmp.next = -1;
			p->f->nodes[n] = tmp;
		}
	}
	p->pos++;
	return n;
}

/* "not" or "(" at the current word, one level deeper; 0 or -ELOOP. */
static int descend(struct diag_filter_parser *p)
{
	if (p->depth >= SOCK_DIAG_FILTER_DEPTH) {
		if (p->bad < 0)
			p->bad = p->pos;
		return -ELOOP;
	}
	p->depth++;
	p->pos++;
	return 0;
}

static int parse_factor(struct diag_filter_parser *p)
{
	const char *w = peek(p);
	int n;

	if (is(w, "not", "!", "!")) {
		n = descend(p);
		if (n < 0)
			return n;
		n = parse_factor(p);
		p->depth--;
		return n < 0 ? n : new_node(p, F_NOT, n);
	}
	if (is(w, "(", "(", "(")) {
		n = descend(p);
		if (n < 0)
			return n;
		n = parse_expr(p);
		p->depth--;
		if (n < 0)
			return n;
		if (!is(peek(p), ")", ")", ")"))
			return fail(p);
		p->pos++;
		return n;
	}
	return parse_pred(p);
}

static int parse_term(struct diag_filter_parser *p)
{
	int first = parse_factor(p), list = -1, last = first, r;
	const char *w;

	while (first >= 0 && (w = peek(p)) && !is(w, "or", "||", "|") &&
	       !is(w, ")", ")", ")")) {
		if (is(w, "and", "&&", "&"))
			p->pos++;
		r = parse_factor(p);
		if (r < 0)
			return r;
		r = chain(p, F_AND, first, &list, &last, r);
		if (r < 0)
			return r;
	}
	return list >= 0 ? list : first;
}

static int parse_expr(struct diag_filter_parser *p)
{
	int first = parse_term(p), list = -1, last = first, r;

	while (first >= 0 && is(peek(p), "or", "||", "|")) {
		p->pos++;
		r = parse_term(p);
		if (r < 0)
			return r;
		r = chain(p, F_OR, first, &list, &last, r);
		if (r < 0)
			return r;
	}
	return list >= 0 ? list : first;
}

int sock_diag_filter_parse(int argc, char *const *argv,
			   struct sock_diag_filter **out, int *bad)
{
	struct diag_filter_parser p = { .argc = argc, .argv = argv, .bad = -1 };
	int root;

	p.f = calloc(1, sizeof(*p.f));
	if (!p.f)
		return -ENOMEM;
	root = parse_expr(&p);
	if (root >= 0 && p.pos < argc)
		root = fail(&p);
	if (root < 0) {
		if (bad)
			*bad = p.bad < 0 ? argc : p.bad;
		sock_diag_filter_free(p.f);
		return root;
	}
	p.f->root = root;
	*out = p.f;
	return 0;
}

void sock_diag_filter_free(struct sock_diag_filter *f)
{
	if (!f)
		return;
	for (int i = 0; i < f->count; i++)
		free(f->nodes[i].str);
	free(f->nodes);
	free(f);
}

static int bits_match(const uint8_t *a, const uint8_t *b, int bits)
{
	int bytes = bits / 8, rest = bits % 8;

	if (memcmp(a, b, (size_t)bytes))
		return 0;
	if (!rest)
		return 1;
	return !((a[bytes] ^ b[bytes]) & (0xff00 >> rest));
}

/* The kernel's hostcond rules, including IPv4 conditions on
 * v4-mapped IPv6 sockets. */
static int host_match(const struct diag_filter_node *n,
		      const struct sock_diag_entry *e, int src)
{
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0,    0,
					    0, 0, 0, 0, 0xff, 0xff };
	const uint8_t *a = src ? e->in.local : e->in.remote;
	int port = src ? e->in.local_port : e->in.remote_port;

	if (n->port != -1 && n->port != port)
		return 0;
	if (n->family != e->family) {
		return n->family == AF_INET && e->family == AF_INET6 &&
		       !memcmp(a, mapped, 12) &&
		       bits_match(a + 12, n->addr, n->prefix);
	}
	return bits_match(a, n->addr, n->prefix);
}

static int port_match(const struct diag_filter_node *n, int port)
{
	switch (n->cmp) {
	case CMP_NE:
		return port != n->port;
	case CMP_LT:
		return port < n->port;
	case CMP_LE:
		return port <= n->port;
	case CMP_GT:
		return port > n->port;
	case CMP_GE:
		return port >= n->port;
	}
	return port == n->port;
}

/* netns NAME: its ip netns name, its label (docker:ID...), its
 * container id alone, or its inode in decimal. */
static int netns_match(const struct sock_netns *ns, const char *want)
{
	char label[128], ino[24];

	snprintf(ino, sizeof(ino), "%llu", (unsigned long long)ns->ino);
	return (ns->name && !strcmp(ns->name, want)) ||
	       !strcmp(sock_netns_label(ns, label, sizeof(label)), want) ||
	       (ns->container.runtime && !strcmp(ns->container.id, want)) ||
	       !strcmp(ino, want);
}

/* cgroup PATH: the owner's cgroup is PATH or below it, comparing
 * whole components (/a matches /a and /a/b, not /ab). */
static int cgroup_below(const char *have, const char *want)
{
	size_t len = strlen(want);

	return have && !strncmp(have, want, len) &&
	       (have[len] == '\0' || have[len] == '/');
}

static int owner_is(const struct diag_filter_node *n,
		    const struct sock_diag_owner *o)
{
	switch (n->op) {
	case F_PID:
		return (uint32_t)o->pid == n->num;
	case F_CGROUP:
		return cgroup_below(o->cgroup, n->str);
	default:
		return !strcmp(o->command, n->str);
	}
}

/* pid N, comm NAME, cgroup PATH: 2 (unknown) until the owners are
 * known; true when any owner is. */
static int owner_match(const struct diag_filter_node *n,
		       const struct diag_filter_ctx *c)
{
	if (!c || !c->owners_known)
		return 2;
	for (size_t i = 0; i < c->nowners; i++)
		if (owner_is(n, &c->owners[i]))
			return 1;
	return 0;
}

/* 0 false, 1 true, 2 unknown (needs what c does not have yet). */
static int eval(const struct sock_diag_filter *f, int i,
		const struct sock_diag_entry *e,
		const struct diag_filter_ctx *c)
{
	const struct diag_filter_node *n = &f->nodes[i];
	int inet = e->family != AF_UNIX, l, r;

	switch (n->op) {
	case F_STATE:
		return e->state < 32 && (n->states & (1u << e->state));
	case F_SPORT:
		return inet && port_match(n, e->in.local_port);
	case F_DPORT:
		return inet && port_match(n, e->in.remote_port);
	case F_SRC:
	case F_DST:
		return inet && host_match(n, e, n->op == F_SRC);
	case F_NETNS:
		return c && c->ns ? netns_match(c->ns, n->str) : 2;
	case F_PID:
	case F_COMM:
	case F_CGROUP:
		return owner_match(n, c);
	case F_UID:
		return e->uid == n->num;
	case F_AND:
	case F_OR:
		/* and: the first false operand decides; or: the first true */
		l = n->op == F_AND;
		for (i = n->left; i >= 0; i = f->nodes[i].next) {
			r = eval(f, i, e, c);
			if (r == (n->op == F_OR))
				return r;
			if (r == 2)
				l = 2;
		}
		return l;
	case F_NOT:
		l = eval(f, n->left, e, c);
		return l == 2 ? 2 : !l;
	}
	return 0;
}

int sock__diag_filter_eval(const struct sock_diag_filter *f,
			   const struct sock_diag_entry *e,
			   const struct diag_filter_ctx *c)
{
	return f ? eval(f, f->root, e, c) : 1;
}

int sock__diag_filter_needs_owners(const struct sock_diag_filter *f)
{
	for (int i = 0; f && i < f->count; i++)
		if (f->nodes[i].op == F_PID || f->nodes[i].op == F_COMM ||
		    f->nodes[i].op == F_CGROUP)
			return 1;
	return 0;
}

int sock__diag_filter_needs_cgroups(const struct sock_diag_filter *f)
{
	for (int i = 0; f && i < f->count; i++)
		if (f->nodes[i].op == F_CGROUP)
			return 1;
	return 0;
}

int sock_diag_filter_streamable(const struct sock_diag_filter *f)
{
	for (int i = 0; f && i < f->count; i++)
		if (f->nodes[i].op == F_PID || f->nodes[i].op == F_COMM ||
		    f->nodes[i].op == F_CGROUP || f->nodes[i].op == F_NETNS)
			return 0;
	return 1;
}

int sock_diag_filter_match(const struct sock_diag_filter *f,
			   const struct sock_diag_entry *e)
{
	return !f || eval(f, f->root, e, NULL) != 0;
}

/* Three-valued evaluation for one state: 0 false, 1 true, 2 unknown. */
static int eval_state(const struct sock_diag_filter *f, int i, int state)
{
	const struct diag_filter_node *n = &f->nodes[i];
	int l, r;

	switch (n->op) {
	case F_STATE:
		return !!(n->states & (1u << state));
	case F_NOT:
		l = eval_state(f, n->left, state);
		return l == 2 ? 2 : !l;
	case F_AND:
	case F_OR:
		/* and: false decides, else unknown if any is; or: true */
		l = n->op == F_OR ? 0 : 1;
		for (i = n->left; i >= 0; i = f->nodes[i].next) {
			r = eval_state(f, i, state);
			if (r == (n->op == F_OR))
				return r;
			if (r == 2)
				l = 2;
		}
		return l;
	default:
		return 2;
	}
}

uint32_t sock__diag_filter_states(const struct sock_diag_filter *f)
{
	uint32_t mask = 0;

	if (!f)
		return SOCK_DIAG_STATES_ALL;
	for (int s = 1; s < SOCK_DIAG_STATE_MAX; s++)
		if (eval_state(f, f->root, s))
			mask |= 1u << s;
	return mask;
}

uint32_t sock_diag_filter_states(const struct sock_diag_filter *f)
{
	return sock__diag_filter_states(f);
}

/*
 * Bytecode.  Each piece of code accepts by running off its end and
 * rejects by jumping 4 bytes past it; pieces are joined as ss does, with
 * the rejects of a left operand moved when code is appended.
 */
struct diag_filter_bc {
	uint8_t *p;
	size_t len;
	size_t limit; /* longer code is of no use: -E2BIG */
};

static int bc_grow(struct diag_filter_bc *c, size_t extra)
{
	void *q;

	if (extra > c->limit - c->len)
		return -E2BIG;
	q = realloc(c->p, c->len + extra + 1);
	if (!q)
		return -ENOMEM;
	c->p = q;
	return 0;
}

static int bc_op(struct diag_filter_bc *c, uint8_t code, uint8_t yes,
		 uint16_t no, const void *arg, size_t arglen)
{
	struct inet_diag_bc_op op = { code, yes, no };

	if (bc_grow(c, sizeof(op) + arglen))
		return -ENOMEM;
	memcpy(c->p + c->len, &op, sizeof(op));
	if (arglen)
		memcpy(c->p + c->len + sizeof(op), arg, arglen);
	c->len += sizeof(op) + arglen;
	return 0;
}

/* Point a's rejects past `extra` more bytes of code. */
static void bc_relocate(struct diag_filter_bc *a, size_t extra)
{
	size_t off = 0;

	while (off < a->len) {
		struct inet_diag_bc_op *op = (void *)(a->p + off);

		if (off + op->no == a->len + 4)
			op->no = (uint16_t)(op->no + extra);
		off += op->yes;
	}
}

static int bc_append(struct diag_filter_bc *a, struct diag_filter_bc *b)
{
	int ret = bc_grow(a, b->len);

	if (!ret && b->len)
		memcpy(a->p + a->len, b->p, b->len);
	a->len += ret ? 0 : b->len;
	free(b->p);
	b->p = NULL;
	return ret;
}

/* A port comparison: EQ, GE or LE (the kernel's three); != is = and
 * a jump that turns it around; < and > move the bound by one, and a
 * bound past the ends of the range rejects everything. */
static int bc_port(const struct diag_filter_node *n, struct diag_filter_bc *c)
{
	int src = n->op == F_SPORT, bound = n->port, ret;
	uint8_t code = src ? INET_DIAG_BC_S_EQ : INET_DIAG_BC_D_EQ;
	struct inet_diag_bc_op port = { 0 };

	if (n->cmp == CMP_LT || n->cmp == CMP_LE)
		code = src ? INET_DIAG_BC_S_LE : INET_DIAG_BC_D_LE;
	if (n->cmp == CMP_GT || n->cmp == CMP_GE)
		code = src ? INET_DIAG_BC_S_GE : INET_DIAG_BC_D_GE;
	bound += n->cmp == CMP_GT ? 1 : n->cmp == CMP_LT ? -1 : 0;
	if (bound < 0 || bound > UINT16_MAX)
		return bc_op(c, INET_DIAG_BC_JMP, 4, 8, NULL, 0);
	port.no = (uint16_t)bound;
	ret = bc_op(c, code, 8, 12, &port, sizeof(port));
	if (!ret && n->cmp == CMP_NE)
		ret = bc_op(c, INET_DIAG_BC_JMP, 4, 8, NULL, 0);
	return ret;
}

static int bc_leaf(const struct diag_filter_node *n, struct diag_filter_bc *c)
{
	struct inet_diag_hostcond h = { 0 };
	uint8_t arg[sizeof(h) + 16];
	size_t alen = n->family == AF_INET ? 4 : 16, size = sizeof(h) + alen;

	if (n->op == F_SPORT || n->op == F_DPORT)
		return bc_port(n, c);
	h.family = n->family;
	h.prefix_len = n->prefix;
	h.port = n->port;
	memcpy(arg, &h, sizeof(h));
	memcpy(arg + sizeof(h), n->addr, alen);
	return bc_op(c,
		     n->op == F_SRC ? INET_DIAG_BC_S_COND : INET_DIAG_BC_D_COND,
		     (uint8_t)(4 + size), (uint16_t)(8 + size), arg, size);
}

static int bc_compile(const struct sock_diag_filter *f, int i, int positive,
		      struct diag_filter_bc *c);

/* An and/or list, joined from the left: ((a b) c) ... */
static int bc_list(const struct sock_diag_filter *f,
		   const struct diag_filter_node *n, int positive,
		   struct diag_filter_bc *c)
{
	int ret = bc_compile(f, n->left, positive, c);

	for (int i = f->nodes[n->left].next; !ret && i >= 0;
	     i = f->nodes[i].next) {
		struct diag_filter_bc r = { .limit = c->limit };

		ret = bc_compile(f, i, positive, &r);
		if (!ret && n->op == F_AND)
			bc_relocate(c, r.len);
		/* or: left's accept jumps over the right operand */
		if (!ret && n->op == F_OR)
			ret = bc_op(c, INET_DIAG_BC_JMP, 4,
				    (uint16_t)(4 + r.len), NULL, 0);
		if (!ret)
			ret = bc_append(c, &r);
		free(r.p);
	}
	return ret;
}

static int bc_compile(const struct sock_diag_filter *f, int i, int positive,
		      struct diag_filter_bc *c)
{
	const struct diag_filter_node *n = &f->nodes[i];

	switch (n->op) {
	case F_STATE:
	case F_NETNS:
	case F_PID:
	case F_COMM:
	case F_CGROUP:
	case F_UID:
		/* The state mask or user space does this; let the superset
		 * through. */
		return positive ? 0 : bc_op(c, INET_DIAG_BC_JMP, 4, 8, NULL, 0);
	case F_NOT: {
		int ret = bc_compile(f, n->left, !positive, c);

		return ret ? ret : bc_op(c, INET_DIAG_BC_JMP, 4, 8, NULL, 0);
	}
	case F_AND:
	case F_OR:
		return bc_list(f, n, positive, c);
	default:
		return bc_leaf(n, c);
	}
}

size_t sock__diag_filter_bytecode(const struct sock_diag_filter *f, void *buf,
				  size_t size)
{
	/* the kernel's limit is 64 KiB; jumps must fit in 16 bits */
	struct diag_filter_bc c = { .limit = size < UINT16_MAX / 2
						 ? size
						 : UINT16_MAX / 2 };
	size_t len = 0;
	int any = 0;

	for (int i = 0; f && i < f->count; i++)
		any |= f->nodes[i].op == F_SPORT || f->nodes[i].op == F_DPORT ||
		       f->nodes[i].op == F_SRC || f->nodes[i].op == F_DST;
	if (!any)
		return 0;
	if (!bc_compile(f, f->root, 1, &c)) {
		memcpy(buf, c.p, c.len);
		len = c.len;
	}
	free(c.p);
	return len;
}
