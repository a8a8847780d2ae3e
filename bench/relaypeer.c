/*
 * bench/relaypeer.c - both ends of bench/relay.sh, which times a relay
 * (sock relay, socat) against a direct connection on 127.0.0.1.
 *
 *   relaypeer sink PORT                 TCP server for every TCP mode
 *   relaypeer source HOST PORT BYTES FLOWS
 *   relaypeer idle HOST PORT N          hold N sessions open until killed
 *   relaypeer short HOST PORT SECONDS INFLIGHT
 *   relaypeer udpecho PORT
 *   relaypeer udpclient HOST PORT SECONDS SOCKETS INFLIGHT
 *
 * PORT 0 lets the kernel pick; servers print "port N" first.  Results are
 * one line of key=value pairs on stdout; the exit status is 1 when any
 * byte, datagram or session went wrong, so a relay that loses or corrupts
 * data fails the benchmark instead of looking fast.
 *
 * Every TCP session starts with a header (flow id, length, kind).  The
 * sink checks every byte of a data session against the flow's stream,
 * then answers one verdict byte ('K' all good, 'X' not) and closes: the
 * verdict travels back through the relay after the client's half-close.
 *
 * Every wait is bounded: epoll_wait times out after STALL_MS without any
 * event (the client fails with "stalled"), and alarm() caps each process.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define CHUNK (64 * 1024)      /* stream granule, see stream_at() */
#define TABLE (1024 * 1024)    /* random bytes the granules come from */
#define WRITE_MAX (256 * 1024) /* bytes per write or read */
#define STALL_MS 10000	       /* no progress for this long: fail */
#define LIFETIME 1800	       /* alarm() for every mode, in seconds */
#define MAGIC 0x72656c70u      /* "relp" */
#define EVENTS 256
#define SHORT_BYTES 100 /* a short session sends this much, header included */
#define DGRAM 64	/* UDP datagram size */
#define UDP_LOST_MS 250 /* no reply to a datagram after this: lost */

enum kind { KIND_DATA = 1, KIND_IDLE = 2 };

/* The first bytes of every TCP session (host byte order: loopback only) */
struct hdr {
	uint32_t magic;
	uint32_t kind;
	uint64_t flow;
	uint64_t len; /* payload bytes after the header */
};

static unsigned char table[TABLE + CHUNK];
static volatile sig_atomic_t stop;

static void die(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

static void die(const char *fmt, ...)
{
	va_list ap;

	fputs("relaypeer: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t parse_num(const char *s, const char *what)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-')
		die("bad %s: %s", what, s);
	return v;
}

static void on_stop(int sig)
{
	(void)sig;
	stop = 1;
}

/* Servers and idle run until SIGTERM/SIGINT, which ends their loops
 * cleanly (epoll_wait sees EINTR, as there is no SA_RESTART) so that they
 * can print their totals; the timed clients just die of it. */
static void setup_signals(bool until_stopped)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop;
	if (until_stopped) {
		sigaction(SIGTERM, &sa, NULL);
		sigaction(SIGINT, &sa, NULL);
	}
	signal(SIGPIPE, SIG_IGN);
	alarm(LIFETIME);
}

static uint64_t mix(uint64_t z)
{
	z += 0x9e3779b97f4a7c15ull;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static void table_init(void)
{
	uint64_t x = 0x2545f4914f6cdd1dull;

	for (size_t i = 0; i < sizeof table; i += 8) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		memcpy(table + i, &x, 8);
	}
}

/*
 * stream_at: the bytes at offset pos of flow's stream; clips *len to the
 * end of the current CHUNK.  Granule k of a flow is a window of the
 * xorshift table at an offset hashed from (flow, k), byte aligned: data
 * that is lost, repeated, reordered, shifted or sent to the wrong session
 * no longer matches.  A precomputed table costs nothing per byte on
 * either side, where generating 4 GiB twice would take as much CPU as the
 * relay being measured.
 */
static const unsigned char *stream_at(uint64_t flow, uint64_t pos, size_t *len)
{
	size_t in = pos % CHUNK;
	size_t off = mix(flow * 0x100000001b3ull + pos / CHUNK) % TABLE;

	if (*len > CHUNK - in)
		*len = CHUNK - in;
	return table + off + in;
}

static void nonblock(int fd)
{
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

static struct sockaddr_in addr_of(const char *host, uint64_t port)
{
	struct sockaddr_in a;

	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	if (port > 65535 || inet_pton(AF_INET, host, &a.sin_addr) != 1)
		die("bad address %s:%llu", host, (unsigned long long)port);
	return a;
}

/* bind_port: a socket of type on 127.0.0.1:port; prints "port N" */
static int bind_port(int type, uint64_t port)
{
	struct sockaddr_in a = addr_of("127.0.0.1", port);
	socklen_t alen = sizeof a;
	int one = 1;
	int fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);

	if (fd < 0)
		die("socket: %s", strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0)
		die("bind 127.0.0.1:%llu: %s", (unsigned long long)port,
		    strerror(errno));
	if (type == SOCK_STREAM && listen(fd, 4096) < 0)
		die("listen: %s", strerror(errno));
	getsockname(fd, (struct sockaddr *)&a, &alen);
	printf("port %d\n", ntohs(a.sin_port));
	fflush(stdout);
	return fd;
}

/* start_connect: a non-blocking connect to a, registered in ep with
 * events and data tag; completion shows as EPOLLOUT */
static int start_connect(int ep, const struct sockaddr_in *a, uint32_t events,
			 uint64_t tag)
{
	struct epoll_event ev = { .events = events, .data.u64 = tag };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0)
		die("socket: %s", strerror(errno));
	if (connect(fd, (const struct sockaddr *)a, sizeof *a) < 0 &&
	    errno != EINPROGRESS)
		die("connect: %s", strerror(errno));
	if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0)
		die("epoll_ctl: %s", strerror(errno));
	return fd;
}

static void set_events(int ep, int fd, uint32_t events, uint64_t tag)
{
	struct epoll_event ev = { .events = events, .data.u64 = tag };

	if (epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev) < 0)
		die("epoll_ctl: %s", strerror(errno));
}

/* wait_events: epoll_wait that treats STALL_MS without events as failure
 * in clients; servers (stall == false) wake up every second to see stop;
 * returns 0 once stop is set */
static int wait_events(int ep, struct epoll_event *ev, bool stall,
		       const char *mode)
{
	for (;;) {
		int n;

		if (stop)
			return 0;
		n = epoll_wait(ep, ev, EVENTS, stall ? STALL_MS : 1000);
		if (n > 0)
			return n;
		if (n < 0 && errno != EINTR)
			die("epoll_wait: %s", strerror(errno));
		if (n == 0 && stall)
			die("%s: stalled, nothing happened for %d ms", mode,
			    STALL_MS);
	}
}

static int connect_error(int fd)
{
	int err = 0;
	socklen_t len = sizeof err;

	getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
	return err;
}

/* ---- sink: accepts, verifies, answers the verdict -------------------- */

struct conn {
	int fd;
	struct hdr h;
	size_t hgot;	    /* header bytes received so far */
	uint64_t pos;	    /* payload bytes received */
	uint64_t first_bad; /* offset of the first wrong payload byte */
	bool bad;
};

struct sink_totals {
	unsigned long accepted, ok, bad, reset, idle, complaints;
	unsigned long long bytes;
};

static struct sink_totals st;

static void mark_bad(struct conn *c, uint64_t at)
{
	if (!c->bad)
		c->first_bad = at;
	c->bad = true;
}

/* verify: compare payload bytes against the flow's stream (once a flow
 * is bad, only count its bytes) */
static void verify(struct conn *c, const unsigned char *p, size_t n)
{
	if (c->h.kind != KIND_DATA)
		mark_bad(c, c->pos);
	while (n > 0) {
		size_t len = n, i = 0;
		const unsigned char *want = stream_at(c->h.flow, c->pos, &len);

		if (c->pos + len > c->h.len)
			mark_bad(c, c->h.len); /* more than announced */
		if (!c->bad && memcmp(p, want, len) != 0) {
			while (p[i] == want[i])
				i++;
			mark_bad(c, c->pos + i);
		}
		c->pos += len;
		p += len;
		n -= len;
	}
}

/* take: header bytes first, then the payload */
static void take(struct conn *c, const unsigned char *p, size_t n)
{
	size_t h = sizeof c->h - c->hgot;

	if (h > n)
		h = n;
	memcpy((char *)&c->h + c->hgot, p, h);
	c->hgot += h;
	if (h && c->hgot == sizeof c->h) {
		if (c->h.magic != MAGIC)
			c->bad = true;
		else if (c->h.kind == KIND_IDLE)
			send(c->fd, "H", 1, MSG_NOSIGNAL); /* end to end */
	}
	if (n > h)
		verify(c, p + h, n - h);
}

/* complain: what was wrong with flow c, for the first few bad flows */
static void complain(const struct conn *c)
{
	if (st.complaints++ >= 10)
		return;
	fprintf(stderr,
		"relaypeer: sink: flow %llu bad: header %zu of %zu bytes, "
		"payload %llu of %llu, ",
		(unsigned long long)c->h.flow, c->hgot, sizeof c->h,
		(unsigned long long)c->pos, (unsigned long long)c->h.len);
	if (c->bad)
		fprintf(stderr, "first wrong byte at %llu\n",
			(unsigned long long)c->first_bad);
	else
		fputs("every byte received was right\n", stderr);
}

/* finish: the client half-closed; answer the verdict and close */
static void finish(struct conn *c)
{
	bool whole = c->hgot == sizeof c->h && !c->bad;

	if (whole && c->h.kind == KIND_IDLE) {
		st.idle++;
	} else if (whole && c->pos == c->h.len) {
		send(c->fd, "K", 1, MSG_NOSIGNAL);
		st.ok++;
	} else {
		send(c->fd, "X", 1, MSG_NOSIGNAL);
		st.bad++;
		complain(c);
	}
	close(c->fd);
	free(c);
}

/* sink_read: one read per wake-up, so that 1000 flows share the sink */
static void sink_read(struct conn *c, unsigned char *buf)
{
	ssize_t n = read(c->fd, buf, WRITE_MAX);

	if (n > 0) {
		st.bytes += (unsigned long long)n;
		take(c, buf, (size_t)n);
	} else if (n == 0) {
		finish(c);
	} else if (errno != EAGAIN && errno != EINTR) {
		st.reset++;
		close(c->fd);
		free(c);
	}
}

static void sink_accept(int ep, int lfd)
{
	for (;;) {
		int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		struct conn *c;
		struct epoll_event ev = { .events = EPOLLIN };

		if (fd < 0) {
			if (errno == EMFILE || errno == ENFILE)
				die("sink: accept: %s", strerror(errno));
			return;
		}
		c = calloc(1, sizeof *c);
		if (!c)
			die("out of memory");
		c->fd = fd;
		ev.data.ptr = c;
		if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0)
			die("epoll_ctl: %s", strerror(errno));
		st.accepted++;
	}
}

static int run_sink(uint64_t port)
{
	static unsigned char buf[WRITE_MAX];
	struct epoll_event ev[EVENTS], lev = { .events = EPOLLIN };
	int lfd = bind_port(SOCK_STREAM, port);
	int ep = epoll_create1(EPOLL_CLOEXEC);

	nonblock(lfd);
	lev.data.ptr = NULL;
	epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &lev);
	while (!stop) {
		int n = wait_events(ep, ev, false, "sink");

		for (int i = 0; i < n; i++) {
			if (ev[i].data.ptr)
				sink_read(ev[i].data.ptr, buf);
			else
				sink_accept(ep, lfd);
		}
	}
	printf("sink accepted=%lu ok=%lu bad=%lu reset=%lu idle=%lu "
	       "bytes=%llu\n",
	       st.accepted, st.ok, st.bad, st.reset, st.idle, st.bytes);
	return st.bad || st.reset ? 1 : 0;
}

/* ---- source: FLOWS bulk flows of BYTES each -------------------------- */

enum fstate { F_CONNECTING, F_SENDING, F_WAITING, F_DONE };

struct flow {
	int fd;
	enum fstate state;
	struct hdr h;
	uint64_t sent; /* bytes written, header included */
	char verdict;
	int err; /* errno of the failure, if any */
};

/* send_some: one writev of up to WRITE_MAX: the rest of the header and
 * the next granules of the stream, straight from the table */
static ssize_t send_some(struct flow *f)
{
	struct iovec iov[8];
	int n = 0;
	size_t room = WRITE_MAX;
	uint64_t pos = 0;

	if (f->sent < sizeof f->h) {
		iov[n].iov_base = (char *)&f->h + f->sent;
		iov[n].iov_len = sizeof f->h - f->sent;
		room -= iov[n++].iov_len;
	} else {
		pos = f->sent - sizeof f->h;
	}
	while (n < 8 && room > 0 && pos < f->h.len) {
		size_t len = f->h.len - pos < room ? f->h.len - pos : room;
		const unsigned char *p = stream_at(f->h.flow, pos, &len);

		iov[n].iov_base = (void *)p;
		iov[n++].iov_len = len;
		pos += len;
		room -= len;
	}
	return writev(f->fd, iov, n);
}

/* flow_write: connected or writable again; returns false on error */
static bool flow_write(int ep, struct flow *f, uint64_t tag)
{
	if (f->state == F_CONNECTING) {
		f->err = connect_error(f->fd);
		if (f->err)
			return false;
		f->state = F_SENDING;
	}
	for (int i = 0; i < 4 && f->state == F_SENDING; i++) {
		ssize_t n = send_some(f);

		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return true;
		if (n < 0) {
			f->err = errno;
			return false;
		}
		f->sent += (uint64_t)n;
		if (f->sent == sizeof f->h + f->h.len) {
			shutdown(f->fd, SHUT_WR);
			f->state = F_WAITING;
			set_events(ep, f->fd, EPOLLIN, tag);
		}
	}
	return true;
}

/* flow_read: the verdict byte, then the sink's close; returns false
 * while the flow is still open */
static bool flow_read(struct flow *f)
{
	char buf[64];
	ssize_t n = read(f->fd, buf, sizeof buf);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return false;
	if (n > 0) {
		if (!f->verdict && n == 1)
			f->verdict = buf[0];
		else
			f->verdict = '?'; /* more than one byte: wrong */
		return false;
	}
	if (n < 0)
		f->err = errno;
	return true;
}

/* flow_complain: why flow f failed, on stderr */
static void flow_complain(const struct flow *f)
{
	fprintf(stderr,
		"relaypeer: flow %llu failed: sent %llu of %llu bytes, "
		"verdict '%c'%s%s\n",
		(unsigned long long)f->h.flow, (unsigned long long)f->sent,
		(unsigned long long)(sizeof f->h + f->h.len),
		f->verdict ? f->verdict : '-', f->err ? ", " : "",
		f->err ? strerror(f->err) : "");
}

static int run_source(const char *host, uint64_t port, uint64_t bytes,
		      uint64_t nflows)
{
	struct sockaddr_in a = addr_of(host, port);
	struct epoll_event ev[EVENTS];
	struct flow *f = calloc(nflows, sizeof *f);
	uint64_t base = mix((uint64_t)getpid() ^ (uint64_t)time(NULL)) >> 16;
	unsigned long left = nflows, ok = 0, bad = 0;
	int ep = epoll_create1(EPOLL_CLOEXEC);
	double t0 = now(), secs;

	if (!f || nflows == 0)
		die("source: need at least one flow");
	for (uint64_t i = 0; i < nflows; i++) {
		f[i].h = (struct hdr){ MAGIC, KIND_DATA, base + i, bytes };
		f[i].fd = start_connect(ep, &a, EPOLLOUT, i);
	}
	while (left > 0) {
		int n = wait_events(ep, ev, true, "source");

		for (int i = 0; i < n; i++) {
			struct flow *fl = &f[ev[i].data.u64];
			bool done = false;

			if (fl->state == F_WAITING)
				done = flow_read(fl);
			else if (!flow_write(ep, fl, ev[i].data.u64))
				done = true;
			if (!done)
				continue;
			close(fl->fd);
			fl->state = F_DONE;
			left--;
			if (fl->verdict == 'K' &&
			    fl->sent == sizeof fl->h + bytes) {
				ok++;
			} else if (bad++ < 10) {
				flow_complain(fl);
			}
		}
	}
	secs = now() - t0;
	printf("source flows=%llu ok=%lu bad=%lu bytes=%llu seconds=%.3f "
	       "gbps=%.2f\n",
	       (unsigned long long)nflows, ok, bad,
	       (unsigned long long)(bytes * nflows), secs,
	       (double)bytes * nflows * 8 / secs / 1e9);
	return bad ? 1 : 0;
}

/* ---- idle: N sessions, end to end, held open ------------------------ */

static int run_idle(const char *host, uint64_t port, uint64_t n)
{
	struct sockaddr_in a = addr_of(host, port);
	struct epoll_event ev[EVENTS];
	int *fds = calloc(n, sizeof *fds);
	unsigned long ready = 0, dropped = 0;
	int ep = epoll_create1(EPOLL_CLOEXEC);

	if (!fds)
		die("out of memory");
	for (uint64_t i = 0; i < n; i++)
		fds[i] = start_connect(ep, &a, EPOLLOUT, i);
	/* ready once the sink's 'H' came back on every session */
	while (ready < n) {
		int k = wait_events(ep, ev, true, "idle");

		if (k == 0)
			die("idle: stopped with %lu of %llu sessions ready",
			    ready, (unsigned long long)n);
		for (int i = 0; i < k; i++) {
			uint64_t j = ev[i].data.u64;
			struct hdr h = { MAGIC, KIND_IDLE, j, 0 };
			char c;

			if (ev[i].events & EPOLLOUT) {
				if (connect_error(fds[j]) ||
				    write(fds[j], &h, sizeof h) != sizeof h)
					die("idle: session %llu failed",
					    (unsigned long long)j);
				set_events(ep, fds[j], EPOLLIN, j);
			} else if (read(fds[j], &c, 1) == 1 && c == 'H') {
				ready++;
				set_events(ep, fds[j], EPOLLRDHUP, j);
			} else {
				die("idle: session %llu closed before ready",
				    (unsigned long long)j);
			}
		}
	}
	printf("ready %lu\n", ready);
	fflush(stdout);
	/* hold; a session that the relay drops meanwhile is reported */
	while (!stop) {
		int k = wait_events(ep, ev, false, "idle");

		for (int i = 0; i < k; i++) {
			epoll_ctl(ep, EPOLL_CTL_DEL, fds[ev[i].data.u64], NULL);
			dropped++;
		}
	}
	printf("idle held=%lu dropped=%lu\n", ready - dropped, dropped);
	return dropped ? 1 : 0;
}

/* ---- short: connect, 100 bytes, half-close, verdict, close ---------- */

struct shortc {
	int fd;
	uint64_t flow;
	bool sent;
	char verdict;
	int err;
};

struct short_run {
	int ep;
	struct sockaddr_in a;
	struct shortc *s;
	uint64_t next_flow;
	unsigned long done, ok, bad;
};

static void short_start(struct short_run *r, uint64_t i)
{
	r->s[i] = (struct shortc){ .flow = r->next_flow++ };
	r->s[i].fd = start_connect(r->ep, &r->a, EPOLLOUT, i);
}

/* short_send: header plus payload in one write, then the half-close */
static bool short_send(struct short_run *r, uint64_t i)
{
	struct shortc *c = &r->s[i];
	unsigned char msg[SHORT_BYTES];
	struct hdr h = { MAGIC, KIND_DATA, c->flow, SHORT_BYTES - sizeof h };
	size_t len = sizeof msg - sizeof h;

	memcpy(msg, &h, sizeof h);
	memcpy(msg + sizeof h, stream_at(c->flow, 0, &len), len);
	c->err = connect_error(c->fd);
	if (c->err)
		return false;
	if (write(c->fd, msg, sizeof msg) != (ssize_t)sizeof msg) {
		c->err = errno;
		return false;
	}
	shutdown(c->fd, SHUT_WR);
	c->sent = true;
	set_events(r->ep, c->fd, EPOLLIN, i);
	return true;
}

/* short_event: returns true once session i is over */
static bool short_event(struct short_run *r, uint64_t i)
{
	struct shortc *c = &r->s[i];
	char buf[16];
	ssize_t n;

	if (!c->sent)
		return !short_send(r, i);
	n = read(c->fd, buf, sizeof buf);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return false;
	if (n > 0) {
		c->verdict = (!c->verdict && n == 1) ? buf[0] : '?';
		return false;
	}
	if (n < 0)
		c->err = errno;
	return true;
}

static int run_short(const char *host, uint64_t port, uint64_t seconds,
		     uint64_t inflight)
{
	struct short_run r = { .a = addr_of(host, port), .next_flow = 1 };
	struct epoll_event ev[EVENTS];
	unsigned long live = inflight;
	double t0 = now(), end = t0 + (double)seconds, secs;

	r.ep = epoll_create1(EPOLL_CLOEXEC);
	r.s = calloc(inflight, sizeof *r.s);
	if (!r.s || inflight == 0)
		die("short: need INFLIGHT > 0");
	for (uint64_t i = 0; i < inflight; i++)
		short_start(&r, i);
	while (live > 0) {
		int n = wait_events(r.ep, ev, true, "short");

		for (int k = 0; k < n; k++) {
			uint64_t i = ev[k].data.u64;

			if (!short_event(&r, i))
				continue;
			close(r.s[i].fd);
			r.done++;
			if (r.s[i].verdict == 'K') {
				r.ok++;
			} else if (r.bad++ < 10) {
				fprintf(stderr,
					"relaypeer: short session %llu failed "
					"(verdict '%c'%s%s)\n",
					(unsigned long long)r.s[i].flow,
					r.s[i].verdict ? r.s[i].verdict : '-',
					r.s[i].err ? ", " : "",
					r.s[i].err ? strerror(r.s[i].err) : "");
			}
			if (now() < end)
				short_start(&r, i);
			else
				live--;
		}
	}
	secs = now() - t0;
	printf("short inflight=%llu conns=%lu ok=%lu bad=%lu seconds=%.3f "
	       "rate=%.0f\n",
	       (unsigned long long)inflight, r.done, r.ok, r.bad, secs,
	       r.ok / secs);
	return r.bad ? 1 : 0;
}

/* ---- udpecho: every datagram goes back to its sender ---------------- */

static int run_udpecho(uint64_t port)
{
	enum { BATCH = 64, MAXDG = 2048 };
	static unsigned char buf[BATCH][MAXDG];
	struct mmsghdr m[BATCH];
	struct iovec iov[BATCH];
	struct sockaddr_in from[BATCH];
	unsigned long long echoed = 0;
	int sz = 4 << 20;
	struct timeval tick = { 1, 0 }; /* to see stop */
	int fd = bind_port(SOCK_DGRAM, port);

	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof sz);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tick, sizeof tick);
	while (!stop) {
		int n;

		memset(m, 0, sizeof m);
		for (int i = 0; i < BATCH; i++) {
			iov[i] = (struct iovec){ buf[i], MAXDG };
			m[i].msg_hdr.msg_iov = &iov[i];
			m[i].msg_hdr.msg_iovlen = 1;
			m[i].msg_hdr.msg_name = &from[i];
			m[i].msg_hdr.msg_namelen = sizeof from[i];
		}
		n = recvmmsg(fd, m, BATCH, MSG_WAITFORONE, NULL);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			die("recvmmsg: %s", strerror(errno));
		}
		for (int i = 0; i < n; i++)
			iov[i].iov_len = m[i].msg_len;
		if (sendmmsg(fd, m, (unsigned)n, 0) > 0)
			echoed += (unsigned)n;
	}
	printf("udpecho echoed=%llu\n", echoed);
	return 0;
}

/* ---- udpclient: INFLIGHT datagrams over SOCKETS source ports -------- */

/*
 * Slot i belongs to socket i % SOCKETS and always has one datagram out:
 * (slot, seq) plus 48 bytes derived from seq.  A reply must come back on
 * the slot's socket with the current seq and the same bytes; then the
 * slot sends seq + 1.  An older seq is a late reply (after UDP_LOST_MS
 * the slot gave up and resent); anything else is bad.
 */
struct udp_slot {
	uint64_t seq;
	double sent;
};

struct udp_run {
	int *fds;
	uint64_t nsock, inflight, next_seq;
	struct udp_slot *slot;
	unsigned long rtts, lost, late, bad;
};

static void udp_fill(unsigned char *d, uint32_t slot, uint64_t seq)
{
	uint32_t magic = MAGIC;
	size_t len = DGRAM - 16;

	memcpy(d, &magic, 4);
	memcpy(d + 4, &slot, 4);
	memcpy(d + 8, &seq, 8);
	memcpy(d + 16, stream_at(seq, 0, &len), len);
}

static void udp_send(struct udp_run *r, uint32_t i)
{
	unsigned char d[DGRAM];

	r->slot[i].seq = r->next_seq++;
	r->slot[i].sent = now();
	udp_fill(d, i, r->slot[i].seq);
	/* a full socket buffer is a loss, found by the timeout */
	send(r->fds[i % r->nsock], d, sizeof d, 0);
}

/* udp_reply: judge datagram d of n bytes received on socket s */
static void udp_reply(struct udp_run *r, uint64_t s, const unsigned char *d,
		      ssize_t n)
{
	unsigned char want[DGRAM];
	uint32_t i;
	uint64_t seq;

	if (n != DGRAM) {
		r->bad++;
		return;
	}
	memcpy(&i, d + 4, 4);
	memcpy(&seq, d + 8, 8);
	if (i >= r->inflight || i % r->nsock != s) {
		r->bad++;
		return;
	}
	udp_fill(want, i, seq);
	if (memcmp(d, want, DGRAM) != 0 || seq > r->slot[i].seq) {
		r->bad++;
	} else if (seq < r->slot[i].seq) {
		r->late++;
	} else {
		r->rtts++;
		udp_send(r, i);
	}
}

static void udp_expire(struct udp_run *r)
{
	double t = now();

	for (uint32_t i = 0; i < r->inflight; i++) {
		if (t - r->slot[i].sent > UDP_LOST_MS / 1000.0) {
			r->lost++;
			udp_send(r, i);
		}
	}
}

static int run_udpclient(const char *host, uint64_t port, uint64_t seconds,
			 uint64_t nsock, uint64_t inflight)
{
	struct sockaddr_in a = addr_of(host, port);
	struct udp_run r = { .nsock = nsock, .inflight = inflight };
	struct epoll_event ev[EVENTS];
	int ep = epoll_create1(EPOLL_CLOEXEC);
	double t0, end, last_reply, secs;

	if (nsock == 0 || inflight < nsock)
		die("udpclient: need 0 < SOCKETS <= INFLIGHT");
	r.fds = calloc(nsock, sizeof *r.fds);
	r.slot = calloc(inflight, sizeof *r.slot);
	if (!r.fds || !r.slot)
		die("out of memory");
	for (uint64_t s = 0; s < nsock; s++) {
		struct epoll_event e = { .events = EPOLLIN, .data.u64 = s };

		r.fds[s] = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
		if (connect(r.fds[s], (struct sockaddr *)&a, sizeof a) < 0)
			die("udpclient: connect: %s", strerror(errno));
		epoll_ctl(ep, EPOLL_CTL_ADD, r.fds[s], &e);
	}
	t0 = last_reply = now();
	end = t0 + (double)seconds;
	for (uint32_t i = 0; i < inflight; i++)
		udp_send(&r, i);
	while (now() < end) {
		int n = epoll_wait(ep, ev, EVENTS, 50);
		unsigned long before = r.rtts;

		for (int k = 0; k < n; k++) {
			unsigned char d[DGRAM + 64];
			ssize_t len;
			uint64_t s = ev[k].data.u64;

			while ((len = recv(r.fds[s], d, sizeof d, 0)) >= 0)
				udp_reply(&r, s, d, len);
		}
		if (r.rtts > before)
			last_reply = now();
		else if (now() - last_reply > STALL_MS / 1000.0)
			die("udpclient: stalled, no reply for %d ms", STALL_MS);
		udp_expire(&r);
	}
	secs = now() - t0;
	printf("udp sockets=%llu inflight=%llu rtts=%lu lost=%lu late=%lu "
	       "bad=%lu seconds=%.3f rate=%.0f\n",
	       (unsigned long long)nsock, (unsigned long long)inflight, r.rtts,
	       r.lost, r.late, r.bad, secs, r.rtts / secs);
	return r.bad || r.rtts == 0 ? 1 : 0;
}

__attribute__((noreturn)) static void usage(void)
{
	fputs("usage: relaypeer sink PORT\n"
	      "       relaypeer source HOST PORT BYTES FLOWS\n"
	      "       relaypeer idle HOST PORT N\n"
	      "       relaypeer short HOST PORT SECONDS INFLIGHT\n"
	      "       relaypeer udpecho PORT\n"
	      "       relaypeer udpclient HOST PORT SECONDS SOCKETS INFLIGHT\n",
	      stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "";
	uint64_t v[4] = { 0 };

	for (int i = 3; i < argc && i < 7; i++)
		v[i - 3] = parse_num(argv[i], "number");
	table_init();
	setup_signals(!strcmp(m, "sink") || !strcmp(m, "udpecho") ||
		      !strcmp(m, "idle"));
	if (!strcmp(m, "sink") && argc == 3)
		return run_sink(parse_num(argv[2], "port"));
	if (!strcmp(m, "udpecho") && argc == 3)
		return run_udpecho(parse_num(argv[2], "port"));
	if (!strcmp(m, "source") && argc == 6)
		return run_source(argv[2], v[0], v[1], v[2]);
	if (!strcmp(m, "idle") && argc == 5)
		return run_idle(argv[2], v[0], v[1]);
	if (!strcmp(m, "short") && argc == 6)
		return run_short(argv[2], v[0], v[1], v[2]);
	if (!strcmp(m, "udpclient") && argc == 7)
		return run_udpclient(argv[2], v[0], v[1], v[2], v[3]);
	usage();
}
