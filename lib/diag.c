/*
 * lib/diag.c - the socket snapshot: its storage, the netlink dump loop,
 * the record/replay hook and the fallback to /proc/net.
 *
 * Sockets are kept as fixed-size records in one growing array (no
 * allocation per socket); Unix names go into one byte pool.  Or, for
 * sock_diag_stream(), each goes to a callback as it is parsed and
 * nothing is kept.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>

#include "diag_internal.h"
#include "sys.h"

/* Room for one recv() of a dump: the kernel fills at most 32 KiB. */
#define DIAG_BUF (64 * 1024)

static const char *const state_names[SOCK_DIAG_STATE_MAX] = {
	"unknown",    "established", "syn-sent",     "syn-recv",   "fin-wait-1",
	"fin-wait-2", "time-wait",   "close",	     "close-wait", "last-ack",
	"listen",     "closing",     "new-syn-recv",
};

const char *sock_diag_state_name(int state)
{
	if (state <= 0 || state >= SOCK_DIAG_STATE_MAX)
		return "unknown";
	return state_names[state];
}

struct sock_diag *sock__diag_new(const struct sock_diag_query *q)
{
	struct sock_diag *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->protocols = q->protocols ? q->protocols : SOCK_DIAG_ALL;
	d->family = q->family;
	d->states = q->states ? q->states : SOCK_DIAG_STATES_ALL;
	d->filter = q->filter;
	d->role = q->role;
	d->states &= sock__diag_filter_states(q->filter);
	return d;
}

void sock_diag_free(struct sock_diag *d)
{
	if (!d)
		return;
	free(d->ent);
	free(d->names);
	free(d->slots);
	free(d->owners);
	free(d->commands[0]);
	free(d->commands[1]);
	free(d);
}

static unsigned int proto_bit(int family, int protocol)
{
	if (family == AF_UNIX)
		return SOCK_DIAG_UNIX;
	switch (protocol) {
	case IPPROTO_TCP:
		return SOCK_DIAG_TCP;
	case IPPROTO_UDP:
		return SOCK_DIAG_UDP;
	case IPPROTO_RAW:
		return SOCK_DIAG_RAW;
	}
	return 0;
}

int sock__diag_wants(const struct sock_diag *d, int family, int protocol)
{
	if (!(d->protocols & proto_bit(family, protocol)))
		return 0;
	return family == AF_UNIX || d->family == AF_UNSPEC ||
	       d->family == family;
}

uint32_t sock__diag_mask(const struct sock_diag *d, int family, int protocol)
{
	/* "Servers" are listeners, or for datagrams the unconnected. */
	uint32_t server = 1u << SOCK_DIAG_LISTEN;

	if (family != AF_UNIX && protocol != IPPROTO_TCP)
		server = 1u << SOCK_DIAG_CLOSE;
	if (d->role == SOCK_DIAG_SERVERS)
		return d->states & server;
	if (d->role == SOCK_DIAG_CLIENTS)
		return d->states & ~server;
	return d->states;
}

/* The kernel filters too, but replayed and /proc data are not. */
static int selected(const struct sock_diag *d, const struct sock_diag_entry *e)
{
	if (!sock__diag_wants(d, e->family, e->protocol))
		return 0;
	if (e->state >= 32 ||
	    !(sock__diag_mask(d, e->family, e->protocol) & (1u << e->state)))
		return 0;
	return sock_diag_filter_match(d->filter, e);
}

int sock__diag_add(struct sock_diag *d, const struct sock_diag_entry *e)
{
	if (!selected(d, e))
		return 0;
	if (d->emit) {
		d->emitted++;
		d->emit_err = d->emit(e, d->emit_arg);
		return d->emit_err;
	}
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 256;
		void *p = realloc(d->ent, cap * sizeof(*d->ent));

		if (!p)
			return -ENOMEM;
		d->ent = p;
		d->cap = cap;
	}
	d->ent[d->n++] = *e;
	return 0;
}

int sock__diag_add_name(struct sock_diag *d, struct sock_diag_entry *e,
			const void *name, size_t len)
{
	if (len > UINT16_MAX)
		return -EINVAL;
	if (!len)
		return 0; /* an empty name is no name */
	if (d->names_len + len > d->names_cap) {
		size_t cap = d->names_cap ? d->names_cap : 4096;
		void *p;

		while (cap < d->names_len + len)
			cap *= 2;
		p = realloc(d->names, cap);
		if (!p)
			return -ENOMEM;
		d->names = p;
		d->names_cap = cap;
	}
	memcpy(d->names + d->names_len, name, len);
	e->un.name_off = (uint32_t)d->names_len;
	e->un.name_len = (uint16_t)len;
	d->names_len += len;
	return 0;
}

size_t sock_diag_count(const struct sock_diag *d)
{
	return d->n;
}

const struct sock_diag_entry *sock_diag_get(const struct sock_diag *d, size_t i)
{
	return i < d->n ? &d->ent[i] : NULL;
}

size_t sock_diag_unix_name(const struct sock_diag *d,
			   const struct sock_diag_entry *e, const char **name)
{
	if (e->family != AF_UNIX || !e->un.name_len) {
		*name = "";
		return 0;
	}
	*name = d->names + e->un.name_off;
	return e->un.name_len;
}

unsigned int sock_diag_hidden(const struct sock_diag *d)
{
	return d->hidden;
}

int sock_diag_source(const struct sock_diag *d)
{
	return d->source;
}

static int message(const struct nlmsghdr *h, void *arg)
{
	struct sock__diag_req *r = arg;
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
	if (err == -ENOMEM || (err && r->d->emit_err)) {
		r->err = err;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

/* A dump the kernel cannot do ends with NLMSG_DONE carrying an error
 * (-ENOENT without raw_diag), which libmnl would take for success. */
static int done(const struct nlmsghdr *h, void *arg)
{
	struct sock__diag_req *r = arg;
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
	struct sock__diag_req *r = arg;
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

int sock__diag_run(struct sock__diag_req *r, const void *buf, size_t len)
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
	struct sock__diag_rec h = {
		.magic = SOCK__DIAG_MAGIC,
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
static int replay_record(struct sock_diag *d, const struct sock__diag_rec *h,
			 const void *data)
{
	struct sock__diag_req r = { d, h->family, h->protocol, 0 };
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
	return ret == -ENOMEM || (ret < 0 && d->emit_err);
}

int sock__diag_replay_buf(struct sock_diag *d, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	struct sock__diag_rec h;
	int ret;

	while (len >= sizeof(h)) {
		memcpy(&h, p, sizeof(h));
		if (h.magic != SOCK__DIAG_MAGIC || h.len > len - sizeof(h))
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
	struct sock__diag_rec h;
	void *buf = NULL;
	ssize_t n;
	int ret = 0;

	while (!ret) {
		n = read_full(fd, &h, sizeof(h));
		if (n <= 0 || (size_t)n < sizeof(h)) {
			ret = n < 0 ? (int)n : n ? -EINVAL : 0;
			break;
		}
		if (h.magic != SOCK__DIAG_MAGIC || h.len > REPLAY_REC_MAX) {
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
		    &(struct sock__diag_req){ d, h.family, h.protocol, 0 }, buf,
		    h.len);
		ret = replay_fatal(d, ret) ? ret : 0;
	}
	free(buf);
	return ret;
}

static int replay(struct sock_diag *d, const char *path)
{
	int fd, ret;

	d->source = SOCK_DIAG_SRC_REPLAY;
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
	struct sock__diag_req r = { d, family, protocol, 0 };
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

static int from_netlink(struct sock_diag *d, const char *root,
			const struct sock_diag_query *q)
{
	char *buf;
	int nl, ret = 0, rec_err = 0;

	nl = nl_open();
	if (nl < 0)
		return nl;
	buf = malloc(DIAG_BUF);
	if (!buf)
		ret = -ENOMEM;
	d->source = SOCK_DIAG_SRC_NETLINK;
	for (size_t i = 0; i < NDUMPS && !ret; i++) {
		if (!needed(d, i))
			continue;
		ret = dump_one(nl, d, dumps[i].family, dumps[i].protocol, q,
			       &rec_err, buf);
		/* (not when the error is the record hook's) */
		if (unsupported(ret) && !d->emit_err && !rec_err) {
			d->source = SOCK_DIAG_SRC_MIXED;
			ret = sock__proc_net_read(d, root, dumps[i].family,
						  dumps[i].protocol);
		}
	}
	free(buf);
	sock__close(nl);
	return ret;
}

static int from_proc(struct sock_diag *d, const char *root)
{
	int ret = 0;

	d->source = SOCK_DIAG_SRC_PROCFS;
	for (size_t i = 0; i < NDUMPS && !ret; i++)
		if (needed(d, i))
			ret = sock__proc_net_read(d, root, dumps[i].family,
						  dumps[i].protocol);
	return ret;
}

static int collect(struct sock_diag *d, const struct sock_diag_query *q,
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
	    !d->emitted) {
		d->n = 0;
		d->names_len = 0;
		if (!q->record)
			ret = from_proc(d, root);
	}
	return ret;
}

int sock_diag_snapshot(const struct sock_diag_query *q, struct sock_diag **out)
{
	static const struct sock_diag_query all;
	struct sock__proc_pass *pass = NULL;
	const char *root;
	struct sock_diag *d;
	int ret = 0, ret2;

	if (!q)
		q = &all;
	root = q->proc_root ? q->proc_root : "/proc";
	d = sock__diag_new(q);
	if (!d)
		return -ENOMEM;
	if (q->flags & SOCK_DIAG_OWNERS)
		ret = sock__proc_start(root, &pass);
	if (!ret)
		ret = collect(d, q, root);
	if (!ret)
		ret = sock__diag_unix_refcnt(d);
	if (pass) {
		ret2 = sock__proc_finish(d, pass, !ret);
		ret = ret ? ret : ret2;
	}
	if (ret) {
		sock_diag_free(d);
		return ret;
	}
	*out = d;
	return 0;
}

int sock_diag_stream(const struct sock_diag_query *q,
		     int (*fn)(const struct sock_diag_entry *e, void *arg),
		     void *arg, int *source)
{
	struct sock_diag *d;
	int ret;

	if (!q || !fn || (q->flags & SOCK_DIAG_OWNERS))
		return -EINVAL;
	d = sock__diag_new(q);
	if (!d)
		return -ENOMEM;
	if (d->protocols & SOCK_DIAG_UNIX) {
		sock_diag_free(d);
		return -EINVAL;
	}
	d->emit = fn;
	d->emit_arg = arg;
	ret = collect(d, q, q->proc_root ? q->proc_root : "/proc");
	if (!ret)
		*source = d->source;
	sock_diag_free(d);
	return ret;
}
