/*
 * tool/top_model.h - what `sock top` shows, kept between refreshes: the
 * sockets `sock list` would select, polled each interval through the
 * diag library, with rates computed as deltas between polls keyed by
 * the socket cookie, closed sockets kept a few seconds with their final
 * totals, and the header's totals.  The full-screen view (top_ui.c) and
 * the batch, --jsonl and --events writers (top.c) read it.
 *
 * Times are seconds on CLOCK_MONOTONIC (top_model_now()).  Strings in
 * the structs are owned by the model and stay valid until the next
 * top_model_poll(), top_model_set_numeric() or top_model_free().
 */
#ifndef SOCK_TOOL_TOP_MODEL_H
#define SOCK_TOOL_TOP_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include <sock/diag.h>

/* The command line of `sock top` (tool/top.c parses it). */
struct top_opts {
	long interval_ms; /* -d SECONDS (default 1 s) */
	long count;	/* -n COUNT refreshes (--events: events); 0 = forever */
	int batch;	/* -b: text snapshots, no terminal needed */
	int jsonl;	/* --jsonl: one JSON object per socket per refresh */
	int events;	/* --events: opened / state / closed lines */
	int json;	/* with --events: JSON objects */
	int numeric;	/* --numeric: no host, service or user names */
	int no_color;	/* -C or NO_COLOR */
	int no_owners;	/* --no-owners: skip the /proc walk */
	long linger_ms; /* how long closed sockets stay (5 s) */
	/* The selection, as `sock list` takes it. */
	unsigned int protocols; /* SOCK_DIAG_TCP | ... */
	int family;		/* AF_UNSPEC, AF_INET, AF_INET6 */
	int role;		/* SOCK_DIAG_SERVERS, _CLIENTS, 0 (-a) */
	struct sock_diag_filter *filter; /* NULL: none */
	const char *filter_text; /* the filter's words joined, "" if none */
	const char *netns;	 /* -N NS, NULL if not given */
	int all_netns;		 /* --all-netns */
};

/* struct top_sock.closed_how, struct top_totals.closed_source */
enum top_closed_src {
	TOP_CLOSED_POLL = 1, /* gone between two polls: last poll's totals */
	TOP_CLOSED_DESTROY,  /* the kernel's destroy message: final totals */
	TOP_CLOSED_KILLED,   /* destroyed by top_model_kill() */
};

/* One socket (a row of the table). */
struct top_sock {
	uint64_t cookie;	/* the kernel's socket cookie (0: none known) */
	uint32_t netns;		/* index of its namespace */
	const char *ns;		/* its namespace's name; NULL with only one */
	int family;		/* AF_INET, AF_INET6, AF_UNIX */
	int protocol;		/* IPPROTO_TCP, _UDP, _RAW; 0 for Unix */
	const char *proto;	/* "tcp", "udp6", "unix"... */
	const char *local;	/* "127.0.0.1:8080", "[::1]:443", a Unix path */
	const char *remote;	/* "*:*" when none */
	int state;		/* enum sock_diag_state */
	const char *state_name; /* "ESTABLISHED"... (netstat's spelling) */
	int listening;		/* a TCP or Unix listener */
	uint32_t recv_q;	/* bytes to read; listeners: accept queue */
	uint32_t send_q;	/* bytes unsent; TCP listeners: backlog */
	double first_seen;	/* when the model first saw it */
	double age;		/* now (or when it closed) - first_seen */
	/* TCP only: the kernel has no byte counters for UDP, raw and Unix
	 * sockets, so their rates are "n/a", never 0. */
	int has_bytes;
	uint64_t tx_bytes; /* tcpi_bytes_acked: sent and acknowledged */
	uint64_t rx_bytes; /* tcpi_bytes_received */
	double tx_rate;	   /* bytes per second over the last interval */
	double rx_rate;
	uint32_t retrans;    /* tcpi_total_retrans */
	double retrans_rate; /* retransmitted segments per second */
	uint32_t rtt_us;     /* smoothed rtt; 0 when not known */
	int has_drops;	     /* skmem reported drops */
	uint32_t drops;	     /* skmem drops (UDP, raw, Unix) */
	const char *limit;   /* the verdict of `sock list -i`, or NULL */
	int pid;	     /* first owner; 0 when not known */
	const char *comm;    /* its command; NULL when not known */
	uint32_t uid;	     /* SOCK_DIAG_NO_UID when not known */
	const char *user;    /* user name (or uid as text); NULL if none */
	int is_new;	     /* first seen in the last poll */
	int closed;	     /* 1: gone; the totals are the final ones */
	int closed_how;	     /* enum top_closed_src when closed */
	double closed_at;    /* when it was seen closed */
};

/* The header. */
struct top_totals {
	double at;	 /* time of the last poll */
	double interval; /* seconds between the last two polls (0: first) */
	size_t sockets;	 /* live rows */
	size_t closed;	 /* closed rows still shown */
	size_t by_state[SOCK_DIAG_STATE_MAX]; /* live rows by state */
	size_t tcp, udp, raw, unix_;	      /* live rows by protocol */
	uint64_t opened_total; /* connections seen opened since start */
	uint64_t closed_total; /* and closed */
	double opened_rate;    /* per second over the last interval */
	double closed_rate;
	int closed_source; /* enum top_closed_src: DESTROY or POLL */
	/* The kernel's counters (nstat), per second; have_counters is 0
	 * when they could not be read (or on the first poll). */
	int have_counters;
	double listen_overflows_rate; /* TcpExt ListenOverflows */
	double retrans_segs_rate;     /* Tcp RetransSegs */
	double estab_resets_rate;     /* Tcp EstabResets */
	/* What a poll costs: when one takes more than a third of the
	 * interval (200k sockets), the refresh slows down by itself and
	 * says so: wait refresh seconds (>= -d) before the next poll. */
	double poll_seconds;	   /* wall time of the last poll */
	double refresh;		   /* seconds until the next poll */
	int slowed;		   /* refresh > -d because polls are slow */
	unsigned int hidden;	   /* processes whose sockets show no owner */
	unsigned int netns_failed; /* namespaces that could not be read */
};

/* An event for --events (and the view's log, if it wants one). */
enum top_event_kind {
	TOP_EV_OPENED = 1,
	TOP_EV_STATE, /* old_state -> s->state */
	TOP_EV_CLOSED,
};

struct top_event {
	int kind; /* enum top_event_kind */
	int old_state;
	double at;
	const struct top_sock *s; /* borrowed for the call */
};

typedef void top_event_fn(const struct top_event *ev, void *arg);

struct top_model;

/* Now on CLOCK_MONOTONIC, in seconds. */
double top_model_now(void);

/* A model for o (which must outlive it); NULL and *err (a negative
 * errno, or the tool's exit status when the options were refused and
 * said so) on failure.  The first poll is not taken yet. */
struct top_model *top_model_new(const struct top_opts *o, int *err);

/* Take a poll at time now: rows, rates, closed sockets, totals.  Reads
 * the destroy messages waiting first.  Returns 0 or a negative errno
 * (the table could not be read; the previous rows stay). */
int top_model_poll(struct top_model *m, double now);

/* The descriptor that becomes readable when the kernel reports a
 * closed socket (root, destroy groups), or -1; then call
 * top_model_pump() to take them in without a whole poll. */
int top_model_fd(const struct top_model *m);
int top_model_pump(struct top_model *m, double now);

/* Called for every event as the model sees it (NULL: none). */
void top_model_on_event(struct top_model *m, top_event_fn *fn, void *arg);

/* The rows (live, then closed ones still shown), i < count. */
size_t top_model_count(const struct top_model *m);
const struct top_sock *top_model_sock(const struct top_model *m, size_t i);

/* The header's totals after the last poll. */
const struct top_totals *top_model_totals(const struct top_model *m);

/* Replace the filter by text in `sock list`'s filter language ("" or
 * NULL: none), from the next poll on.  Returns 0, or -EINVAL with a
 * one-line reason (translated) in err. */
int top_model_set_filter(struct top_model *m, const char *text, char *err,
			 size_t errlen);

/* The filter text now in force ("" when none). */
const char *top_model_filter(const struct top_model *m);

/* Host, service and user names on (0) or off (1) for the text fields. */
void top_model_set_numeric(struct top_model *m, int numeric);

/* Destroy the socket with this cookie (SOCK_DESTROY, as sock list -K):
 * 0, or -ENOENT (no such row), or what sock_diag_destroy() returns
 * (-EPERM without CAP_NET_ADMIN, -EOPNOTSUPP...). */
int top_model_kill(struct top_model *m, uint64_t cookie);

void top_model_free(struct top_model *m);

/* The full-screen view (tool/top_ui.c): runs until q or a signal;
 * returns an exit status. */
int tool_top_ui_run(struct top_model *m, const struct top_opts *o);

#endif
