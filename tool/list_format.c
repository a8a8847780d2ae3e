/*
 * tool/list_format.c - netstat's tables: the same titles, columns and
 * row selection, except that nothing is cut (address columns widen to
 * the longest address), IPv6 addresses are bracketed and every process
 * that holds a socket is named.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "visible.h"
#include "explain.h"
#include "i18n.h"
#include "list.h"

#define ADDR_WIDTH 23 /* netstat's minimum */

/* Columns are padded by display width (tool_tool_display_width()), not
 * bytes: a translated word or a process name may hold characters of
 * several bytes. */

/* The words of the tables, translated once per listing (not per row),
 * with their display widths. */
struct cell {
	const char *text;
	int width;
};

/* TRANSLATORS: netstat's TCP state names, indexed by the kernel's
 * state number; the Spanish names are listed in docs/sock.es.1. */
static const char *const tcp_state_words[SOCK_DIAG_STATE_MAX] = {
	N_("UNKNOWN"),	    N_("ESTABLISHED"), N_("SYN_SENT"),	N_("SYN_RECV"),
	N_("FIN_WAIT1"),    N_("FIN_WAIT2"),   N_("TIME_WAIT"), N_("CLOSE"),
	N_("CLOSE_WAIT"),   N_("LAST_ACK"),    N_("LISTEN"),	N_("CLOSING"),
	N_("NEW_SYN_RECV"),
};

/* TRANSLATORS: a Unix socket's type (SOCK_STREAM...) and state. */
static const char *const unix_type_words[] = {
	N_("UNKNOWN"), N_("STREAM"), N_("DGRAM"),
	N_("RAW"),     N_("RDM"),    N_("SEQPACKET"),
};
static const char *const unix_state_words[] = {
	"",
	N_("LISTENING"),
	N_("CONNECTED"),
	N_("CONNECTING"),
};

static struct {
	int ready;
	struct cell tcp[SOCK_DIAG_STATE_MAX];
	int tcp_width; /* the state column: 11, or the longest word */
	struct cell utype[6], ustate[4];
	int utype_width, ustate_width; /* 10 and 13, or longer */
} words;

/* cells[i] = the translation of text[i]; returns the widest, or min.
 * Entry 0 (no state, an unknown type: hardly ever listed) may
 * overflow rather than widen the column. */
static int make_cells(struct cell *cells, const char *const *text, int n,
		      int min)
{
	for (int i = 0; i < n; i++) {
		const char *t = *text[i] ? _(text[i]) : "";

		cells[i].text = t;
		cells[i].width = tool_display_width(t, strlen(t));
		if (i && cells[i].width > min)
			min = cells[i].width;
	}
	return min;
}

static struct cell make_cell(const char *text)
{
	struct cell c = { text, tool_display_width(text, strlen(text)) };

	return c;
}

static void words_init(void)
{
	if (words.ready)
		return;
	words.tcp_width = 11;
	for (int i = 0; i < SOCK_DIAG_STATE_MAX; i++) {
		words.tcp[i] = make_cell(_(tcp_state_words[i]));
		/* NEW_SYN_RECV is a request, hardly ever listed: it
		 * may overflow rather than widen every table */
		if (i != SOCK_DIAG_NEW_SYN_RECV &&
		    words.tcp[i].width > words.tcp_width)
			words.tcp_width = words.tcp[i].width;
	}
	words.utype_width = make_cells(words.utype, unix_type_words, 6, 10);
	words.ustate_width = make_cells(words.ustate, unix_state_words, 4, 13);
	words.ready = 1;
}

static const struct cell no_state = { "", 0 };

/* UDP and raw sockets have no state of their own: netstat prints
 * nothing for an unconnected one and ESTABLISHED for a connected one. */
static const struct cell *state_cell(const struct sock_diag_entry *e)
{
	if (e->protocol != IPPROTO_TCP)
		return e->state == SOCK_DIAG_ESTABLISHED
			   ? &words.tcp[SOCK_DIAG_ESTABLISHED]
			   : &no_state;
	if (e->state <= 0 || e->state >= SOCK_DIAG_STATE_MAX)
		return &words.tcp[0];
	return &words.tcp[e->state];
}

/* Decimal digits of v at p (no NUL); returns how many. */
static size_t utoa(char *p, uint32_t v)
{
	char t[10];
	size_t n = 0;

	do
		t[n++] = (char)('0' + v % 10);
	while ((v /= 10));
	for (size_t i = 0; i < n; i++)
		p[i] = t[n - 1 - i];
	return n;
}

/* "a.b.c.d:port" without a trip through inet_ntop and snprintf. */
static void numeric_v4(char *buf, const uint8_t *a, int port)
{
	char *p = buf;

	for (int i = 0; i < 4; i++) {
		p += utoa(p, a[i]);
		*p++ = i < 3 ? '.' : ':';
	}
	if (port)
		p += utoa(p, (uint32_t)port);
	else
		*p++ = '*';
	*p = '\0';
}

void list_format_endpoint(char *buf, size_t size,
			  const struct sock_diag_entry *e, int local,
			  const struct list_names *n)
{
	const uint8_t *a = local ? e->in.local : e->in.remote;
	int port = local ? e->in.local_port : e->in.remote_port;
	const char *host = list_names_host(n, e->family, a);
	const char *svc = list_names_service(n, e->protocol, port);
	char num[INET6_ADDRSTRLEN], p[8];

	if (!host && !svc && e->family == AF_INET && size >= 22) {
		numeric_v4(buf, a, port); /* the common case, 200k times */
		return;
	}
	inet_ntop(e->family, a, num, sizeof(num));
	snprintf(p, sizeof(p), "%d", port);
	if (!port)
		strcpy(p, "*");
	if (host)
		snprintf(buf, size, "%s:%s", host, svc ? svc : p);
	else if (e->family == AF_INET6)
		snprintf(buf, size, "[%s]:%s", num, svc ? svc : p);
	else
		snprintf(buf, size, "%s:%s", num, svc ? svc : p);
}

/*
 * Rows are assembled here and written in large blocks: printf's format
 * parsing and stdio's per-call locking were most of the user time of a
 * 200k-row listing.
 */
#define OUT_BUF (64 * 1024)
struct list_obuf {
	FILE *f;
	size_t len;
	int err; /* the first write error, negative errno */
	char buf[OUT_BUF];
};

static void ob_write(struct list_obuf *b, const char *s, size_t n)
{
	if (fwrite(s, 1, n, b->f) != n && !b->err)
		b->err = errno ? -errno : -EIO;
}

static void ob_flush(struct list_obuf *b)
{
	if (b->len)
		ob_write(b, b->buf, b->len);
	b->len = 0;
}

static void ob_put(struct list_obuf *b, const char *s, size_t n)
{
	if (n > OUT_BUF - b->len) {
		ob_flush(b);
		if (n > OUT_BUF) {
			ob_write(b, s, n);
			return;
		}
	}
	memcpy(b->buf + b->len, s, n);
	b->len += n;
}

static void ob_str(struct list_obuf *b, const char *s)
{
	ob_put(b, s, strlen(s));
}

static void ob_pad(struct list_obuf *b, size_t n)
{
	while (n) {
		size_t k;

		if (b->len == OUT_BUF)
			ob_flush(b);
		k = n < OUT_BUF - b->len ? n : OUT_BUF - b->len;
		memset(b->buf + b->len, ' ', k);
		b->len += k;
		n -= k;
	}
}

/* printf's "%-*s": s, then spaces up to width (in bytes: for ASCII). */
static void ob_left(struct list_obuf *b, const char *s, int width)
{
	size_t len = strlen(s);

	ob_put(b, s, len);
	if ((int)len < width)
		ob_pad(b, (size_t)width - len);
}

/* A cell whose width is known, padded up to width columns. */
static void ob_cell(struct list_obuf *b, const struct cell *c, int width)
{
	ob_str(b, c->text);
	if (c->width < width)
		ob_pad(b, (size_t)(width - c->width));
}

/* Any text padded by its display width, left or (right) aligned. */
static void ob_text(struct list_obuf *b, const char *s, int width, int right)
{
	int w = tool_display_width(s, strlen(s));

	if (right && w < width)
		ob_pad(b, (size_t)(width - w));
	ob_str(b, s);
	if (!right && w < width)
		ob_pad(b, (size_t)(width - w));
}

/* printf's "%*u" for width > 0, "%-*u" for width < 0; returns the
 * number of digits. */
static size_t ob_uint(struct list_obuf *b, uint32_t v, int width)
{
	char t[10];
	size_t n = utoa(t, v);

	if (width > 0 && (int)n < width)
		ob_pad(b, (size_t)width - n);
	ob_put(b, t, n);
	if (width < 0 && (int)n < -width)
		ob_pad(b, (size_t)-width - n);
	return n;
}

static void ob_fmt(struct list_obuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* For the titles: a few lines per listing. */
static void ob_fmt(struct list_obuf *b, const char *fmt, ...)
{
	char line[4096];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n > 0)
		ob_put(b, line,
		       (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
}

/* The owners as "pid/command,pid/command" (one entry per process,
 * never cut), or "-"; returns the number of columns written. */
static size_t put_owners(struct list_obuf *b, const struct sock_diag *d,
			 const struct sock_diag_entry *e)
{
	size_t n, len = 0;
	const struct sock_diag_owner *o = sock_diag_owners(d, e->inode, &n);
	int last = 0;

	if (!n) {
		ob_put(b, "-", 1);
		return 1;
	}
	for (size_t i = 0; i < n; i++) {
		char shown[256];
		size_t cl;

		/* A process names itself (prctl, exec -a): a newline in
		 * its name must not split the row. */
		tool_visible(o[i].command, sizeof(shown), shown, sizeof(shown));
		cl = strlen(shown);
		/* one entry per process, however many fds it has */
		if (i && o[i].pid == last)
			continue;
		if (len)
			ob_put(b, ",", 1);
		len += (len ? 1 : 0) + ob_uint(b, (uint32_t)o[i].pid, 0) + 1;
		ob_put(b, "/", 1);
		ob_put(b, shown, cl);
		len += (size_t)tool_display_width(shown, cl);
		last = o[i].pid;
	}
	return len;
}

static void owners_column(struct list_obuf *b, const struct sock_diag *d,
			  const struct sock_diag_entry *e)
{
	size_t len = put_owners(b, d, e);

	if (len < 20)
		ob_pad(b, 20 - len);
}

/* --all-netns: the namespace, last on the line. */
static void netns_column(struct list_obuf *b, const struct sock_diag *d,
			 const struct sock_diag_entry *e)
{
	char buf[160];

	ob_put(b, " ", 1);
	ob_str(b, list_netns_text(d, e, buf, sizeof(buf)));
}

static void widths(const struct sock_diag *d, const struct list_names *n,
		   int *wl, int *wr)
{
	char buf[512];

	*wl = *wr = ADDR_WIDTH;
	for (size_t i = 0; i < sock_diag_count(d); i++) {
		const struct sock_diag_entry *e = sock_diag_get(d, i);
		int l;

		if (e->family == AF_UNIX)
			continue;
		/* IPv4 numbers always fit; only names and IPv6 widen */
		if (e->family == AF_INET && !n)
			continue;
		list_format_endpoint(buf, sizeof(buf), e, 1, n);
		l = (int)strlen(buf);
		*wl = l > *wl ? l : *wl;
		list_format_endpoint(buf, sizeof(buf), e, 0, n);
		l = (int)strlen(buf);
		*wr = l > *wr ? l : *wr;
	}
}

static const char *title(int role)
{
	if (role == SOCK_DIAG_SERVERS)
		return _("(only servers)");
	return role == SOCK_DIAG_CLIENTS ? _("(w/o servers)")
					 : _("(servers and established)");
}

static void user_column(struct list_obuf *b, const struct sock_diag_entry *e,
			const struct list_opts *o)
{
	struct passwd *pw = NULL;

	if (!o->numeric && e->uid != SOCK_DIAG_NO_UID)
		pw = getpwuid(e->uid);
	ob_put(b, " ", 1);
	if (pw)
		ob_text(b, pw->pw_name, 10, 0);
	else if (e->uid == SOCK_DIAG_NO_UID)
		ob_left(b, "-", 10);
	else
		ob_uint(b, e->uid, -10);
	ob_put(b, " ", 1);
	ob_uint(b, e->inode, -10);
}

/* What a row needs besides the socket; d may be NULL without -p. */
struct list_row_ctx {
	struct list_obuf *b;
	const struct sock_diag *d;
	const struct list_opts *o;
	const struct list_names *n;
	int w[2];
};

/* --explain: the row's meaning on the line under it. */
static void explain_line(const struct list_row_ctx *c,
			 const struct sock_diag_entry *e)
{
	char text[1024];

	tool_explain_socket(text, sizeof(text), c->d, e);
	ob_put(c->b, "      ", 6);
	ob_str(c->b, text);
	ob_put(c->b, "\n", 1);
}

/* -i, -m: the socket's insides (x) on the line under it. */
static void info_line(const struct list_row_ctx *c,
		      const struct sock_diag_entry *e,
		      const struct sock_diag_extra *x)
{
	char text[2048];

	if (!list_info_text(text, sizeof(text), e, x, c->o))
		return;
	ob_put(c->b, "     ", 5);
	ob_str(c->b, text);
	ob_put(c->b, "\n", 1);
}

/* -o: netstat's Timer column, last. */
static void timer_column(struct list_obuf *b, const struct sock_diag_entry *e)
{
	char text[64];

	list_timer_text(text, sizeof(text), e);
	ob_put(b, " ", 1);
	ob_str(b, text);
}

/* x: e's extras, NULL without -i, -m. */
static void inet_row(const struct list_row_ctx *c,
		     const struct sock_diag_entry *e,
		     const struct sock_diag_extra *x)
{
	struct list_obuf *b = c->b;
	char local[512], remote[512];

	list_format_endpoint(local, sizeof(local), e, 1, c->n);
	list_format_endpoint(remote, sizeof(remote), e, 0, c->n);
	ob_left(b, sock_diag_proto_name(e->family, e->protocol), 5);
	ob_put(b, " ", 1);
	ob_uint(b, e->rqueue, 6);
	ob_put(b, " ", 1);
	ob_uint(b, e->wqueue, 6);
	ob_put(b, " ", 1);
	ob_left(b, local, c->w[0]);
	ob_put(b, " ", 1);
	ob_left(b, remote, c->w[1]);
	ob_put(b, " ", 1);
	ob_cell(b, state_cell(e), words.tcp_width);
	if (c->o->extend)
		user_column(b, e, c->o);
	if (c->o->programs) {
		ob_put(b, " ", 1);
		owners_column(b, c->d, e);
	}
	if (c->o->timers)
		timer_column(b, e);
	if (c->o->netns_column)
		netns_column(b, c->d, e);
	ob_put(b, "\n", 1);
	if (c->o->info || c->o->memory)
		info_line(c, e, x);
	if (c->o->explain)
		explain_line(c, e);
}

static void inet_header(const struct list_row_ctx *c)
{
	struct list_obuf *b = c->b;

	ob_fmt(b, _("Active Internet connections %s\n"), title(c->o->role));
	/* TRANSLATORS: the column titles of sock list; Recv-Q and
	 * Send-Q are right-aligned over 6 columns, a longer title
	 * pushes the rest of the line. */
	ob_text(b, _("Proto"), 5, 0);
	ob_put(b, " ", 1);
	ob_text(b, _("Recv-Q"), 6, 1);
	ob_put(b, " ", 1);
	ob_text(b, _("Send-Q"), 6, 1);
	ob_put(b, " ", 1);
	ob_text(b, _("Local Address"), c->w[0], 0);
	ob_put(b, " ", 1);
	ob_text(b, _("Foreign Address"), c->w[1], 0);
	ob_put(b, " ", 1);
	ob_text(b, _("State"), words.tcp_width, 0);
	if (c->o->extend) {
		ob_put(b, " ", 1);
		ob_text(b, _("User"), 10, 0);
		ob_put(b, " ", 1);
		ob_text(b, _("Inode"), 10, 0);
	}
	if (c->o->programs) {
		ob_put(b, " ", 1);
		ob_text(b, _("PID/Program name"), 20, 0);
	}
	if (c->o->timers) {
		ob_put(b, " ", 1);
		ob_str(b, _("Timer"));
	}
	if (c->o->netns_column)
		ob_str(b, " NetNS");
	ob_put(b, "\n", 1);
}

static void inet_table(struct list_row_ctx *c)
{
	widths(c->d, c->n, &c->w[0], &c->w[1]);
	inet_header(c);
	for (size_t i = 0; i < sock_diag_count(c->d); i++) {
		const struct sock_diag_entry *e = sock_diag_get(c->d, i);

		if (e->family != AF_UNIX)
			inet_row(c, e, sock_diag_extra(c->d, e));
	}
}

static const struct cell *unix_type(int type)
{
	switch (type) {
	case SOCK_STREAM:
		return &words.utype[1];
	case SOCK_DGRAM:
		return &words.utype[2];
	case SOCK_RAW:
		return &words.utype[3];
	case SOCK_RDM:
		return &words.utype[4];
	case SOCK_SEQPACKET:
		return &words.utype[5];
	}
	return &words.utype[0];
}

static const struct cell *unix_state(int state)
{
	switch (state) {
	case SOCK_DIAG_LISTEN:
		return &words.ustate[1];
	case SOCK_DIAG_ESTABLISHED:
		return &words.ustate[2];
	case SOCK_DIAG_SYN_SENT:
		return &words.ustate[3];
	}
	return &words.ustate[0];
}

/* Abstract names are shown with '@' for each NUL, as netstat and ss do;
 * control characters become '?' so that one socket stays one line. */
static void unix_path(struct list_obuf *b, const struct sock_diag *d,
		      const struct sock_diag_entry *e)
{
	const char *name;
	size_t len = sock_diag_unix_name(d, e, &name);

	for (size_t i = 0; i < len; i++) {
		char c = name[i];

		if (!c && (i == 0 || name[0] == '\0'))
			c = '@';
		else if (!c && name[0] != '\0')
			break; /* a path ends at its NUL */
		else if ((unsigned char)c < 0x20 || c == 0x7f)
			c = '?';
		ob_put(b, &c, 1);
	}
}

static void unix_row(const struct list_row_ctx *c,
		     const struct sock_diag_entry *e)
{
	struct list_obuf *b = c->b;

	ob_put(b, "unix  ", 6);
	ob_uint(b, e->un.refcnt, -6);
	ob_put(b, " ", 1);
	ob_left(b, e->state == SOCK_DIAG_LISTEN ? "[ ACC ]" : "[ ]", 11);
	ob_put(b, " ", 1);
	ob_cell(b, unix_type(e->type), words.utype_width);
	ob_put(b, " ", 1);
	ob_cell(b, unix_state(e->state), words.ustate_width);
	ob_put(b, " ", 1);
	ob_uint(b, e->inode, -8);
	ob_put(b, " ", 1);
	if (c->o->programs) {
		owners_column(b, c->d, e);
		ob_put(b, " ", 1);
	}
	unix_path(b, c->d, e);
	if (c->o->netns_column)
		netns_column(b, c->d, e);
	ob_put(b, "\n", 1);
	if (c->o->memory)
		info_line(c, e, sock_diag_extra(c->d, e));
	if (c->o->explain)
		explain_line(c, e);
}

static void unix_table(const struct list_row_ctx *c)
{
	struct list_obuf *b = c->b;

	ob_fmt(b, _("Active UNIX domain sockets %s\n"), title(c->o->role));
	ob_text(b, _("Proto"), 5, 0);
	ob_put(b, " ", 1);
	ob_text(b, _("RefCnt"), 6, 0);
	ob_put(b, " ", 1);
	ob_text(b, _("Flags"), 11, 0);
	ob_put(b, " ", 1);
	ob_text(b, _("Type"), words.utype_width, 0);
	ob_put(b, " ", 1);
	ob_text(b, _("State"), words.ustate_width, 0);
	ob_put(b, " ", 1);
	ob_text(b, _("I-Node"), 8, 0);
	ob_put(b, " ", 1);
	if (c->o->programs) {
		ob_text(b, _("PID/Program name"), 20, 0);
		ob_put(b, " ", 1);
	}
	ob_str(b, _("Path"));
	if (c->o->netns_column)
		ob_str(b, " NetNS");
	ob_put(b, "\n", 1);
	for (size_t i = 0; i < sock_diag_count(c->d); i++) {
		const struct sock_diag_entry *e = sock_diag_get(c->d, i);

		if (e->family == AF_UNIX)
			unix_row(c, e);
	}
}

/* Flush b, free it and report a write error of out (the first one:
 * errno may have changed since). */
static int finish(struct list_obuf *b, FILE *out)
{
	int err;

	ob_flush(b);
	err = b->err;
	free(b);
	if (fflush(out) && !err)
		err = errno ? -errno : -EIO;
	if (ferror(out) && !err)
		err = -EIO;
	return err;
}

int list_print_table(FILE *out, const struct sock_diag *d,
		     const struct list_opts *o)
{
	struct list_row_ctx c = { .d = d, .o = o };

	c.b = malloc(sizeof(*c.b));
	if (!c.b)
		return -ENOMEM;
	c.b->f = out;
	c.b->len = 0;
	c.b->err = 0;
	words_init();
	if (!o->numeric)
		c.n = list_names_new(d);
	if (o->protocols & (SOCK_DIAG_TCP | SOCK_DIAG_UDP | SOCK_DIAG_RAW))
		inet_table(&c);
	if (o->protocols & SOCK_DIAG_UNIX)
		unix_table(&c);
	list_names_free((struct list_names *)c.n);
	return finish(c.b, out);
}

/* sock_diag_stream() state: IPv4 rows arrive from the kernel, IPv6
 * rows come from a snapshot and are slotted in where the dump order
 * (tcp, tcp6, udp, udp6, raw, raw6) puts them. */
struct list_stream {
	struct list_row_ctx c;
	const struct sock_diag *v6;
	size_t next6;
	size_t count;
};

static int rank(int protocol)
{
	return protocol == IPPROTO_TCP ? 0 : protocol == IPPROTO_UDP ? 1 : 2;
}

/* The IPv6 rows of protocols before rank r. */
static void v6_rows(struct list_stream *s, int r)
{
	while (s->v6 && s->next6 < sock_diag_count(s->v6)) {
		const struct sock_diag_entry *e =
		    sock_diag_get(s->v6, s->next6);

		if (rank(e->protocol) >= r)
			break;
		inet_row(&s->c, e, sock_diag_extra(s->v6, e));
		s->next6++;
	}
}

static int stream_row(const struct sock_diag_entry *e,
		      const struct sock_diag_extra *x, void *arg)
{
	struct list_stream *s = arg;

	v6_rows(s, rank(e->protocol));
	inet_row(&s->c, e, x);
	s->count++;
	return s->c.b->err; /* stops the dump: no one reads the rest */
}

int list_can_stream(const struct list_opts *o, const struct sock_diag_query *q)
{
	return o->numeric && !o->programs && !o->json && !o->dump &&
	       !(list_info_extras(o) & ~(SOCK_DIAG_X_INFO | SOCK_DIAG_X_MEM)) &&
	       !q->record && !q->replay && !(o->protocols & SOCK_DIAG_UNIX) &&
	       !q->netns && sock_diag_filter_streamable(o->filter);
}

/*
 * Only IPv6 addresses can widen a column with -n, so they are taken
 * first (a snapshot, usually small); the IPv4 rows are then printed as
 * the kernel sends them and never held: memory stays flat at 200k.
 */
static int stream_v4(struct list_stream *s, const struct sock_diag_query *q,
		     size_t *count)
{
	struct sock_diag_query q4 = *q;
	int src = 0, ret = 0;

	if (q->family != AF_INET6) {
		q4.family = AF_INET;
		ret = sock_diag_stream_extra(&q4, stream_row, s, &src);
	}
	if (!ret)
		v6_rows(s, 3);
	*count = s->count + (s->v6 ? sock_diag_count(s->v6) : 0);
	return ret;
}

int list_stream_table(FILE *out, const struct sock_diag_query *q,
		      const struct list_opts *o, size_t *count, int *werr)
{
	struct list_stream s = { .c.o = o };
	struct sock_diag *v6 = NULL;
	struct sock_diag_query q6 = *q;
	int ret = 0;

	*werr = 0;
	words_init();
	if (q->family != AF_INET) {
		q6.family = AF_INET6;
		ret = sock_diag_snapshot(&q6, &v6);
		if (ret)
			return ret;
	}
	s.v6 = v6;
	s.c.b = malloc(sizeof(*s.c.b));
	if (!s.c.b) {
		sock_diag_free(v6);
		return -ENOMEM;
	}
	s.c.b->f = out;
	s.c.b->len = 0;
	s.c.b->err = 0;
	s.c.w[0] = s.c.w[1] = ADDR_WIDTH;
	if (v6)
		widths(v6, NULL, &s.c.w[0], &s.c.w[1]);
	inet_header(&s.c);
	ret = stream_v4(&s, q, count);
	if (ret && ret == s.c.b->err)
		ret = 0; /* the write error stopped it: *werr says so */
	sock_diag_free(v6);
	*werr = finish(s.c.b, out);
	return ret;
}
