/*
 * tool/top_row.c - one row of sock top: filled from a socket as a poll
 * or a destroy report gives it, with its rates as the change of the
 * kernel's counters since the row's previous sample.
 */
#include <netinet/in.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "list.h"
#include "top_int.h"

double top_rate(uint64_t now_val, uint64_t then_val, double dt)
{
	/* a counter that went back is a new socket on the same key */
	if (dt <= 0 || now_val < then_val)
		return 0;
	return (double)(now_val - then_val) / dt;
}

void top_row_text(struct top_row *r, const struct sock_diag *d,
		  const struct list_names *names)
{
	const struct sock_diag_entry *e = &r->e;
	const char *name;
	size_t n;

	if (e->family != AF_UNIX) {
		list_format_endpoint(r->local, sizeof(r->local), e, 1, names);
		list_format_endpoint(r->remote, sizeof(r->remote), e, 0, names);
		return;
	}
	n = d ? sock_diag_unix_name(d, e, &name) : 0;
	if (n && !name[0])
		snprintf(r->local, sizeof(r->local), "@%.*s", (int)n - 1,
			 name + 1);
	else if (n)
		snprintf(r->local, sizeof(r->local), "%.*s", (int)n, name);
	else if (!r->local[0])
		snprintf(r->local, sizeof(r->local), "*");
	if (e->un.peer)
		snprintf(r->remote, sizeof(r->remote), "peer:%u", e->un.peer);
	else
		snprintf(r->remote, sizeof(r->remote), "*");
}

static void user_name(struct top_row *r, int numeric)
{
	struct passwd *pw;

	if (r->e.uid == SOCK_DIAG_NO_UID) {
		r->s.user = NULL;
		return;
	}
	pw = numeric ? NULL : getpwuid(r->e.uid);
	if (pw)
		snprintf(r->user, sizeof(r->user), "%s", pw->pw_name);
	else
		snprintf(r->user, sizeof(r->user), "%u", r->e.uid);
	r->s.user = r->user;
}

void top_row_numeric(struct top_row *r)
{
	top_row_text(r, NULL, NULL);
	user_name(r, 1);
	r->user_numeric = 1;
}

/* The fields that come straight from the row the kernel sent. */
static void plain_fields(struct top_row *r, int numeric)
{
	const struct sock_diag_entry *e = &r->e;
	struct top_sock *s = &r->s;

	s->cookie = e->cookie;
	s->netns = e->netns;
	s->family = e->family;
	s->protocol = e->family == AF_UNIX ? 0 : e->protocol;
	s->proto = sock_diag_proto_name(e->family, e->protocol);
	s->state = e->state;
	s->state_name = sock_diag_state_netstat(e->state);
	s->listening = e->state == SOCK_DIAG_LISTEN;
	s->recv_q = e->rqueue;
	s->send_q = e->wqueue;
	s->uid = e->uid;
	s->has_bytes = e->family != AF_UNIX && e->protocol == IPPROTO_TCP;
	s->local = r->local;
	s->remote = r->remote;
	if (!s->user || r->user_uid != e->uid || r->user_numeric != numeric)
		user_name(r, numeric);
	r->user_uid = e->uid;
	r->user_numeric = numeric;
}

/* The byte, retransmit and rtt counters of tcp_info (x may be NULL, or
 * carry none: a TIME-WAIT socket keeps its last totals). */
static void tcp_counters(struct top_row *r, const struct sock_diag_extra *x,
			 double dt)
{
	const struct sock_diag_tcp_info *t = x ? &x->info : NULL;
	struct top_sock *s = &r->s;

	s->tx_rate = s->rx_rate = s->retrans_rate = 0;
	if (!t || !SOCK_DIAG_TCPI_HAS(x->info_len, tcpi_bytes_received))
		return;
	s->tx_rate = top_rate(t->tcpi_bytes_acked, s->tx_bytes, dt);
	s->rx_rate = top_rate(t->tcpi_bytes_received, s->rx_bytes, dt);
	s->retrans_rate = top_rate(t->tcpi_total_retrans, s->retrans, dt);
	s->tx_bytes = t->tcpi_bytes_acked;
	s->rx_bytes = t->tcpi_bytes_received;
	s->retrans = t->tcpi_total_retrans;
	s->rtt_us = t->tcpi_rtt;
}

void top_row_sample(struct top_row *r, const struct sock_diag_entry *e,
		    const struct sock_diag_extra *x, double now, int numeric)
{
	double dt = r->sampled ? now - r->sampled_at : r->first_dt;

	r->e = *e;
	plain_fields(r, numeric);
	if (r->s.has_bytes)
		tcp_counters(r, x, dt);
	r->s.has_drops = x && x->mem_count > SOCK_DIAG_MEM_DROPS;
	r->s.drops = r->s.has_drops ? x->mem[SOCK_DIAG_MEM_DROPS] : 0;
	r->s.limit = x ? list_info_verdict(e, x) : NULL;
	r->sampled = 1;
	r->sampled_at = now;
	r->s.age = now - r->s.first_seen;
}

void top_row_owner(struct top_row *r, const struct sock_diag *d)
{
	const struct sock_diag_owner *ow;
	size_t n = 0;

	if (!r->e.inode)
		return;
	ow = sock_diag_owners(d, r->e.inode, &n);
	r->owner_known = 1;
	if (!n) {
		r->s.pid = 0;
		r->s.comm = NULL;
		return;
	}
	r->s.pid = ow[0].pid;
	snprintf(r->comm, sizeof(r->comm), "%s",
		 ow[0].command ? ow[0].command : "");
	r->s.comm = r->comm;
}
