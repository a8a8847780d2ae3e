/*
 * lib/diag_internal.h - what the diag files share: the snapshot object,
 * the recorded-reply format and the per-protocol hooks.  Not installed.
 */
#ifndef SOCK_DIAG_INTERNAL_H
#define SOCK_DIAG_INTERNAL_H

#include <stdint.h>
#include <stdio.h>

#include <sock/diag.h>

struct nlmsghdr;

/* One hash slot: an inode and where its owners are in d->owners. */
struct sock__diag_slot {
	uint32_t inode;
	uint32_t first;
	uint32_t count;
};

struct sock_diag {
	struct sock_diag_entry *ent;
	size_t n, cap;
	char *names; /* Unix names, back to back */
	size_t names_len, names_cap;
	/* inode -> owners, open addressing, nslots a power of two */
	struct sock__diag_slot *slots;
	size_t nslots;
	struct sock_diag_owner *owners;
	size_t nowners;
	char *commands[2]; /* NUL-separated process names, per scanner */
	unsigned int hidden;
	int source;
	/* what the caller asked for, applied to every parsed socket */
	unsigned int protocols;
	int family;
	uint32_t states;
	int role;
	const struct sock_diag_filter *filter;
	/* sock_diag_stream(): sockets go to emit instead of ent */
	int (*emit)(const struct sock_diag_entry *e, void *arg);
	void *emit_arg;
	size_t emitted;
	int emit_err;
};

/*
 * Recorded replies (--dump, SOCK_DIAG_FILE): a sequence of records, each
 * a header followed by len bytes of netlink messages exactly as one
 * recv() returned them.  The header says which request they answer,
 * because an inet_diag reply does not name its protocol.
 */
#define SOCK__DIAG_MAGIC 0x31474453u /* "SDG1" little-endian */
struct sock__diag_rec {
	uint32_t magic;
	uint8_t family;	  /* AF_INET, AF_INET6, AF_UNIX */
	uint8_t protocol; /* IPPROTO_TCP/UDP/RAW; 0 for Unix */
	uint16_t reserved;
	uint32_t len;
};

/* What the reply callbacks need to know about the request. */
struct sock__diag_req {
	struct sock_diag *d;
	int family;
	int protocol;
	int err; /* first parse error, negative errno */
};

/* Snapshot with nothing in it yet, set up from q. */
struct sock_diag *sock__diag_new(const struct sock_diag_query *q);

/* Append a copy of e if the query selects it; 0 or -ENOMEM. */
int sock__diag_add(struct sock_diag *d, const struct sock_diag_entry *e);

/* Store a Unix name in the snapshot; sets e's name fields. */
int sock__diag_add_name(struct sock_diag *d, struct sock_diag_entry *e,
			const void *name, size_t len);

/* Whether the query wants this (family, protocol) dump at all. */
int sock__diag_wants(const struct sock_diag *d, int family, int protocol);

/* The state mask for one dump: the query's, the filter's and the
 * role's (which depends on the protocol) together. */
uint32_t sock__diag_mask(const struct sock_diag *d, int family, int protocol);

/* Parse recorded replies (the replay path and the fuzz target). */
int sock__diag_replay_buf(struct sock_diag *d, const void *buf, size_t len);

/* Run the netlink messages in buf for request r (libmnl callbacks);
 * returns 1 when the dump is done, 0 for more, negative errno. */
int sock__diag_run(struct sock__diag_req *r, const void *buf, size_t len);

/* Reply parsers: one socket message each; 0 or negative errno. */
int sock__diag_inet_parse(struct sock__diag_req *r, const struct nlmsghdr *h);
int sock__diag_unix_parse(struct sock__diag_req *r, const struct nlmsghdr *h);

/* Build a dump request for (family, protocol) into buf; returns its
 * length.  Bytecode and state mask come from d. */
size_t sock__diag_inet_request(const struct sock_diag *d, void *buf,
			       size_t size, int family, int protocol,
			       uint32_t seq);
size_t sock__diag_unix_request(const struct sock_diag *d, void *buf,
			       size_t size, uint32_t seq);

/* Fill netstat's RefCnt for Unix sockets from the peer links. */
int sock__diag_unix_refcnt(struct sock_diag *d);

/* The /proc/net fallback for one (family, protocol); 0 or -errno. */
int sock__proc_net_read(struct sock_diag *d, const char *root, int family,
			int protocol);

/*
 * Which processes hold which sockets, through root/[pid]/fd.  start
 * lists the processes and lets a helper thread begin scanning them
 * (the scan needs nothing from the dump, so both run at once); finish
 * scans what is left in the calling thread, waits for the helper, and
 * when join is set, matches the sockets found with d's.  finish frees
 * p in every case.  Both return 0 or -errno.
 */
struct sock__proc_pass;
int sock__proc_start(const char *root, struct sock__proc_pass **out);
int sock__proc_finish(struct sock_diag *d, struct sock__proc_pass *p, int join);

/* State mask the filter can possibly accept (all bits if f is NULL). */
uint32_t sock__diag_filter_states(const struct sock_diag_filter *f);

/* inet_diag bytecode for f into buf; returns its length, 0 when the
 * filter cannot (or need not) be sent to the kernel. */
size_t sock__diag_filter_bytecode(const struct sock_diag_filter *f, void *buf,
				  size_t size);

#endif
