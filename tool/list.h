/*
 * tool/list.h - what the files of `sock list` share: the parsed command
 * line, the table and JSON writers, and the name resolver.
 */
#ifndef SOCK_TOOL_LIST_H
#define SOCK_TOOL_LIST_H

#include <stdint.h>
#include <stdio.h>

#include <sock/diag.h>

struct list_opts {
	unsigned int protocols; /* SOCK_DIAG_* */
	int role;		/* SOCK_DIAG_SERVERS, _CLIENTS or 0 (-a) */
	int family;		/* -4 / -6 */
	int numeric;		/* -n */
	int programs;		/* -p */
	int extend;		/* -e */
	int info;		/* -i: tcp_info and the verdict */
	int memory;		/* -m: skmeminfo */
	int timers;		/* -o: netstat's Timer column */
	int json;		/* --json */
	int explain;		/* --explain: a sentence per row */
	const char *dump;	/* --dump FILE */
	int graph;		/* --graph: 0, LIST_GRAPH_DOT or _SVG */
	int summary;		/* -s: counts, not rows */
	int kill;		/* -K: destroy what matches */
	int dry_run;		/* --dry-run: with -K, only say */
	struct sock_diag_filter *filter;
	const char *netns; /* -N NAME|PATH|PID */
	int all_netns;	   /* --all-netns */
	int netns_column;  /* more than one namespace listed */
};

struct sock_netns_set;

/* -N / --all-netns: the set to list into *set (NULL without either);
 * 0, or an exit status after saying what was wrong. */
int list_netns_open(const struct list_opts *o, struct sock_netns_set **set);

/* ,"netns":{...} of e's namespace (null when not known). */
void list_netns_json(FILE *out, const struct sock_diag *d,
		     const struct sock_diag_entry *e);

/* After the listing: how many namespaces could not be entered, why. */
void list_netns_report(const struct sock_diag *d);

/* The NetNS column's text for e: the namespace's name, its container,
 * or net:[INODE] and a process in it ("net:[4026532301]:812/sleep"). */
const char *list_netns_text(const struct sock_diag *d,
			    const struct sock_diag_entry *e, char *buf,
			    size_t size);

struct list_names;

/* Host and service names for the snapshot's addresses, looked up after
 * the dump, each once, within a time budget; NULL when -n (or on
 * allocation failure, which just means numeric output). */
struct list_names *list_names_new(const struct sock_diag *d);
void list_names_free(struct list_names *n);

/* The same for count sockets only (sock top: the new ones of a poll). */
struct list_names *list_names_for(const struct sock_diag_entry *const *e,
				  size_t count);

/* The name of a host address or NULL (not resolved, or no name). */
const char *list_names_host(const struct list_names *n, int family,
			    const uint8_t *addr);

/* The service name of a port for a protocol or NULL. */
const char *list_names_service(const struct list_names *n, int protocol,
			       int port);

/* "host:port" for one end of an inet socket into buf (IPv6 addresses
 * in brackets, port 0 as "*"); names from n when n is not NULL. */
void list_format_endpoint(char *buf, size_t size,
			  const struct sock_diag_entry *e, int local,
			  const struct list_names *n);

/* The netstat-style tables on out; returns 0 or -errno of a write. */
int list_print_table(FILE *out, const struct sock_diag *d,
		     const struct list_opts *o);

/* The --json array on out; returns 0 or -errno of a write. */
int list_print_json(FILE *out, const struct sock_diag *d,
		    const struct list_opts *o);

/* s (n bytes) as a JSON string on out, bytes that are not UTF-8 as
 * U+FFFD.  Internal to list_json.c; visible for its unit test. */
void tool_json_string(FILE *out, const char *s, size_t n);

/* The length of the valid UTF-8 sequence at s (at most n bytes; RFC
 * 3629: no overlong form, surrogate or code point above U+10FFFF), 0 when
 * there is none. */
size_t tool_utf8_len(const unsigned char *s, size_t n);

/* c is one of sock list's protocol letters (-t -u -w -x): its bit is
 * set in *protocols, 1; else 0.  sock top takes the same letters. */
int list_proto_letter(char c, unsigned int *protocols);

/* c is -4 or -6: *family becomes that family, or -1 (both, no
 * restriction) when the other was given already; 1.  Else 0. */
int list_family_letter(char c, int *family);

/* Filter words as sock list takes them (ss's quoted forms cut at
 * blanks, parentheses and operators) into *out (NULL when there are
 * none); *names_st (when not NULL) says whether a state is named.
 * Returns 0, or -EINVAL / -ENOMEM with a one-line reason in err. */
int list_filter_words(int argc, char *const *argv,
		      struct sock_diag_filter **out, int *names_st, char *err,
		      size_t len);

/* --graph FORMAT (tool/list_graph.c) */
#define LIST_GRAPH_DOT 1
#define LIST_GRAPH_SVG 2

/* LIST_GRAPH_DOT or _SVG for a --graph word, -1 if unknown. */
int list_graph_format(const char *name);

/* --graph FORMAT (next: the word after a bare --graph, or NULL) into o;
 * 0, or -1 after a usage error (reported). */
int list_graph_option(const char *a, const char *next, struct list_opts *o);

/* Who talks to whom as Graphviz DOT text on out (sorted: the same
 * snapshot gives the same text); returns 0 or -errno of a write. */
int list_print_graph(FILE *out, const struct sock_diag *d,
		     const struct list_opts *o);

/* The graph rendered as SVG on stdout by Graphviz's dot, run as a
 * child; reports failures (dot missing...) and returns an exit status. */
int list_graph_svg(const struct sock_diag *d, const struct list_opts *o);

struct sock_diag_query;

/* Whether list_stream_table() can print this listing: numeric, no
 * owners, no Unix sockets, no JSON, no --dump or replay. */
int list_can_stream(const struct list_opts *o, const struct sock_diag_query *q);

/* The tables for q without holding the IPv4 sockets (sock_diag_stream):
 * returns 0 or the -errno of reading the table (rows may have been
 * printed); sets *werr to 0 or the -errno of a write and *count to the
 * number of sockets. */
int list_stream_table(FILE *out, const struct sock_diag_query *q,
		      const struct list_opts *o, size_t *count, int *werr);

/* ---- list_info.c, list_info_json.c: inside each socket ---------- */

/* The extras the options need (SOCK_DIAG_X_*); 0 for a plain list. */
unsigned int list_info_extras(const struct list_opts *o);

/* The -i / -m text of socket e (no newline) into buf; returns its
 * length, 0 when there is nothing to say. */
size_t list_info_line(char *buf, size_t size, const struct sock_diag *d,
		      const struct sock_diag_entry *e,
		      const struct list_opts *o);

/* The same from the extras x of e (NULL: none), as streamed. */
size_t list_info_text(char *buf, size_t size, const struct sock_diag_entry *e,
		      const struct sock_diag_extra *x,
		      const struct list_opts *o);

/* What limits a TCP sender now, one word (docs/list.md): application,
 * receiver, sndbuf, congestion, backlog, idle; NULL when there is no
 * tcp_info or the socket does not send (not established). */
const char *list_info_verdict(const struct sock_diag_entry *e,
			      const struct sock_diag_extra *x);

/* netstat's timer names: off, on, keepalive, timewait, probe; NULL for
 * another number. */
const char *list_timer_name(int timer);

/* netstat's two counts after the expiry: retransmits and probes. */
void list_timer_values(const struct sock_diag_entry *e, unsigned int *retrans,
		       unsigned int *probes);

/* netstat -o's Timer column: "keepalive (7197.25/0/0)". */
void list_timer_text(char *buf, size_t size, const struct sock_diag_entry *e);

/* The JSON keys the -i, -m, -o and -e options add to a socket's object
 * (each starting with a comma). */
void list_info_json(FILE *out, const struct sock_diag *d,
		    const struct sock_diag_entry *e, const struct list_opts *o);
/* -K's conditions on the query (a filter, live sockets, no Unix ones):
 * 0, or EXIT_USAGE after saying what is wrong. */
int list_kill_prepare(const struct list_opts *o, struct sock_diag_query *q);

/* -K: destroy d's TCP, UDP and raw sockets but unconnected UDP ones, a
 * row on out for each; returns an exit status. */
int list_kill(FILE *out, const struct sock_diag *d, const struct list_opts *o);

/* -s: d's sockets counted, and the kernel counters read under
 * proc_root (NULL: /proc); returns 0, EXIT_RUNTIME (counters
 * unreadable, said) or the -errno of a write. */
int list_summary(FILE *out, const struct sock_diag *d,
		 const struct list_opts *o, const char *proc_root);
/* After a SOCK_DIAG_FILE listing: says where a cut or damaged file
 * stopped; returns EXIT_RUNTIME then, else EXIT_OK. */
int list_replay_report(const struct sock_diag *d, const char *path);

/* Says what err means for the replay of path and returns 1, when it
 * needs more than strerror() (a pipe that stayed silent); else 0. */
int list_replay_failed(const char *path, int err);

#endif
