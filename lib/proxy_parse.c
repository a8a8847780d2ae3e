/*
 * lib/proxy_parse.c - the pure half of the proxy client: the proxy's
 * address text and the replies of SOCKS5, SOCKS4a and HTTP CONNECT
 * proxies, parsed from bytes without I/O (include/sock/proxy.h).  A
 * reader asks each parser how many bytes the reply has at least, so it
 * never reads a byte of the target's stream by mistake.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <sock/proxy.h>

static int fail(int code)
{
	return -(SOCK_ERR_PROXY_BASE + code);
}

int sock_proxy_err_is(int err)
{
	return err <= -(SOCK_ERR_PROXY_BASE + SOCK_PROXY_E_GARBAGE) &&
	       err > -(SOCK_ERR_PROXY_BASE + SOCK_PROXY_E_HTTP + 1000);
}

int sock_proxy_err_class(int err)
{
	int code = -err - SOCK_ERR_PROXY_BASE;

	return code >= SOCK_PROXY_E_SOCKS5 ? code / 1000 * 1000 : code;
}

int sock_proxy_err_number(int err)
{
	int code = -err - SOCK_ERR_PROXY_BASE;

	return code >= SOCK_PROXY_E_SOCKS5 ? code % 1000 : 0;
}

const char *sock_proxy_type_name(enum sock_proxy_type t)
{
	switch (t) {
	case SOCK_PROXY_SOCKS5:
		return "socks5";
	case SOCK_PROXY_SOCKS4A:
		return "socks4a";
	case SOCK_PROXY_HTTP:
		return "http";
	case SOCK_PROXY_NONE:
		break;
	}
	return "none";
}

/* ---- the proxy's address ------------------------------------------- */

static const struct {
	const char *prefix;
	enum sock_proxy_type type;
	const char *port;
} schemes[] = {
	{ "socks5://", SOCK_PROXY_SOCKS5, "1080" },
	{ "socks5h://", SOCK_PROXY_SOCKS5, "1080" }, /* curl's remote DNS */
	{ "socks4a://", SOCK_PROXY_SOCKS4A, "1080" },
	{ "http://", SOCK_PROXY_HTTP, "3128" },
};

/* USER@ at the start of rest, into p->user; a password is refused. */
static int take_user(const char **rest, struct sock_proxy *p, const char **why)
{
	const char *at = strrchr(*rest, '@');
	size_t len;

	if (!at)
		return 0;
	len = (size_t)(at - *rest);
	if (memchr(*rest, ':', len)) {
		*why = "a password in the proxy address would show in ps: "
		       "give it in SOCK_PROXY_PASSWORD or --proxy-auth-file";
		return -EINVAL;
	}
	if (!len || len >= sizeof(p->user)) {
		*why = "the user name is empty or longer than 255 bytes";
		return -EINVAL;
	}
	memcpy(p->user, *rest, len);
	p->user[len] = '\0';
	*rest = at + 1;
	return 0;
}

int sock_proxy_parse(const char *text, struct sock_proxy *p, const char **why)
{
	char ep[SOCK_ADDR_HOST_MAX + 32];
	struct sock_addr_error e = { 0, NULL };
	const char *rest = NULL, *port = NULL;
	size_t i;

	*why = "want socks5://[USER@]HOST:PORT, socks4a://... or http://...";
	memset(p, 0, sizeof(*p));
	for (i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++)
		if (!strncmp(text, schemes[i].prefix,
			     strlen(schemes[i].prefix))) {
			rest = text + strlen(schemes[i].prefix);
			p->type = schemes[i].type;
			port = schemes[i].port;
			break;
		}
	if (!rest || take_user(&rest, p, why))
		return -EINVAL;
	/* The port may be left out: HOST alone, [V6] alone. */
	const char *colon = strrchr(rest, ':');
	int has_port = colon && (rest[0] != '[' || colon > strchr(rest, ']'));
	size_t len = strlen(rest);

	if (len && rest[len - 1] == '/') /* http://host:3128/ */
		len--;
	if (snprintf(ep, sizeof(ep), "tcp://%.*s%s%s", (int)len, rest,
		     has_port ? "" : ":",
		     has_port ? "" : port) >= (int)sizeof(ep)) {
		*why = "the proxy's host name is too long";
		return -EINVAL;
	}
	if (sock_addr_parse(ep, &p->addr, &e) || !p->addr.host[0]) {
		*why = e.reason ? e.reason : "the proxy needs a host";
		return -EINVAL;
	}
	return 0;
}

/* ---- SOCKS5 ------------------------------------------------------------ */

/* Needs at least want bytes: 0 with *need set when n is short. */
static int short_of(size_t n, size_t want, size_t *need)
{
	*need = want;
	return n < want;
}

int sock_proxy_parse_socks5_method(const unsigned char *b, size_t n,
				   size_t *need, int *method)
{
	if (n >= 1 && b[0] != 5)
		return fail(SOCK_PROXY_E_GARBAGE);
	if (short_of(n, 2, need))
		return 0;
	*method = b[1];
	if (b[1] == 0xff)
		return fail(SOCK_PROXY_E_NO_METHOD);
	return 2;
}

int sock_proxy_parse_socks5_auth(const unsigned char *b, size_t n, size_t *need)
{
	/* RFC 1929 says version 1; some servers answer 5. */
	if (n >= 1 && b[0] != 1 && b[0] != 5)
		return fail(SOCK_PROXY_E_GARBAGE);
	if (short_of(n, 2, need))
		return 0;
	return b[1] ? fail(SOCK_PROXY_E_AUTH) : 2;
}

/* The bound address of a SOCKS5 reply, as text. */
static void socks5_bound(const unsigned char *b, char *out, size_t len)
{
	char ip[INET6_ADDRSTRLEN] = "?";
	const unsigned char *port;

	if (b[3] == 1) {
		inet_ntop(AF_INET, b + 4, ip, sizeof(ip));
		port = b + 8;
		snprintf(out, len, "%s:%u", ip, port[0] << 8 | port[1]);
	} else if (b[3] == 4) {
		inet_ntop(AF_INET6, b + 4, ip, sizeof(ip));
		port = b + 20;
		snprintf(out, len, "[%s]:%u", ip, port[0] << 8 | port[1]);
	} else {
		port = b + 5 + b[4];
		snprintf(out, len, "%.*s:%u", (int)b[4], (const char *)b + 5,
			 port[0] << 8 | port[1]);
	}
}

int sock_proxy_parse_socks5_reply(const unsigned char *b, size_t n,
				  size_t *need, char *bound, size_t len)
{
	size_t whole;

	if (n >= 1 && b[0] != 5)
		return fail(SOCK_PROXY_E_GARBAGE);
	/* A refusal is known from the second byte: some proxies close
	 * without sending the rest. */
	if (n >= 2 && b[1])
		return fail(SOCK_PROXY_E_SOCKS5 + b[1]);
	if (short_of(n, 5, need))
		return 0;
	if (b[3] == 1)
		whole = 10;
	else if (b[3] == 4)
		whole = 22;
	else if (b[3] == 3)
		whole = 7 + (size_t)b[4];
	else
		return fail(SOCK_PROXY_E_GARBAGE);
	if (short_of(n, whole, need))
		return 0;
	if (bound && len)
		socks5_bound(b, bound, len);
	return (int)whole;
}

/* ---- SOCKS4a ----------------------------------------------------------- */

int sock_proxy_parse_socks4_reply(const unsigned char *b, size_t n,
				  size_t *need)
{
	/* Version 0 by the protocol; a few servers echo 4. */
	if (n >= 1 && b[0] != 0 && b[0] != 4)
		return fail(SOCK_PROXY_E_GARBAGE);
	if (n >= 2 && b[1] != 90)
		return fail(SOCK_PROXY_E_SOCKS4 + b[1]);
	if (short_of(n, 8, need))
		return 0;
	return 8;
}

/* ---- HTTP CONNECT ----------------------------------------------------- */

/* How many bytes of "\r\n\r\n" b[0..n) already ends with. */
static size_t crlf_tail(const unsigned char *b, size_t n)
{
	static const char end[] = "\r\n\r\n";

	for (size_t k = 3; k > 0; k--)
		if (n >= k && !memcmp(b + n - k, end, k))
			return k;
	return 0;
}

/* "HTTP/1.1 200 ...\r\n": the status, or -1 when the line is not one. */
static int status_line(const unsigned char *b, size_t n)
{
	const unsigned char *eol = memchr(b, '\n', n);

	if (!eol || eol - b < 12 || memcmp(b, "HTTP/", 5) || b[6] != '.' ||
	    b[5] < '0' || b[5] > '9' || b[7] < '0' || b[7] > '9' || b[8] != ' ')
		return -1;
	for (int i = 9; i < 12; i++)
		if (b[i] < '0' || b[i] > '9')
			return -1;
	if (eol - b > 12 && b[12] != ' ' && b[12] != '\r')
		return -1;
	return (b[9] - '0') * 100 + (b[10] - '0') * 10 + (b[11] - '0');
}

int sock_proxy_parse_http_reply(const unsigned char *b, size_t n, size_t *need,
				int *status)
{
	size_t pre = n < 5 ? n : 5;
	int st = -1;

	if (memcmp(b, "HTTP/", pre))
		return fail(SOCK_PROXY_E_GARBAGE);
	if (memchr(b, '\n', n)) {
		st = status_line(b, n);
		if (st < 100)
			return fail(SOCK_PROXY_E_GARBAGE);
		*status = st;
		/* A refusal is known from its status line. */
		if (st < 200 || st > 299)
			return fail(SOCK_PROXY_E_HTTP + st);
	}
	for (size_t i = 3; i < n; i++)
		if (!memcmp(b + i - 3, "\r\n\r\n", 4))
			return (int)i + 1;
	if (n >= SOCK_PROXY_REPLY_MAX)
		return fail(SOCK_PROXY_E_TOO_LONG);
	*need = n + 4 - crlf_tail(b, n);
	if (*need > SOCK_PROXY_REPLY_MAX)
		*need = SOCK_PROXY_REPLY_MAX;
	return 0;
}
