/*
 * lib/proxy.c - the proxy handshake as a state machine over a
 * non-blocking socket (include/sock/proxy.h): write the request, read
 * exactly the reply (lib/proxy_parse.c says how long it is), move on.
 * The relay drives one per session from its loop; sock_proxy_handshake()
 * drives one with poll() for sock connect.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sock/proxy.h>

#include "sys.h"

enum {
	ST_S5_METHOD = 1, /* greeting sent, waiting for the method */
	ST_S5_AUTH,	  /* user/password sent */
	ST_S5_REPLY,	  /* CONNECT sent */
	ST_S4_REPLY,
	ST_HTTP_REPLY,
	ST_DONE,
};

static int fail(int code)
{
	return -(SOCK_ERR_PROXY_BASE + code);
}

static void put(struct sock_proxy_hs *h, const void *b, size_t n)
{
	memcpy(h->out + h->out_len, b, n);
	h->out_len += n;
}

static void put_byte(struct sock_proxy_hs *h, unsigned int c)
{
	h->out[h->out_len++] = (unsigned char)c;
}

static void put_port(struct sock_proxy_hs *h)
{
	put_byte(h, (unsigned int)h->port >> 8);
	put_byte(h, (unsigned int)h->port & 0xff);
}

/* ---- the requests ------------------------------------------------------ */

static void socks5_greeting(struct sock_proxy_hs *h)
{
	int auth = h->p->user[0] != '\0';

	put_byte(h, 5);
	put_byte(h, auth ? 2 : 1);
	put_byte(h, 0); /* no authentication */
	if (auth)
		put_byte(h, 2); /* user/password */
	sock__tracef(0, "proxy socks5: greeting, methods: no-auth%s",
		     auth ? ", user/password" : "");
	h->state = ST_S5_METHOD;
}

static void socks5_auth(struct sock_proxy_hs *h)
{
	size_t ul = strlen(h->p->user), pl = strlen(h->p->pass);

	put_byte(h, 1);
	put_byte(h, (unsigned int)ul);
	put(h, h->p->user, ul);
	put_byte(h, (unsigned int)pl);
	put(h, h->p->pass, pl);
	sock__tracef(0, "proxy socks5: user \"%s\", password (%zu bytes)",
		     h->p->user, pl);
	h->state = ST_S5_AUTH;
}

static void socks5_connect(struct sock_proxy_hs *h)
{
	unsigned char a[16];
	size_t hl = strlen(h->host);

	put(h, "\x05\x01\x00", 3);
	if (inet_pton(AF_INET, h->host, a) == 1) {
		put_byte(h, 1);
		put(h, a, 4);
	} else if (inet_pton(AF_INET6, h->host, a) == 1) {
		put_byte(h, 4);
		put(h, a, 16);
	} else {
		put_byte(h, 3);
		put_byte(h, (unsigned int)hl);
		put(h, h->host, hl);
	}
	put_port(h);
	sock__tracef(0, "proxy socks5: CONNECT %s port %d%s", h->host, h->port,
		     h->out[3] == 3 ? " (the proxy resolves the name)" : "");
	h->state = ST_S5_REPLY;
}

static void socks4a_connect(struct sock_proxy_hs *h)
{
	unsigned char a[4];
	int literal = inet_pton(AF_INET, h->host, a) == 1;

	put(h, "\x04\x01", 2);
	put_port(h);
	/* 0.0.0.1: "the name follows" (SOCKS4a). */
	put(h, literal ? a : (const unsigned char *)"\0\0\0\1", 4);
	put(h, h->p->user, strlen(h->p->user) + 1);
	if (!literal)
		put(h, h->host, strlen(h->host) + 1);
	sock__tracef(0, "proxy socks4a: CONNECT %s port %d%s", h->host, h->port,
		     literal ? "" : " (the proxy resolves the name)");
	h->state = ST_S4_REPLY;
}

static void base64(const char *in, size_t n, char *out)
{
	static const char t[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvw"
	    "xyz0123456789+/";
	size_t o = 0;

	for (size_t i = 0; i < n; i += 3) {
		unsigned int v = (unsigned char)in[i] << 16;

		if (i + 1 < n)
			v |= (unsigned char)in[i + 1] << 8;
		if (i + 2 < n)
			v |= (unsigned char)in[i + 2];
		out[o++] = t[v >> 18 & 63];
		out[o++] = t[v >> 12 & 63];
		out[o++] = i + 1 < n ? t[v >> 6 & 63] : '=';
		out[o++] = i + 2 < n ? t[v & 63] : '=';
	}
	out[o] = '\0';
}

static int http_connect(struct sock_proxy_hs *h)
{
	char target[SOCK_ADDR_HOST_MAX + 16], cred[SOCK_PROXY_USER_MAX * 2];
	char b64[sizeof(cred) * 4 / 3 + 4], auth[sizeof(b64) + 40] = "";
	int v6 = strchr(h->host, ':') != NULL, n;

	snprintf(target, sizeof(target), "%s%s%s:%d", v6 ? "[" : "", h->host,
		 v6 ? "]" : "", h->port);
	if (h->p->user[0]) {
		n = snprintf(cred, sizeof(cred), "%s:%s", h->p->user,
			     h->p->pass);
		if (n < 0 || (size_t)n >= sizeof(cred))
			return -EMSGSIZE;
		base64(cred, (size_t)n, b64);
		snprintf(auth, sizeof(auth),
			 "Proxy-Authorization: Basic %s\r\n", b64);
	}
	n = snprintf((char *)h->out, sizeof(h->out),
		     "CONNECT %s HTTP/1.1\r\nHost: %s\r\n%s\r\n", target,
		     target, auth);
	if (n < 0 || (size_t)n >= sizeof(h->out))
		return -EMSGSIZE;
	h->out_len = (size_t)n;
	sock__tracef(0, "proxy http: CONNECT %s HTTP/1.1%s", target,
		     auth[0] ? " with Proxy-Authorization (Basic)" : "");
	h->state = ST_HTTP_REPLY;
	return 0;
}

int sock_proxy_hs_init(struct sock_proxy_hs *h, const struct sock_proxy *p,
		       const char *host, int port)
{
	unsigned char a[16];

	/* A DNS name has at most 253 bytes (as sock_addr keeps them). */
	if (strlen(host) >= sizeof(h->host) || !host[0] || port < 0 ||
	    port > 65535)
		return -EINVAL;
	if (p->type == SOCK_PROXY_SOCKS4A && inet_pton(AF_INET6, host, a) == 1)
		return -EAFNOSUPPORT;
	memset(h, 0, offsetof(struct sock_proxy_hs, in));
	h->p = p;
	snprintf(h->host, sizeof(h->host), "%s", host);
	h->port = port;
	if (p->type == SOCK_PROXY_SOCKS5)
		socks5_greeting(h);
	else if (p->type == SOCK_PROXY_SOCKS4A)
		socks4a_connect(h);
	else if (p->type == SOCK_PROXY_HTTP)
		http_connect(h);
	else
		return -EINVAL;
	return 0;
}

/* ---- the replies ------------------------------------------------------- */

/* Parse what has come for the current state: > 0 the reply is whole,
 * 0 more is needed (*need), < 0 a failure. */
static int parse(struct sock_proxy_hs *h, size_t *need, int *val, char *bound,
		 size_t len)
{
	switch (h->state) {
	case ST_S5_METHOD:
		return sock_proxy_parse_socks5_method(h->in, h->in_len, need,
						      val);
	case ST_S5_AUTH:
		return sock_proxy_parse_socks5_auth(h->in, h->in_len, need);
	case ST_S5_REPLY:
		return sock_proxy_parse_socks5_reply(h->in, h->in_len, need,
						     bound, len);
	case ST_S4_REPLY:
		return sock_proxy_parse_socks4_reply(h->in, h->in_len, need);
	case ST_HTTP_REPLY:
		return sock_proxy_parse_http_reply(h->in, h->in_len, need, val);
	}
	return -EINVAL;
}

/* A whole reply has come: the next request, or the end. */
static int advance(struct sock_proxy_hs *h, int val, const char *bound)
{
	int st = h->state;

	h->in_len = 0;
	if (st == ST_S5_METHOD) {
		sock__tracef(0, "proxy socks5: the proxy chose %s",
			     val == 0	? "no authentication"
			     : val == 2 ? "user/password"
					: "a method not offered");
		if (val == 2 && !h->p->user[0])
			return fail(SOCK_PROXY_E_NEED_AUTH);
		if (val != 0 && val != 2)
			return fail(SOCK_PROXY_E_GARBAGE);
		if (val == 2)
			socks5_auth(h);
		else
			socks5_connect(h);
		return 0;
	}
	if (st == ST_S5_AUTH) {
		sock__tracef(0, "proxy socks5: user/password accepted");
		socks5_connect(h);
		return 0;
	}
	if (st == ST_S5_REPLY)
		sock__tracef(0,
			     "proxy socks5: connected, the proxy's side is %s",
			     bound);
	else if (st == ST_S4_REPLY)
		sock__tracef(0, "proxy socks4a: request granted (90)");
	else
		sock__tracef(0, "proxy http: %d, the tunnel is open", val);
	h->state = ST_DONE;
	return 0;
}

static void trace_refusal(struct sock_proxy_hs *h)
{
	h->in[h->in_len] = '\0';
	sock__tracef(0, "proxy %s: refused (reply: %d bytes%s%.*s)",
		     sock_proxy_type_name(h->p->type), (int)h->in_len,
		     h->p->type == SOCK_PROXY_HTTP && h->in_len ? ", " : "",
		     h->p->type == SOCK_PROXY_HTTP
			 ? (int)strcspn((char *)h->in, "\r\n")
			 : 0,
		     (const char *)h->in);
}

/* Send what is due; 0 when all is sent. */
static int flush(struct sock_proxy_hs *h, int fd)
{
	while (h->out_off < h->out_len) {
		ssize_t n = sock__send(fd, h->out + h->out_off,
				       h->out_len - h->out_off, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			h->want_write = errno == EAGAIN;
			return -errno;
		}
		h->out_off += (size_t)n;
	}
	h->out_off = h->out_len = 0;
	return 0;
}

/* Read until the reply is whole, never past it. */
static int fill(struct sock_proxy_hs *h, int fd, int *val, char *bound,
		size_t len)
{
	for (;;) {
		size_t need = 0;
		int ret;
		ssize_t n;

		ret = parse(h, &need, val, bound, len);
		if (ret)
			return ret;
		n = sock__recv(fd, h->in + h->in_len, need - h->in_len, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			h->want_write = 0;
			return -errno;
		}
		if (n == 0)
			return fail(SOCK_PROXY_E_CLOSED);
		h->in_len += (size_t)n;
	}
}

int sock_proxy_hs_step(struct sock_proxy_hs *h, int fd)
{
	char bound[300] = "?";
	int val = 0, ret;

	while (h->state != ST_DONE) {
		ret = flush(h, fd);
		if (!ret)
			ret = fill(h, fd, &val, bound, sizeof(bound));
		if (ret > 0)
			ret = advance(h, val, bound);
		if (ret < 0 && ret != -EAGAIN && sock_proxy_err_is(ret))
			trace_refusal(h);
		if (ret < 0)
			return ret;
	}
	return 0;
}

/* ---- the whole handshake, for one connection ---------------------------- */

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int run(struct sock_proxy_hs *h, int fd, int timeout_ms)
{
	long long end = now_ms() + timeout_ms;

	for (;;) {
		int ret = sock_proxy_hs_step(h, fd), wait = -1;
		struct pollfd pfd = { .fd = fd };

		if (ret != -EAGAIN)
			return ret;
		if (timeout_ms > 0) {
			wait = (int)(end - now_ms());
			if (wait <= 0)
				return fail(SOCK_PROXY_E_SILENT);
		}
		pfd.events = h->want_write ? POLLOUT : POLLIN;
		if (poll(&pfd, 1, wait) < 0 && errno != EINTR)
			return -errno;
	}
}

int sock_proxy_handshake(int fd, const struct sock_proxy *p, const char *host,
			 int port, int timeout_ms)
{
	struct sock_proxy_hs h;
	int flags = fcntl(fd, F_GETFL), ret;

	ret = sock_proxy_hs_init(&h, p, host, port);
	if (ret)
		return ret;
	if (flags < 0)
		return -errno;
	if (!(flags & O_NONBLOCK) && fcntl(fd, F_SETFL, flags | O_NONBLOCK))
		return -errno;
	ret = run(&h, fd, timeout_ms);
	if (!(flags & O_NONBLOCK))
		fcntl(fd, F_SETFL, flags);
	return ret;
}
