/*
 * tool/top_ui_rows.c - the table's lines from the model's sockets: a
 * flat list, or processes with their totals each followed by its
 * sockets (the tree), sorted by the chosen column.  Numbers sort biggest
 * first and words in alphabetical order (r reverses both); a socket
 * without byte counters sorts below every rate.  The selection follows
 * its socket (by cookie) or process (by pid) from one poll to the next.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "top_ui.h"

/* A column's key for a socket; -1 for "n/a" (no byte counters). */
static double sock_num(const struct top_sock *s, enum ui_col c)
{
	int live = s->has_bytes && !s->closed;

	switch (c) {
	case COL_AGE:
		return s->age;
	case COL_RECVQ:
		return s->recv_q;
	case COL_SENDQ:
		return s->listening ? 0 : s->send_q;
	case COL_TXRATE:
		return live ? s->tx_rate : -1;
	case COL_RXRATE:
		return live ? s->rx_rate : -1;
	case COL_TX:
		return s->has_bytes ? (double)s->tx_bytes : -1;
	case COL_RX:
		return s->has_bytes ? (double)s->rx_bytes : -1;
	case COL_RETR:
		return live ? s->retrans_rate : -1;
	case COL_RTT:
		return s->rtt_us;
	default:
		return 0;
	}
}

static double proc_num(const struct ui_proc *p, enum ui_col c)
{
	switch (c) {
	case COL_AGE:
		return p->age;
	case COL_RECVQ:
		return (double)p->recv_q;
	case COL_SENDQ:
		return (double)p->send_q;
	case COL_TXRATE:
		return p->has_bytes ? p->tx_rate : -1;
	case COL_RXRATE:
		return p->has_bytes ? p->rx_rate : -1;
	case COL_TX:
		return p->has_bytes ? (double)p->tx_bytes : -1;
	case COL_RX:
		return p->has_bytes ? (double)p->rx_bytes : -1;
	case COL_RETR:
		return p->has_bytes ? p->retrans_rate : -1;
	case COL_RTT:
		return p->rtt_us;
	default:
		return 0;
	}
}

static const char *sock_text(const struct top_sock *s, enum ui_col c)
{
	const char *t = NULL;

	switch (c) {
	case COL_PROTO:
		t = s->proto;
		break;
	case COL_LOCAL:
		t = s->local;
		break;
	case COL_REMOTE:
		t = s->remote;
		break;
	case COL_STATE:
		t = s->state_name;
		break;
	case COL_LIMIT:
		t = s->limit;
		break;
	case COL_NETNS:
		t = s->ns;
		break;
	case COL_PROG:
		t = s->comm;
		break;
	default:
		break;
	}
	return t ? t : "";
}

static int is_text(enum ui_col c)
{
	return c == COL_PROTO || c == COL_LOCAL || c == COL_REMOTE ||
	       c == COL_STATE || c == COL_LIMIT || c == COL_NETNS ||
	       c == COL_PROG;
}

static int cmp_num(double a, double b)
{
	return a < b ? 1 : a > b ? -1 : 0; /* biggest first */
}

static int cmp_sock_key(const struct top_sock *a, const struct top_sock *b,
			const struct ui *u)
{
	int r = is_text(u->sort)
		    ? strcmp(sock_text(a, u->sort), sock_text(b, u->sort))
		    : cmp_num(sock_num(a, u->sort), sock_num(b, u->sort));

	if (u->reverse)
		r = -r;
	if (!r)
		r = cmp_num(b->first_seen, a->first_seen); /* oldest first */
	if (!r)
		r = a->cookie < b->cookie ? -1 : a->cookie > b->cookie;
	return r;
}

/* Sockets grouped by owner (tree), each group in key order. */
static int cmp_sock(const void *pa, const void *pb, void *arg)
{
	const struct top_sock *a = *(const struct top_sock *const *)pa;
	const struct top_sock *b = *(const struct top_sock *const *)pb;
	const struct ui *u = arg;

	if (u->tree && a->pid != b->pid)
		return a->pid < b->pid ? -1 : 1;
	return cmp_sock_key(a, b, u);
}

static int cmp_proc(const void *pa, const void *pb, void *arg)
{
	const struct ui_proc *a = pa, *b = pb;
	const struct ui *u = arg;
	int r;

	if (is_text(u->sort))
		r = strcmp(a->comm ? a->comm : "", b->comm ? b->comm : "");
	else
		r = cmp_num(proc_num(a, u->sort), proc_num(b, u->sort));
	if (u->reverse)
		r = -r;
	return r ? r : (a->pid > b->pid) - (a->pid < b->pid);
}

static int folded(const struct ui *u, int pid)
{
	for (size_t i = 0; i < u->nfolded; i++)
		if (u->folded[i] == pid)
			return 1;
	return 0;
}

static void proc_add(struct ui_proc *p, const struct top_sock *s)
{
	if (!p->comm)
		p->comm = s->comm;
	p->nsock++;
	if (s->age > p->age)
		p->age = s->age;
	if (!s->listening) {
		p->recv_q += s->recv_q;
		p->send_q += s->send_q;
	}
	if (s->rtt_us > p->rtt_us)
		p->rtt_us = s->rtt_us;
	if (!s->has_bytes)
		return;
	p->has_bytes = 1;
	p->tx_bytes += s->tx_bytes;
	p->rx_bytes += s->rx_bytes;
	if (s->closed)
		return;
	p->tx_rate += s->tx_rate;
	p->rx_rate += s->rx_rate;
	p->retrans_rate += s->retrans_rate;
}

/* One process per run of sockets with the same owner. */
static int group(struct ui *u)
{
	struct ui_proc *p = NULL;

	u->nprocs = 0;
	for (size_t i = 0; i < u->nsocks; i++) {
		const struct top_sock *s = u->socks[i];

		if (!p || p->pid != s->pid) {
			p = &u->procs[u->nprocs++];
			memset(p, 0, sizeof(*p));
			p->pid = s->pid;
			p->first = i;
			p->collapsed = folded(u, s->pid);
		}
		proc_add(p, s);
	}
	qsort_r(u->procs, u->nprocs, sizeof(*u->procs), cmp_proc, u);
	return 0;
}

static void lay_out(struct ui *u)
{
	u->nrows = 0;
	if (!u->tree) {
		for (size_t i = 0; i < u->nsocks; i++)
			u->rows[u->nrows++] =
			    (struct ui_row){ u->socks[i], NULL, 0 };
		return;
	}
	for (size_t i = 0; i < u->nprocs; i++) {
		const struct ui_proc *p = &u->procs[i];

		u->rows[u->nrows++] = (struct ui_row){ NULL, p, 0 };
		for (size_t k = 0; !p->collapsed && k < p->nsock; k++)
			u->rows[u->nrows++] =
			    (struct ui_row){ u->socks[p->first + k], p,
					     k + 1 == p->nsock };
	}
}

/* Back to the socket or process selected before, if it is still here. */
static void find_selection(struct ui *u)
{
	for (size_t i = 0; i < u->nrows; i++) {
		const struct ui_row *r = &u->rows[i];

		if (u->sel_is_proc ? !r->s && r->p->pid == u->sel_pid
				   : r->s && u->sel_cookie &&
					 r->s->cookie == u->sel_cookie) {
			u->sel = i;
			return;
		}
	}
	if (u->sel >= u->nrows)
		u->sel = u->nrows ? u->nrows - 1 : 0;
}

void ui_rows_note_selection(struct ui *u)
{
	const struct ui_row *r;

	if (u->sel >= u->nrows)
		return;
	r = &u->rows[u->sel];
	u->sel_is_proc = !r->s;
	u->sel_pid = r->s ? r->s->pid : r->p->pid;
	u->sel_cookie = r->s ? r->s->cookie : 0;
}

static int grow(struct ui *u, size_t n)
{
	const struct top_sock **s = realloc(u->socks, (n + 1) * sizeof(*s));
	struct ui_proc *p;
	struct ui_row *r;

	if (!s)
		return -ENOMEM;
	u->socks = s;
	p = realloc(u->procs, (n + 1) * sizeof(*p));
	if (!p)
		return -ENOMEM;
	u->procs = p;
	r = realloc(u->rows, (2 * n + 1) * sizeof(*r));
	if (!r)
		return -ENOMEM;
	u->rows = r;
	return 0;
}

int ui_rows_build(struct ui *u)
{
	size_t n = top_model_count(u->m);

	if (grow(u, n)) {
		u->nsocks = u->nprocs = u->nrows = 0;
		return -ENOMEM;
	}
	u->has_ns = 0;
	for (size_t i = 0; i < n; i++) {
		u->socks[i] = top_model_sock(u->m, i);
		u->has_ns |= u->socks[i]->ns != NULL;
	}
	u->nsocks = n;
	qsort_r(u->socks, n, sizeof(*u->socks), cmp_sock, u);
	if (u->tree)
		group(u);
	lay_out(u);
	find_selection(u);
	return 0;
}

void ui_rows_free(struct ui *u)
{
	free(u->socks);
	free(u->procs);
	free(u->rows);
	free(u->folded);
}

void ui_rows_fold(struct ui *u, int fold)
{
	const struct ui_row *r;
	int pid, *f;

	if (!u->tree || u->sel >= u->nrows)
		return;
	r = &u->rows[u->sel];
	pid = r->p->pid;
	if (fold == folded(u, pid))
		return;
	if (fold) {
		f = realloc(u->folded, (u->nfolded + 1) * sizeof(*f));
		if (!f)
			return;
		u->folded = f;
		u->folded[u->nfolded++] = pid;
	} else {
		for (size_t i = 0; i < u->nfolded; i++)
			if (u->folded[i] == pid)
				u->folded[i] = u->folded[--u->nfolded];
	}
	/* the process keeps the selection when its sockets fold away */
	u->sel_is_proc = 1;
	u->sel_pid = pid;
}

/* Whether row r shows the search text. */
static int row_has(const struct ui_row *r, const char *text)
{
	char pid[16];

	if (!r->s) {
		snprintf(pid, sizeof(pid), "%d", r->p->pid);
		return strstr(pid, text) ||
		       (r->p->comm && strcasestr(r->p->comm, text));
	}
	for (enum ui_col c = COL_PROTO; c < COL_MAX; c++)
		if (is_text(c) && strcasestr(sock_text(r->s, c), text))
			return 1;
	snprintf(pid, sizeof(pid), "%d", r->s->pid);
	return r->s->pid && strstr(pid, text);
}

long ui_rows_find(const struct ui *u, size_t from)
{
	if (!u->search[0])
		return -1;
	for (size_t k = 0; k < u->nrows; k++) {
		size_t i = (from + k) % u->nrows;

		if (row_has(&u->rows[i], u->search))
			return (long)i;
	}
	return -1;
}
