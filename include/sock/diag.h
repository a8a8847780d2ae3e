/*
 * sock/diag.h - the machine's sockets: a snapshot taken through
 * NETLINK_SOCK_DIAG (inet_diag for TCP, UDP and raw sockets of both IP
 * families, unix_diag for Unix sockets), with /proc/net as a fallback,
 * and optionally joined to the processes that hold each socket.
 *
 * Ownership: a struct sock_diag is opaque; sock_diag_snapshot() creates
 * it and sock_diag_free() releases it together with everything the
 * accessors returned (entries, names, owners).  A struct sock_diag_filter
 * is opaque too (sock_diag_filter_parse() / sock_diag_filter_free()) and
 * must outlive every snapshot taken with it.  struct sock_diag_entry and
 * struct sock_diag_owner are plain values.
 *
 * Nothing here prints; every failure is a negative errno.
 */
#ifndef SOCK_DIAG_H
#define SOCK_DIAG_H

#include <stddef.h>
#include <stdint.h>

/* Protocols to list (struct sock_diag_query.protocols). */
#define SOCK_DIAG_TCP 0x1u
#define SOCK_DIAG_UDP 0x2u
#define SOCK_DIAG_RAW 0x4u
#define SOCK_DIAG_UNIX 0x8u
#define SOCK_DIAG_ALL 0xfu

/*
 * Socket states, numbered as the kernel does (TCP_* in netinet/tcp.h);
 * Unix sockets use LISTEN, ESTABLISHED (connected) and CLOSE.  A state
 * mask has bit (1 << state) set for each wanted state.
 */
enum sock_diag_state {
	SOCK_DIAG_ESTABLISHED = 1,
	SOCK_DIAG_SYN_SENT,
	SOCK_DIAG_SYN_RECV,
	SOCK_DIAG_FIN_WAIT1,
	SOCK_DIAG_FIN_WAIT2,
	SOCK_DIAG_TIME_WAIT,
	SOCK_DIAG_CLOSE,
	SOCK_DIAG_CLOSE_WAIT,
	SOCK_DIAG_LAST_ACK,
	SOCK_DIAG_LISTEN,
	SOCK_DIAG_CLOSING,
	SOCK_DIAG_NEW_SYN_RECV,
	SOCK_DIAG_STATE_MAX,
};
#define SOCK_DIAG_STATES_ALL ((1u << SOCK_DIAG_STATE_MAX) - 2)

/* struct sock_diag_query.flags */
#define SOCK_DIAG_OWNERS 0x1u /* walk /proc to find each socket's owners */
#define SOCK_DIAG_PROCFS 0x2u /* read the /proc/net tables, not sock_diag */

/* struct sock_diag_query.role */
#define SOCK_DIAG_SERVERS 1
#define SOCK_DIAG_CLIENTS 2

/* Where a snapshot's sockets came from (sock_diag_source()). */
enum sock_diag_src {
	SOCK_DIAG_SRC_NETLINK = 1,
	SOCK_DIAG_SRC_PROCFS,
	SOCK_DIAG_SRC_REPLAY,
	SOCK_DIAG_SRC_MIXED, /* netlink, with /proc/net for what it lacked */
};

struct sock_diag;
struct sock_diag_filter;
struct sock_netns;
struct sock_netns_set;

/* What to list.  A zeroed query lists every socket of every protocol. */
struct sock_diag_query {
	unsigned int protocols; /* SOCK_DIAG_TCP | ...; 0 means all */
	int family;		/* AF_UNSPEC, AF_INET or AF_INET6 (inet) */
	uint32_t states;	/* state mask; 0 means all */
	/* netstat's split: SOCK_DIAG_SERVERS lists listening TCP and Unix
	 * sockets and unconnected UDP and raw ones (netstat -l),
	 * SOCK_DIAG_CLIENTS everything else (netstat's default), 0 both. */
	int role;
	unsigned int flags; /* SOCK_DIAG_OWNERS, SOCK_DIAG_PROCFS */
	/* Optional filter; its state and port/address conditions are
	 * sent to the kernel where it can evaluate them. */
	const struct sock_diag_filter *filter;
	/* When set, the kernel's raw replies are passed to record as they
	 * arrive (the --dump hook), with record_arg: the bytes of all the
	 * calls, in order, make a file that replay can read.  A non-zero
	 * return (a negative errno) stops the snapshot and is returned.
	 * replay names such a file (or pipe), read instead of asking the
	 * kernel.  At most one of the two. */
	int (*record)(const void *buf, size_t len, void *arg);
	void *record_arg;
	const char *replay;
	/* Root of the proc file system ("/proc" when NULL). */
	const char *proc_root;
	/* The network namespaces to list (sock/netns.h), each through a
	 * sock_diag socket opened in it; must outlive the snapshot.  NULL:
	 * the caller's own.  Entering another takes CAP_SYS_ADMIN: one
	 * that cannot be entered is counted (sock_diag_netns_failed()) and
	 * the others are still listed. */
	const struct sock_netns_set *netns;
};

#define SOCK_DIAG_NO_UID UINT32_MAX

/* One socket.  Addresses and ports are as the kernel reports them. */
struct sock_diag_entry {
	uint8_t family;	  /* AF_INET, AF_INET6 or AF_UNIX */
	uint8_t protocol; /* IPPROTO_TCP, _UDP, _RAW; 0 for AF_UNIX */
	uint8_t state;	  /* enum sock_diag_state */
	uint8_t type;	  /* SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET, ... */
	uint32_t rqueue;  /* bytes to read; listeners: accept queue */
	uint32_t wqueue;  /* bytes unsent; TCP listeners: backlog limit */
	uint32_t uid;	  /* SOCK_DIAG_NO_UID when unknown */
	uint32_t inode;	  /* 0 for TIME-WAIT and embryonic sockets */
	uint32_t netns;	  /* index of its namespace: sock_diag_netns() */
	union {
		struct {
			uint16_t local_port;  /* host order; raw: protocol */
			uint16_t remote_port; /* host order */
			/* 4 bytes used for AF_INET, network order */
			uint8_t local[16];
			uint8_t remote[16];
			/* sock_diag's timer: 0 none, 1 retransmit, 2
			 * keepalive, 3 TIME_WAIT, 4 zero-window probe;
			 * 0 from /proc/net */
			uint8_t timer;
			uint32_t expires_ms; /* until the timer fires */
		} in;
		struct {
			uint32_t peer;	   /* peer's inode, 0 if none */
			uint32_t refcnt;   /* netstat's RefCnt (see docs) */
			uint32_t name_off; /* internal: sock_diag_unix_name() */
			uint16_t name_len;
		} un;
	};
};

/* A process that holds a socket open. */
struct sock_diag_owner {
	int pid;
	int fd;
	const char *command; /* owned by the snapshot */
};

/*
 * Take a snapshot of the sockets q selects (NULL: all).  Returns 0 and
 * sets *out (free it with sock_diag_free()), or a negative errno:
 * -EPROTONOSUPPORT when neither sock_diag nor /proc/net can be read,
 * -ENOMEM, what q->record returned; with q->replay, every error is the
 * replay file's: -EINVAL when it is not a recorded dump, else the errno
 * of opening or reading it (-ENOENT, -EISDIR...).
 */
int sock_diag_snapshot(const struct sock_diag_query *q, struct sock_diag **out);

/*
 * Like sock_diag_snapshot() for TCP, UDP and raw sockets, but nothing is
 * kept: fn is called with each socket (borrowed for the call) as soon as
 * it is parsed, in the order a snapshot would hold it, so memory does
 * not grow with the table.  A non-zero return from fn stops the listing
 * and is returned.  Returns 0 and sets *source (enum sock_diag_src), or
 * a negative errno as sock_diag_snapshot() does; -EINVAL when q asks for
 * Unix sockets or SOCK_DIAG_OWNERS (both need the whole table: RefCnt
 * and the /proc join).  A failure may come after some calls to fn.
 */
int sock_diag_stream(const struct sock_diag_query *q,
		     int (*fn)(const struct sock_diag_entry *e, void *arg),
		     void *arg, int *source);

/* Free a snapshot and everything borrowed from it.  NULL is ignored. */
void sock_diag_free(struct sock_diag *d);

/* Number of sockets in the snapshot. */
size_t sock_diag_count(const struct sock_diag *d);

/* The i-th socket (i < sock_diag_count()), in kernel dump order: TCP,
 * UDP, raw (IPv4 before IPv6 for each), then Unix.  Owned by d. */
const struct sock_diag_entry *sock_diag_get(const struct sock_diag *d,
					    size_t i);

/* A Unix socket's address bytes (an abstract name starts with a NUL
 * byte); sets *name (owned by d) and returns its length, 0 if unnamed. */
size_t sock_diag_unix_name(const struct sock_diag *d,
			   const struct sock_diag_entry *e, const char **name);

/* The processes holding the socket with this inode, in /proc order;
 * sets *n and returns an array owned by d (NULL, *n = 0 when none were
 * found or the snapshot was taken without SOCK_DIAG_OWNERS). */
const struct sock_diag_owner *sock_diag_owners(const struct sock_diag *d,
					       uint32_t inode, size_t *n);

/* Number of processes whose open files could not be read (permission),
 * so their sockets show no owner.  0 when every process was seen. */
unsigned int sock_diag_hidden(const struct sock_diag *d);

/* The namespace socket e was found in, or NULL when not known (a
 * replay).  Owned by the query's set, or by d. */
const struct sock_netns *sock_diag_netns(const struct sock_diag *d,
					 const struct sock_diag_entry *e);

/* How many namespaces were listed (entered or not). */
size_t sock_diag_netns_count(const struct sock_diag *d);

/* How many of them could not be entered, and in *err (when not NULL)
 * the first reason (-EPERM without CAP_SYS_ADMIN). */
unsigned int sock_diag_netns_failed(const struct sock_diag *d, int *err);

/* Where the sockets came from: enum sock_diag_src. */
int sock_diag_source(const struct sock_diag *d);

/* Lower-case name of a state ("established", "listen", "time-wait"),
 * the spelling the filter grammar accepts; "unknown" if out of range. */
const char *sock_diag_state_name(int state);

/* netstat's spelling of a state ("ESTABLISHED", "FIN_WAIT1",
 * "NEW_SYN_RECV"); "UNKNOWN" if out of range. */
const char *sock_diag_state_netstat(int state);

/* Name of a socket's protocol as /proc/net and netstat spell it: "tcp",
 * "tcp6" (for AF_INET6), "udp", "udp6", "raw", "raw6", "unix" (for
 * AF_UNIX, whatever the protocol); "raw" or "raw6" for any other
 * internet protocol. */
const char *sock_diag_proto_name(int family, int protocol);

/* How deeply "not" and "(" may nest in a filter (runs of and/or are
 * not limited). */
#define SOCK_DIAG_FILTER_DEPTH 100

/*
 * Parse a filter expression given as words (the tail of a command
 * line):  state NAME | port N | sport N | dport N | src ADDR[/LEN] |
 * dst ADDR[/LEN], combined with and, or, not and parentheses.  Returns 0
 * and sets *out (free with sock_diag_filter_free()); or -EINVAL and sets
 * *bad to the index of the first word it could not use (argc when the
 * expression ends too early); -ELOOP (and *bad set to that word) when a
 * "not" or "(" would nest deeper than SOCK_DIAG_FILTER_DEPTH; -ENOMEM.
 */
int sock_diag_filter_parse(int argc, char *const *argv,
			   struct sock_diag_filter **out, int *bad);

/* Free a filter.  NULL is ignored. */
void sock_diag_filter_free(struct sock_diag_filter *f);

/* The states (bits 1 << SOCK_DIAG_*) a socket passing f can be in:
 * all of them when f is NULL or says nothing about states. */
uint32_t sock_diag_filter_states(const struct sock_diag_filter *f);

/* Whether f can be used by sock_diag_stream(): it has no condition on
 * owners (pid, comm) or namespaces (netns), which need a snapshot. */
int sock_diag_filter_streamable(const struct sock_diag_filter *f);

/* Whether socket e passes filter f (NULL passes everything); a
 * condition on owners or namespaces counts as passed (a snapshot
 * applies them). */
int sock_diag_filter_match(const struct sock_diag_filter *f,
			   const struct sock_diag_entry *e);

#endif
