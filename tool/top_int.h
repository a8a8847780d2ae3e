/*
 * tool/top_int.h - what the files of the sock top model share (not the
 * view's business: it reads tool/top_model.h).
 */
#ifndef SOCK_TOOL_TOP_INT_H
#define SOCK_TOOL_TOP_INT_H

#include <stdint.h>

#include <sock/diag.h>

#include "top_model.h"

struct list_names;

/* A row and the storage its strings point into. */
struct top_row {
	struct top_sock s;
	struct sock_diag_entry e; /* as last seen: kill, names */
	uint64_t key;
	uint64_t tkey;	   /* its address tuple's hash (top_model.c) */
	unsigned int gen;  /* the poll that last saw it */
	unsigned int born; /* the poll (or the poll before a report) that
			    * made it */
	int ended;	   /* its close was counted and reported */
	int owner_known;   /* a /proc walk has looked for it */
	int sampled;	   /* sampled_at holds */
	double sampled_at; /* when its counters were last read */
	double first_dt;   /* a new row's counters grew over this long */
	uint32_t user_uid;
	int user_numeric;
	char local[128], remote[128], comm[64], user[40], ns[96];
};

/* Bytes (or segments) per second from two readings dt seconds apart;
 * 0 when dt is 0 or the counter went back. */
double top_rate(uint64_t now_val, uint64_t then_val, double dt);

/* Take the socket e (extras x, may be NULL) as r's new sample at now. */
void top_row_sample(struct top_row *r, const struct sock_diag_entry *e,
		    const struct sock_diag_extra *x, double now, int numeric);

/* r's endpoints as text (names from names, NULL: numeric; d for Unix
 * names, may be NULL: the old text stays). */
void top_row_text(struct top_row *r, const struct sock_diag *d,
		  const struct list_names *names);

/* r's text fields without names, now. */
void top_row_numeric(struct top_row *r);

/* r's first owner from a snapshot taken with owners. */
void top_row_owner(struct top_row *r, const struct sock_diag *d);

#endif
