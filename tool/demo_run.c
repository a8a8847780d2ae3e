/*
 * tool/demo_run.c - sock demo's scenarios: both ends driven step by step
 * through libsock, every call caught by the trace hook with the time and
 * the kernel's state of each end right after it.
 */
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sock/diag.h>
#include <sock/io.h>
#include <sock/sock.h>
#include <sock/trace.h>

#include "demo.h"
#include "i18n.h"

/* Longest wait of any step: a reply, an accept, a retransmitted SYN. */
#define STEP_MS 3000

/* The end of the conversation whose state a side shows: its open
 * socket, or once closed, the addresses to look it up by. */
struct watch {
	int fd;
	int have_tuple;
	uint16_t lport, rport;
	int tw_told; /* TIME_WAIT's timer noted already */
};

/* The recording in progress (the hook is process-wide). */
static struct {
	struct demo *d;
	enum demo_side side;
	int observing;
	struct timespec t0;
	struct watch w[2];
} rec;

static long long since_start_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec - rec.t0.tv_sec) * 1000000LL +
	       (ts.tv_nsec - rec.t0.tv_nsec) / 1000;
}

static struct demo_event *push(struct demo *d)
{
	struct demo_event *e;

	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 64;
		void *p = realloc(d->ev, cap * sizeof(*d->ev));

		if (!p)
			return NULL;
		d->ev = p;
		d->cap = cap;
	}
	e = &d->ev[d->n++];
	memset(e, 0, sizeof(*e));
	e->t_us = since_start_us();
	return e;
}

/* A note row, in the reader's language (fmt is translated already). */
static void note(enum demo_side side, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void note(enum demo_side side, const char *fmt, ...)
{
	struct demo_event *e = rec.d ? push(rec.d) : NULL;
	va_list ap;

	if (!e)
		return;
	e->side = side;
	e->note = 1;
	va_start(ap, fmt);
	vsnprintf(e->text, sizeof(e->text), fmt, ap);
	va_end(ap);
}

/* ---- the kernel's view of each end ------------------------------------ */

struct lookup {
	const struct watch *w;
	int state, timer;
	unsigned int expires_ms;
};

static int match_tuple(const struct sock_diag_entry *e, void *arg)
{
	struct lookup *l = arg;

	if (e->in.local_port != l->w->lport || e->in.remote_port != l->w->rport)
		return 0;
	l->state = e->state;
	l->timer = e->in.timer;
	l->expires_ms = e->in.expires_ms;
	return 1;
}

/* A closed end by its 4-tuple (TIME_WAIT outlives the descriptor). */
static void lookup_closed(struct watch *w, enum demo_side side, char *buf,
			  size_t len)
{
	struct sock_diag_query q = { .protocols = SOCK_DIAG_TCP,
				     .family = AF_INET };
	struct lookup l = { .w = w, .state = SOCK_DIAG_CLOSE };
	int src;

	rec.observing = 1;
	sock_diag_stream(&q, match_tuple, &l, &src);
	rec.observing = 0;
	snprintf(buf, len, "%s", sock_diag_state_netstat(l.state));
	if (l.state == SOCK_DIAG_TIME_WAIT && l.timer == 3 && !w->tw_told) {
		w->tw_told = 1;
		note(side,
		     side == DEMO_CLIENT
			 ? _("the client's end stays in TIME_WAIT %.0f s more "
			     "(kernel timer), with no descriptor")
			 : _("the server's end stays in TIME_WAIT %.0f s more "
			     "(kernel timer), with no descriptor"),
		     l.expires_ms / 1000.0);
	}
}

static void state_of(enum demo_side side, char *buf, size_t len)
{
	struct watch *w = &rec.w[side];
	int st;

	buf[0] = '\0';
	if (rec.d->kind != SOCK_KIND_TCP)
		return;
	if (w->fd >= 0) {
		rec.observing = 1;
		st = sock_tcp_state(w->fd);
		rec.observing = 0;
		if (st >= 0)
			snprintf(buf, len, "%s", sock_diag_state_netstat(st));
		/* a connection in TIME_WAIT has left its socket CLOSED */
		if (st == SOCK_DIAG_CLOSE && w->have_tuple)
			lookup_closed(w, side, buf, len);
	} else if (w->have_tuple) {
		lookup_closed(w, side, buf, len);
	}
}

/* The descriptor a traced call is about, or -1. */
static int call_fd(const char *line)
{
	const char *p = strchr(line, '(');

	if (!p || p[1] < '0' || p[1] > '9')
		return -1;
	return atoi(p + 1);
}

static int call_result(const char *line)
{
	const char *p = strstr(line, ") = ");

	return p ? atoi(p + 4) : -1;
}

/* Keep each side's watch on the socket its calls are about. */
static void follow(const char *line, int err)
{
	struct watch *w = &rec.w[rec.side];

	if (err)
		return;
	if (!strncmp(line, "socket(", 7) || !strncmp(line, "accept4(", 8)) {
		w->fd = call_result(line);
		w->have_tuple = 0;
		w->tw_told = 0;
	} else if (!strncmp(line, "close(", 6) && call_fd(line) == w->fd) {
		w->fd = -1;
	}
}

static void hook(const char *line, int err, void *arg)
{
	struct demo_event *e;
	size_t i;

	(void)arg;
	if (rec.observing || !rec.d)
		return;
	e = push(rec.d);
	if (!e)
		return;
	e->side = rec.side;
	e->err = err;
	snprintf(e->text, sizeof(e->text), "%s", line);
	follow(line, err);
	i = rec.d->n - 1;
	for (int s = DEMO_CLIENT; s <= DEMO_SERVER; s++) {
		char st[DEMO_STATE_MAX];

		state_of((enum demo_side)s, st, sizeof(st));
		/* the row may have moved: a note was added after it */
		memcpy(rec.d->ev[i].state[s], st, sizeof(st));
	}
}

/* ---- steps ------------------------------------------------------------- */

static void as(enum demo_side side)
{
	rec.side = side;
}

/* The latest call of a side whose text starts with prefix gets wire. */
static void mark(enum demo_side side, const char *prefix, enum demo_wire wire,
		 long bytes)
{
	for (size_t i = rec.d->n; i-- > 0;) {
		struct demo_event *e = &rec.d->ev[i];

		if (!e->note && e->side == side &&
		    !strncmp(e->text, prefix, strlen(prefix))) {
			e->wire = wire;
			e->bytes = bytes;
			return;
		}
	}
}

/* Remember a connection's ports, to find it after close(). */
static void remember(enum demo_side side, const struct sock_conn *c)
{
	const struct sockaddr_in *l = (const void *)&c->local;
	const struct sockaddr_in *p = (const void *)&c->peer;
	struct watch *w = &rec.w[side];

	if (c->local.ss_family != AF_INET || c->peer.ss_family != AF_INET)
		return;
	w->lport = ntohs(l->sin_port);
	w->rport = ntohs(p->sin_port);
	w->have_tuple = 1;
}

/* Bounded wait for something to read (or an error) on fd. */
static int readable(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, ms) > 0;
}

static int is_stream(enum sock_kind k)
{
	return k == SOCK_KIND_TCP || k == SOCK_KIND_UNIX_STREAM ||
	       k == SOCK_KIND_UNIX_SEQPACKET;
}

static int is_inet(enum sock_kind k)
{
	return k == SOCK_KIND_TCP || k == SOCK_KIND_UDP;
}

/* The endpoint text a client connects to, for the server's address. */
static void endpoint_of(enum sock_kind k, const struct sock_conn *srv,
			char *buf, size_t len)
{
	char a[SOCK_ADDR_STR_MAX];
	const char *scheme = k == SOCK_KIND_TCP		     ? "tcp://"
			     : k == SOCK_KIND_UDP	     ? "udp://"
			     : k == SOCK_KIND_UNIX_DGRAM     ? "unix-dgram:"
			     : k == SOCK_KIND_UNIX_SEQPACKET ? "unix-seqpacket:"
							     : "unix:";

	if (sock_addr_format_sa((const struct sockaddr *)&srv->local,
				srv->local_len, a, sizeof(a)) < 0)
		a[0] = '\0';
	snprintf(buf, len, "%s%s", scheme, a);
}

static int parse(const char *text, struct sock_addr *a)
{
	return sock_addr_parse(text, a, NULL);
}

/* Where the server listens: port 0 on loopback, or an abstract name. */
static void server_endpoint(enum sock_kind k, char *buf, size_t len)
{
	switch (k) {
	case SOCK_KIND_TCP:
		snprintf(buf, len, "tcp://127.0.0.1:0");
		break;
	case SOCK_KIND_UDP:
		snprintf(buf, len, "udp://127.0.0.1:0");
		break;
	case SOCK_KIND_UNIX_DGRAM:
		snprintf(buf, len, "unix-dgram:@sock-demo-%d", (int)getpid());
		break;
	case SOCK_KIND_UNIX_SEQPACKET:
		snprintf(buf, len, "unix-seqpacket:@sock-demo-%d",
			 (int)getpid());
		break;
	default:
		snprintf(buf, len, "unix:@sock-demo-%d", (int)getpid());
	}
}

struct ends {
	struct sock_conn srv, conn, cli;
	int have_srv, have_conn, have_cli;
};

static int server_up(struct demo *d, struct ends *x, int backlog)
{
	struct sock_opts o = { .family = AF_UNSPEC, .backlog = backlog };
	struct sock_addr a;
	char ep[SOCK_ADDR_STR_MAX + 16];
	int ret;

	server_endpoint(d->kind, ep, sizeof(ep));
	if (parse(ep, &a) < 0)
		return -EINVAL;
	as(DEMO_SERVER);
	ret = sock_listen(&a, &o, &x->srv);
	if (ret < 0)
		return ret;
	x->have_srv = 1;
	endpoint_of(d->kind, &x->srv, d->server_addr, sizeof(d->server_addr));
	return 0;
}

static int client_connect(struct demo *d, struct ends *x)
{
	/* blocking: a loopback listener with room answers at once */
	struct sock_opts o = { .family = AF_UNSPEC };
	struct sock_addr a;
	int ret;

	if (parse(d->server_addr, &a) < 0)
		return -EINVAL;
	as(DEMO_CLIENT);
	ret = sock_connect(&a, &o, &x->cli);
	if (d->kind == SOCK_KIND_TCP)
		mark(DEMO_CLIENT, "connect(",
		     ret == -ECONNREFUSED ? DEMO_WIRE_RST : DEMO_WIRE_SYN, 0);
	if (ret < 0)
		return ret;
	x->have_cli = 1;
	remember(DEMO_CLIENT, &x->cli);
	return 0;
}

static int server_accept(struct ends *x)
{
	int ret;

	as(DEMO_SERVER);
	if (!readable(x->srv.fd, STEP_MS)) {
		note(DEMO_SERVER, _("nobody to accept after %d s"),
		     STEP_MS / 1000);
		return -ETIMEDOUT;
	}
	ret = sock_accept(x->srv.fd, &x->conn);
	if (ret < 0)
		return ret;
	x->have_conn = 1;
	remember(DEMO_SERVER, &x->conn);
	return 0;
}

/* One send from side on fd, with its arrow. */
static void say(enum demo_side side, int fd, const char *text)
{
	ssize_t n;

	as(side);
	n = sock_send(fd, text, strlen(text));
	if (n >= 0)
		mark(side, "send(", DEMO_WIRE_DATA, (long)n);
}

/* One read, bounded; returns what recv returned (-ETIMEDOUT: nothing). */
static ssize_t hear(enum demo_side side, int fd)
{
	char buf[256];

	as(side);
	if (!readable(fd, STEP_MS)) {
		note(side, _("nothing arrived in %d s"), STEP_MS / 1000);
		return -ETIMEDOUT;
	}
	return sock_recv(fd, buf, sizeof(buf));
}

static void hang_up(enum demo_side side, int *have, int fd)
{
	as(side);
	if (!*have)
		return;
	*have = 0;
	sock_close(fd);
}

static void finish(struct demo *d, struct ends *x)
{
	(void)d;
	hang_up(DEMO_CLIENT, &x->have_cli, x->cli.fd);
	hang_up(DEMO_SERVER, &x->have_conn, x->conn.fd);
	hang_up(DEMO_SERVER, &x->have_srv, x->srv.fd);
}

/* The closing FIN of a stream end, unless its shutdown sent it. */
static void close_stream(struct demo *d, enum demo_side side, int *have, int fd)
{
	hang_up(side, have, fd);
	if (d->kind == SOCK_KIND_TCP)
		mark(side, "close(", DEMO_WIRE_FIN, 0);
}

/* ---- scenarios --------------------------------------------------------- */

/* A datagram server answers whoever wrote to it. */
static void dgram_echo(struct ends *x)
{
	struct sockaddr_storage from;
	socklen_t len = sizeof(from);
	char buf[256];
	ssize_t n;

	as(DEMO_SERVER);
	if (!readable(x->srv.fd, STEP_MS)) {
		note(DEMO_SERVER, _("nothing arrived in %d s"), STEP_MS / 1000);
		return;
	}
	n = sock_recvfrom(x->srv.fd, buf, sizeof(buf), (struct sockaddr *)&from,
			  &len);
	if (n < 0)
		return;
	n = sock_sendto(x->srv.fd, buf, (size_t)n, (struct sockaddr *)&from,
			len);
	if (n >= 0)
		mark(DEMO_SERVER, "sendto(", DEMO_WIRE_DATA, (long)n);
}

static int normal(struct demo *d, struct ends *x)
{
	int ret = server_up(d, x, 0);

	if (!ret)
		ret = client_connect(d, x);
	if (ret)
		return ret;
	if (!is_stream(d->kind)) {
		say(DEMO_CLIENT, x->cli.fd, "hello\n");
		dgram_echo(x);
		hear(DEMO_CLIENT, x->cli.fd);
		return 0;
	}
	if (server_accept(x))
		return 0;
	say(DEMO_CLIENT, x->cli.fd, "hello\n");
	hear(DEMO_SERVER, x->conn.fd);
	say(DEMO_SERVER, x->conn.fd, "hello\n");
	hear(DEMO_CLIENT, x->cli.fd);
	close_stream(d, DEMO_CLIENT, &x->have_cli, x->cli.fd);
	if (hear(DEMO_SERVER, x->conn.fd) == 0)
		note(DEMO_SERVER, _("recv() = 0: the client has closed"));
	close_stream(d, DEMO_SERVER, &x->have_conn, x->conn.fd);
	return 0;
}

/* A port (or name) nobody serves: a listener opened and closed again
 * before the recording starts. */
static int refused(struct demo *d, struct ends *x)
{
	struct demo *keep = rec.d;
	int ret;

	rec.d = NULL;
	ret = server_up(d, x, 0);
	if (!ret)
		hang_up(DEMO_SERVER, &x->have_srv, x->srv.fd);
	rec.d = keep;
	if (ret)
		return ret;
	note(DEMO_SERVER, _("nothing listens on %s"), d->server_addr);
	ret = client_connect(d, x);
	if (ret == -ECONNREFUSED)
		note(DEMO_CLIENT,
		     is_inet(d->kind)
			 ? _("the kernel answered the SYN with a RST: "
			     "ECONNREFUSED")
			 : _("no socket has that name: ECONNREFUSED"));
	if (ret || d->kind != SOCK_KIND_UDP)
		return ret == -ECONNREFUSED ? 0 : ret;
	/* UDP has no handshake: the refusal comes back as ICMP. */
	say(DEMO_CLIENT, x->cli.fd, "hello\n");
	if (hear(DEMO_CLIENT, x->cli.fd) == -ECONNREFUSED) {
		mark(DEMO_CLIENT, "recv(", DEMO_WIRE_ICMP, 0);
		note(DEMO_CLIENT, _("ICMP port unreachable came back: the "
				    "next recv() fails with ECONNREFUSED"));
	}
	return 0;
}

static int half_close(struct demo *d, struct ends *x)
{
	int ret = server_up(d, x, 0);

	if (!ret)
		ret = client_connect(d, x);
	if (ret)
		return ret;
	if (server_accept(x))
		return 0;
	say(DEMO_CLIENT, x->cli.fd, "question\n");
	as(DEMO_CLIENT);
	if (sock_shutdown(x->cli.fd, SHUT_WR) == 0 && d->kind == SOCK_KIND_TCP)
		mark(DEMO_CLIENT, "shutdown(", DEMO_WIRE_FIN, 0);
	note(DEMO_CLIENT, _("the client is done sending, and still reads"));
	hear(DEMO_SERVER, x->conn.fd);
	if (hear(DEMO_SERVER, x->conn.fd) == 0)
		note(DEMO_SERVER, _("recv() = 0: the client is done sending"));
	/* the late reply */
	usleep(100 * 1000);
	note(DEMO_SERVER, _("100 ms later the server answers"));
	say(DEMO_SERVER, x->conn.fd, "answer\n");
	hear(DEMO_CLIENT, x->cli.fd);
	close_stream(d, DEMO_SERVER, &x->have_conn, x->conn.fd);
	if (hear(DEMO_CLIENT, x->cli.fd) == 0)
		note(DEMO_CLIENT, _("recv() = 0: the server has closed"));
	hang_up(DEMO_CLIENT, &x->have_cli, x->cli.fd);
	return 0;
}

/* Wait (bounded) until n bytes are queued on a stream socket, so that
 * the read that follows shows them all. */
static void wait_bytes(int fd, int n)
{
	for (int i = 0; i < STEP_MS / 10; i++) {
		char buf[64];
		/* a peek outside libsock: the waiting is the demo's, not
		 * a step of the server */
		ssize_t got =
		    recv(fd, buf, sizeof(buf), MSG_PEEK | MSG_DONTWAIT);

		if (got >= n)
			return;
		usleep(10 * 1000);
	}
}

static int stream_vs_dgram(struct demo *d, struct ends *x)
{
	static const char *parts[] = { "one", "two", "three" };
	int ret = server_up(d, x, 0), fd;

	if (!ret)
		ret = client_connect(d, x);
	if (ret)
		return ret;
	if (is_stream(d->kind) && server_accept(x))
		return 0;
	for (int i = 0; i < 3; i++)
		say(DEMO_CLIENT, x->cli.fd, parts[i]);
	fd = is_stream(d->kind) ? x->conn.fd : x->srv.fd;
	note(DEMO_SERVER, _("the server reads only now, after the three "
			    "sends"));
	if (d->kind == SOCK_KIND_TCP || d->kind == SOCK_KIND_UNIX_STREAM) {
		wait_bytes(fd, 11);
		if (hear(DEMO_SERVER, fd) == 11)
			note(DEMO_SERVER, _("a byte stream: the three sends "
					    "arrive as one read of 11 bytes"));
		return 0;
	}
	for (int i = 0; i < 3; i++) {
		struct sockaddr_storage from;
		socklen_t len = sizeof(from);
		char buf[64];

		as(DEMO_SERVER);
		if (!readable(fd, STEP_MS))
			break;
		if (d->kind == SOCK_KIND_UNIX_SEQPACKET)
			sock_recv(fd, buf, sizeof(buf));
		else
			sock_recvfrom(fd, buf, sizeof(buf),
				      (struct sockaddr *)&from, &len);
	}
	note(DEMO_SERVER, _("messages keep their boundaries: three sends, "
			    "three reads"));
	return 0;
}

/* backlog 1: the accept queue holds two connections; the kernel drops
 * the third client's SYN, and its connect() waits for a retransmission
 * that finds room once the server accepts. */
static int backlog(struct demo *d, struct ends *x)
{
	struct sock_conn c[2];
	struct sock_target t;
	struct sock_opts o = { .family = AF_INET };
	struct sock_addr a;
	int ret = server_up(d, x, 1), fd, pending = 0, open = 1;
	int have[2] = { 0 };

	for (int i = 0; !ret && i < 2; i++) {
		ret = client_connect(d, x);
		c[i] = x->cli;
		have[i] = !ret;
		x->have_cli = 0;
	}
	if (ret)
		goto out;
	note(DEMO_SERVER, _("listen backlog 1: the accept queue is full "
			    "with two connections"));
	as(DEMO_CLIENT);
	ret = parse(d->server_addr, &a);
	if (!ret)
		ret = sock_resolve(&a, &o, &t);
	if (ret)
		goto out;
	fd = sock_connect_start(&t, 0, &pending);
	sock_target_free(&t);
	if (fd < 0) {
		ret = fd;
		goto out;
	}
	mark(DEMO_CLIENT, "connect(", DEMO_WIRE_SYN_LOST, 0);
	usleep(200 * 1000);
	note(DEMO_CLIENT, _("200 ms later the third connect is still "
			    "waiting: its SYN was dropped"));
	server_accept(x);
	as(DEMO_CLIENT);
	ret = sock_connect_wait(fd, STEP_MS);
	if (!ret) {
		mark(DEMO_CLIENT, "poll(", DEMO_WIRE_SYN, 0);
		note(DEMO_CLIENT, _("the SYN, sent again about 1 s after the "
				    "first, found room"));
	}
	hang_up(DEMO_CLIENT, &open, fd);
	ret = 0;
out:
	for (int i = 0; i < 2; i++)
		hang_up(DEMO_CLIENT, &have[i], c[i].fd);
	return ret;
}

int demo_run(struct demo *d)
{
	struct ends x = { 0 };
	int ret;

	memset(&rec, 0, sizeof(rec));
	rec.w[0].fd = rec.w[1].fd = -1;
	rec.d = d;
	clock_gettime(CLOCK_MONOTONIC, &rec.t0);
	sock_trace_set(hook, NULL);
	switch (d->scenario) {
	case DEMO_REFUSED:
		ret = refused(d, &x);
		break;
	case DEMO_HALF_CLOSE:
		ret = half_close(d, &x);
		break;
	case DEMO_STREAM_VS_DGRAM:
		ret = stream_vs_dgram(d, &x);
		break;
	case DEMO_BACKLOG:
		ret = backlog(d, &x);
		break;
	default:
		ret = normal(d, &x);
	}
	finish(d, &x);
	sock_trace_flush();
	sock_trace_set(NULL, NULL);
	rec.d = NULL;
	return ret;
}
