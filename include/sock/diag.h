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
	 * replay names such a file (or pipe), or one ss -D wrote (ss's
	 * TCPDIAG_FILE: bare netlink messages, read as TCP), read instead
	 * of asking the kernel.  At most one of the two. */
	int (*record)(const void *buf, size_t len, void *arg);
	void *record_arg;
	const char *replay;
	/* Root of the proc file system ("/proc" when NULL). */
	const char *proc_root;
	/* What to ask besides the row (SOCK_DIAG_X_*): nothing is asked,
	 * parsed or kept for what is not set. */
	unsigned int extras;
	/* The network namespaces to list (sock/netns.h), each through a
	 * sock_diag socket opened in it; must outlive the snapshot.  NULL:
	 * the caller's own.  Entering another takes CAP_SYS_ADMIN: one
	 * that cannot be entered is counted (sock_diag_netns_failed()) and
	 * the others are still listed. */
	const struct sock_netns_set *netns;
};

/* struct sock_diag_query.extras: sock_diag_extra() has them. */
#define SOCK_DIAG_X_INFO 0x1u /* tcp_info and the congestion algorithm */
#define SOCK_DIAG_X_MEM 0x2u  /* skmeminfo (TCP, UDP, raw, Unix) */
#define SOCK_DIAG_X_EXT 0x4u  /* cookie, shutdown state, cgroup id */

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
	uint64_t cookie;  /* the kernel's socket cookie; 0 from /proc/net */
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
			/* the kernel's idiag_retrans: retransmits for
			 * timer 1, probes sent for timers 2 and 4 */
			uint8_t retrans;
			uint32_t expires_ms; /* until the timer fires */
			uint32_t ifindex;    /* bound interface, 0 if none */
		} in;
		struct {
			uint32_t peer;	   /* peer's inode, 0 if none */
			uint32_t refcnt;   /* netstat's RefCnt (see docs) */
			uint32_t name_off; /* internal: sock_diag_unix_name() */
			uint16_t name_len;
		} un;
	};
};

/*
 * The kernel's struct tcp_info, laid out as in Linux 6.2 (the fields
 * after tcpi_snd_wnd are newer than some installed headers).  A kernel
 * fills a prefix of it: a field is reported only when
 * SOCK_DIAG_TCPI_HAS() says so; the rest is zero and means "unknown".
 * Times are microseconds unless the name says ms (tcpi_last_*: ms).
 */
struct sock_diag_tcp_info {
	uint8_t tcpi_state;
	uint8_t tcpi_ca_state;
	uint8_t tcpi_retransmits;
	uint8_t tcpi_probes;
	uint8_t tcpi_backoff;
	uint8_t tcpi_options;
	uint8_t tcpi_wscale;	  /* snd low 4 bits, rcv high 4 bits */
	uint8_t tcpi_app_limited; /* bit 0: delivery rate app-limited */
	uint32_t tcpi_rto;
	uint32_t tcpi_ato;
	uint32_t tcpi_snd_mss;
	uint32_t tcpi_rcv_mss;
	uint32_t tcpi_unacked;
	uint32_t tcpi_sacked;
	uint32_t tcpi_lost;
	uint32_t tcpi_retrans;
	uint32_t tcpi_fackets;
	uint32_t tcpi_last_data_sent;
	uint32_t tcpi_last_ack_sent;
	uint32_t tcpi_last_data_recv;
	uint32_t tcpi_last_ack_recv;
	uint32_t tcpi_pmtu;
	uint32_t tcpi_rcv_ssthresh;
	uint32_t tcpi_rtt;
	uint32_t tcpi_rttvar;
	uint32_t tcpi_snd_ssthresh;
	uint32_t tcpi_snd_cwnd;
	uint32_t tcpi_advmss;
	uint32_t tcpi_reordering;
	uint32_t tcpi_rcv_rtt;
	uint32_t tcpi_rcv_space;
	uint32_t tcpi_total_retrans;
	uint64_t tcpi_pacing_rate; /* bytes per second */
	uint64_t tcpi_max_pacing_rate;
	uint64_t tcpi_bytes_acked;
	uint64_t tcpi_bytes_received;
	uint32_t tcpi_segs_out;
	uint32_t tcpi_segs_in;
	uint32_t tcpi_notsent_bytes;
	uint32_t tcpi_min_rtt;
	uint32_t tcpi_data_segs_in;
	uint32_t tcpi_data_segs_out;
	uint64_t tcpi_delivery_rate; /* bytes per second */
	uint64_t tcpi_busy_time;
	uint64_t tcpi_rwnd_limited;
	uint64_t tcpi_sndbuf_limited;
	uint32_t tcpi_delivered;
	uint32_t tcpi_delivered_ce;
	uint64_t tcpi_bytes_sent;
	uint64_t tcpi_bytes_retrans;
	uint32_t tcpi_dsack_dups;
	uint32_t tcpi_reord_seen;
	uint32_t tcpi_rcv_ooopack;
	uint32_t tcpi_snd_wnd;
	uint32_t tcpi_rcv_wnd; /* Linux 6.2 */
	uint32_t tcpi_rehash;
};

/* Whether the kernel's tcp_info (len bytes long) reached field f. */
#define SOCK_DIAG_TCPI_HAS(len, f)                                             \
	(offsetof(struct sock_diag_tcp_info, f) +                              \
	     sizeof(((struct sock_diag_tcp_info *)0)->f) <=                    \
	 (size_t)(len))

/* skmeminfo, in the kernel's order (ss's r rb t tb f w o bl d). */
enum sock_diag_mem {
	SOCK_DIAG_MEM_RMEM_ALLOC,
	SOCK_DIAG_MEM_RCVBUF,
	SOCK_DIAG_MEM_WMEM_ALLOC,
	SOCK_DIAG_MEM_SNDBUF,
	SOCK_DIAG_MEM_FWD_ALLOC,
	SOCK_DIAG_MEM_WMEM_QUEUED,
	SOCK_DIAG_MEM_OPTMEM,
	SOCK_DIAG_MEM_BACKLOG,
	SOCK_DIAG_MEM_DROPS,
	SOCK_DIAG_MEM_MAX,
};

/* sock_diag_extra.have */
#define SOCK_DIAG_HAVE_CONG 0x1u
#define SOCK_DIAG_HAVE_SHUTDOWN 0x2u
#define SOCK_DIAG_HAVE_CGROUP 0x8u

/* What a socket's dump carried besides its row (query.extras). */
struct sock_diag_extra {
	unsigned int have; /* SOCK_DIAG_HAVE_* */
	uint16_t info_len; /* bytes of info the kernel filled; 0 none */
	uint8_t mem_count; /* fields of mem reported, 0 none */
	uint8_t shutdown;  /* bit 0: no more receives, bit 1: sends */
	char cong[16];	   /* congestion control algorithm */
	uint32_t mem[SOCK_DIAG_MEM_MAX];
	uint64_t cgroup_id;
	struct sock_diag_tcp_info info;
};

/* A process that holds a socket open. */
struct sock_diag_owner {
	int pid;
	int fd;
	const char *command; /* owned by the snapshot */
	/* Its cgroup v2 path ("/system.slice/ssh.service", from the "0::"
	 * line of /proc/PID/cgroup), read only for a cgroup filter; NULL
	 * otherwise or when it has none.  Owned by the snapshot. */
	const char *cgroup;
};

/*
 * Take a snapshot of the sockets q selects (NULL: all).  Returns 0 and
 * sets *out (free it with sock_diag_free()), or a negative errno:
 * -EPROTONOSUPPORT when neither sock_diag nor /proc/net can be read,
 * -ENOMEM, what q->record returned; with q->replay, every error is the
 * replay file's: -EINVAL when it is not a recorded dump, -ETIMEDOUT
 * when a pipe or device gave nothing for 10 s, else the errno of opening
 * or reading it (-ENOENT, -EISDIR...).  A file that stops being a dump
 * part way is not an error: see sock_diag_replay_stop().
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

/* What sock_diag_stream_extra() calls with each socket: x holds the
 * extras q->extras asked for (zeroed where the kernel sent none), NULL
 * when q asks for none; both are borrowed for the call. */
typedef int sock_diag_emit_fn(const struct sock_diag_entry *e,
			      const struct sock_diag_extra *x, void *arg);

/* sock_diag_stream() with each socket's extras (-i, -m without holding
 * the table). */
int sock_diag_stream_extra(const struct sock_diag_query *q,
			   sock_diag_emit_fn *fn, void *arg, int *source);

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

/* What socket e (returned by sock_diag_get(d, ...)) carried besides
 * its row; NULL when the query asked for no extras.  Owned by d. */
const struct sock_diag_extra *sock_diag_extra(const struct sock_diag *d,
					      const struct sock_diag_entry *e);

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

/* Why a replay stopped before the end of its file (sock_diag_replay_stop()). */
enum sock_diag_replay_stop {
	SOCK_DIAG_REPLAY_WHOLE = 0, /* read to its end (or no replay) */
	SOCK_DIAG_REPLAY_CUT,	    /* it ends inside a record, or before
				     * the dump's closing message */
	SOCK_DIAG_REPLAY_BAD,	    /* bytes that are no record */
	SOCK_DIAG_REPLAY_LARGE,	    /* more than SOCK_DIAG_REPLAY_ROWS_MAX
				     * sockets: the first ones are kept */
};

/* The most sockets a replay keeps (about 100 bytes of memory each): a
 * file of any size costs bounded memory. */
#define SOCK_DIAG_REPLAY_ROWS_MAX 2000000u

/*
 * A replay file (q->replay) that is a dump up to some point keeps the
 * sockets read before it: returns enum sock_diag_replay_stop and, when
 * not SOCK_DIAG_REPLAY_WHOLE, sets *offset to the byte of the file where
 * the incomplete or bad record begins.  Both sock list --dump's records
 * and ss's TCPDIAG_FILE format (bare netlink messages) are read.
 */
int sock_diag_replay_stop(const struct sock_diag *d, uint64_t *offset);

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

/*
 * Destroy one TCP, UDP or raw socket (SOCK_DESTROY), named exactly as a
 * dump reported it: family, protocol, addresses, ports, interface and
 * cookie.  Its owner's calls then fail with ECONNABORTED and a TCP peer
 * gets a reset.  Note that destroying an unconnected UDP socket frees
 * its port: the owner's next send silently picks another one.  Returns
 * 0, or -EPERM (no CAP_NET_ADMIN in the socket's network namespace),
 * -EOPNOTSUPP (a kernel without CONFIG_INET_DIAG_DESTROY, or a protocol
 * it cannot destroy), -ENOENT or -ESTALE (that socket is gone; -ESTALE:
 * another one has its addresses now), -EINVAL (not an inet socket),
 * or the errno of the netlink socket.
 */
int sock_diag_destroy(const struct sock_diag_entry *e);

/* A kernel counter as /proc/net/snmp and /proc/net/netstat name it. */
struct sock_diag_counter {
	const char *group; /* "Tcp", "TcpExt", "Udp", ... */
	const char *name;  /* "RetransSegs", "ListenOverflows", ... */
	int64_t value;	   /* set by sock_diag_counters() */
	int found;	   /* 0: this kernel does not report it */
};

/*
 * Fill the n counters c names (group and name set by the caller) from
 * ROOT/net/snmp and ROOT/net/netstat (ROOT: proc_root, "/proc" when
 * NULL), which are the calling thread's network namespace's.  Returns
 * 0 when at least one file was read (a counter neither has keeps found
 * at 0), else the negative errno of opening the first; -ENOMEM.
 */
int sock_diag_counters(const char *proc_root, struct sock_diag_counter *c,
		       size_t n);

#endif
