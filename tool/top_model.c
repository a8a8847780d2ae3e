/*
 * tool/top_model.c - sock top's model: a poll of the sockets each
 * interval, rows kept by socket cookie from one poll to the next (so
 * rates are deltas), closed sockets kept a few seconds, and, when the
 * kernel lets us join its destroy groups, the sockets that lived and
 * died between two polls with their final counters.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <sock/diag_watch.h>
#include <sock/netns.h>

#include "i18n.h"
#include "list.h"
#include "top_int.h"

/* Without a new socket to name, owners are looked for this often. */
#define OWNERS_EVERY 10.0

struct top_tab {
	struct top_row **slot;
	size_t size, used; /* size: a power of two */
};

struct top_model {
	const struct top_opts *o;
	struct sock_diag_filter *filter; /* ours when set_filter made it */
	int own_filter;
	char *filter_text;
	int numeric, rename;
	int role;     /* the options', or 0 once a typed filter names a state */
	int refilter; /* a new filter: what the next poll misses just goes */
	struct sock_netns_set *set;
	struct sock_diag_watch *watch;
	struct top_row **rows;
	size_t n, cap;
	struct top_tab tab;
	struct top_tab bytuple; /* the same rows by address tuple */
	struct top_totals t;
	unsigned int gen;
	double last_poll, owners_at;
	int want_owners;
	int baseline; /* inside the first poll */
	uint64_t opened_prev, closed_prev;
	struct sock_diag_counter ctr[3];
	int64_t ctr_prev[3];
	int ctr_ok;
	top_event_fn *ev;
	void *ev_arg;
};

double top_model_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- rows by key --------------------------------------------------- */

static uint64_t entry_key(const struct sock_diag_entry *e)
{
	/* /proc/net has no cookies: the inode names a socket there */
	return e->cookie ? e->cookie : (uint64_t)e->inode | 1ull << 63;
}

/* A TIME-WAIT socket has a cookie of its own: it is matched to the
 * connection it ends by its addresses, ports and namespace. */
static uint64_t tuple_key(const struct sock_diag_entry *e)
{
	uint64_t h = 1469598103934665603ull;
	size_t alen = e->family == AF_INET6 ? 16 : 4;
	uint8_t fields[48];
	size_t n = 0;

	memcpy(fields + n, &e->in.local_port, 2), n += 2;
	memcpy(fields + n, &e->in.remote_port, 2), n += 2;
	memcpy(fields + n, e->in.local, alen), n += alen;
	memcpy(fields + n, e->in.remote, alen), n += alen;
	fields[n++] = e->family;
	fields[n++] = e->protocol;
	memcpy(fields + n, &e->netns, 4), n += 4;
	for (size_t i = 0; i < n; i++)
		h = (h ^ fields[i]) * 1099511628211ull;
	return h;
}

static int same_tuple(const struct sock_diag_entry *a,
		      const struct sock_diag_entry *b)
{
	size_t alen = a->family == AF_INET6 ? 16 : 4;

	return a->family == b->family && a->protocol == b->protocol &&
	       a->netns == b->netns && a->in.local_port == b->in.local_port &&
	       a->in.remote_port == b->in.remote_port &&
	       !memcmp(a->in.local, b->in.local, alen) &&
	       !memcmp(a->in.remote, b->in.remote, alen);
}

static size_t tab_pos(const struct top_tab *t, uint64_t key)
{
	return (size_t)((key * 0x9e3779b97f4a7c15ull) >> 20) & (t->size - 1);
}

/* The rows are found by their key, or (tuple) by tuple_key(). */
static struct top_row *tab_lookup(const struct top_tab *t, uint64_t key,
				  int tuple)
{
	if (!t->size)
		return NULL;
	for (size_t i = tab_pos(t, key);; i = (i + 1) & (t->size - 1))
		if (!t->slot[i] ||
		    (tuple ? t->slot[i]->tkey : t->slot[i]->key) == key)
			return t->slot[i];
}

static struct top_row *tab_find(const struct top_tab *t, uint64_t key)
{
	return tab_lookup(t, key, 0);
}

static int tab_add(struct top_tab *t, struct top_row *r, int tuple);

static int tab_grow(struct top_tab *t, int tuple)
{
	struct top_tab g = { .size = t->size ? t->size * 2 : 64 };

	g.slot = calloc(g.size, sizeof(*g.slot));
	if (!g.slot)
		return -ENOMEM;
	for (size_t i = 0; i < t->size; i++)
		if (t->slot[i])
			tab_add(&g, t->slot[i], tuple);
	free(t->slot);
	*t = g;
	return 0;
}

static int tab_add(struct top_tab *t, struct top_row *r, int tuple)
{
	uint64_t key = tuple ? r->tkey : r->key;
	size_t i;

	if ((t->used + 1) * 2 > t->size && tab_grow(t, tuple))
		return -ENOMEM;
	for (i = tab_pos(t, key); t->slot[i]; i = (i + 1) & (t->size - 1))
		if ((tuple ? t->slot[i]->tkey : t->slot[i]->key) == key) {
			t->slot[i] = r;
			return 0;
		}
	t->slot[i] = r;
	t->used++;
	return 0;
}

static int tab_put(struct top_tab *t, struct top_row *r)
{
	return tab_add(t, r, 0);
}

/* The previous poll's connection that a TIME-WAIT socket e ends. */
static struct top_row *ended_by(const struct top_model *m,
				const struct sock_diag_entry *e)
{
	struct top_row *r;

	if (e->state != SOCK_DIAG_TIME_WAIT || e->family == AF_UNIX)
		return NULL;
	r = tab_lookup(&m->bytuple, tuple_key(e), 1);
	if (!r || r->gen == m->gen || r->e.state == SOCK_DIAG_TIME_WAIT ||
	    !same_tuple(&r->e, e))
		return NULL;
	r->key = entry_key(e);
	return r;
}

static int rows_push(struct top_row ***rows, size_t *n, size_t *cap,
		     struct top_row *r)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 256;
		void *p = realloc(*rows, c * sizeof(**rows));

		if (!p)
			return -ENOMEM;
		*rows = p;
		*cap = c;
	}
	(*rows)[(*n)++] = r;
	return 0;
}

/* ---- events ------------------------------------------------------- */

static void emit(struct top_model *m, int kind, int old, double at,
		 const struct top_row *r)
{
	struct top_event ev = {
		.kind = kind, .old_state = old, .at = at, .s = &r->s
	};

	if (m->ev)
		m->ev(&ev, m->ev_arg);
}

/* A connection (not a listener) whose life the totals count. */
static int is_connection(const struct top_row *r)
{
	return r->e.state != SOCK_DIAG_LISTEN &&
	       !(r->e.family != AF_UNIX && r->e.protocol != IPPROTO_TCP &&
		 !r->e.in.remote_port);
}

static void end_row(struct top_model *m, struct top_row *r, int how, double now)
{
	if (r->ended)
		return;
	r->ended = 1;
	r->s.closed_how = how;
	if (m->gen == 1 && m->baseline)
		return; /* what the first poll finds is where we start */
	if (is_connection(r))
		m->t.closed_total++;
	emit(m, TOP_EV_CLOSED, r->s.state, now, r);
}

static void close_row(struct top_model *m, struct top_row *r, int how,
		      double now)
{
	r->s.closed = 1;
	r->s.closed_at = now;
	r->s.age = now - r->s.first_seen;
	r->s.tx_rate = r->s.rx_rate = r->s.retrans_rate = 0;
	end_row(m, r, how, now);
}

/* ---- a poll ------------------------------------------------------- */

static struct top_row *row_new(struct top_model *m,
			       const struct sock_diag_entry *e, double now)
{
	struct top_row *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->key = entry_key(e);
	r->born = m->gen;
	r->s.first_seen = now;
	r->s.uid = SOCK_DIAG_NO_UID;
	r->first_dt = m->gen > 1 ? now - m->last_poll : 0;
	r->e = *e;
	return r;
}

struct poll_ctx {
	struct top_model *m;
	const struct sock_diag *d;
	struct list_names *names;
	int names_made, owners;
	struct top_row **next;
	size_t n, cap;
	struct top_tab tab;
	double now;
	size_t unowned;
};

static const struct list_names *poll_names(struct poll_ctx *c)
{
	if (!c->names_made && !c->m->numeric)
		c->names = list_names_new(c->d);
	c->names_made = 1;
	return c->names;
}

static void row_ns(struct poll_ctx *c, struct top_row *r)
{
	if (sock_netns_count(c->m->set) < 2) {
		r->s.ns = NULL;
		return;
	}
	list_netns_text(c->d, &r->e, r->ns, sizeof(r->ns));
	r->s.ns = r->ns;
}

static void row_update(struct poll_ctx *c, struct top_row *r,
		       const struct sock_diag_entry *e, int fresh)
{
	struct top_model *m = c->m;
	int old = r->e.state;

	top_row_sample(r, e, sock_diag_extra(c->d, e), c->now, m->numeric);
	r->s.is_new = fresh;
	r->s.closed = 0;
	if (fresh || m->rename)
		top_row_text(r, c->d, poll_names(c));
	if (fresh)
		row_ns(c, r);
	if (c->owners)
		top_row_owner(r, c->d);
	else if (!r->owner_known && r->e.inode)
		c->unowned++;
	if (!fresh && old != e->state && !r->ended)
		emit(m, TOP_EV_STATE, old, c->now, r);
}

/* A connection is over for its owner once TIME-WAIT or CLOSE shows. */
static void ended_state(struct top_model *m, struct top_row *r, double now)
{
	if (r->e.state == SOCK_DIAG_TIME_WAIT || r->e.state == SOCK_DIAG_CLOSE)
		end_row(m, r, TOP_CLOSED_POLL, now);
}

/* One socket of the poll into the next rows. */
static int poll_entry(struct poll_ctx *c, const struct sock_diag_entry *e)
{
	struct top_model *m = c->m;
	struct top_row *r = tab_find(&m->tab, entry_key(e));
	int fresh;

	if (!r)
		r = ended_by(m, e);
	fresh = !r;
	if (r && r->gen == m->gen)
		return 0; /* listed twice (a dump that raced a move) */
	if (!r && !(r = row_new(m, e, c->now)))
		return -ENOMEM;
	r->gen = m->gen;
	c->next[c->n++] = r; /* room reserved */
	tab_put(&c->tab, r);
	row_update(c, r, e, fresh);
	if (fresh && m->gen > 1) {
		if (is_connection(r))
			m->t.opened_total++;
		emit(m, TOP_EV_OPENED, 0, c->now, r);
	}
	ended_state(m, r, c->now);
	return 0;
}

/* The rows the poll did not see: closed now, or closed a while ago
 * and still shown, or gone for good (room was reserved). */
static void poll_rest(struct poll_ctx *c)
{
	struct top_model *m = c->m;
	double linger = (double)m->o->linger_ms / 1000.0;

	for (size_t i = 0; i < m->n; i++) {
		struct top_row *r = m->rows[i];

		if (r->gen == m->gen)
			continue;
		if (m->refilter) {
			free(r); /* not closed: no longer selected */
			continue;
		}
		if (!r->s.closed)
			close_row(m, r, TOP_CLOSED_POLL, c->now);
		if (c->now - r->s.closed_at >= linger) {
			free(r);
			continue;
		}
		r->s.is_new = 0;
		c->next[c->n++] = r;
		tab_put(&c->tab, r);
	}
}

static void poll_query(struct top_model *m, struct sock_diag_query *q)
{
	const struct top_opts *o = m->o;

	memset(q, 0, sizeof(*q));
	q->protocols = o->protocols;
	q->family = o->family;
	q->role = m->role;
	q->filter = m->filter;
	q->netns = m->set;
	q->extras = SOCK_DIAG_X_INFO | SOCK_DIAG_X_MEM;
	q->flags = m->want_owners ? SOCK_DIAG_OWNERS : 0;
}

static void poll_totals(struct top_model *m, double now);
static void read_counters(struct top_model *m, double dt);
static void pace(struct top_model *m);

/* The inet rows by tuple, for the next poll's TIME-WAIT sockets. */
static int tuples_index(struct top_model *m)
{
	free(m->bytuple.slot);
	memset(&m->bytuple, 0, sizeof(m->bytuple));
	for (size_t i = 0; i < m->n; i++) {
		struct top_row *r = m->rows[i];

		if (r->e.family == AF_UNIX)
			continue;
		r->tkey = tuple_key(&r->e);
		if (tab_add(&m->bytuple, r, 1))
			return -ENOMEM;
	}
	return 0;
}

/* Room for every row the poll can keep, taken first so that nothing
 * fails once rows start to change (only a new row's allocation can). */
static int poll_reserve(struct poll_ctx *c, size_t rows)
{
	size_t size = 64;

	while (size < 2 * rows + 2)
		size *= 2;
	c->next = malloc((rows ? rows : 1) * sizeof(*c->next));
	c->tab.slot = calloc(size, sizeof(*c->tab.slot));
	if (!c->next || !c->tab.slot) {
		free(c->next);
		free(c->tab.slot);
		return -ENOMEM;
	}
	c->cap = rows ? rows : 1;
	c->tab.size = size;
	return 0;
}

/* Swap the poll's rows in, live ones first, then the closed ones. */
static int poll_rows(struct top_model *m, struct poll_ctx *c)
{
	int ret = poll_reserve(c, sock_diag_count(c->d) + m->n);

	for (size_t i = 0; !ret && i < sock_diag_count(c->d); i++)
		ret = poll_entry(c, sock_diag_get(c->d, i));
	if (ret) {
		/* the rows born in this poll are only in c->next */
		for (size_t i = 0; i < c->n; i++)
			if (c->next[i]->born == m->gen)
				free(c->next[i]);
		free(c->next);
		free(c->tab.slot);
		return ret;
	}
	poll_rest(c);
	free(m->rows);
	free(m->tab.slot);
	m->rows = c->next;
	m->n = c->n;
	m->cap = c->cap;
	m->tab = c->tab;
	return tuples_index(m);
}

int top_model_poll(struct top_model *m, double now)
{
	struct sock_diag_query q;
	struct poll_ctx c = { .m = m, .now = now };
	struct sock_diag *d;
	int ret;

	m->t.poll_seconds = top_model_now();
	top_model_pump(m, now);
	poll_query(m, &q);
	ret = sock_diag_snapshot(&q, &d);
	if (ret)
		return ret;
	m->gen++;
	c.d = d;
	c.owners = (q.flags & SOCK_DIAG_OWNERS) != 0;
	m->baseline = m->gen == 1;
	ret = poll_rows(m, &c);
	m->baseline = 0;
	list_names_free(c.names);
	m->t.hidden = sock_diag_hidden(d);
	m->t.netns_failed = sock_diag_netns_failed(d, NULL);
	sock_diag_free(d);
	if (ret)
		return ret;
	m->rename = 0;
	m->refilter = 0;
	if (c.owners)
		m->owners_at = now;
	m->want_owners =
	    !m->o->no_owners &&
	    (m->o->events || c.unowned || now - m->owners_at >= OWNERS_EVERY);
	read_counters(m, m->gen > 1 ? now - m->last_poll : 0);
	poll_totals(m, now);
	pace(m);
	return 0;
}

/* ---- the header ---------------------------------------------------- */

/* A poll may take at most a third of the time between polls, so that
 * the view keeps answering keys (and the machine its other work). */
static void pace(struct top_model *m)
{
	double d = (double)m->o->interval_ms / 1000.0;

	m->t.poll_seconds = top_model_now() - m->t.poll_seconds;
	m->t.refresh = 3 * m->t.poll_seconds > d ? 3 * m->t.poll_seconds : d;
	m->t.slowed = m->t.refresh > d;
}

static void read_counters(struct top_model *m, double dt)
{
	int had = m->ctr_ok;
	double *rates[3] = { &m->t.listen_overflows_rate,
			     &m->t.retrans_segs_rate, &m->t.estab_resets_rate };

	/* /proc/net is the caller's namespace only */
	if (m->set) {
		m->t.have_counters = 0;
		return;
	}
	for (int i = 0; i < 3; i++)
		m->ctr_prev[i] = m->ctr[i].value;
	m->ctr_ok = !sock_diag_counters(NULL, m->ctr, 3);
	m->t.have_counters = had && m->ctr_ok && dt > 0;
	for (int i = 0; i < 3 && m->t.have_counters; i++)
		*rates[i] = top_rate((uint64_t)m->ctr[i].value,
				     (uint64_t)m->ctr_prev[i], dt);
}

static void poll_totals(struct top_model *m, double now)
{
	struct top_totals *t = &m->t;
	double dt = m->gen > 1 ? now - m->last_poll : 0;

	t->interval = dt;
	t->at = now;
	t->sockets = t->closed = t->tcp = t->udp = t->raw = t->unix_ = 0;
	memset(t->by_state, 0, sizeof(t->by_state));
	for (size_t i = 0; i < m->n; i++) {
		const struct top_sock *s = &m->rows[i]->s;

		if (s->closed) {
			t->closed++;
			continue;
		}
		t->sockets++;
		if (s->state < SOCK_DIAG_STATE_MAX)
			t->by_state[s->state]++;
		*(s->family == AF_UNIX	       ? &t->unix_
		  : s->protocol == IPPROTO_TCP ? &t->tcp
		  : s->protocol == IPPROTO_UDP ? &t->udp
					       : &t->raw) += 1;
	}
	t->opened_rate = top_rate(t->opened_total, m->opened_prev, dt);
	t->closed_rate = top_rate(t->closed_total, m->closed_prev, dt);
	m->opened_prev = t->opened_total;
	m->closed_prev = t->closed_total;
	t->closed_source = m->watch ? TOP_CLOSED_DESTROY : TOP_CLOSED_POLL;
	m->last_poll = now;
}

/* ---- destroy reports ----------------------------------------------- */

/* Whether the selection takes a socket we only know from its report:
 * it lived between two polls, so it is taken as a connection. */
static int report_selected(const struct top_model *m,
			   const struct sock_diag_entry *e)
{
	const struct top_opts *o = m->o;
	struct sock_diag_entry as = *e;
	/* a listener or an unconnected UDP socket has no peer port */
	int server = !e->in.remote_port;

	if (!(o->protocols &
	      (e->protocol == IPPROTO_TCP ? SOCK_DIAG_TCP : SOCK_DIAG_UDP)))
		return 0;
	if ((o->family == AF_INET || o->family == AF_INET6) &&
	    o->family != e->family)
		return 0;
	if ((m->role == SOCK_DIAG_SERVERS && !server) ||
	    (m->role == SOCK_DIAG_CLIENTS && server))
		return 0;
	/* a condition on owners (pid, comm) cannot hold for a socket
	 * whose owner was never seen */
	if (!sock_diag_filter_streamable(m->filter))
		return 0;
	if (e->protocol == IPPROTO_TCP || e->in.remote_port)
		as.state = SOCK_DIAG_ESTABLISHED;
	return sock_diag_filter_match(m->filter, &as);
}

struct report_ctx {
	struct top_model *m;
	double now;
};

static int unseen_report(struct top_model *m, const struct sock_diag_entry *e,
			 const struct sock_diag_extra *x, double now)
{
	struct top_row *r;

	if (!m->gen || !report_selected(m, e))
		return 0;
	r = row_new(m, e, now);
	if (!r || rows_push(&m->rows, &m->n, &m->cap, r) ||
	    tab_put(&m->tab, r)) {
		if (r && m->n && m->rows[m->n - 1] == r)
			m->n--;
		free(r);
		return -ENOMEM;
	}
	r->gen = m->gen;
	r->tkey = tuple_key(e);
	if (tab_add(&m->bytuple, r, 1))
		return -ENOMEM;
	r->first_dt = 0; /* its bytes are a total, not a rate */
	top_row_sample(r, e, x, now, m->numeric);
	top_row_text(r, NULL, NULL);
	r->s.is_new = 1;
	if (is_connection(r))
		m->t.opened_total++;
	emit(m, TOP_EV_OPENED, 0, now, r);
	close_row(m, r, TOP_CLOSED_DESTROY, now);
	return 0;
}

static int on_report(const struct sock_diag_entry *e,
		     const struct sock_diag_extra *x, void *arg)
{
	struct report_ctx *c = arg;
	struct top_row *r = tab_find(&c->m->tab, entry_key(e));
	int state;

	if (!r)
		return unseen_report(c->m, e, x, c->now);
	if (r->s.closed)
		return 0; /* a poll already missed it: counted then */
	/* the final counters; the state shown stays the last one seen
	 * (the report says CLOSE for every socket) */
	state = r->e.state;
	top_row_sample(r, e, x, c->now, c->m->numeric);
	r->e.state = (uint8_t)state;
	r->s.state = state;
	r->s.state_name = sock_diag_state_netstat(state);
	r->s.listening = state == SOCK_DIAG_LISTEN;
	close_row(c->m, r, TOP_CLOSED_DESTROY, c->now);
	return 0;
}

int top_model_pump(struct top_model *m, double now)
{
	struct report_ctx c = { .m = m, .now = now };
	int ret;

	if (!m->watch)
		return 0;
	ret = sock_diag_watch_read(m->watch, on_report, &c);
	return ret == -ENOBUFS ? 0 : ret;
}

int top_model_fd(const struct top_model *m)
{
	return m->watch ? sock_diag_watch_fd(m->watch) : -1;
}

/* ---- the rest of the interface ---------------------------------------- */

static void watch_open(struct top_model *m)
{
	unsigned int p = m->o->protocols & (SOCK_DIAG_TCP | SOCK_DIAG_UDP);

	/* the groups report the caller's namespace only */
	if (m->set || !p)
		return;
	if (sock_diag_watch_open(p, &m->watch))
		m->watch = NULL; /* not root: the polls say what closed */
}

struct top_model *top_model_new(const struct top_opts *o, int *err)
{
	struct list_opts lo = { .netns = o->netns, .all_netns = o->all_netns };
	struct top_model *m = calloc(1, sizeof(*m));
	static const char *names[3][2] = { { "TcpExt", "ListenOverflows" },
					   { "Tcp", "RetransSegs" },
					   { "Tcp", "EstabResets" } };

	if (!m ||
	    !(m->filter_text = strdup(o->filter_text ? o->filter_text : ""))) {
		free(m);
		*err = -ENOMEM;
		return NULL;
	}
	*err = list_netns_open(&lo, &m->set);
	if (*err) {
		free(m->filter_text);
		free(m);
		return NULL;
	}
	m->o = o;
	m->filter = o->filter;
	m->numeric = o->numeric;
	m->role = o->role;
	m->want_owners = !o->no_owners;
	for (int i = 0; i < 3; i++) {
		m->ctr[i].group = names[i][0];
		m->ctr[i].name = names[i][1];
	}
	watch_open(m);
	return m;
}

void top_model_on_event(struct top_model *m, top_event_fn *fn, void *arg)
{
	m->ev = fn;
	m->ev_arg = arg;
}

size_t top_model_count(const struct top_model *m)
{
	return m->n;
}

const struct top_sock *top_model_sock(const struct top_model *m, size_t i)
{
	return i < m->n ? &m->rows[i]->s : NULL;
}

const struct top_totals *top_model_totals(const struct top_model *m)
{
	return &m->t;
}

const char *top_model_filter(const struct top_model *m)
{
	return m->filter_text;
}

int top_model_set_filter(struct top_model *m, const char *text, char *err,
			 size_t errlen)
{
	struct sock_diag_filter *f = NULL;
	char *copy = strdup(text ? text : "");
	char *words[1] = { copy };
	int ret, names_st = 0;

	if (!copy) {
		snprintf(err, errlen, "%s", strerror(ENOMEM));
		return -ENOMEM;
	}
	ret = list_filter_words(1, words, &f, &names_st, err, errlen);
	if (ret) {
		free(copy);
		return ret;
	}
	/* as on the command line: a state named picks the states */
	m->role = names_st && m->o->role == SOCK_DIAG_CLIENTS ? 0 : m->o->role;
	if (m->own_filter)
		sock_diag_filter_free(m->filter);
	m->filter = f;
	m->own_filter = 1;
	m->refilter = 1;
	free(m->filter_text);
	m->filter_text = copy;
	return 0;
}

void top_model_set_numeric(struct top_model *m, int numeric)
{
	m->numeric = numeric;
	m->rename = 1;
	if (!numeric)
		return; /* names need a snapshot: the next poll */
	for (size_t i = 0; i < m->n; i++)
		top_row_numeric(m->rows[i]);
}

int top_model_kill(struct top_model *m, uint64_t cookie)
{
	struct top_row *r = cookie ? tab_find(&m->tab, cookie) : NULL;
	int ret;

	if (!r || r->s.closed)
		return -ENOENT;
	ret = sock_diag_destroy(&r->e);
	if (!ret) {
		end_row(m, r, TOP_CLOSED_KILLED, top_model_now());
		r->s.closed_how = TOP_CLOSED_KILLED;
	}
	return ret;
}

void top_model_free(struct top_model *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n; i++)
		free(m->rows[i]);
	free(m->rows);
	free(m->tab.slot);
	free(m->bytuple.slot);
	if (m->own_filter)
		sock_diag_filter_free(m->filter);
	free(m->filter_text);
	sock_diag_watch_free(m->watch);
	sock_netns_free(m->set);
	free(m);
}
