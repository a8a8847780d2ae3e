/*
 * lib/diag_dump.c - the dump driver: a netlink request per (family,
 * protocol) and its replies through the parsers, the record hook,
 * recorded files replayed, and the fallback to /proc/net.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/socket.h>
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

/*
 * The file one record at a time, as a stream: its size is not trusted
 * (a pipe or a character device has none), memory stays at one record,
 * and a file that is not a dump (/dev/zero) fails at its first header.
 */
static int replay_fd(struct sock_diag *d, int fd)
{
	struct diag_rec h;
	void *buf = NULL;
	ssize_t n;
	int ret = 0;

	while (!ret) {
		n = read_full(fd, &h, sizeof(h));
		if (n <= 0 || (size_t)n < sizeof(h)) {
			ret = n < 0 ? (int)n : n ? -EINVAL : 0;
			break;
		}
		if (h.magic != DIAG_REC_MAGIC || h.len > REPLAY_REC_MAX) {
			ret = -EINVAL;
			break;
		}
		free(buf);
		buf = malloc(h.len ? h.len : 1);
		if (!buf)
			return -ENOMEM;
		n = read_full(fd, buf, h.len);
		if (n < 0 || (size_t)n < h.len) {
			ret = n < 0 ? (int)n : -EINVAL;
			break;
		}
		ret = sock__diag_run(
		    &(struct diag_req){ d, h.family, h.protocol, 0 }, buf,
		    h.len);
		ret = replay_fatal(d, ret) ? ret : 0;
	}
	free(buf);
	return ret;
}

static int replay(struct sock_diag *d, const char *path)
{
	int fd, ret;

	sock__diag_set_source(d, SOCK_DIAG_SRC_REPLAY);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = replay_fd(d, fd);
	close(fd);
	return ret;
}

/* The sock_diag socket, opened, bound, written and read through the
 * traced wrappers, so that --trace shows them like any other socket's
 * calls; libmnl only builds and parses the messages. */
static int nl_open(void)
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
	nl = nl_open();
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
			nl = nl_open();
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
	nl = nl_open();
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
