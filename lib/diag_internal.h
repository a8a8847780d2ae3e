/*
 * lib/diag_internal.h - what the diag files share.  Not installed.
 *
 * The files form layers; each calls only the ones below it (checked by
 * tests/layers.sh):
 *
 *   diag.c          sock_diag_snapshot(), sock_diag_stream()
 *   diag_dump.c     the netlink dump, the record hook, replay files,
 *                   the fallback to /proc/net
 *   diag_inet.c  diag_unix.c  proc_net.c   the parsers (requests too)
 *   proc.c          which processes hold which sockets
 *   diag_store.c    the snapshot: rows, names, selection, owner table
 *   diag_filter.c   the filter language
 *   diag_names.c    state and protocol names
 *
 * struct sock_diag is defined in diag_store.c alone: the others read
 * and write it through the sock__diag_* functions below.
 */
#ifndef SOCK_DIAG_INTERNAL_H
#define SOCK_DIAG_INTERNAL_H

#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include <sock/diag.h>

struct nlmsghdr;

/* ---- diag_names.c ---------------------------------------------------- */

/* SOCK_DIAG_TCP... for a socket's family and protocol; 0 if none. */
unsigned int sock__diag_proto_bit(int family, int protocol);

/* The socket type of an internet protocol: SOCK_STREAM for TCP... */
uint8_t sock__diag_proto_type(int protocol);

/* ---- diag_filter.c --------------------------------------------------- */

/* State mask the filter can possibly accept (all bits if f is NULL). */
uint32_t sock__diag_filter_states(const struct sock_diag_filter *f);

/* What a condition may need besides the socket: its namespace (NULL:
 * not known) and its owners (once the /proc pass is done). */
struct diag_filter_ctx {
	const struct sock_netns *ns;
	int owners_known;
	const struct sock_diag_owner *owners;
	size_t nowners;
};

/* Whether e passes f: 1, 0, or 2 when that depends on what c lacks
 * (a superset keeps it). */
int sock__diag_filter_eval(const struct sock_diag_filter *f,
			   const struct sock_diag_entry *e,
			   const struct diag_filter_ctx *c);

/* Whether f has conditions on owners (pid, comm, cgroup). */
int sock__diag_filter_needs_owners(const struct sock_diag_filter *f);

/* Whether f has a cgroup condition (the owners' cgroups are read). */
int sock__diag_filter_needs_cgroups(const struct sock_diag_filter *f);

/* inet_diag bytecode for f into buf; returns its length, 0 when the
 * filter cannot (or need not) be sent to the kernel. */
size_t sock__diag_filter_bytecode(const struct sock_diag_filter *f, void *buf,
				  size_t size);

/* ---- diag_store.c: the snapshot -------------------------------------- */

/* Snapshot with nothing in it yet, set up from q. */
struct sock_diag *sock__diag_new(const struct sock_diag_query *q);

/* Send every selected socket, with its extras (NULL when the query asks
 * for none), to fn instead of keeping it. */
void sock__diag_set_emit(struct sock_diag *d, sock_diag_emit_fn *fn, void *arg);

/* What the last call to the emit function returned, and how many
 * sockets went to it. */
int sock__diag_emit_err(const struct sock_diag *d);
size_t sock__diag_emitted(const struct sock_diag *d);

/* Forget the sockets and names added so far. */
void sock__diag_clear(struct sock_diag *d);

/* Where the sockets come from (enum sock_diag_src). */
void sock__diag_set_source(struct sock_diag *d, int source);

/* Where and why a replay stopped early (enum sock_diag_replay_stop). */
void sock__diag_set_replay_stop(struct sock_diag *d, int why, uint64_t off);

/* The query's filter (NULL: none) and protocols (SOCK_DIAG_*). */
const struct sock_diag_filter *sock__diag_filter(const struct sock_diag *d);
unsigned int sock__diag_protocols(const struct sock_diag *d);

/* Whether the query wants this (family, protocol) dump at all. */
int sock__diag_wants(const struct sock_diag *d, int family, int protocol);

/* The state mask for one dump: the query's, the filter's and the
 * role's (which depends on the protocol) together. */
uint32_t sock__diag_mask(const struct sock_diag *d, int family, int protocol);

/* Append a copy of e if the query selects it (or pass it to the emit
 * function); 0, -ENOMEM or what the emit function returned. */
int sock__diag_add(struct sock_diag *d, const struct sock_diag_entry *e);

/* The same with what the socket carried besides its row (x may be
 * NULL: nothing), kept when the query asked for extras. */
int sock__diag_add_extra(struct sock_diag *d, const struct sock_diag_entry *e,
			 const struct sock_diag_extra *x);

/* The query's extras (SOCK_DIAG_X_*): what the parsers should ask and
 * read. */
unsigned int sock__diag_extras(const struct sock_diag *d);

/* Store a Unix name in the snapshot; sets e's name fields. */
int sock__diag_add_name(struct sock_diag *d, struct sock_diag_entry *e,
			const void *name, size_t len);

/* The rows added so far (*n of them), for reading. */
const struct sock_diag_entry *sock__diag_rows(const struct sock_diag *d,
					      size_t *n);

/* Set the RefCnt of row i, a Unix socket. */
void sock__diag_set_refcnt(struct sock_diag *d, size_t i, uint32_t refcnt);

/* The sockets added from now on are in namespace i of the query's
 * set; a namespace that could not be entered (err). */
void sock__diag_set_netns(struct sock_diag *d, uint32_t i);
void sock__diag_netns_fail(struct sock_diag *d, int err);

/* The namespaces listed: the query's, or the caller's own (set is then
 * owned by d). */
const struct sock_netns_set *sock__diag_netns_set(const struct sock_diag *d);
void sock__diag_own_netns(struct sock_diag *d, struct sock_netns_set *s);

/* Drop the rows that fail the filter now that owners are known. */
void sock__diag_refilter(struct sock_diag *d);

/* Processes whose open files could not be read. */
void sock__diag_set_hidden(struct sock_diag *d, unsigned int hidden);

/*
 * The owner table, filled once the rows are final: index the rows'
 * inodes; count each owner found (which returns the slot of its
 * socket, DIAG_NO_SLOT when no row has that inode); lay the counted
 * owners out; put each of them in its slot, each socket's in the order
 * put; and keep the pools of command names the owners point into
 * (freed with the snapshot).  The int functions return 0 or -errno.
 */
#define DIAG_NO_SLOT UINT32_MAX
int sock__diag_owner_index(struct sock_diag *d);
uint32_t sock__diag_owner_count(struct sock_diag *d, uint32_t inode);
int sock__diag_owner_layout(struct sock_diag *d);
void sock__diag_owner_put(struct sock_diag *d, uint32_t slot,
			  const struct sock_diag_owner *o);
int sock__diag_owner_pool(struct sock_diag *d, char *pool);

/* ---- proc.c: the owners, from /proc ---------------------------------- */

/*
 * Which processes hold which sockets, through root/[pid]/fd.  start
 * lists the processes and lets a helper thread begin scanning them
 * (the scan needs nothing from the dump, so both run at once); finish
 * scans what is left in the calling thread, waits for the helper, and
 * when join is set, fills d's owner table with the sockets found.
 * finish frees p in every case.  Both return 0 or -errno.  With
 * cgroups set, each owner also gets its cgroup v2 path.
 */
struct proc_pass;
int sock__proc_start(const char *root, int cgroups, struct proc_pass **out);
int sock__proc_finish(struct sock_diag *d, struct proc_pass *p, int join);

/* proc.c's text parsers, pure functions (tests/fuzz/fuzz_proc.c).
 * A number-only name, as /proc/PID and /proc/PID/fd/N use; -1 if not. */
int sock__proc_number(const char *s);
/* A readlink() of n bytes (no NUL; n < 0: failed): "socket:[12345]"
 * -> 12345; 0 for anything else. */
uint32_t sock__proc_socket_inode(const char *link, ssize_t n);
/* /proc/PID/comm's n bytes (n <= 0: unreadable, "?") as a string in
 * name[size]; returns its length. */
size_t sock__proc_comm(const char *comm, ssize_t n, char *name, size_t size);
/* When name (len bytes in name[size]) is 15 long and starts argv0's
 * base name (n bytes of /proc/PID/cmdline), that name instead; returns
 * the length now in name. */
size_t sock__proc_long_name(char *name, size_t len, size_t size,
			    const char *argv0, ssize_t n);
/* The "0::" line's path in n bytes of /proc/PID/cgroup read into
 * text[size] (n < size; text[n] is written), NULL if none. */
char *sock__proc_cgroup_v2(char *text, size_t n, size_t size);

/* ---- the parsers: diag_inet.c, diag_unix.c, proc_net.c --------------- */

/* One dump request: what the reply parsers need to know about it. */
struct diag_req {
	struct sock_diag *d;
	int family;
	int protocol;
	int err; /* first parse error, negative errno */
};

/* Reply parsers: one socket message each; 0 or negative errno. */
int sock__diag_inet_parse(struct diag_req *r, const struct nlmsghdr *h);
int sock__diag_unix_parse(struct diag_req *r, const struct nlmsghdr *h);

/* Build a dump request for (family, protocol) into buf; returns its
 * length.  Bytecode and state mask come from d. */
size_t sock__diag_inet_request(const struct sock_diag *d, void *buf,
			       size_t size, int family, int protocol,
			       uint32_t seq);
size_t sock__diag_unix_request(const struct sock_diag *d, void *buf,
			       size_t size, uint32_t seq);

/* skmeminfo (len bytes of u32s, the kernel's order) into x. */
void sock__diag_skmem(struct sock_diag_extra *x, const void *p, size_t len);

/* Fill netstat's RefCnt for Unix sockets from the peer links. */
int sock__diag_unix_refcnt(struct sock_diag *d);

/* One line of a /proc/net table (NUL-terminated; the title line is
 * not one): a row added to d, or nothing when it does not parse; 0 or
 * -errno.  The line may be changed. */
int sock__proc_net_line(struct sock_diag *d, char *line, int family,
			int protocol);

/* The /proc/net fallback for one (family, protocol); 0 or -errno. */
int sock__proc_net_read(struct sock_diag *d, const char *root, int family,
			int protocol);

/* ---- diag_dump.c: the dump driver ------------------------------------ */

/*
 * Recorded replies (--dump, SOCK_DIAG_FILE): a sequence of records, each
 * a header followed by len bytes of netlink messages exactly as one
 * recv() returned them.  The header says which request they answer,
 * because an inet_diag reply does not name its protocol.
 */
#define DIAG_REC_MAGIC 0x31474453u /* "SDG1" little-endian */
struct diag_rec {
	uint32_t magic;
	uint8_t family;	  /* AF_INET, AF_INET6, AF_UNIX */
	uint8_t protocol; /* IPPROTO_TCP/UDP/RAW; 0 for Unix */
	uint16_t reserved;
	uint32_t len;
};

/* Fill d as q asks: from q->replay, /proc/net (SOCK_DIAG_PROCFS), or
 * netlink with /proc/net (under root) for what it lacks. */
int sock__diag_collect(struct sock_diag *d, const struct sock_diag_query *q,
		       const char *root);

/* Parse recorded replies (the replay path and the fuzz target). */
int sock__diag_replay_buf(struct sock_diag *d, const void *buf, size_t len);

/* Replay the file open on fd, in either format (sock list --dump's
 * records, or ss's bare netlink messages, told apart by the first
 * bytes); 0 (see sock_diag_replay_stop()) or -errno, -EINVAL when it
 * is no dump at all. */
int sock__diag_replay_fd(struct sock_diag *d, int fd);

/* Run the netlink messages in buf for request r (libmnl callbacks);
 * returns 1 when the dump is done, 0 for more, negative errno. */
int sock__diag_run(struct diag_req *r, const void *buf, size_t len);

/* ---- diag_kill.c: SOCK_DESTROY ---------------------------------------- */

/* The SOCK_DESTROY request naming e into buf (at least 256 bytes,
 * aligned for a struct nlmsghdr); returns its length. */
size_t sock__diag_destroy_request(const struct sock_diag_entry *e, void *buf);

/* The kernel's answer to it: 0 or its -errno; -EBADMSG when buf is not
 * an acknowledgement. */
int sock__diag_destroy_ack(const void *buf, size_t len);

/* ---- diag_snmp.c: the counters --------------------------------------- */

/* Set the counters found in text (the format of /proc/net/snmp and
 * /proc/net/netstat, len bytes, no NUL needed); returns how many values
 * it set (0 also when out of memory). */
size_t sock__snmp_parse(const char *text, size_t len,
			struct sock_diag_counter *c, size_t n);

/* A NETLINK_SOCK_DIAG socket of the caller's network namespace, bound
 * (diag_dump.c): its descriptor or -errno. */
int sock__diag_nl_open(void);

#endif
