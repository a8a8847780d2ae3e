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
	int json;		/* --json */
	int explain;		/* --explain: a sentence per row */
	const char *dump;	/* --dump FILE */
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

#endif
