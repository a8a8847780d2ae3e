/*
 * lib/diag_dump.c - the dump driver: a netlink request per (family,
 * protocol) and its replies through the parsers, the record hook,
 * recorded files replayed, and the fallback to /proc/net.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sock/netns.h>

#include <libmnl/libmnl.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>

#include "diag_internal.h"
#include "sys.h"

/* Room for one recv() of a dump: the kernel fills at most 32 KiB. */
#define DIAG_BUF (64 * 1024)

static int message(const struct nlmsghdr *h, void *arg)
{
	struct diag_req *r = arg;
	const uint8_t *family = mnl_nlmsg_get_payload(h);
	int err;

	if (h->nlmsg_type != SOCK_DIAG_BY_FAMILY ||
	    mnl_nlmsg_get_payload_len(h) < 1)
		return MNL_CB_OK;
	if (*family == AF_UNIX)
		err = sock__diag_unix_parse(r, h);
	else
		err = sock__diag_inet_parse(r, h);
	/* a parse error skips the socket; these stop the dump */
	if (err == -ENOMEM || (err && sock__diag_emit_err(r->d))) {
		r->err = err;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

/* A dump the kernel cannot do ends with NLMSG_DONE carrying an error
 * (-ENOENT without raw_diag), which libmnl would take for success. */
static int done(const struct nlmsghdr *h, void *arg)
{
	struct diag_req *r = arg;
	int err;

	if (mnl_nlmsg_get_payload_len(h) >= sizeof(err)) {
		memcpy(&err, mnl_nlmsg_get_payload(h), sizeof(err));
		if (err < 0 && err > -4096)
			r->err = err;
	}
	return MNL_CB_STOP;
}

/* Our own, since a control array replaces all of libmnl's. */
static int error(const struct nlmsghdr *h, void *arg)
{
	struct diag_req *r = arg;
	struct nlmsgerr e;

	if (mnl_nlmsg_get_payload_len(h) < sizeof(e)) {
		r->err = -EBADMSG;
		return MNL_CB_ERROR;
	}
	memcpy(&e, mnl_nlmsg_get_payload(h), sizeof(e));
	if (!e.error)
		return MNL_CB_STOP;
	r->err = e.error < 0 && e.error > -4096 ? e.error : -EPROTO;
	return MNL_CB_ERROR;
}

/*
 * The length of buf's well-formed, padded messages.  libmnl compares
 * (int)nlmsg_len with the bytes left, so a length above 2 GiB from a
 * corrupt replay file would walk it off the buffer; the kernel never
 * sends one, but replay files come from anywhere.
 */
static size_t checked_len(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	size_t off = 0;
	struct nlmsghdr h;

	while (len - off >= sizeof(h)) {
		memcpy(&h, p + off, sizeof(h));
		/* libmnl reads attributes up to the padded end */
		if (h.nlmsg_len < sizeof(h) || h.nlmsg_len > len - off ||
		    MNL_ALIGN(h.nlmsg_len) > len - off)
			break;
		off += MNL_ALIGN(h.nlmsg_len);
	}
	return off;
}

int sock__diag_run(struct diag_req *r, const void *buf, size_t len)
{
	static mnl_cb_t ctl[NLMSG_MIN_TYPE] = {
		[NLMSG_ERROR] = error,
		[NLMSG_DONE] = done,
	};
	int ret;

	errno = 0;
	if (len > INT32_MAX)
		return -EINVAL;
	ret = mnl_cb_run2(buf, checked_len(buf, len), 0, 0, message, r, ctl,
			  NLMSG_MIN_TYPE);
	if (r->err)
		return r->err;
	if (ret < 0)
		return errno ? -errno : -EINVAL;
	return ret == MNL_CB_STOP;
}

/* Pass one recorded chunk to the hook; its header says which request
 * it answers. */
static int record(const struct sock_diag_query *q, int *err, int family,
		  int protocol, const void *buf, size_t len)
{
	struct diag_rec h = {
		.magic = DIAG_REC_MAGIC,
		.family = (uint8_t)family,
		.protocol = (uint8_t)protocol,
		.len = (uint32_t)len,
	};
	int ret;

	if (!q->record)
		return 0;
	ret = q->record(&h, sizeof(h), q->record_arg);
	if (!ret)
		ret = q->record(buf, len, q->record_arg);
	if (ret)
		*err = ret > 0 ? -EIO : ret;
	return *err;
}

/* A record may sit at any offset of the file: parse an aligned copy. */
static int replay_record(struct sock_diag *d, const struct diag_rec *h,
			 const void *data)
{
	struct diag_req r = { d, h->family, h->protocol, 0 };
	void *copy = malloc(h->len ? h->len : 1);
	int ret;

	if (!copy)
		return -ENOMEM;
	memcpy(copy, data, h->len);
	ret = sock__diag_run(&r, copy, h->len);
	free(copy);
	return ret;
}

/* A record's errors skip its sockets; these stop the replay. */
static int replay_fatal(const struct sock_diag *d, int ret)
{
	return ret == -ENOMEM || (ret < 0 && sock__diag_emit_err(d));
}

int sock__diag_replay_buf(struct sock_diag *d, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	struct diag_rec h;
	int ret;

	while (len >= sizeof(h)) {
		memcpy(&h, p, sizeof(h));
		if (h.magic != DIAG_REC_MAGIC || h.len > len - sizeof(h))
			return -EINVAL;
		ret = replay_record(d, &h, p + sizeof(h));
		if (replay_fatal(d, ret))
			return ret;
		p += sizeof(h) + h.len;
		len -= sizeof(h) + h.len;
	}
	return len ? -EINVAL : 0;
}

/* Read len bytes, or up to end of file: returns how many, or -errno. */
static ssize_t read_full(int fd, void *buf, size_t len)
{
	size_t got = 0;
	ssize_t n;

	while (got < len) {
		n = read(fd, (char *)buf + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (!n)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

/* A recorded chunk is one recv() of at most 64 KiB; allow much more,
 * but not what a garbage header says (up to 4 GiB). */
#define REPLAY_REC_MAX (16u << 20)

/* ss's messages are read this much at a time. */
#define REPLAY_CHUNK (64u * 1024)

/* How long a pipe or device may stay silent before its first byte: a
 * FIFO no one writes to would otherwise hold the listing forever. */
#define REPLAY_WAIT_MS 10000

/* A replay file being read, and where its next record begins. */
struct replay {
	struct sock_diag *d;
	int fd;
	uint64_t off;
};

/* The file stops being a dump at rp->off: keep what came before it,
 * unless nothing did and it never was one. */
static int replay_stop(struct replay *rp, int why)
{
	if (!rp->off && why == SOCK_DIAG_REPLAY_BAD)
		return -EINVAL;
	sock__diag_set_replay_stop(rp->d, why, rp->off);
	return 0;
}

/* One parse of replies; 1 when they end a dump (NLMSG_DONE, an error
 * or an ack), 0 when more should follow, REPLAY_FULL when the replay
 * holds as many sockets as it may (it stops, keeping them), or an error
 * that stops. */
#define REPLAY_FULL 2

static int replay_run(struct replay *rp, int family, int protocol,
		      const void *buf, size_t len)
{
	struct diag_req r = { rp->d, family, protocol, 0 };
	int ret = sock__diag_run(&r, buf, len);

	if (replay_fatal(rp->d, ret))
		return ret;
	/* A replay is held whole: bound it, as a kernel's dump is by the
	 * sockets there are.  (One record's rows may go a little over.) */
	if (sock_diag_count(rp->d) > SOCK_DIAG_REPLAY_ROWS_MAX) {
		sock__diag_set_replay_stop(rp->d, SOCK_DIAG_REPLAY_LARGE,
					   rp->off);
		return REPLAY_FULL;
	}
	return ret != 0;
}

/*
 * sock list --dump's format, one record at a time (h, the first
 * header, is read already): memory stays at one record, and a file
 * that is not a dump (/dev/zero) fails at its first header.
 */
static int replay_records(struct replay *rp, struct diag_rec h)
{
	void *buf = NULL;
	ssize_t n;
	int ret, ended;

	for (;;) {
		if (h.magic != DIAG_REC_MAGIC || h.len > REPLAY_REC_MAX) {
			ret = replay_stop(rp, SOCK_DIAG_REPLAY_BAD);
			break;
		}
		free(buf);
		buf = malloc(h.len ? h.len : 1);
		if (!buf)
			return -ENOMEM;
		n = read_full(rp->fd, buf, h.len);
		if (n < 0 || (size_t)n < h.len) {
			ret = n < 0 ? (int)n
				    : replay_stop(rp, SOCK_DIAG_REPLAY_CUT);
			break;
		}
		ended = ret = replay_run(rp, h.family, h.protocol, buf, h.len);
		if (ret < 0 || ret == REPLAY_FULL) {
			ret = ret < 0 ? ret : 0;
			break;
		}
		rp->off += sizeof(h) + h.len;
		n = read_full(rp->fd, &h, sizeof(h));
		if (n < 0 || (size_t)n < sizeof(h)) {
			ret = n < 0 ? (int)n
			      : !n && ended
				  ? 0
				  : replay_stop(rp, SOCK_DIAG_REPLAY_CUT);
			break;
		}
	}
	free(buf);
	return ret;
}

/* Whether h can begin a file of bare replies (ss -D, TCPDIAG_FILE). */
static int netlink_start(const struct nlmsghdr *h)
{
	return h->nlmsg_len >= sizeof(*h) && h->nlmsg_len <= REPLAY_REC_MAX &&
	       (h->nlmsg_type == SOCK_DIAG_BY_FAMILY ||
		h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR);
}

/* The complete messages at the start of buf, parsed; returns how many
 * bytes they took, or -1 with *ret set when the replay must stop. */
static ssize_t replay_complete(struct replay *rp, const char *buf, size_t have,
			       int *ended, int *ret)
{
	struct nlmsghdr h;
	size_t pos = 0, len;

	while (have - pos >= sizeof(h)) {
		memcpy(&h, buf + pos, sizeof(h));
		if (h.nlmsg_len < sizeof(h) || h.nlmsg_len > REPLAY_REC_MAX) {
			*ret = replay_stop(rp, SOCK_DIAG_REPLAY_BAD);
			return -1;
		}
		len = MNL_ALIGN(h.nlmsg_len);
		if (len > have - pos)
			break;
		/* ss records TCP only, and the replies do not say so */
		*ret = replay_run(rp, AF_INET, IPPROTO_TCP, buf + pos, len);
		if (*ret < 0 || *ret == REPLAY_FULL) {
			*ret = *ret < 0 ? *ret : 0;
			return -1;
		}
		*ended = *ret;
		pos += len;
		rp->off += len;
	}
	return (ssize_t)pos;
}

/* Room in *buf (of *cap bytes) for the whole message that begins it. */
static int replay_room(char **buf, size_t *cap, size_t have)
{
	struct nlmsghdr h;
	size_t need;
	char *p;

	if (have < sizeof(h))
		return 0;
	memcpy(&h, *buf, sizeof(h));
	need = MNL_ALIGN(h.nlmsg_len);
	if (need <= *cap)
		return 0;
	p = realloc(*buf, need);
	if (!p)
		return -ENOMEM;
	*buf = p;
	*cap = need;
	return 0;
}

/*
 * ss's format: netlink messages back to back, as ss -D writes them and
 * ss reads them with TCPDIAG_FILE, read a chunk at a time.  ss stops at
 * the first NLMSG_DONE (its IPv4 dump); this reads on to the end, and
 * takes a file that does not end with one as cut short.  buf holds the
 * first have bytes.
 */
static int replay_messages(struct replay *rp, char *buf, size_t have)
{
	size_t cap = REPLAY_CHUNK;
	int ended = 0, ret = 0, eof = 0;
	ssize_t n;

	for (;;) {
		n = replay_complete(rp, buf, have, &ended, &ret);
		if (n < 0)
			break;
		memmove(buf, buf + n, have - (size_t)n);
		have -= (size_t)n;
		if (eof) {
			ret = !have && ended
				  ? 0
				  : replay_stop(rp, SOCK_DIAG_REPLAY_CUT);
			break;
		}
		ret = replay_room(&buf, &cap, have);
		n = ret ? ret : read_full(rp->fd, buf + have, cap - have);
		if (n < 0) {
			ret = (int)n;
			break;
		}
		eof = (size_t)n < cap - have;
		have += (size_t)n;
	}
	free(buf);
	return ret;
}

/* Which format the file is in, from its first bytes, and its replay. */
int sock__diag_replay_fd(struct sock_diag *d, int fd)
{
	struct replay rp = { d, fd, 0 };
	struct diag_rec h;
	struct nlmsghdr nh;
	char *buf;
	ssize_t n = read_full(fd, &h, sizeof(h));

	if (n <= 0 || (size_t)n < sizeof(h))
		return n < 0 ? (int)n : n ? -EINVAL : 0;
	if (h.magic == DIAG_REC_MAGIC)
		return replay_records(&rp, h);
	buf = malloc(REPLAY_CHUNK);
	if (!buf)
		return -ENOMEM;
	memcpy(buf, &h, sizeof(h));
	n = read_full(fd, buf + sizeof(h), REPLAY_CHUNK - sizeof(h));
	if (n >= 0 && (size_t)n + sizeof(h) >= sizeof(nh))
		memcpy(&nh, buf, sizeof(nh));
	if (n < 0 || (size_t)n + sizeof(h) < sizeof(nh) ||
	    !netlink_start(&nh)) {
		free(buf);
		return n < 0 ? (int)n : -EINVAL;
	}
	return replay_messages(&rp, buf, sizeof(h) + (size_t)n);
}

/*
 * Open without blocking: a FIFO with no writer would hold open() until
 * one comes.  A pipe or device then gets REPLAY_WAIT_MS for its first
 * byte, an end or an error; after that reads block as usual.
 */
static int replay_open(const char *path)
{
	struct pollfd p = { .events = POLLIN };
	struct stat st;
	int fd, n, err;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	p.fd = fd;
	n = fstat(fd, &st);
	if (!n && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
		do
			n = poll(&p, 1, REPLAY_WAIT_MS);
		while (n < 0 && errno == EINTR);
		if (!n)
			errno = ETIMEDOUT;
		n = n > 0 ? 0 : -1;
	}
	if (!n)
		n = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	if (n < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

static int replay(struct sock_diag *d, const char *path)
{
	int fd, ret;

	sock__diag_set_source(d, SOCK_DIAG_SRC_REPLAY);
	fd = replay_open(path);
	if (fd < 0)
		return fd;
	ret = sock__diag_replay_fd(d, fd);
	close(fd);
	return ret;
}

/* The sock_diag socket, opened, bound, written and read through the
 * traced wrappers, so that --trace shows them like any other socket's
 * calls; libmnl only builds and parses the messages. */
/* A sock_diag socket of the caller's network namespace, bound. */
int sock__diag_nl_open(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int fd, err;

	fd = sock__socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC,
			  NETLINK_SOCK_DIAG);
	if (fd < 0)
		return -errno;
	if (sock__bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		err = -errno;
		sock__close(fd);
		return err;
	}
	return fd;
}

static ssize_t nl_send(int fd, void *buf, size_t len)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	struct msghdr m = { .msg_name = &kernel,
			    .msg_namelen = sizeof(kernel),
			    .msg_iov = &iov,
			    .msg_iovlen = 1 };

	return sock__sendmsg(fd, &m, 0);
}

/* One read of replies, checked as mnl_socket_recvfrom() does. */
static ssize_t nl_recv(int fd, void *buf, size_t len)
{
	struct sockaddr_nl from;
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	struct msghdr m = { .msg_name = &from,
			    .msg_namelen = sizeof(from),
			    .msg_iov = &iov,
			    .msg_iovlen = 1 };
	ssize_t n = sock__recvmsg(fd, &m, 0);

	if (n >= 0 && (m.msg_flags & MSG_TRUNC))
		errno = ENOSPC;
	else if (n >= 0 && m.msg_namelen != sizeof(from))
		errno = EINVAL;
	else
		return n;
	return -1;
}

/* One dump request and all its replies. */
static int dump_one(int nl, struct sock_diag *d, int family, int protocol,
		    const struct sock_diag_query *q, int *rec_err, char *buf)
{
	struct diag_req r = { d, family, protocol, 0 };
	size_t len;
	ssize_t n;
	int ret;

	if (family == AF_UNIX)
		len = sock__diag_unix_request(d, buf, DIAG_BUF, 0);
	else
		len = sock__diag_inet_request(d, buf, DIAG_BUF, family,
					      protocol, 0);
	if (nl_send(nl, buf, len) < 0)
		return -errno;
	do {
		n = nl_recv(nl, buf, DIAG_BUF);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		ret = record(q, rec_err, family, protocol, buf, (size_t)n);
		if (!ret)
			ret = sock__diag_run(&r, buf, (size_t)n);
	} while (ret == 0);
	return ret < 0 ? ret : 0;
}

static const struct {
	int family, protocol;
} dumps[] = {
	{ AF_INET, IPPROTO_TCP }, { AF_INET6, IPPROTO_TCP },
	{ AF_INET, IPPROTO_UDP }, { AF_INET6, IPPROTO_UDP },
	{ AF_INET, IPPROTO_RAW }, { AF_INET6, IPPROTO_RAW },
	{ AF_UNIX, 0 },
};
#define NDUMPS (sizeof(dumps) / sizeof(dumps[0]))

static int needed(const struct sock_diag *d, size_t i)
{
	return sock__diag_wants(d, dumps[i].family, dumps[i].protocol) &&
	       sock__diag_mask(d, dumps[i].family, dumps[i].protocol);
}

/* A dump the kernel cannot answer (module missing) falls back to
 * /proc/net for that protocol only. */
static int unsupported(int err)
{
	return err == -ENOENT || err == -EOPNOTSUPP || err == -EINVAL ||
	       err == -EPROTONOSUPPORT;
}

/* Every dump on nl.  root is where /proc/net shows nl's namespace
 * (for what the kernel cannot dump), NULL for another namespace, where
 * such a dump is left out. */
static int dump_all(int nl, struct sock_diag *d, const char *root,
		    const struct sock_diag_query *q, char *buf)
{
	int ret = 0, rec_err = 0;

	for (size_t i = 0; i < NDUMPS && !ret; i++) {
		if (!needed(d, i))
			continue;
		ret = dump_one(nl, d, dumps[i].family, dumps[i].protocol, q,
			       &rec_err, buf);
		/* (not when the error is the record hook's) */
		if (unsupported(ret) && !sock__diag_emit_err(d) && !rec_err) {
			if (!root) {
				ret = 0;
				continue;
			}
			sock__diag_set_source(d, SOCK_DIAG_SRC_MIXED);
			ret = sock__proc_net_read(d, root, dumps[i].family,
						  dumps[i].protocol);
		}
	}
	return ret;
}

/*
 * A sock_diag socket in namespace nsfd: this thread enters it, opens
 * the socket (which stays bound to it), and goes back to orig.  A
 * failure to go back is fatal (-ENOTRECOVERABLE): nothing after it
 * could be trusted to run where it should.
 */
static int nl_open_in(int nsfd, int orig)
{
	int nl;

	if (setns(nsfd, CLONE_NEWNET) < 0)
		return -errno;
	nl = sock__diag_nl_open();
	if (setns(orig, CLONE_NEWNET) < 0) {
		if (nl >= 0)
			sock__close(nl);
		return -ENOTRECOVERABLE;
	}
	return nl;
}

/* The dumps of each namespace of the set, each row tagged with it;
 * one that cannot be entered is counted and skipped. */
static int from_namespaces(struct sock_diag *d, const char *root,
			   const struct sock_diag_query *q,
			   const struct sock_netns_set *set, char *buf)
{
	int orig = -1, nl, ret = 0;

	for (size_t i = 0; i < sock_netns_count(set) && !ret; i++) {
		const struct sock_netns *ns = sock_netns_get(set, i);

		sock__diag_set_netns(d, (uint32_t)i);
		if (!ns->self && orig < 0)
			orig = open("/proc/thread-self/ns/net",
				    O_RDONLY | O_CLOEXEC);
		if (ns->self)
			nl = sock__diag_nl_open();
		else if (ns->fd < 0 || orig < 0)
			nl = -EBADF;
		else
			nl = nl_open_in(ns->fd, orig);
		if (nl == -ENOTRECOVERABLE || (ns->self && nl < 0)) {
			ret = nl;
			break;
		}
		if (nl < 0) {
			sock__diag_netns_fail(d, nl);
			continue;
		}
		ret = dump_all(nl, d, ns->self ? root : NULL, q, buf);
		sock__close(nl);
	}
	if (orig >= 0)
		close(orig);
	return ret;
}

static int from_netlink(struct sock_diag *d, const char *root,
			const struct sock_diag_query *q)
{
	char *buf;
	int nl, ret;

	buf = malloc(DIAG_BUF);
	if (!buf)
		return -ENOMEM;
	sock__diag_set_source(d, SOCK_DIAG_SRC_NETLINK);
	if (q->netns) {
		ret = from_namespaces(d, root, q, q->netns, buf);
		free(buf);
		return ret;
	}
	nl = sock__diag_nl_open();
	if (nl < 0) {
		free(buf);
		return nl;
	}
	ret = dump_all(nl, d, root, q, buf);
	free(buf);
	sock__close(nl);
	return ret;
}

static int from_proc(struct sock_diag *d, const char *root)
{
	int ret = 0;

	sock__diag_set_source(d, SOCK_DIAG_SRC_PROCFS);
	for (size_t i = 0; i < NDUMPS && !ret; i++)
		if (needed(d, i))
			ret = sock__proc_net_read(d, root, dumps[i].family,
						  dumps[i].protocol);
	return ret;
}

int sock__diag_collect(struct sock_diag *d, const struct sock_diag_query *q,
		       const char *root)
{
	int ret;

	if (q->replay)
		return replay(d, q->replay);
	if (q->flags & SOCK_DIAG_PROCFS)
		return from_proc(d, root);
	ret = from_netlink(d, root, q);
	/* No sock_diag at all (old kernel, seccomp): text files. */
	if ((ret == -EPROTONOSUPPORT || ret == -EAFNOSUPPORT ||
	     ret == -EACCES || ret == -EPERM) &&
	    !sock__diag_emitted(d)) {
		sock__diag_clear(d);
		if (!q->record)
			ret = from_proc(d, root);
	}
	return ret;
}
