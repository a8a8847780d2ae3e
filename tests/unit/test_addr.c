/*
 * test_addr.c - the endpoint grammar (every row of the table and the
 * garbage around it), canonical formatting and kernel address formatting.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "sock/addr.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct inet_case {
	const char *in;
	enum sock_kind kind;
	int family;
	const char *host;
	const char *service;
	const char *canon;
};

static const struct inet_case inet_cases[] = {
	{ "tcp://example.com:80", SOCK_KIND_TCP, AF_UNSPEC, "example.com", "80",
	  "tcp://example.com:80" },
	{ "tcp://127.0.0.1:80", SOCK_KIND_TCP, AF_INET, "127.0.0.1", "80",
	  "tcp://127.0.0.1:80" },
	{ "tcp://[::1]:80", SOCK_KIND_TCP, AF_INET6, "::1", "80",
	  "tcp://[::1]:80" },
	{ "tcp://:0", SOCK_KIND_TCP, AF_UNSPEC, "", "0", "tcp://:0" },
	{ "tcp://h:65535", SOCK_KIND_TCP, AF_UNSPEC, "h", "65535",
	  "tcp://h:65535" },
	{ "tcp://h:00080", SOCK_KIND_TCP, AF_UNSPEC, "h", "00080",
	  "tcp://h:00080" },
	{ "tcp://my_host-1.lan:http", SOCK_KIND_TCP, AF_UNSPEC, "my_host-1.lan",
	  "http", "tcp://my_host-1.lan:http" },
	{ "tcp://h:x-11", SOCK_KIND_TCP, AF_UNSPEC, "h", "x-11",
	  "tcp://h:x-11" },
	{ "tcp4://localhost:80", SOCK_KIND_TCP, AF_INET, "localhost", "80",
	  "tcp4://localhost:80" },
	{ "tcp4://127.0.0.1:80", SOCK_KIND_TCP, AF_INET, "127.0.0.1", "80",
	  "tcp://127.0.0.1:80" },
	{ "tcp4://:80", SOCK_KIND_TCP, AF_INET, "", "80", "tcp4://:80" },
	{ "tcp6://localhost:80", SOCK_KIND_TCP, AF_INET6, "localhost", "80",
	  "tcp6://localhost:80" },
	{ "tcp6://[::1]:80", SOCK_KIND_TCP, AF_INET6, "::1", "80",
	  "tcp://[::1]:80" },
	{ "tcp6://:80", SOCK_KIND_TCP, AF_INET6, "", "80", "tcp6://:80" },
	{ "udp://h:53", SOCK_KIND_UDP, AF_UNSPEC, "h", "53", "udp://h:53" },
	{ "udp://10.0.0.1:domain", SOCK_KIND_UDP, AF_INET, "10.0.0.1", "domain",
	  "udp://10.0.0.1:domain" },
	{ "udp4://h:53", SOCK_KIND_UDP, AF_INET, "h", "53", "udp4://h:53" },
	{ "udp6://h:53", SOCK_KIND_UDP, AF_INET6, "h", "53", "udp6://h:53" },
	{ "udp6://[2001:db8::1]:53", SOCK_KIND_UDP, AF_INET6, "2001:db8::1",
	  "53", "udp://[2001:db8::1]:53" },
	{ "tcp://[fe80::1%lo]:22", SOCK_KIND_TCP, AF_INET6, "fe80::1%lo", "22",
	  "tcp://[fe80::1%lo]:22" },
	{ "tcp://[fe80::1%2]:22", SOCK_KIND_TCP, AF_INET6, "fe80::1%2", "22",
	  "tcp://[fe80::1%2]:22" },
	{ "tcp://[::ffff:1.2.3.4]:1", SOCK_KIND_TCP, AF_INET6, "::ffff:1.2.3.4",
	  "1", "tcp://[::ffff:1.2.3.4]:1" },
	{ "TCP://H:80", SOCK_KIND_TCP, AF_UNSPEC, "H", "80", "tcp://H:80" },
	{ "Udp6://h:1", SOCK_KIND_UDP, AF_INET6, "h", "1", "udp6://h:1" },
	/* Shorthands. */
	{ "localhost:8080", SOCK_KIND_TCP, AF_UNSPEC, "localhost", "8080",
	  "tcp://localhost:8080" },
	{ ":8080", SOCK_KIND_TCP, AF_UNSPEC, "", "8080", "tcp://:8080" },
	{ "[::1]:80", SOCK_KIND_TCP, AF_INET6, "::1", "80", "tcp://[::1]:80" },
	{ "192.0.2.1:https", SOCK_KIND_TCP, AF_INET, "192.0.2.1", "https",
	  "tcp://192.0.2.1:https" },
	{ "0.0.0.0:1", SOCK_KIND_TCP, AF_INET, "0.0.0.0", "1",
	  "tcp://0.0.0.0:1" },
	{ "255.255.255.255:1", SOCK_KIND_TCP, AF_INET, "255.255.255.255", "1",
	  "tcp://255.255.255.255:1" },
	{ "1e100.net:80", SOCK_KIND_TCP, AF_UNSPEC, "1e100.net", "80",
	  "tcp://1e100.net:80" },
};

struct unix_case {
	const char *in;
	enum sock_kind kind;
	int abstract;
	const char *name; /* path, or abstract name without the NUL */
	const char *canon;
};

static const struct unix_case unix_cases[] = {
	{ "unix:/run/x.sock", SOCK_KIND_UNIX_STREAM, 0, "/run/x.sock",
	  "unix:/run/x.sock" },
	{ "unix:rel/x", SOCK_KIND_UNIX_STREAM, 0, "rel/x", "unix:rel/x" },
	{ "unix:@name", SOCK_KIND_UNIX_STREAM, 1, "name", "unix:@name" },
	{ "unix:@@", SOCK_KIND_UNIX_STREAM, 1, "@", "unix:@@" },
	{ "unix:a b:c", SOCK_KIND_UNIX_STREAM, 0, "a b:c", "unix:a b:c" },
	{ "unix-dgram:/tmp/d", SOCK_KIND_UNIX_DGRAM, 0, "/tmp/d",
	  "unix-dgram:/tmp/d" },
	{ "unix-dgram:@d", SOCK_KIND_UNIX_DGRAM, 1, "d", "unix-dgram:@d" },
	{ "unix-seqpacket:/tmp/s", SOCK_KIND_UNIX_SEQPACKET, 0, "/tmp/s",
	  "unix-seqpacket:/tmp/s" },
	{ "unix-seqpacket:@s", SOCK_KIND_UNIX_SEQPACKET, 1, "s",
	  "unix-seqpacket:@s" },
	{ "UNIX:/x", SOCK_KIND_UNIX_STREAM, 0, "/x", "unix:/x" },
	{ "unix:///x", SOCK_KIND_UNIX_STREAM, 0, "///x", "unix:///x" },
	/* Shorthands. */
	{ "/tmp/x.sock", SOCK_KIND_UNIX_STREAM, 0, "/tmp/x.sock",
	  "unix:/tmp/x.sock" },
	{ "./x", SOCK_KIND_UNIX_STREAM, 0, "./x", "unix:./x" },
	{ "../x:1", SOCK_KIND_UNIX_STREAM, 0, "../x:1", "unix:../x:1" },
	{ "/", SOCK_KIND_UNIX_STREAM, 0, "/", "unix:/" },
};

struct bad_case {
	const char *in;
	size_t pos;
	const char *reason; /* a word the reason must contain */
};

static const struct bad_case bad_cases[] = {
	{ "", 0, "empty" },
	{ "tcp://", 6, "missing port" },
	{ "tcp://h", 7, "missing port" },
	{ "tcp://h:", 8, "missing port" },
	{ "tcp://[::1", 10, "']'" },
	{ "tcp://[::1]", 11, "missing port" },
	{ "tcp://[::1]:", 12, "missing port" },
	{ "tcp://[::1]80", 11, "':'" },
	{ "tcp://[", 7, "']'" },
	{ "tcp://[]:80", 7, "empty IPv6" },
	{ "tcp://[::1:80", 13, "']'" },
	{ "tcp://[::g]:80", 9, "IPv6" },
	{ "tcp://[1::2::3]:80", 7, "bad IPv6" },
	{ "tcp://[1.2.3.4]:80", 7, "bad IPv6" },
	{ "tcp://[fe80::1%]:80", 15, "empty zone" },
	{ "tcp://[fe80::1%lo", 17, "']'" },
	{ "tcp://[fe80::1%l/o]:80", 16, "zone" },
	{ "tcp://[fe80::1%abcdefghijklmnop]:80", 30, "zone longer" },
	{ "tcp://h:65536", 8, "above 65535" },
	{ "tcp://h:70000", 8, "above 65535" },
	{ "tcp://h:99999999999999999999999", 8, "above 65535" },
	{ "tcp://h:000080", 8, "5 digits" },
	{ ":-1", 1, "port" },
	{ ":70000", 1, "above 65535" },
	{ ":65536", 1, "above 65535" },
	{ ":+1", 1, "port" },
	{ ": 1", 1, "port" },
	{ ":1 ", 2, "after the port" },
	{ "tcp://a:80x", 10, "after the port" },
	{ "tcp://a:80/x", 10, "after the port" },
	{ "tcp://[::1]:80x", 14, "after the port" },
	{ "tcp://[::1]:80:1", 14, "after the port" },
	{ "tcp://a:-http", 8, "port" },
	{ "tcp://a:_x", 8, "port" },
	{ "tcp://a:ht_tp", 10, "after the port" },
	{ "tcp://a b:80", 7, "host" },
	{ "tcp://a/b:80", 7, "host" },
	{ "tcp://é:80", 6, "host" },
	/* Unbracketed IPv6: the caret goes under the second colon. */
	{ "tcp://::1:80", 7, "brackets" },
	{ "tcp://fe80::1:80", 11, "brackets" },
	{ "2001:db8::1:80", 5 + 3, "brackets" },
	{ "::1", 1, "brackets" },
	{ "h:1:2", 3, "brackets" },
	/* Family mismatch: at the host. */
	{ "tcp4://[::1]:80", 7, "IPv6 address" },
	{ "udp4://[::1]:80", 7, "IPv6 address" },
	{ "tcp6://127.0.0.1:1", 7, "IPv4 address" },
	{ "udp6://127.0.0.1:1", 7, "IPv4 address" },
	/* Digits and dots only: a strict dotted quad. */
	{ "tcp://256.0.0.1:80", 6, "255" },
	{ "tcp://1.2.3.1000:80", 12, "255" },
	{ "tcp://1.2.3:80", 11, "four" },
	{ "tcp://1.2.3.4.5:80", 13, "more than four" },
	{ "tcp://127.1:80", 11, "four" },
	{ "tcp://1..2.3:80", 8, "missing number" },
	{ "tcp://.1.2.3:80", 6, "missing number" },
	{ "tcp://1.2.3.4.:80", 13, "more than four" },
	{ "tcp://01.2.3.4:80", 6, "leading zero" },
	{ "tcp://10:80", 8, "four" },
	/* Unix. */
	{ "unix:", 5, "empty path" },
	{ "unix:@", 6, "empty abstract" },
	{ "unix-dgram:", 11, "empty path" },
	{ "unix-seqpacket:@", 16, "empty abstract" },
	/* Schemes. */
	{ "foo://x:1", 0, "unknown scheme" },
	{ "http://example.com:80", 0, "unknown scheme" },
	{ "unix-stream:/x", 0, "unknown scheme" },
	{ "abstract:@x", 0, "unknown scheme" },
	{ "tcp:80", 4, "//" },
	{ "udp:host:53", 4, "//" },
	{ "tcp:/h:80", 5, "//" },
	{ "TCP6:h:80", 5, "//" },
	/* Anything else. */
	{ "-x", 1, "after '-'" },
	{ "--", 1, "after '-'" },
	{ "x", 1, "missing port" },
	{ "@name", 0, "host" },
	{ ".", 1, "missing port" },
	{ " tcp://h:1", 0, "host" },
};

/* Fill with a pattern so that a field the parser forgets shows up. */
static void poison(struct sock_addr *a)
{
	memset(a, 0xa5, sizeof(*a));
}

static void check_inet(const struct inet_case *c)
{
	struct sock_addr a, b;
	struct sock_addr_error err = { 0, NULL };
	char buf[SOCK_ADDR_STR_MAX];

	poison(&a);
	if (sock_addr_parse(c->in, &a, &err) != 0)
		fail_msg("%s: refused at %zu: %s", c->in, err.pos, err.reason);
	if (a.kind != c->kind || a.family != c->family ||
	    strcmp(a.host, c->host) != 0 || strcmp(a.service, c->service) != 0)
		fail_msg("%s: got kind %d family %d host '%s' service '%s'",
			 c->in, a.kind, a.family, a.host, a.service);
	assert_int_equal(a.path_len, 0);
	assert_int_equal(sock_addr_format(&a, buf, sizeof(buf)),
			 strlen(c->canon));
	if (strcmp(buf, c->canon) != 0)
		fail_msg("%s: formatted as '%s', want '%s'", c->in, buf,
			 c->canon);
	poison(&b);
	assert_int_equal(sock_addr_parse(buf, &b, NULL), 0);
	if (memcmp(&a, &b, sizeof(a)) != 0)
		fail_msg("%s: round trip through '%s' differs", c->in, buf);
}

static void test_parse_inet(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(inet_cases); i++)
		check_inet(&inet_cases[i]);
}

static void check_unix(const struct unix_case *c)
{
	struct sock_addr a, b;
	struct sock_addr_error err = { 0, NULL };
	char buf[SOCK_ADDR_STR_MAX];
	size_t n = strlen(c->name);

	poison(&a);
	if (sock_addr_parse(c->in, &a, &err) != 0)
		fail_msg("%s: refused at %zu: %s", c->in, err.pos, err.reason);
	assert_int_equal(a.kind, c->kind);
	assert_int_equal(a.family, AF_UNIX);
	assert_int_equal(a.path_len, n + 1);
	assert_string_equal(a.host, "");
	assert_string_equal(a.service, "");
	if (c->abstract) {
		assert_int_equal(a.path[0], '\0');
		assert_memory_equal(a.path + 1, c->name, n);
	} else {
		assert_string_equal(a.path, c->name);
	}
	assert_int_equal(sock_addr_format(&a, buf, sizeof(buf)),
			 strlen(c->canon));
	assert_string_equal(buf, c->canon);
	poison(&b);
	assert_int_equal(sock_addr_parse(buf, &b, NULL), 0);
	assert_memory_equal(&a, &b, sizeof(a));
}

static void test_parse_unix(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(unix_cases); i++)
		check_unix(&unix_cases[i]);
}

static void test_parse_stdio(void **state)
{
	struct sock_addr a, zero;
	char buf[8];

	(void)state;
	poison(&a);
	memset(&zero, 0, sizeof(zero));
	zero.kind = SOCK_KIND_STDIO;
	assert_int_equal(sock_addr_parse("-", &a, NULL), 0);
	assert_memory_equal(&a, &zero, sizeof(a));
	assert_int_equal(sock_addr_format(&a, buf, sizeof(buf)), 1);
	assert_string_equal(buf, "-");
}

static void check_bad(const struct bad_case *c)
{
	struct sock_addr a, untouched;
	struct sock_addr_error err = { 9999, NULL };

	poison(&a);
	poison(&untouched);
	if (sock_addr_parse(c->in, &a, &err) != -EINVAL)
		fail_msg("'%s': accepted", c->in);
	if (memcmp(&a, &untouched, sizeof(a)) != 0)
		fail_msg("'%s': output written on failure", c->in);
	if (!err.reason || err.pos != c->pos || !strstr(err.reason, c->reason))
		fail_msg("'%s': error at %zu (%s), want %zu (%s)", c->in,
			 err.pos, err.reason ? err.reason : "null", c->pos,
			 c->reason);
	assert_true(err.pos <= strlen(c->in));
}

static void test_parse_errors(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad_cases); i++)
		check_bad(&bad_cases[i]);
}

static void test_parse_error_null_err(void **state)
{
	struct sock_addr a;

	(void)state;
	assert_int_equal(sock_addr_parse("tcp://", &a, NULL), -EINVAL);
	assert_int_equal(sock_addr_parse(NULL, &a, NULL), -EINVAL);
	assert_int_equal(sock_addr_parse("-", NULL, NULL), -EINVAL);
}

/* text = prefix + n copies of c */
static void make(char *text, const char *prefix, char c, size_t n)
{
	size_t len = strlen(prefix);

	memcpy(text, prefix, len);
	memset(text + len, c, n);
	text[len + n] = '\0';
}

static void test_unix_path_limits(void **state)
{
	struct sock_addr a;
	struct sock_addr_error err;
	char text[512];

	(void)state;
	/* 107 bytes and the NUL fill sun_path exactly. */
	make(text, "unix:/", 'p', 106);
	assert_int_equal(sock_addr_parse(text, &a, NULL), 0);
	assert_int_equal(a.path_len, 108);
	assert_int_equal(strlen(a.path), 107);
	make(text, "unix:/", 'p', 107);
	assert_int_equal(sock_addr_parse(text, &a, &err), -EINVAL);
	assert_int_equal(err.pos, 5 + 107);
	assert_string_equal(err.reason, "path longer than 107 bytes");
	make(text, "unix:/", 'p', 300);
	assert_int_equal(sock_addr_parse(text, &a, &err), -EINVAL);
	assert_int_equal(err.pos, 5 + 107);
	/* The shorthand counts from the start of the text. */
	make(text, "/", 'p', 106);
	assert_int_equal(sock_addr_parse(text, &a, NULL), 0);
	make(text, "/", 'p', 107);
	assert_int_equal(sock_addr_parse(text, &a, &err), -EINVAL);
	assert_int_equal(err.pos, 107);
	make(text, "unix-seqpacket:/", 'p', 107);
	assert_int_equal(sock_addr_parse(text, &a, &err), -EINVAL);
	assert_int_equal(err.pos, 15 + 107);
}

static void test_unix_abstract_limits(void **state)
{
	struct sock_addr a;
	struct sock_addr_error err;
	char text[512];

	(void)state;
	/* The leading NUL and 107 name bytes fill sun_path exactly. */
	make(text, "unix:@", 'n', 107);
	assert_int_equal(sock_addr_parse(text, &a, NULL), 0);
	assert_int_equal(a.path_len, 108);
	assert_int_equal(a.path[0], '\0');
	assert_int_equal(a.path[107], 'n');
	make(text, "unix:@", 'n', 108);
	assert_int_equal(sock_addr_parse(text, &a, &err), -EINVAL);
	assert_int_equal(err.pos, 6 + 107);
	assert_string_equal(err.reason, "abstract name longer than 107 bytes");
	make(text, "unix-dgram:@", 'n', 108);
	assert_int_equal(sock_addr_parse(text, &a, &err), -EINVAL);
	assert_int_equal(err.pos, 12 + 107);
}

static void test_host_and_service_limits(void **state)
{
	struct sock_addr a;
	struct sock_addr_error err;
	char text[512];

	(void)state;
	make(text, "tcp://", 'h', 253);
	strcat(text, ":1");
	assert_int_equal(sock_addr_parse(text, &a, NULL), 0);
	assert_int_equal(strlen(a.host), 253);
	make(text, "tcp://", 'h', 254);
	strcat(text, ":1");
	assert_int_equal(sock_addr_parse(text, &a, &err), -EINVAL);
	assert_int_equal(err.pos, 6 + 253);
	assert_string_equal(err.reason, "host name longer than 253 bytes");

	make(text, "h:", 's', 32);
	assert_int_equal(sock_addr_parse(text, &a, NULL), 0);
	assert_int_equal(strlen(a.service), 32);
	make(text, "h:", 's', 33);
	assert_int_equal(sock_addr_parse(text, &a, &err), -EINVAL);
	assert_int_equal(err.pos, 2 + 32);
	assert_string_equal(err.reason, "service name longer than 32 bytes");

	/* A zone of 15 bytes, IFNAMSIZ less the NUL. */
	assert_int_equal(
	    sock_addr_parse("[fe80::1%abcdefghijklmno]:1", &a, NULL), 0);
	assert_string_equal(a.host, "fe80::1%abcdefghijklmno");
	/* Longest textual IPv6 address. */
	assert_int_equal(
	    sock_addr_parse("[ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255]:1",
			    &a, NULL),
	    0);
	assert_int_equal(
	    sock_addr_parse(
		"[0ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255]:1", &a, &err),
	    -EINVAL);
	assert_int_equal(err.pos, 1);
}

static void test_format_enospc(void **state)
{
	struct sock_addr a;
	char buf[32];

	(void)state;
	assert_int_equal(sock_addr_parse("tcp://[::1]:80", &a, NULL), 0);
	/* 14 characters need 15 bytes. */
	assert_int_equal(sock_addr_format(&a, buf, 15), 14);
	assert_int_equal(sock_addr_format(&a, buf, 14), -ENOSPC);
	assert_string_equal(buf, "tcp://[::1]:8");
	assert_int_equal(sock_addr_format(&a, NULL, 0), -ENOSPC);
	assert_int_equal(sock_addr_parse("unix:@ab", &a, NULL), 0);
	assert_int_equal(sock_addr_format(&a, buf, 8), -ENOSPC);
	assert_int_equal(sock_addr_format(&a, buf, 9), 8);
	assert_int_equal(sock_addr_parse("-", &a, NULL), 0);
	assert_int_equal(sock_addr_format(&a, buf, 1), -ENOSPC);
}

static void test_format_invalid(void **state)
{
	struct sock_addr a;
	char buf[SOCK_ADDR_STR_MAX];

	(void)state;
	memset(&a, 0, sizeof(a));
	assert_int_equal(sock_addr_format(&a, buf, sizeof(buf)), -EINVAL);
	a.kind = (enum sock_kind)99;
	assert_int_equal(sock_addr_format(&a, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(sock_addr_format(NULL, buf, sizeof(buf)), -EINVAL);
	/* A unix endpoint without a path. */
	a.kind = SOCK_KIND_UNIX_STREAM;
	a.family = AF_UNIX;
	assert_int_equal(sock_addr_format(&a, buf, sizeof(buf)), -EINVAL);
	/* An abstract name holding a NUL cannot be written as text. */
	a.path_len = 4;
	memcpy(a.path, "\0a\0b", 4);
	assert_int_equal(sock_addr_format(&a, buf, sizeof(buf)), -EINVAL);
	/* An internet endpoint without a service. */
	memset(&a, 0, sizeof(a));
	a.kind = SOCK_KIND_TCP;
	strcpy(a.host, "h");
	assert_int_equal(sock_addr_format(&a, buf, sizeof(buf)), -EINVAL);
	/* A family that is not an internet one. */
	strcpy(a.service, "1");
	a.family = AF_UNIX;
	assert_int_equal(sock_addr_format(&a, buf, sizeof(buf)), -EINVAL);
	a.family = AF_UNSPEC;
	assert_int_equal(sock_addr_format(&a, buf, sizeof(buf)), 9);
	assert_string_equal(buf, "tcp://h:1");
}

static int fmt_sa(const void *sa, size_t salen, char *buf)
{
	return sock_addr_format_sa((const struct sockaddr *)sa,
				   (socklen_t)salen, buf, SOCK_ADDR_STR_MAX);
}

static void test_format_sa_inet(void **state)
{
	struct sockaddr_in sin;
	char buf[SOCK_ADDR_STR_MAX];

	(void)state;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(80);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(fmt_sa(&sin, sizeof(sin), buf), 12);
	assert_string_equal(buf, "127.0.0.1:80");
	sin.sin_port = htons(65535);
	sin.sin_addr.s_addr = htonl(INADDR_ANY);
	assert_int_equal(fmt_sa(&sin, sizeof(sin), buf), 13);
	assert_string_equal(buf, "0.0.0.0:65535");
	assert_int_equal(fmt_sa(&sin, sizeof(sin) - 1, buf), -EINVAL);
	assert_int_equal(
	    sock_addr_format_sa((struct sockaddr *)&sin, sizeof(sin), buf, 13),
	    -ENOSPC);
}

static void test_format_sa_inet6(void **state)
{
	struct sockaddr_in6 sin6;
	char buf[SOCK_ADDR_STR_MAX], want[SOCK_ADDR_STR_MAX + 8];
	unsigned lo = if_nametoindex("lo");

	(void)state;
	memset(&sin6, 0, sizeof(sin6));
	sin6.sin6_family = AF_INET6;
	sin6.sin6_port = htons(80);
	sin6.sin6_addr = in6addr_loopback;
	assert_int_equal(fmt_sa(&sin6, sizeof(sin6), buf), 8);
	assert_string_equal(buf, "[::1]:80");
	inet_pton(AF_INET6, "::ffff:127.0.0.1", &sin6.sin6_addr);
	fmt_sa(&sin6, sizeof(sin6), buf);
	assert_string_equal(buf, "[::ffff:127.0.0.1]:80");
	inet_pton(AF_INET6, "fe80::1", &sin6.sin6_addr);
	/* An index no interface has is shown as a number. */
	sin6.sin6_scope_id = 4000000000u;
	fmt_sa(&sin6, sizeof(sin6), buf);
	assert_string_equal(buf, "[fe80::1%4000000000]:80");
	if (lo) {
		sin6.sin6_scope_id = lo;
		fmt_sa(&sin6, sizeof(sin6), buf);
		assert_string_equal(buf, "[fe80::1%lo]:80");
	}
	/* What the tool prints must parse back as an endpoint. */
	snprintf(want, sizeof(want), "tcp://%s", buf);
	assert_int_equal(sock_addr_parse(want, &(struct sock_addr){ 0 }, NULL),
			 0);
	assert_int_equal(fmt_sa(&sin6, sizeof(sin6) - 1, buf), -EINVAL);
}

static void test_format_sa_unix(void **state)
{
	struct sockaddr_un sun;
	const size_t off = offsetof(struct sockaddr_un, sun_path);
	char buf[SOCK_ADDR_STR_MAX];

	(void)state;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	assert_int_equal(fmt_sa(&sun, off, buf), 9);
	assert_string_equal(buf, "(unnamed)");
	strcpy(sun.sun_path, "/run/x.sock");
	assert_int_equal(fmt_sa(&sun, off + 12, buf), 11);
	assert_string_equal(buf, "/run/x.sock");
	/* Without the NUL in salen, and with the whole structure. */
	assert_int_equal(fmt_sa(&sun, off + 11, buf), 11);
	assert_int_equal(fmt_sa(&sun, sizeof(sun), buf), 11);
	assert_int_equal(fmt_sa(&sun, off + 4, buf), 4);
	assert_string_equal(buf, "/run");
	/* Abstract: salen bounds the name, which may hold any byte. */
	memcpy(sun.sun_path, "\0ab c\\\n\x01\xff\0z", 11);
	assert_int_equal(fmt_sa(&sun, off + 3, buf), 3);
	assert_string_equal(buf, "@ab");
	fmt_sa(&sun, off + 11, buf);
	assert_string_equal(buf, "@ab\\x20c\\x5c\\x0a\\x01\\xff\\x00z");
	/* The worst case fits in SOCK_ADDR_STR_MAX. */
	memset(sun.sun_path + 1, 0x01, sizeof(sun.sun_path) - 1);
	assert_int_equal(fmt_sa(&sun, sizeof(sun), buf), 1 + 4 * 107);
	/* A larger salen than the structure is clamped. */
	assert_int_equal(fmt_sa(&sun, sizeof(sun) + 50, buf), 1 + 4 * 107);
	memcpy(sun.sun_path, "\0", 1);
	assert_int_equal(fmt_sa(&sun, off + 1, buf), 1);
	assert_string_equal(buf, "@");
}

static void test_format_sa_other(void **state)
{
	struct sockaddr_storage ss;
	char buf[SOCK_ADDR_STR_MAX];

	(void)state;
	memset(&ss, 0, sizeof(ss));
	ss.ss_family = AF_PACKET;
	assert_int_equal(fmt_sa(&ss, sizeof(ss), buf), -EAFNOSUPPORT);
	ss.ss_family = AF_UNSPEC;
	assert_int_equal(fmt_sa(&ss, sizeof(ss), buf), -EAFNOSUPPORT);
	assert_int_equal(fmt_sa(&ss, 1, buf), -EINVAL);
	assert_int_equal(sock_addr_format_sa(NULL, 16, buf, sizeof(buf)),
			 -EINVAL);
}

static void test_socktype(void **state)
{
	static const struct {
		enum sock_kind kind;
		int type, protocol;
	} t[] = {
		{ SOCK_KIND_TCP, SOCK_STREAM, IPPROTO_TCP },
		{ SOCK_KIND_UDP, SOCK_DGRAM, IPPROTO_UDP },
		{ SOCK_KIND_UNIX_STREAM, SOCK_STREAM, 0 },
		{ SOCK_KIND_UNIX_DGRAM, SOCK_DGRAM, 0 },
		{ SOCK_KIND_UNIX_SEQPACKET, SOCK_SEQPACKET, 0 },
	};
	int type = -1, proto = -1;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		assert_int_equal(sock_addr_socktype(t[i].kind, &type, &proto),
				 0);
		assert_int_equal(type, t[i].type);
		assert_int_equal(proto, t[i].protocol);
	}
	type = proto = -1;
	assert_int_equal(sock_addr_socktype(SOCK_KIND_STDIO, &type, &proto),
			 -EINVAL);
	assert_int_equal(sock_addr_socktype(SOCK_KIND_NONE, &type, &proto),
			 -EINVAL);
	assert_int_equal(type, -1);
	assert_int_equal(proto, -1);
}

static void test_kind_name_and_dgram(void **state)
{
	(void)state;
	assert_string_equal(sock_addr_kind_name(SOCK_KIND_TCP), "tcp");
	assert_string_equal(sock_addr_kind_name(SOCK_KIND_UDP), "udp");
	assert_string_equal(sock_addr_kind_name(SOCK_KIND_UNIX_STREAM), "unix");
	assert_string_equal(sock_addr_kind_name(SOCK_KIND_UNIX_DGRAM),
			    "unix-dgram");
	assert_string_equal(sock_addr_kind_name(SOCK_KIND_UNIX_SEQPACKET),
			    "unix-seqpacket");
	assert_string_equal(sock_addr_kind_name(SOCK_KIND_STDIO), "stdio");
	assert_string_equal(sock_addr_kind_name(SOCK_KIND_NONE), "none");
	assert_string_equal(sock_addr_kind_name((enum sock_kind)42), "none");

	assert_true(sock_addr_is_dgram(SOCK_KIND_UDP));
	assert_true(sock_addr_is_dgram(SOCK_KIND_UNIX_DGRAM));
	assert_false(sock_addr_is_dgram(SOCK_KIND_TCP));
	assert_false(sock_addr_is_dgram(SOCK_KIND_UNIX_STREAM));
	assert_false(sock_addr_is_dgram(SOCK_KIND_UNIX_SEQPACKET));
	assert_false(sock_addr_is_dgram(SOCK_KIND_STDIO));
	assert_false(sock_addr_is_dgram(SOCK_KIND_NONE));
}

static void test_to_sun(void **state)
{
	const size_t off = offsetof(struct sockaddr_un, sun_path);
	struct sock_addr a;
	struct sockaddr_un sun;
	char buf[SOCK_ADDR_STR_MAX];
	socklen_t len;

	(void)state;
	assert_int_equal(sock_addr_parse("unix:/tmp/s", &a, NULL), 0);
	memset(&sun, 0xff, sizeof(sun));
	len = sock_addr_to_sun(&a, &sun);
	assert_int_equal(len, off + 7);
	assert_int_equal(sun.sun_family, AF_UNIX);
	assert_string_equal(sun.sun_path, "/tmp/s");
	assert_int_equal(sun.sun_path[107], '\0');
	assert_int_equal(fmt_sa(&sun, len, buf), 6);
	assert_string_equal(buf, "/tmp/s");

	/* Abstract: no trailing NUL, the length is the name's. */
	assert_int_equal(sock_addr_parse("unix-dgram:@xy", &a, NULL), 0);
	len = sock_addr_to_sun(&a, &sun);
	assert_int_equal(len, off + 3);
	assert_memory_equal(sun.sun_path, "\0xy", 3);
	assert_int_equal(fmt_sa(&sun, len, buf), 3);
	assert_string_equal(buf, "@xy");

	assert_int_equal(sock_addr_parse("tcp://h:1", &a, NULL), 0);
	assert_int_equal(sock_addr_to_sun(&a, &sun), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_inet),
		cmocka_unit_test(test_parse_unix),
		cmocka_unit_test(test_parse_stdio),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_parse_error_null_err),
		cmocka_unit_test(test_unix_path_limits),
		cmocka_unit_test(test_unix_abstract_limits),
		cmocka_unit_test(test_host_and_service_limits),
		cmocka_unit_test(test_format_enospc),
		cmocka_unit_test(test_format_invalid),
		cmocka_unit_test(test_format_sa_inet),
		cmocka_unit_test(test_format_sa_inet6),
		cmocka_unit_test(test_format_sa_unix),
		cmocka_unit_test(test_format_sa_other),
		cmocka_unit_test(test_socktype),
		cmocka_unit_test(test_kind_name_and_dgram),
		cmocka_unit_test(test_to_sun),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
