/*
 * lib/trace.c - what --trace prints: each socket call lib/sys.c makes,
 * described as "name(decoded arguments) = result", with bulk data calls
 * folded into one summary line per run.
 */
#include <errno.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sock/addr.h>
#include <sock/sock.h>

#include "sys.h"
#include "trace_internal.h"

#ifndef SOCK_NO_TRACE
sock_trace_fn sock__trace_fn;
#endif
static void *trace_arg;
static unsigned int fold_shown = 3;

void sock_trace_set(sock_trace_fn fn, void *arg)
{
#ifndef SOCK_NO_TRACE
	sock__trace_fn = fn;
#else
	(void)fn;
#endif
	trace_arg = arg;
}

void sock__tracef(int err, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	if (!sock__trace_fn)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	sock__trace_fn(line, err, trace_arg);
}

/* ---- decoding ---------------------------------------------------- */

struct name {
	int value;
	const char *name;
};

static const char *lookup(const struct name *t, int value)
{
	for (; t->name; t++)
		if (t->value == value)
			return t->name;
	return NULL;
}

#define N(x)                                                                   \
	{                                                                      \
		x, #x                                                          \
	}
static const struct name families[] = {
	N(AF_INET),    N(AF_INET6),  N(AF_UNIX),
	N(AF_NETLINK), N(AF_UNSPEC), { 0, NULL }
};
static const struct name types[] = { N(SOCK_STREAM),
				     N(SOCK_DGRAM),
				     N(SOCK_SEQPACKET),
				     N(SOCK_RAW),
				     { 0, NULL } };
static const struct name protocols[] = { N(IPPROTO_TCP),
					 N(IPPROTO_UDP),
					 { 0, NULL } };
static const struct name netlinks[] = { N(NETLINK_SOCK_DIAG),
					N(NETLINK_ROUTE),
					{ 0, NULL } };
static const struct name levels[] = { N(SOL_SOCKET),
				      N(IPPROTO_IPV6),
				      N(IPPROTO_TCP),
				      N(IPPROTO_IP),
				      { 0, NULL } };
static const struct name sockopts[] = { N(SO_REUSEADDR), N(SO_REUSEPORT),
					N(SO_ERROR),	 N(SO_KEEPALIVE),
					N(SO_RCVBUF),	 N(SO_SNDBUF),
					N(SO_TYPE),	 N(SO_LINGER),
					{ 0, NULL } };
static const struct name ip6opts[] = { N(IPV6_V6ONLY), { 0, NULL } };
static const struct name tcpopts[] = { N(TCP_NODELAY),	N(TCP_INFO),
				       N(TCP_KEEPIDLE), N(TCP_KEEPINTVL),
				       N(TCP_KEEPCNT),	N(TCP_USER_TIMEOUT),
				       { 0, NULL } };
static const struct name hows[] = {
	N(SHUT_RD), N(SHUT_WR), N(SHUT_RDWR), { 0, NULL }
};
#undef N

/* Symbolic name or the number, in a caller-provided buffer. */
static const char *sym(const struct name *t, int value, char *buf, size_t len)
{
	const char *s = lookup(t, value);

	if (s)
		return s;
	snprintf(buf, len, "%d", value);
	return buf;
}

static const char *sockopt_name(int level, int name, char *buf, size_t len)
{
	if (level == SOL_SOCKET)
		return sym(sockopts, name, buf, len);
	if (level == IPPROTO_IPV6)
		return sym(ip6opts, name, buf, len);
	if (level == IPPROTO_TCP)
		return sym(tcpopts, name, buf, len);
	snprintf(buf, len, "%d", name);
	return buf;
}

/* "SOCK_STREAM|SOCK_CLOEXEC": the flags or'ed into socket()'s type. */
static void type_name(int type, char *buf, size_t len)
{
	char num[16];
	int base = type & ~(SOCK_CLOEXEC | SOCK_NONBLOCK);

	snprintf(buf, len, "%s%s%s", sym(types, base, num, sizeof(num)),
		 type & SOCK_NONBLOCK ? "|SOCK_NONBLOCK" : "",
		 type & SOCK_CLOEXEC ? "|SOCK_CLOEXEC" : "");
}

static void addr_text(const struct sockaddr *sa, socklen_t len, char *buf,
		      size_t size)
{
	if (sa && sa->sa_family == AF_NETLINK &&
	    len >= sizeof(struct sockaddr_nl))
		/* "netlink:0": the kernel's end is port id 0 */
		snprintf(buf, size, "netlink:%u",
			 ((const struct sockaddr_nl *)sa)->nl_pid);
	else if (!sa || sock_addr_format_sa(sa, len, buf, size) < 0)
		snprintf(buf, size, "?");
}

/* " = 3" or " = -1 ECONNREFUSED", from a call's result and errno. */
static void result(long ret, int err, char *buf, size_t len)
{
	const char *name;

	if (ret >= 0) {
		snprintf(buf, len, "%ld", ret);
		return;
	}
	name = strerrorname_np(err);
	snprintf(buf, len, "-1 %s", name ? name : "E?");
}

/* Trace a call whose description is already formatted. */
static void emit(const char *call, long ret, int err)
{
	char res[64];

	result(ret, err, res, sizeof(res));
	sock__tracef(ret < 0 ? -err : 0, "%s = %s", call, res);
}

/* ---- folding of bulk data calls ------------------------------------ */

/* A run of data calls on one descriptor ends after this long without
 * one: its summary is due, and the next call starts a new run. */
#define QUIET_MS 1000

struct fold {
	int fd;
	const char *op;
	unsigned int shown;
	unsigned long long folded, bytes;
	long long last_ms; /* the run's last call */
};

#define NFOLDS 16
static struct fold folds[NFOLDS];

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Decimal digits of v at the end of buf[0..size); returns the start. */
static char *utoa(unsigned long long v, char *end)
{
	*--end = '\0';
	do
		*--end = (char)('0' + v % 10);
	while (v /= 10);
	return end;
}

/* Append s to buf[*off..size), leaving room for the NUL. */
static void append(char *buf, size_t size, size_t *off, const char *s)
{
	while (*s && *off + 1 < size)
		buf[(*off)++] = *s++;
	buf[*off] = '\0';
}

/* "recv(4)", or "splice(6 -> pipe)" for an op with a "%d" for the
 * descriptor: what a summary line names, built without stdio (a signal
 * handler builds it too). */
static void fold_label(const struct fold *f, char *buf, size_t size)
{
	const char *at = strstr(f->op, "%d");
	char num[24];
	size_t off = 0;

	buf[0] = '\0';
	if (!at) {
		append(buf, size, &off, f->op);
		append(buf, size, &off, "(");
	} else {
		for (const char *c = f->op; c < at && off + 1 < size; c++)
			buf[off++] = *c;
		buf[off] = '\0';
	}
	append(buf, size, &off,
	       utoa((unsigned long long)f->fd, num + sizeof(num)));
	append(buf, size, &off, at ? at + 2 : ")");
}

/* The summary of the calls folded so far; the run goes on. */
static void fold_summary(struct fold *f)
{
	char label[64];

	if (f->folded) {
		fold_label(f, label, sizeof(label));
		sock__tracef(0, "... %llu more %s calls folded, %llu bytes",
			     f->folded, label, f->bytes);
	}
	f->folded = 0;
	f->bytes = 0;
}

/* The summary, and the run is over. */
static void fold_emit(struct fold *f)
{
	fold_summary(f);
	f->op = NULL;
	f->shown = 0;
}

static struct fold *fold_slot(int fd, const char *op)
{
	struct fold *free_slot = NULL;

	for (int i = 0; i < NFOLDS; i++) {
		if (folds[i].op == op && folds[i].fd == fd)
			return &folds[i];
		if (!folds[i].op && !free_slot)
			free_slot = &folds[i];
	}
	if (!free_slot) {
		free_slot = &folds[fd % NFOLDS];
		fold_emit(free_slot);
	}
	free_slot->fd = fd;
	free_slot->op = op;
	return free_slot;
}

/* Decide whether a data call is shown; count it when folded.  Failures
 * other than "try again" are always shown, and so is a call that must
 * be (a datagram from a new sender), after the summary of the calls
 * before it, so that the order stays true. */
static int data_shown(int fd, const char *op, ssize_t ret, size_t bytes,
		      int err, int must)
{
	long long now = now_ms();
	struct fold *f;

	if (ret < 0 && err != EAGAIN)
		return 1;
	f = fold_slot(fd, op);
	if (f->shown && now - f->last_ms >= QUIET_MS) {
		/* After a pause: a new run, shown from its start. */
		fold_emit(f);
		f->fd = fd;
		f->op = op;
	}
	f->last_ms = now;
	if (must)
		fold_summary(f);
	if (must || !fold_shown || f->shown < fold_shown) {
		if (f->shown < fold_shown)
			f->shown++;
		return 1;
	}
	f->folded++;
	f->bytes += bytes;
	return 0;
}

/* ---- the senders a datagram socket has heard from -------------------- */

/* Who sent a datagram is the lesson of a datagram trace: the first one
 * from each sender is shown, folding or not.  The last NSEEN senders are
 * remembered. */
#define NSEEN 64
static struct seen {
	int fd; /* -1: free */
	socklen_t len;
	struct sockaddr_storage a;
} seen[NSEEN] = { [0 ... NSEEN - 1] = { .fd = -1 } };
static unsigned int seen_next;

/* 1 if fd has not heard from sa before (and remember it now). */
static int new_sender(int fd, const struct sockaddr *sa, socklen_t len)
{
	struct seen *s;

	if (len > sizeof(s->a))
		len = sizeof(s->a);
	for (int i = 0; i < NSEEN; i++)
		if (seen[i].fd == fd && seen[i].len == len &&
		    !memcmp(&seen[i].a, sa, len))
			return 0;
	s = &seen[seen_next++ % NSEEN];
	s->fd = fd;
	s->len = len;
	memcpy(&s->a, sa, len);
	return 1;
}

static void forget_senders(int fd)
{
	for (int i = 0; i < NSEEN; i++)
		if (seen[i].fd == fd)
			seen[i].fd = -1;
}

void sock__trace_fd_flush(int fd, int closing)
{
	for (int i = 0; i < NFOLDS; i++)
		if (folds[i].op && folds[i].fd == fd)
			fold_emit(&folds[i]);
	if (closing)
		forget_senders(fd);
}

void sock_trace_flush(void)
{
	for (int i = 0; i < NFOLDS; i++)
		if (folds[i].op)
			fold_emit(&folds[i]);
}

int sock__trace_quiet_ms(void)
{
	long long now = now_ms(), left, first = -1;

	for (int i = 0; i < NFOLDS; i++) {
		if (!folds[i].op || !folds[i].folded)
			continue;
		left = folds[i].last_ms + QUIET_MS - now;
		if (left < 0)
			left = 0;
		if (first < 0 || left < first)
			first = left;
	}
	return (int)first;
}

void sock__trace_quiet(void)
{
	long long now = now_ms();

	for (int i = 0; i < NFOLDS; i++)
		if (folds[i].op && folds[i].folded &&
		    now - folds[i].last_ms >= QUIET_MS)
			fold_emit(&folds[i]);
}

size_t sock_trace_fold_text(char *buf, size_t size)
{
	char num[24], label[64];
	size_t off = 0;

	if (!size)
		return 0;
	buf[0] = '\0';
	for (int i = 0; i < NFOLDS; i++) {
		struct fold *f = &folds[i];

		if (!f->op || !f->folded)
			continue;
		append(buf, size, &off, "... ");
		append(buf, size, &off, utoa(f->folded, num + sizeof(num)));
		append(buf, size, &off, " more ");
		fold_label(f, label, sizeof(label));
		append(buf, size, &off, label);
		append(buf, size, &off, " calls folded, ");
		append(buf, size, &off, utoa(f->bytes, num + sizeof(num)));
		append(buf, size, &off, " bytes\n");
		f->folded = 0;
		f->bytes = 0;
	}
	return off;
}

/* ---- the workflow calls ---------------------------------------------- */

void sock__trace_socket(int domain, int type, int protocol, int ret, int err)
{
	char call[160], f[16], t[64], p[24];
	const struct name *protos = domain == AF_NETLINK ? netlinks : protocols;

	type_name(type, t, sizeof(t));
	snprintf(call, sizeof(call), "socket(%s, %s, %s)",
		 sym(families, domain, f, sizeof(f)), t,
		 protocol || domain == AF_NETLINK
		     ? sym(protos, protocol, p, sizeof(p))
		     : "0");
	emit(call, ret, err);
}

void sock__trace_setsockopt_int(int fd, int level, int name, int value, int ret,
				int err)
{
	char call[160], l[16], n[16];

	snprintf(call, sizeof(call), "setsockopt(%d, %s, %s, %d)", fd,
		 sym(levels, level, l, sizeof(l)),
		 sockopt_name(level, name, n, sizeof(n)), value);
	emit(call, ret, err);
}

/* "setsockopt(6, SOL_SOCKET, SO_LINGER, {on, 0 s})": the reset to come */
void sock__trace_setsockopt_linger(int fd, int onoff, int secs, int ret,
				   int err)
{
	char call[96];

	snprintf(call, sizeof(call),
		 "setsockopt(%d, SOL_SOCKET, SO_LINGER, {%s, %d s})", fd,
		 onoff ? "on" : "off", secs);
	emit(call, ret, err);
}

void sock__trace_getsockopt_int(int fd, int level, int name, int value, int ret,
				int err)
{
	char call[160], l[16], n[16];

	snprintf(call, sizeof(call), "getsockopt(%d, %s, %s)", fd,
		 sym(levels, level, l, sizeof(l)),
		 sockopt_name(level, name, n, sizeof(n)));
	if (ret < 0)
		emit(call, ret, err);
	else if (level == SOL_SOCKET && name == SO_TYPE)
		sock__tracef(0, "%s = 0 [%s]", call,
			     sym(types, value, n, sizeof(n)));
	else
		sock__tracef(0, "%s = 0 [%d]", call, value);
}

void sock__trace_getsockopt_error(int fd, int soerr, int ret, int err)
{
	const char *name = soerr ? strerrorname_np(soerr) : NULL;

	if (ret < 0)
		emit("getsockopt(SO_ERROR)", ret, err);
	else
		sock__tracef(soerr ? -soerr : 0,
			     "getsockopt(%d, SOL_SOCKET, SO_ERROR) = 0 [%s]",
			     fd, name ? name : "no error");
}

void sock__trace_addr_call(const char *op, int fd, const struct sockaddr *sa,
			   socklen_t len, int ret, int err)
{
	char call[SOCK_ADDR_STR_MAX + 64], a[SOCK_ADDR_STR_MAX];

	addr_text(sa, len, a, sizeof(a));
	snprintf(call, sizeof(call), "%s(%d, %s)", op, fd, a);
	emit(call, ret, err);
}

void sock__trace_listen(int fd, int backlog, int ret, int err)
{
	char call[64];

	snprintf(call, sizeof(call), "listen(%d, %d)", fd, backlog);
	emit(call, ret, err);
}

/* "accept4(3) = 4 peer ADDR", "getsockname(3) = ADDR" */
void sock__trace_name_call(const char *op, int fd, const struct sockaddr *sa,
			   socklen_t len, int ret, int err)
{
	char call[32], a[SOCK_ADDR_STR_MAX];
	int accepting = !strcmp(op, "accept4");

	snprintf(call, sizeof(call), "%s(%d)", op, fd);
	if (ret < 0) {
		emit(call, ret, err);
		return;
	}
	addr_text(sa, len, a, sizeof(a));
	if (accepting)
		sock__tracef(0, "%s = %d peer %s", call, ret, a);
	else
		sock__tracef(0, "%s = %s", call, a);
}

void sock__trace_poll_connect(int fd, int timeout_ms, int ret, int err)
{
	char call[64];

	snprintf(call, sizeof(call), "poll(%d, POLLOUT, %d ms)", fd,
		 timeout_ms);
	emit(call, ret, err);
}

void sock__trace_shutdown(int fd, int how, int ret, int err)
{
	char call[64], h[16];

	snprintf(call, sizeof(call), "shutdown(%d, %s)", fd,
		 sym(hows, how, h, sizeof(h)));
	emit(call, ret, err);
}

void sock__trace_close(int fd, int ret, int err)
{
	char call[32];

	snprintf(call, sizeof(call), "close(%d)", fd);
	emit(call, ret, err);
}

void sock__trace_unlink(const char *path, int ret, int err)
{
	char call[SOCK_ADDR_STR_MAX];

	snprintf(call, sizeof(call), "unlink(\"%s\")", path);
	emit(call, ret, err);
}

/* "[::1]:80, 127.0.0.1:80": every address a lookup returned. */
void sock__trace_getaddrinfo(const char *host, const char *service, int ret,
			     const struct addrinfo *res)
{
	char list[900], a[SOCK_ADDR_STR_MAX];
	size_t off = 0;

	list[0] = '\0';
	for (; !ret && res && off < sizeof(list); res = res->ai_next) {
		addr_text(res->ai_addr, res->ai_addrlen, a, sizeof(a));
		off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%s",
					off ? ", " : "", a);
	}
	if (ret)
		sock__tracef(-(SOCK_ERR_EAI_BASE - ret),
			     "getaddrinfo(\"%s\", \"%s\") = %s", host, service,
			     gai_strerror(ret));
	else
		sock__tracef(0, "getaddrinfo(\"%s\", \"%s\") = %s", host,
			     service, list);
}

/* ---- the data calls -------------------------------------------------- */

void sock__trace_data(const char *op, int fd, size_t len, ssize_t ret, int err,
		      const struct sockaddr *sa, socklen_t salen)
{
	char call[SOCK_ADDR_STR_MAX + 64], a[SOCK_ADDR_STR_MAX];
	int must = sa && ret >= 0 && !strcmp(op, "recvfrom") &&
		   new_sender(fd, sa, salen);

	if (!data_shown(fd, op, ret, ret > 0 ? (size_t)ret : 0, err, must))
		return;
	if (sa && ret >= 0) {
		addr_text(sa, salen, a, sizeof(a));
		if (!strcmp(op, "sendto"))
			snprintf(call, sizeof(call), "sendto(%d, %zu, %s)", fd,
				 len, a);
		else
			snprintf(call, sizeof(call), "%s(%d, %zu) from %s", op,
				 fd, len, a);
	} else {
		snprintf(call, sizeof(call), "%s(%d, %zu)", op, fd, len);
	}
	if (sa && ret >= 0 && strcmp(op, "sendto"))
		/* "recvfrom(3, 65536) = 5 from 127.0.0.1:9000" */
		sock__tracef(0, "%s(%d, %zu) = %zd from %s", op, fd, len, ret,
			     a);
	else
		emit(call, ret, err);
}

/* " from A, B": the senders in v[0..n) fd had not heard from; empty
 * when there is none.  Returns 1 when there is one. */
static int new_senders(int fd, const struct mmsghdr *v, int n, char *buf,
		       size_t size)
{
	char a[SOCK_ADDR_STR_MAX];
	size_t off = 0;

	buf[0] = '\0';
	for (int i = 0; i < n; i++) {
		const struct msghdr *h = &v[i].msg_hdr;

		if (!h->msg_name || !h->msg_namelen ||
		    !new_sender(fd, h->msg_name, h->msg_namelen))
			continue;
		addr_text(h->msg_name, h->msg_namelen, a, sizeof(a));
		if (off < size)
			off += (size_t)snprintf(buf + off, size - off, "%s%s",
						off ? ", " : " from ", a);
	}
	return off > 0;
}

/* "recvmmsg(7, 32 msgs) = 5 from 127.0.0.1:40000": a batch, folded like
 * single calls; a batch that brings a new sender is shown, naming it. */
void sock__trace_mmsg(const char *op, int fd, const struct mmsghdr *v,
		      unsigned int n, int ret, int err)
{
	char from[512] = "", call[64];
	size_t bytes = 0;
	int must = 0;

	for (int i = 0; i < ret; i++)
		bytes += v[i].msg_len;
	if (ret > 0 && !strcmp(op, "recvmmsg"))
		must = new_senders(fd, v, ret, from, sizeof(from));
	if (!data_shown(fd, op, ret, bytes, err, must))
		return;
	snprintf(call, sizeof(call), "%s(%d, %u msg%s)", op, fd, n,
		 n == 1 ? "" : "s");
	if (ret < 0)
		emit(call, ret, err);
	else
		sock__tracef(0, "%s = %d%s", call, ret, from);
}

/* "sendmsg(3, 76, netlink:0) = 76", "recvmsg(3, 32768) = 4096": folded
 * like send/recv; the size is the whole of the message's buffers. */
void sock__trace_msg(const char *op, int fd, const struct msghdr *m,
		     ssize_t ret, int err)
{
	char call[SOCK_ADDR_STR_MAX + 64], a[SOCK_ADDR_STR_MAX];
	size_t len = 0;

	if (!data_shown(fd, op, ret, ret > 0 ? (size_t)ret : 0, err, 0))
		return;
	for (size_t i = 0; i < m->msg_iovlen; i++)
		len += m->msg_iov[i].iov_len;
	if (m->msg_name && !strcmp(op, "sendmsg")) {
		addr_text(m->msg_name, m->msg_namelen, a, sizeof(a));
		snprintf(call, sizeof(call), "%s(%d, %zu, %s)", op, fd, len, a);
	} else {
		snprintf(call, sizeof(call), "%s(%d, %zu)", op, fd, len);
	}
	emit(call, ret, err);
}

static int is_pipe(int fd)
{
	struct stat st;

	return !fstat(fd, &st) && S_ISFIFO(st.st_mode);
}

/* "splice(5 -> pipe 9, 262144) = 4096": folded per socket and
 * direction, so that the summary comes before the socket's shutdown or
 * close. */
void sock__trace_splice(int in, int out, size_t len, ssize_t ret, int err)
{
	static const char into_pipe[] = "splice(%d -> pipe)";
	static const char from_pipe[] = "splice(pipe -> %d)";
	int to_pipe = is_pipe(out);
	char call[96];

	if (!data_shown(to_pipe ? in : out, to_pipe ? into_pipe : from_pipe,
			ret, ret > 0 ? (size_t)ret : 0, err, 0))
		return;
	if (to_pipe)
		snprintf(call, sizeof(call), "splice(%d -> pipe %d, %zu)", in,
			 out, len);
	else
		snprintf(call, sizeof(call), "splice(pipe %d -> %d, %zu)", in,
			 out, len);
	emit(call, ret, err);
}
