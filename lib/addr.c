/*
 * addr.c - endpoints: parse what the user wrote, format what the kernel
 * returns (see sock/addr.h).
 *
 * The parser is a hand-written scanner over a C string.  Every helper gets
 * the whole text and an offset, never a copy, so that an error can name the
 * exact byte the tool puts its caret under, and so that no helper can read
 * past the terminating NUL (each scan stops at the first byte outside its
 * character class, and NUL is in none).
 */
#include "sock/addr.h"
#include "sock/number.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define SUN_PATH_SIZE sizeof(((struct sockaddr_un *)0)->sun_path)
/* Room for the bytes of a path or abstract name: sun_path less one byte,
 * the terminating NUL or the leading NUL of the abstract namespace. */
#define PATH_LEN_MAX (SUN_PATH_SIZE - 1)
#define HOST_LEN_MAX (SOCK_ADDR_HOST_MAX - 1)
#define SERVICE_LEN_MAX (SOCK_ADDR_SERVICE_MAX - 1)
#define PORT_DIGITS_MAX 5
#define ZONE_LEN_MAX (IF_NAMESIZE - 1)

/* The error texts spell these numbers out. */
_Static_assert(PATH_LEN_MAX == 107, "sun_path is 108 bytes on Linux");
_Static_assert(HOST_LEN_MAX == 253, "reason text says 253");
_Static_assert(SERVICE_LEN_MAX == 32, "reason text says 32");
_Static_assert(ZONE_LEN_MAX == 15, "reason text says 15");
/* Worst case of sock_addr_format_sa(): '@' and an abstract name of
 * non-printable bytes, each shown as \xNN. */
_Static_assert(SOCK_ADDR_STR_MAX >= 1 + 4 * PATH_LEN_MAX + 1,
	       "SOCK_ADDR_STR_MAX too small for an escaped abstract name");

struct addr_scheme {
	const char *prefix; /* lower case, separator included */
	enum sock_kind kind;
	int family; /* forced by the scheme; AF_UNIX for the unix kinds */
	int tls;    /* TLS over the stream (tls://) */
};

static const struct addr_scheme schemes[] = {
	{ "tcp://", SOCK_KIND_TCP, AF_UNSPEC, 0 },
	{ "tcp4://", SOCK_KIND_TCP, AF_INET, 0 },
	{ "tcp6://", SOCK_KIND_TCP, AF_INET6, 0 },
	{ "tls://", SOCK_KIND_TCP, AF_UNSPEC, 1 },
	{ "tls4://", SOCK_KIND_TCP, AF_INET, 1 },
	{ "tls6://", SOCK_KIND_TCP, AF_INET6, 1 },
	{ "udp://", SOCK_KIND_UDP, AF_UNSPEC, 0 },
	{ "udp4://", SOCK_KIND_UDP, AF_INET, 0 },
	{ "udp6://", SOCK_KIND_UDP, AF_INET6, 0 },
	{ "unix:", SOCK_KIND_UNIX_STREAM, AF_UNIX, 0 },
	{ "unix-dgram:", SOCK_KIND_UNIX_DGRAM, AF_UNIX, 0 },
	{ "unix-seqpacket:", SOCK_KIND_UNIX_SEQPACKET, AF_UNIX, 0 },
};

#define N_SCHEMES (sizeof(schemes) / sizeof(schemes[0]))

struct addr_parser {
	const char *s;
	struct sock_addr a;
	size_t pos;
	const char *reason;
};

static int fail(struct addr_parser *p, size_t pos, const char *reason)
{
	p->pos = pos;
	p->reason = reason;
	return -EINVAL;
}

/* ASCII only: <ctype.h> depends on the locale and on the sign of char. */
static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_alnum(char c)
{
	return is_alpha(c) || is_digit(c);
}

static int is_hex(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int is_host_char(char c)
{
	return is_alnum(c) || c == '-' || c == '.' || c == '_';
}

static int is_ipv6_char(char c)
{
	return is_hex(c) || c == ':' || c == '.';
}

/* Interface names may hold more than this, but not in practice, and a
 * narrow set keeps ']' and ':' unambiguous. */
static int is_zone_char(char c)
{
	return is_alnum(c) || c == '-' || c == '.' || c == '_';
}

static int is_service_char(char c)
{
	return is_alnum(c) || c == '-';
}

static int is_scheme_char(char c)
{
	return is_alnum(c) || c == '+' || c == '-' || c == '.';
}

static size_t span(const char *s, size_t i, int (*ok)(char))
{
	while (ok(s[i]))
		i++;
	return i;
}

static const struct addr_scheme *find_scheme(const char *s)
{
	for (size_t i = 0; i < N_SCHEMES; i++) {
		const char *pre = schemes[i].prefix;

		/* strncasecmp() stops at the NUL of s: no over-read. */
		if (strncasecmp(s, pre, strlen(pre)) == 0)
			return &schemes[i];
	}
	return NULL;
}

/* Whether s[0..n) names an internet scheme ("tcp", "udp6"...). */
static int is_inet_scheme_name(const char *s, size_t n)
{
	for (size_t i = 0; i < N_SCHEMES; i++) {
		const char *pre = schemes[i].prefix;
		const char *sep = strstr(pre, "://");

		if (sep && (size_t)(sep - pre) == n &&
		    strncasecmp(s, pre, n) == 0)
			return 1;
	}
	return 0;
}

/*
 * Check a dotted quad as inet_pton() reads it (four decimal octets, no
 * leading zeros), but also find the offending byte for the caret: 0 if
 * valid, else -1 with *bad (relative to s) and *why.
 */
static int check_ipv4(const char *s, size_t len, size_t *bad, const char **why)
{
	size_t i = 0;

	for (int part = 0; part < 4; part++) {
		size_t start = i;
		unsigned val = 0;

		if (part > 0) {
			if (i == len || s[i] != '.') {
				*bad = i;
				*why = "IPv4 address needs four numbers";
				return -1;
			}
			start = ++i;
		}
		while (i < len && is_digit(s[i]) && val <= 255)
			val = val * 10 + (unsigned)(s[i++] - '0');
		*bad = start;
		if (i == start) {
			*why = "missing number in IPv4 address";
			return -1;
		}
		if (val > 255 || (i < len && is_digit(s[i]))) {
			*why = "IPv4 number above 255";
			return -1;
		}
		if (s[start] == '0' && i - start > 1) {
			*why = "leading zero in IPv4 address";
			return -1;
		}
	}
	if (i != len) {
		*bad = i;
		*why = "IPv4 address has more than four numbers";
		return -1;
	}
	return 0;
}

static int is_ipv4_literal(const char *s, size_t len)
{
	size_t bad;
	const char *why;

	return check_ipv4(s, len, &bad, &why) == 0;
}

/* A name made of digits and dots alone would be read by the resolver as
 * an address (inet_aton: "127.1", "10"), so such a host must be a strict
 * dotted quad. */
static int looks_numeric(const char *s, size_t len)
{
	int digits = 0;

	for (size_t i = 0; i < len; i++) {
		if (!is_digit(s[i]) && s[i] != '.')
			return 0;
		digits |= is_digit(s[i]);
	}
	return digits;
}

/* Validate an unbracketed host s[start..end) and store it. */
static int store_host(struct addr_parser *p, size_t start, size_t end, int *fam)
{
	const char *h = p->s + start;
	size_t len = end - start;

	*fam = AF_UNSPEC;
	if (looks_numeric(h, len)) {
		size_t bad;
		const char *why;

		if (check_ipv4(h, len, &bad, &why) < 0)
			return fail(p, start + bad, why);
		*fam = AF_INET;
	} else if (len > HOST_LEN_MAX) {
		return fail(p, start + HOST_LEN_MAX,
			    "host name longer than 253 bytes");
	}
	memcpy(p->a.host, h, len);
	return 0;
}

/* Parse "HOST" up to the ':' before the port; *end is the ':' or the
 * byte that stopped the scan. */
static int parse_plain_host(struct addr_parser *p, size_t start, size_t *end,
			    int *fam)
{
	const char *s = p->s;
	size_t i = span(s, start, is_host_char);

	if (s[i] == ':') {
		const char *second = strchr(s + i + 1, ':');

		if (second)
			return fail(p, (size_t)(second - s),
				    "IPv6 address needs brackets");
	}
	*end = i;
	return store_host(p, start, i, fam);
}

/* The zone of "[fe80::1%eth0]", from s[start] up to the ']'. */
static int parse_zone(struct addr_parser *p, size_t start, size_t *end)
{
	const char *s = p->s;
	size_t i = span(s, start, is_zone_char);

	if (s[i] != ']' && s[i] != '\0')
		return fail(p, i, "bad character in zone");
	if (i - start > ZONE_LEN_MAX)
		return fail(p, start + ZONE_LEN_MAX,
			    "zone longer than 15 bytes");
	if (s[i] == '\0')
		return fail(p, i, "missing ']'");
	if (i == start)
		return fail(p, i, "empty zone after '%'");
	*end = i;
	return 0;
}

/* Parse "[IPv6]" or "[IPv6%zone]" at s[open]; *end is past the ']'. */
static int parse_bracket_host(struct addr_parser *p, size_t open, size_t *end)
{
	const char *s = p->s;
	size_t first = open + 1;
	size_t i = span(s, first, is_ipv6_char);
	size_t alen = i - first;
	char buf[INET6_ADDRSTRLEN];
	struct in6_addr in6;
	int ret;

	if (s[i] != '%' && s[i] != ']' && s[i] != '\0')
		return fail(p, i, "bad character in IPv6 address");
	if (alen == 0)
		return fail(p, first,
			    s[i] ? "empty IPv6 address" : "missing ']'");
	if (alen >= sizeof(buf))
		return fail(p, first, "bad IPv6 address");
	memcpy(buf, s + first, alen);
	buf[alen] = '\0';
	if (inet_pton(AF_INET6, buf, &in6) != 1)
		return fail(p, first, "bad IPv6 address");
	if (s[i] == '%') {
		ret = parse_zone(p, i + 1, &i);
		if (ret < 0)
			return ret;
	}
	if (s[i] == '\0')
		return fail(p, i, "missing ']'");
	memcpy(p->a.host, s + first, i - first);
	*end = i + 1;
	return 0;
}

/* The value of the decimal digits at s, capped above 65535; *len is
 * how many there are (the reader options' numbers use too). */
static unsigned long port_number(const char *s, size_t *len)
{
	return sock_number_digits(s, 65535, len);
}

int sock_addr_port(const char *service, const char *proto)
{
	struct servent *se;
	size_t n;
	unsigned long val = port_number(service, &n);

	if (n && !service[n])
		return val <= 65535 ? (int)val : -EINVAL;
	se = *service ? getservbyname(service, proto) : NULL;
	return se ? ntohs((uint16_t)se->s_port) : -EINVAL;
}

/* PORT: decimal 0..65535 (at most five digits) or a service name. */
static int parse_port(struct addr_parser *p, size_t start, size_t *end)
{
	const char *s = p->s;
	size_t i;

	if (s[start] == '\0')
		return fail(p, start, "missing port");
	if (is_digit(s[start])) {
		size_t n;

		if (port_number(s + start, &n) > 65535)
			return fail(p, start, "port above 65535");
		if (n > PORT_DIGITS_MAX)
			return fail(p, start, "port longer than 5 digits");
		i = start + n;
	} else if (is_alpha(s[start])) {
		i = span(s, start, is_service_char);
		if (i - start > SERVICE_LEN_MAX)
			return fail(p, start + SERVICE_LEN_MAX,
				    "service name longer than 32 bytes");
	} else {
		return fail(p, start,
			    "port must be 0..65535 or a service name");
	}
	memcpy(p->a.service, s + start, i - start);
	*end = i;
	return 0;
}

static int parse_inet(struct addr_parser *p, size_t start, enum sock_kind kind,
		      int family)
{
	const char *s = p->s;
	int bracket = s[start] == '[', host_fam = AF_INET6, ret;
	size_t i;

	if (bracket)
		ret = parse_bracket_host(p, start, &i);
	else
		ret = parse_plain_host(p, start, &i, &host_fam);
	if (ret < 0)
		return ret;
	if (family != AF_UNSPEC && host_fam != AF_UNSPEC && host_fam != family)
		return fail(p, start,
			    family == AF_INET
				? "IPv6 address with an IPv4 scheme"
				: "IPv4 address with an IPv6 scheme");
	if (s[i] == '\0')
		return fail(p, i, "missing port");
	if (s[i] != ':')
		return fail(p, i,
			    bracket ? "expected ':' after ']'"
				    : "bad character in host name");
	ret = parse_port(p, i + 1, &i);
	if (ret < 0)
		return ret;
	if (s[i] != '\0')
		return fail(p, i, "unexpected text after the port");
	p->a.kind = kind;
	p->a.family = family != AF_UNSPEC ? family : host_fam;
	return 0;
}

/* PATH or @NAME at s[start].  The struct starts zeroed, which supplies
 * the NUL after a path and the NUL before an abstract name. */
static int parse_path(struct addr_parser *p, size_t start, enum sock_kind kind)
{
	const char *s = p->s + start;
	size_t abstract = s[0] == '@';
	size_t n = strnlen(s + abstract, PATH_LEN_MAX + 1);

	if (n == 0)
		return fail(p, start + abstract,
			    abstract ? "empty abstract name" : "empty path");
	if (n > PATH_LEN_MAX)
		return fail(p, start + abstract + PATH_LEN_MAX,
			    abstract ? "abstract name longer than 107 bytes"
				     : "path longer than 107 bytes");
	/* Filesystem: the bytes and their NUL; abstract: a NUL, the name. */
	memcpy(p->a.path + abstract, s + abstract, n);
	p->a.path_len = n + 1;
	p->a.kind = kind;
	p->a.family = AF_UNIX;
	return 0;
}

/*
 * "tcp:80", "udp:host:53" (socat's spelling) and "foo:/x" are mistakes,
 * not hosts named "tcp" or "foo": refuse them before the shorthand sees
 * them.
 */
static int check_not_a_scheme(struct addr_parser *p)
{
	const char *s = p->s;
	size_t t;

	if (!is_alpha(s[0]))
		return 0;
	t = span(s, 0, is_scheme_char);
	if (s[t] != ':')
		return 0;
	if (is_inet_scheme_name(s, t))
		return fail(p, t + 1 + (s[t + 1] == '/'),
			    "expected '//' after the scheme");
	if (s[t + 1] == '/' || s[t + 1] == '@')
		return fail(p, 0, "unknown scheme");
	return 0;
}

static int starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static int parse_any(struct addr_parser *p)
{
	const char *s = p->s;
	const struct addr_scheme *sc;
	int ret;

	if (s[0] == '\0')
		return fail(p, 0, "empty endpoint");
	if (s[0] == '-') {
		if (s[1] != '\0')
			return fail(p, 1, "unexpected text after '-'");
		p->a.kind = SOCK_KIND_STDIO;
		return 0;
	}
	if (s[0] == '/' || starts_with(s, "./") || starts_with(s, "../"))
		return parse_path(p, 0, SOCK_KIND_UNIX_STREAM);
	sc = find_scheme(s);
	if (sc && sc->family == AF_UNIX)
		return parse_path(p, strlen(sc->prefix), sc->kind);
	if (sc) {
		p->a.tls = (unsigned char)sc->tls;
		return parse_inet(p, strlen(sc->prefix), sc->kind, sc->family);
	}
	ret = check_not_a_scheme(p);
	if (ret < 0)
		return ret;
	return parse_inet(p, 0, SOCK_KIND_TCP, AF_UNSPEC);
}

int sock_addr_parse(const char *text, struct sock_addr *out,
		    struct sock_addr_error *err)
{
	struct addr_parser p;
	int ret;

	/* Zero padding too, so that equal endpoints compare equal with
	 * memcmp() and the fuzzer can check round trips byte for byte. */
	memset(&p, 0, sizeof(p));
	p.s = text;
	if (!text || !out)
		ret = fail(&p, 0, "no endpoint");
	else
		ret = parse_any(&p);
	if (ret < 0) {
		if (err) {
			err->pos = p.pos;
			err->reason = p.reason;
		}
		return ret;
	}
	memcpy(out, &p.a, sizeof(*out));
	return 0;
}

/* snprintf() result to this module's convention. */
static int finish(int n, size_t len)
{
	if (n < 0)
		return -EINVAL;
	if ((size_t)n >= len)
		return -ENOSPC;
	return n;
}

static const char *scheme_prefix(enum sock_kind kind, int family, int tls)
{
	for (size_t i = 0; i < N_SCHEMES; i++)
		if (schemes[i].kind == kind && schemes[i].family == family &&
		    schemes[i].tls == tls)
			return schemes[i].prefix;
	return NULL;
}

/* The family a host implies by itself, as parse_inet() derives it. */
static int host_family(const char *host)
{
	if (strchr(host, ':'))
		return AF_INET6;
	if (is_ipv4_literal(host, strlen(host)))
		return AF_INET;
	return AF_UNSPEC;
}

static int format_inet(const struct sock_addr *a, char *buf, size_t len)
{
	int fam = a->family;
	const char *pre;
	int v6;

	if (!memchr(a->host, '\0', sizeof(a->host)) ||
	    !memchr(a->service, '\0', sizeof(a->service)) || !a->service[0])
		return -EINVAL;
	v6 = strchr(a->host, ':') != NULL;
	/* The suffix of tcp4:// and tcp6:// only when the host does not
	 * already say it: one canonical text per struct. */
	if (fam == host_family(a->host))
		fam = AF_UNSPEC;
	pre = scheme_prefix(a->kind, fam, a->tls);
	if (!pre)
		return -EINVAL;
	return finish(snprintf(buf, len, "%s%s%s%s:%s", pre, v6 ? "[" : "",
			       a->host, v6 ? "]" : "", a->service),
		      len);
}

static int format_unix(const struct sock_addr *a, char *buf, size_t len)
{
	const char *pre = scheme_prefix(a->kind, AF_UNIX, 0);
	int abstract = a->path[0] == '\0';
	const char *name = a->path + abstract;
	size_t n;
	int ret;

	if (!pre || a->path_len < 2 || a->path_len > sizeof(a->path))
		return -EINVAL;
	n = strnlen(name, a->path_len - (size_t)abstract);
	/* A NUL inside an abstract name cannot be written back. */
	if (abstract && n != a->path_len - 1)
		return -EINVAL;
	ret = snprintf(buf, len, "%s%s%.*s", pre, abstract ? "@" : "", (int)n,
		       name);
	return finish(ret, len);
}

int sock_addr_format(const struct sock_addr *a, char *buf, size_t len)
{
	if (!a)
		return -EINVAL;
	switch (a->kind) {
	case SOCK_KIND_TCP:
	case SOCK_KIND_UDP:
		return format_inet(a, buf, len);
	case SOCK_KIND_UNIX_STREAM:
	case SOCK_KIND_UNIX_DGRAM:
	case SOCK_KIND_UNIX_SEQPACKET:
		return format_unix(a, buf, len);
	case SOCK_KIND_STDIO:
		return finish(snprintf(buf, len, "-"), len);
	default:
		return -EINVAL;
	}
}

static int format_in(const struct sockaddr *sa, socklen_t salen, char *buf,
		     size_t len)
{
	struct sockaddr_in sin;
	char host[INET_ADDRSTRLEN];

	if (salen < sizeof(sin))
		return -EINVAL;
	/* A copy: the caller's buffer need not be aligned for the type. */
	memcpy(&sin, sa, sizeof(sin));
	if (!inet_ntop(AF_INET, &sin.sin_addr, host, sizeof(host)))
		return -errno;
	return finish(snprintf(buf, len, "%s:%u", host, ntohs(sin.sin_port)),
		      len);
}

static int format_in6(const struct sockaddr *sa, socklen_t salen, char *buf,
		      size_t len)
{
	struct sockaddr_in6 sin6;
	char host[INET6_ADDRSTRLEN], zone[IF_NAMESIZE + 12] = "";
	char ifname[IF_NAMESIZE];
	unsigned port;
	int ret;

	if (salen < sizeof(sin6))
		return -EINVAL;
	memcpy(&sin6, sa, sizeof(sin6));
	if (!inet_ntop(AF_INET6, &sin6.sin6_addr, host, sizeof(host)))
		return -errno;
	if (sin6.sin6_scope_id && if_indextoname(sin6.sin6_scope_id, ifname))
		snprintf(zone, sizeof(zone), "%%%s", ifname);
	else if (sin6.sin6_scope_id)
		snprintf(zone, sizeof(zone), "%%%u", sin6.sin6_scope_id);
	port = ntohs(sin6.sin6_port);
	ret = snprintf(buf, len, "[%s%s]:%u", host, zone, port);
	return finish(ret, len);
}

/* Abstract names are arbitrary bytes; keep terminals and the columns of
 * `sock list` intact (space and backslash too, so the text is
 * unambiguous). */
static void escape_name(const unsigned char *name, size_t n, char *out)
{
	static const char hex[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		unsigned char c = name[i];

		if (c > ' ' && c < 0x7f && c != '\\') {
			*out++ = (char)c;
			continue;
		}
		*out++ = '\\';
		*out++ = 'x';
		*out++ = hex[c >> 4];
		*out++ = hex[c & 0xf];
	}
	*out = '\0';
}

static int format_un(const struct sockaddr *sa, socklen_t salen, char *buf,
		     size_t len)
{
	const size_t off = offsetof(struct sockaddr_un, sun_path);
	char path[SUN_PATH_SIZE];
	char name[4 * SUN_PATH_SIZE + 1];
	size_t n;

	if (salen <= off)
		return finish(snprintf(buf, len, "(unnamed)"), len);
	n = salen - off;
	if (n > sizeof(path))
		n = sizeof(path);
	memcpy(path, (const char *)sa + off, n);
	if (path[0] != '\0') {
		/* The kernel may or may not count the NUL in salen. */
		n = strnlen(path, n);
		return finish(snprintf(buf, len, "%.*s", (int)n, path), len);
	}
	escape_name((const unsigned char *)path + 1, n - 1, name);
	return finish(snprintf(buf, len, "@%s", name), len);
}

int sock_addr_format_sa(const struct sockaddr *sa, socklen_t salen, char *buf,
			size_t len)
{
	sa_family_t family;

	if (!sa || salen < sizeof(family))
		return -EINVAL;
	memcpy(&family, (const char *)sa + offsetof(struct sockaddr, sa_family),
	       sizeof(family));
	switch (family) {
	case AF_INET:
		return format_in(sa, salen, buf, len);
	case AF_INET6:
		return format_in6(sa, salen, buf, len);
	case AF_UNIX:
		return format_un(sa, salen, buf, len);
	default:
		return -EAFNOSUPPORT;
	}
}

int sock_addr_socktype(enum sock_kind kind, int *type, int *protocol)
{
	int t, proto = 0;

	switch (kind) {
	case SOCK_KIND_TCP:
		t = SOCK_STREAM;
		proto = IPPROTO_TCP;
		break;
	case SOCK_KIND_UDP:
		t = SOCK_DGRAM;
		proto = IPPROTO_UDP;
		break;
	case SOCK_KIND_UNIX_STREAM:
		t = SOCK_STREAM;
		break;
	case SOCK_KIND_UNIX_DGRAM:
		t = SOCK_DGRAM;
		break;
	case SOCK_KIND_UNIX_SEQPACKET:
		t = SOCK_SEQPACKET;
		break;
	default:
		return -EINVAL;
	}
	*type = t;
	*protocol = proto;
	return 0;
}

const char *sock_addr_kind_name(enum sock_kind kind)
{
	switch (kind) {
	case SOCK_KIND_TCP:
		return "tcp";
	case SOCK_KIND_UDP:
		return "udp";
	case SOCK_KIND_UNIX_STREAM:
		return "unix";
	case SOCK_KIND_UNIX_DGRAM:
		return "unix-dgram";
	case SOCK_KIND_UNIX_SEQPACKET:
		return "unix-seqpacket";
	case SOCK_KIND_STDIO:
		return "stdio";
	default:
		return "none";
	}
}

int sock_addr_is_dgram(enum sock_kind kind)
{
	return kind == SOCK_KIND_UDP || kind == SOCK_KIND_UNIX_DGRAM;
}

socklen_t sock_addr_to_sun(const struct sock_addr *a, struct sockaddr_un *sun)
{
	switch (a->kind) {
	case SOCK_KIND_UNIX_STREAM:
	case SOCK_KIND_UNIX_DGRAM:
	case SOCK_KIND_UNIX_SEQPACKET:
		break;
	default:
		return 0;
	}
	if (a->path_len > sizeof(sun->sun_path))
		return 0;
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	memcpy(sun->sun_path, a->path, a->path_len);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
			   a->path_len);
}
