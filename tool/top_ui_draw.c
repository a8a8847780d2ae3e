/*
 * tool/top_ui_draw.c - sock top's screen: three header lines (totals,
 * rates of connections and kernel counters, where closed sockets come
 * from), the column titles, the table, the status line.  Columns that
 * do not fit are dropped by priority (the addresses, the state and the
 * rates stay longest) and the address and program columns narrow before
 * anything is dropped, so that 80x24 shows a useful table.
 */
#define NCURSES_WIDECHAR 1
#include <curses.h>
#include <langinfo.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "i18n.h"
#include "top_ui.h"

#define HEADER_LINES 3
#define CELL 64

/* Colour pairs (only with colours on). */
enum {
	PAIR_TITLE = 1,
	PAIR_COLS,
	PAIR_LISTEN,
	PAIR_ESTAB,
	PAIR_ENDING,
	PAIR_ERROR,
	PAIR_SELECT
};

struct col_def {
	const char *title;
	int min, want; /* cells */
	int right;     /* numbers are right-aligned */
	int prio;      /* 0 is dropped last */
};

static const struct col_def cols[COL_MAX] = {
	[COL_PROTO] = { N_("Proto"), 4, 5, 0, 6 },
	[COL_LOCAL] = { N_("Local Address"), 15, 24, 0, 0 },
	[COL_REMOTE] = { N_("Remote Address"), 15, 24, 0, 1 },
	[COL_STATE] = { N_("State"), 11, 11, 0, 2 },
	[COL_AGE] = { N_("Age"), 5, 5, 1, 11 },
	[COL_RECVQ] = { N_("Recv-Q"), 6, 9, 1, 9 },
	[COL_SENDQ] = { N_("Send-Q"), 6, 6, 1, 10 },
	[COL_TXRATE] = { N_("Send/s"), 6, 6, 1, 4 },
	[COL_RXRATE] = { N_("Recv/s"), 6, 6, 1, 3 },
	[COL_TX] = { N_("Sent"), 6, 6, 1, 7 },
	[COL_RX] = { N_("Recvd"), 6, 6, 1, 8 },
	[COL_RETR] = { N_("Retr/s"), 6, 6, 1, 13 },
	[COL_RTT] = { N_("RTT ms"), 6, 6, 1, 12 },
	[COL_LIMIT] = { N_("Limit"), 11, 11, 0, 14 },
	[COL_NETNS] = { N_("NetNS"), 17, 28, 0, 6 },
	[COL_PROG] = { N_("PID/Program"), 11, 24, 0, 5 },
};

/* Which columns widen first when there is room. */
static const enum ui_col grow_order[] = { COL_PROG,  COL_LOCAL, COL_REMOTE,
					  COL_LIMIT, COL_RECVQ, COL_PROTO };

/* Where each column is drawn this time; width 0: not shown. */
struct layout {
	int x[COL_MAX], w[COL_MAX];
	int span_end; /* where a process's label ends (tree) */
};

const char *ui_col_title(enum ui_col c)
{
	return _(cols[c].title);
}

static int title_width(enum ui_col c)
{
	const char *t = ui_col_title(c);

	return tool_display_width(t, strlen(t)) + 1; /* + the sort mark */
}

static int min_width(enum ui_col c)
{
	int t = title_width(c);

	return t > cols[c].min ? t : cols[c].min;
}

/* Columns by priority, each at its smallest while they fit. */
static void choose(const struct ui *u, struct layout *l)
{
	int used = 0;

	memset(l, 0, sizeof(*l));
	for (int prio = 0; prio <= 14; prio++)
		for (enum ui_col c = COL_PROTO; c < COL_MAX; c++) {
			int need = min_width(c) + (used ? 1 : 0);

			if (cols[c].prio != prio ||
			    (u->tree && c == COL_PROG) ||
			    (!u->has_ns && c == COL_NETNS))
				continue;
			if (used + need <= u->cols) {
				l->w[c] = min_width(c);
				used += need;
			}
		}
	/* what is left widens the text columns up to what they want: the
	 * program first (a process name is cut sooner than an address) */
	for (size_t i = 0; i < sizeof(grow_order) / sizeof(*grow_order); i++) {
		enum ui_col c = grow_order[i];
		int more = cols[c].want - l->w[c];

		if (!l->w[c] || more <= 0)
			continue;
		more = more < u->cols - used ? more : u->cols - used;
		l->w[c] += more;
		used += more;
	}
}

static void lay_out(const struct ui *u, struct layout *l)
{
	int x = 0;

	choose(u, l);
	for (enum ui_col c = COL_PROTO; c < COL_MAX; c++) {
		if (!l->w[c])
			continue;
		l->x[c] = x;
		x += l->w[c] + 1;
		if (c <= COL_STATE)
			l->span_end = l->x[c] + l->w[c];
	}
}

static int sort_mark_utf8(void)
{
	return !strcmp(nl_langinfo(CODESET), "UTF-8");
}

static void draw_titles(const struct ui *u, const struct layout *l, int y)
{
	int attr = u->color ? COLOR_PAIR(PAIR_COLS) : A_BOLD | A_UNDERLINE;

	attron(attr);
	mvhline(y, 0, ' ', u->cols);
	for (enum ui_col c = COL_PROTO; c < COL_MAX; c++) {
		char t[CELL];
		const char *mark = "";

		if (!l->w[c])
			continue;
		if (c == u->sort)
			mark = sort_mark_utf8() ? (u->reverse ? "\xe2\x96\xb2"
							      : "\xe2\x96\xbc")
						: (u->reverse ? "^" : "v");
		snprintf(t, sizeof(t), "%s%s", ui_col_title(c), mark);
		ui_put_cell(y, l->x[c], l->w[c], t, cols[c].right);
	}
	attroff(attr);
}

/* "1.5K" or "n/a" (no byte counters) or "" (closed: no rate now). */
static void rate_cell(char *b, int has_bytes, int closed, double v)
{
	if (closed)
		b[0] = '\0';
	else if (!has_bytes)
		snprintf(b, CELL, "%s", _("n/a"));
	else
		ui_fmt_size(b, CELL, v);
}

static void total_cell(char *b, int has_bytes, uint64_t v)
{
	if (!has_bytes)
		snprintf(b, CELL, "%s", _("n/a"));
	else
		ui_fmt_size(b, CELL, (double)v);
}

static void rtt_cell(char *b, uint32_t us)
{
	double ms = us / 1000.0;

	if (!us)
		b[0] = '\0';
	else
		snprintf(b, CELL,
			 ms < 10    ? "%.2f"
			 : ms < 100 ? "%.1f"
				    : "%.0f",
			 ms);
}

static void retr_cell(char *b, int has_bytes, int closed, double v)
{
	if (closed)
		b[0] = '\0';
	else if (!has_bytes)
		snprintf(b, CELL, "%s", _("n/a"));
	else
		snprintf(b, CELL, v < 10 ? "%.1f" : "%.0f", v);
}

/* What a socket's and a process's numeric cells are made of. */
struct nums {
	int has_bytes, closed;
	double age, tx_rate, rx_rate, retrans_rate;
	uint64_t tx_bytes, rx_bytes;
	uint32_t rtt_us;
};

/* A numeric cell but the queues'. */
static void num_cell(char *b, const struct nums *n, enum ui_col c)
{
	b[0] = '\0';
	if (c == COL_AGE)
		ui_fmt_age(b, CELL, n->age);
	else if (c == COL_TXRATE || c == COL_RXRATE)
		rate_cell(b, n->has_bytes, n->closed,
			  c == COL_TXRATE ? n->tx_rate : n->rx_rate);
	else if (c == COL_TX || c == COL_RX)
		total_cell(b, n->has_bytes,
			   c == COL_TX ? n->tx_bytes : n->rx_bytes);
	else if (c == COL_RETR)
		retr_cell(b, n->has_bytes, n->closed, n->retrans_rate);
	else if (c == COL_RTT)
		rtt_cell(b, n->rtt_us);
}

/* A socket's words: what the kernel and the model name. */
static const char *sock_word(const struct top_sock *s, enum ui_col c)
{
	const char *w = NULL;

	if (c == COL_PROTO)
		w = s->proto;
	else if (c == COL_LOCAL)
		w = s->local;
	else if (c == COL_REMOTE)
		w = s->remote;
	else if (c == COL_STATE)
		w = s->state_name ? _(s->state_name) : NULL;
	else if (c == COL_NETNS)
		w = s->ns;
	return w ? w : "";
}

/* A socket's cell in column c. */
static void sock_cell(char *b, const struct top_sock *s, enum ui_col c)
{
	const struct nums n = { s->has_bytes, s->closed,   s->age,
				s->tx_rate,   s->rx_rate,  s->retrans_rate,
				s->tx_bytes,  s->rx_bytes, s->rtt_us };

	b[0] = '\0';
	if (c == COL_RECVQ && s->listening)
		snprintf(b, CELL, "%u/%u", s->recv_q, s->send_q);
	else if (c == COL_RECVQ)
		snprintf(b, CELL, "%u", s->recv_q);
	else if (c == COL_SENDQ && !s->listening)
		snprintf(b, CELL, "%u", s->send_q);
	else if (c == COL_LIMIT && s->limit)
		snprintf(b, CELL, "%s", _(s->limit));
	else if (c == COL_LIMIT && s->has_drops && s->drops)
		snprintf(b, CELL, _("drops %u"), s->drops);
	else if (c == COL_PROG && s->pid)
		snprintf(b, CELL, "%d/%s", s->pid, s->comm ? s->comm : "?");
	else if (c == COL_PROG)
		snprintf(b, CELL, "-");
	else if (c <= COL_STATE || c == COL_NETNS)
		snprintf(b, CELL, "%s", sock_word(s, c));
	else if (c != COL_SENDQ && c != COL_LIMIT)
		num_cell(b, &n, c);
}

/* A process's cell (tree) in a numeric column. */
static void proc_cell(char *b, const struct ui_proc *p, enum ui_col c)
{
	const struct nums n = { p->has_bytes, 0,	   p->age,
				p->tx_rate,   p->rx_rate,  p->retrans_rate,
				p->tx_bytes,  p->rx_bytes, p->rtt_us };

	b[0] = '\0';
	if (c == COL_RECVQ || c == COL_SENDQ)
		snprintf(b, CELL, "%llu",
			 (unsigned long long)(c == COL_RECVQ ? p->recv_q
							     : p->send_q));
	else
		num_cell(b, &n, c);
}

static int state_attr(const struct ui *u, const struct top_sock *s)
{
	if (s->closed)
		return A_DIM;
	if (!u->color)
		return 0;
	if (s->listening)
		return COLOR_PAIR(PAIR_LISTEN);
	if (s->state == SOCK_DIAG_ESTABLISHED)
		return COLOR_PAIR(PAIR_ESTAB);
	if (s->state != SOCK_DIAG_CLOSE)
		return COLOR_PAIR(PAIR_ENDING);
	return 0;
}

static void draw_proc(const struct layout *l, int y, const struct ui_proc *p)
{
	char b[CELL + 32];
	int x0 = -1;

	for (enum ui_col c = COL_PROTO; c <= COL_STATE && x0 < 0; c++)
		if (l->w[c])
			x0 = l->x[c];
	if (p->pid)
		snprintf(b, sizeof(b), "%s %d %s (%zu)",
			 p->collapsed ? "+" : "-", p->pid,
			 p->comm ? p->comm : "?", p->nsock);
	else
		snprintf(b, sizeof(b), "%s %s (%zu)", p->collapsed ? "+" : "-",
			 _("(no process)"), p->nsock);
	attron(A_BOLD);
	if (x0 >= 0)
		ui_put_cell(y, x0, l->span_end - x0, b, 0);
	attroff(A_BOLD);
	for (enum ui_col c = COL_AGE; c < COL_MAX; c++) {
		if (!l->w[c])
			continue;
		proc_cell(b, p, c);
		ui_put_cell(y, l->x[c], l->w[c], b, cols[c].right);
	}
}

static void draw_sock(const struct ui *u, const struct layout *l, int y,
		      const struct ui_row *r)
{
	char b[CELL];
	int first = 1;

	for (enum ui_col c = COL_PROTO; c < COL_MAX; c++) {
		int x = l->x[c], w = l->w[c], a = 0;

		if (!w)
			continue;
		if (first && u->tree) {
			/* the tree's branch in front of the first cell */
			mvaddch(y, x, r->last ? ACS_LLCORNER : ACS_LTEE);
			addch(' ');
			x += 2;
			w -= 2;
		}
		first = 0;
		sock_cell(b, r->s, c);
		if (c == COL_STATE)
			a = state_attr(u, r->s);
		attron(a);
		if (c == COL_LOCAL || c == COL_REMOTE)
			ui_put_addr(y, x, w, b);
		else
			ui_put_cell(y, x, w, b, cols[c].right);
		attroff(a);
	}
}

static void scroll_to_selection(struct ui *u, int h)
{
	if (u->sel < u->top)
		u->top = u->sel;
	if (h > 0 && u->sel >= u->top + (size_t)h)
		u->top = u->sel - (size_t)h + 1;
	if (u->top + (size_t)h > u->nrows)
		u->top = u->nrows > (size_t)h ? u->nrows - (size_t)h : 0;
}

int ui_table_lines(const struct ui *u)
{
	int h = u->lines - HEADER_LINES - 2;

	return h > 0 ? h : 0;
}

static void draw_table(struct ui *u, const struct layout *l)
{
	int h = ui_table_lines(u);

	scroll_to_selection(u, h);
	for (int i = 0; i < h && u->top + (size_t)i < u->nrows; i++) {
		size_t k = u->top + (size_t)i;
		const struct ui_row *r = &u->rows[k];
		int y = HEADER_LINES + 1 + i, a = 0;

		if (k == u->sel)
			a = u->color ? COLOR_PAIR(PAIR_SELECT) : A_REVERSE;
		else if (r->s && r->s->closed)
			a = A_DIM;
		attron(a);
		mvhline(y, 0, ' ', u->cols);
		if (r->s)
			draw_sock(u, l, y, r);
		else
			draw_proc(l, y, r->p);
		attroff(a);
	}
}

/* ", 3 ESTABLISHED" for each state with sockets, the largest first. */
static void state_counts(char *b, size_t size, const struct top_totals *t)
{
	size_t used = 0, done[SOCK_DIAG_STATE_MAX] = { 0 };

	b[0] = '\0';
	for (;;) {
		int best = -1;

		for (int s = 1; s < SOCK_DIAG_STATE_MAX; s++)
			if (!done[s] && t->by_state[s] &&
			    (best < 0 || t->by_state[s] > t->by_state[best]))
				best = s;
		if (best < 0 || used >= size)
			return;
		done[best] = 1;
		used += (size_t)snprintf(b + used, size - used, "%s%zu %s",
					 used ? ", " : "", t->by_state[best],
					 _(sock_diag_state_netstat(best)));
	}
}

/* A rate per second, short: "0", "2.5", "340". */
static const char *per_sec(char *b, double v)
{
	snprintf(b, 16, v == 0 ? "0" : v < 10 ? "%.1f" : "%.0f", v);
	return b;
}

/* New and closed connections, then the kernel's counters, per second. */
static void counters_line(char *b, size_t size, const struct top_totals *t)
{
	char r[5][16];
	int n = snprintf(b, size, _("new %s/s, closed %s/s"),
			 per_sec(r[0], t->opened_rate),
			 per_sec(r[1], t->closed_rate));

	if (n < 0 || (size_t)n >= size)
		return;
	if (!t->have_counters) {
		snprintf(b + n, size - (size_t)n, "; %s",
			 _("kernel counters: n/a"));
		return;
	}
	snprintf(b + n, size - (size_t)n,
		 "; ListenOverflows %s/s, RetransSegs %s/s, EstabResets %s/s",
		 per_sec(r[2], t->listen_overflows_rate),
		 per_sec(r[3], t->retrans_segs_rate),
		 per_sec(r[4], t->estab_resets_rate));
}

static void header_line(const struct ui *u, int y, const char *text, int attr)
{
	attron(attr);
	ui_put_cell(y, 0, u->cols, text, 0);
	attroff(attr);
}

static void draw_header(const struct ui *u)
{
	const struct top_totals *t = top_model_totals(u->m);
	char b[512], st[256], clock[16], n[64];
	struct tm tm;

	localtime_r(&u->polled_at, &tm);
	strftime(clock, sizeof(clock), "%H:%M:%S", &tm);
	state_counts(st, sizeof(st), t);
	snprintf(n, sizeof(n),
		 ngettext("%zu socket", "%zu sockets", t->sockets), t->sockets);
	snprintf(b, sizeof(b), _("sock top %s, every %.1f s%s: %s%s%s"), clock,
		 u->o->interval_ms / 1000.0, u->paused ? _(" (paused)") : "", n,
		 *st ? ": " : "", st);
	header_line(u, 0, b, A_BOLD);
	counters_line(b, sizeof(b), t);
	header_line(u, 1, b, u->color ? COLOR_PAIR(PAIR_TITLE) : 0);
	snprintf(b, sizeof(b), "%s%s%s%s",
		 *top_model_filter(u->m) ? _("filter: ") : "",
		 top_model_filter(u->m), *top_model_filter(u->m) ? "; " : "",
		 t->closed_source == TOP_CLOSED_DESTROY
		     ? _("closed sockets: from the kernel's destroy "
			 "messages (final totals)")
		     : _("closed sockets: from the last poll (those that "
			 "lived between two polls are missed)"));
	header_line(u, 2, b, u->color ? COLOR_PAIR(PAIR_TITLE) : 0);
}

static void draw_status(const struct ui *u)
{
	const char *text = u->msg;
	int attr = 0;

	if (u->msg_until < top_model_now())
		text =
		    _("h help  q quit  / search  f filter  s sort  r reverse "
		      " t tree  p pause  k kill  n names");
	else if (u->msg_error)
		attr = u->color ? COLOR_PAIR(PAIR_ERROR) : A_BOLD;
	header_line(u, u->lines - 1, text, attr);
}

static void init_colors(void)
{
	static int done;

	if (done)
		return;
	done = 1;
	start_color();
	use_default_colors();
	init_pair(PAIR_TITLE, COLOR_CYAN, -1);
	init_pair(PAIR_COLS, COLOR_BLACK, COLOR_GREEN);
	init_pair(PAIR_LISTEN, COLOR_CYAN, -1);
	init_pair(PAIR_ESTAB, COLOR_GREEN, -1);
	init_pair(PAIR_ENDING, COLOR_YELLOW, -1);
	init_pair(PAIR_ERROR, COLOR_WHITE, COLOR_RED);
	init_pair(PAIR_SELECT, COLOR_BLACK, COLOR_CYAN);
}

void ui_draw(struct ui *u)
{
	struct layout l;

	getmaxyx(stdscr, u->lines, u->cols);
	if (u->color)
		init_colors();
	erase();
	lay_out(u, &l);
	if (u->lines >= HEADER_LINES + 3) {
		draw_header(u);
		draw_titles(u, &l, HEADER_LINES);
		draw_table(u, &l);
	}
	draw_status(u);
	refresh();
}

static const char *const help_lines[] = {
	N_("sock top: the machine's sockets, live"),
	"",
	N_("Up, Down, PgUp, PgDn, Home, End   move the selection"),
	N_("/            search (F3: next match)"),
	N_("f or \\       filter, in sock list's filter language"),
	N_("              (e.g. state established and dport 443); empty: none"),
	N_("< and >      sort by the column to the left or right"),
	N_("s            choose the sort column; r reverse the order"),
	N_("t            processes with their sockets (tree) or sockets only"),
	N_("+ - Enter    expand or collapse the selected process (tree)"),
	N_("p            pause or resume the refresh"),
	N_("k            kill the selected socket (SOCK_DESTROY, asks first)"),
	N_("n            names or numbers for hosts, services and users"),
	N_("h or ?       this help; q quit"),
	"",
	N_("n/a: the kernel keeps no byte counters for UDP, raw and Unix "
	   "sockets."),
	N_("Dimmed rows: closed sockets, kept a few seconds with their final "
	   "totals."),
	N_("Recv-Q of a listener: connections waiting to be accepted / "
	   "backlog."),
	N_("K, M, G: 1024, 1024^2, 1024^3 bytes.  Press any key."),
};

void ui_help(struct ui *u)
{
	timeout(UI_WAIT_MS);
	for (;;) {
		int c;

		getmaxyx(stdscr, u->lines, u->cols);
		erase();
		for (size_t i = 0; i < sizeof(help_lines) / sizeof(*help_lines);
		     i++)
			ui_put_cell((int)i, 1, u->cols - 1,
				    *help_lines[i] ? _(help_lines[i]) : "", 0);
		refresh();
		c = getch();
		if (ui_stop || (c != ERR && c != KEY_RESIZE))
			break;
	}
	timeout(0);
}
