/*
 * test_proxy.c - the proxy client: the --proxy text, each reply parser
 * on whole, short and refused replies, and the handshake over a socket
 * pair, byte for byte as the protocols write it, never reading a byte of
 * the target's stream.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <sock/proxy.h>

#define E(code) (-(SOCK_ERR_PROXY_BASE + (code)))
#define B(s) ((const unsigned char *)(s)), (sizeof(s) - 1)

static void test_parse_url(void **state)
{
	struct sock_proxy p;
	const char *why = NULL;

	(void)state;
	assert_int_equal(sock_proxy_parse("socks5://127.0.0.1:1080", &p, &why),
			 0);
	assert_int_equal(p.type, SOCK_PROXY_SOCKS5);
	assert_string_equal(p.addr.host, "127.0.0.1");
	assert_string_equal(p.addr.service, "1080");
	assert_string_equal(p.user, "");
	assert_int_equal(sock_proxy_parse("socks4a://bob@proxy", &p, &why), 0);
	assert_int_equal(p.type, SOCK_PROXY_SOCKS4A);
	assert_string_equal(p.user, "bob");
	assert_string_equal(p.addr.service, "1080");
	assert_int_equal(sock_proxy_parse("http://[::1]", &p, &why), 0);
	assert_string_equal(p.addr.host, "::1");
	assert_string_equal(p.addr.service, "3128");
	assert_int_equal(sock_proxy_parse("http://a@b@h:8080/", &p, &why), 0);
	assert_string_equal(p.user, "a@b");
	assert_string_equal(p.addr.service, "8080");
	/* refused: another scheme, a password, no host, a bad port */
	assert_int_equal(sock_proxy_parse("ftp://h:1", &p, &why), -EINVAL);
	assert_int_equal(sock_proxy_parse("socks5://u:pw@h:1", &p, &why),
			 -EINVAL);
	assert_non_null(strstr(why, "ps"));
	assert_int_equal(sock_proxy_parse("socks5://:1080", &p, &why), -EINVAL);
	assert_int_equal(sock_proxy_parse("socks5://h:99999", &p, &why),
			 -EINVAL);
	assert_int_equal(sock_proxy_parse("socks5://@h:1", &p, &why), -EINVAL);
}

static void test_socks5_method(void **state)
{
	size_t need = 0;
	int m = -1;

	(void)state;
	assert_int_equal(sock_proxy_parse_socks5_method(B(""), &need, &m), 0);
	assert_int_equal(need, 2);
	assert_int_equal(sock_proxy_parse_socks5_method(B("\5"), &need, &m), 0);
	assert_int_equal(need, 2);
	assert_int_equal(sock_proxy_parse_socks5_method(B("\5\2"), &need, &m),
			 2);
	assert_int_equal(m, 2);
	assert_int_equal(sock_proxy_parse_socks5_method(B("\5\xff"), &need, &m),
			 E(SOCK_PROXY_E_NO_METHOD));
	/* not SOCKS5 from the first byte: no waiting for more */
	assert_int_equal(sock_proxy_parse_socks5_method(B("H"), &need, &m),
			 E(SOCK_PROXY_E_GARBAGE));
	assert_int_equal(sock_proxy_parse_socks5_auth(B("\1\0"), &need), 2);
	assert_int_equal(sock_proxy_parse_socks5_auth(B("\1\1"), &need),
			 E(SOCK_PROXY_E_AUTH));
	assert_int_equal(sock_proxy_parse_socks5_auth(B("\7"), &need),
			 E(SOCK_PROXY_E_GARBAGE));
}

static void test_socks5_reply(void **state)
{
	char bound[64];
	size_t need = 0;

	(void)state;
	assert_int_equal(
	    sock_proxy_parse_socks5_reply(B("\5\0\0\1\x7f\0\0\1\x1f\x90"),
					  &need, bound, sizeof(bound)),
	    10);
	assert_string_equal(bound, "127.0.0.1:8080");
	assert_int_equal(
	    sock_proxy_parse_socks5_reply(B("\5\0\0\4\0\0\0\0\0\0\0\0\0\0\0\0"
					    "\0\0\0\1\0\x50"),
					  &need, bound, sizeof(bound)),
	    22);
	assert_string_equal(bound, "[::1]:80");
	assert_int_equal(sock_proxy_parse_socks5_reply(B("\5\0\0\3\3abc\0\x50"),
						       &need, bound,
						       sizeof(bound)),
			 10);
	assert_string_equal(bound, "abc:80");
	/* short: the name's length decides how many bytes are missing */
	assert_int_equal(
	    sock_proxy_parse_socks5_reply(B("\5\0\0\3\7ab"), &need, NULL, 0),
	    0);
	assert_int_equal(need, 14);
	/* every reply code is its own failure, known from byte two */
	for (int code = 1; code < 256; code++) {
		unsigned char r[2] = { 5, (unsigned char)code };

		assert_int_equal(
		    sock_proxy_parse_socks5_reply(r, 2, &need, NULL, 0),
		    E(SOCK_PROXY_E_SOCKS5 + code));
	}
	assert_int_equal(
	    sock_proxy_parse_socks5_reply(B("\5\0\0\x09"), &need, NULL, 0), 0);
	assert_int_equal(
	    sock_proxy_parse_socks5_reply(B("\5\0\0\x09\0"), &need, NULL, 0),
	    E(SOCK_PROXY_E_GARBAGE));
}

static void test_socks4_reply(void **state)
{
	size_t need = 0;

	(void)state;
	assert_int_equal(
	    sock_proxy_parse_socks4_reply(B("\0\x5a\0\0\0\0\0\0"), &need), 8);
	assert_int_equal(sock_proxy_parse_socks4_reply(B("\0\x5a\0"), &need),
			 0);
	assert_int_equal(need, 8);
	for (int code = 91; code <= 93; code++) {
		unsigned char r[2] = { 0, (unsigned char)code };

		assert_int_equal(sock_proxy_parse_socks4_reply(r, 2, &need),
				 E(SOCK_PROXY_E_SOCKS4 + code));
	}
	assert_int_equal(sock_proxy_parse_socks4_reply(B("\5\0"), &need),
			 E(SOCK_PROXY_E_GARBAGE));
}

static void test_http_reply(void **state)
{
	size_t need = 0;
	int st = 0;

	(void)state;
	assert_int_equal(
	    sock_proxy_parse_http_reply(B("HTTP/1.1 200 Connection "
					  "established\r\n\r\nDATA"),
					&need, &st),
	    39);
	assert_int_equal(st, 200);
	assert_int_equal(
	    sock_proxy_parse_http_reply(B("HTTP/1.0 200 OK\r\n"), &need, &st),
	    0);
	assert_int_equal(need, 19); /* "\r\n" at most */
	assert_int_equal(
	    sock_proxy_parse_http_reply(B("HTTP/1.0 200 OK\r\n\r"), &need, &st),
	    0);
	assert_int_equal(need, 19); /* "\n" at most */
	assert_int_equal(
	    sock_proxy_parse_http_reply(B("HTTP/1.0 200 OK"), &need, &st), 0);
	assert_int_equal(need, 19);
	assert_int_equal(sock_proxy_parse_http_reply(
			     B("HTTP/1.1 403 Forbidden\r\n"), &need, &st),
			 E(SOCK_PROXY_E_HTTP + 403));
	assert_int_equal(
	    sock_proxy_parse_http_reply(B("HTTP/1.1 407 Proxy Authentication "
					  "Required\r\n\r\n"),
					&need, &st),
	    E(SOCK_PROXY_E_HTTP + 407));
	assert_int_equal(
	    sock_proxy_parse_http_reply(B("SSH-2.0-x\r\n"), &need, &st),
	    E(SOCK_PROXY_E_GARBAGE));
	assert_int_equal(
	    sock_proxy_parse_http_reply(B("HTTP/1.1 2x0 a\r\n"), &need, &st),
	    E(SOCK_PROXY_E_GARBAGE));
	assert_int_equal(
	    sock_proxy_parse_http_reply(B("HTTP/1.1 099 a\r\n"), &need, &st),
	    E(SOCK_PROXY_E_GARBAGE));
}

static void test_http_too_long(void **state)
{
	static unsigned char big[SOCK_PROXY_REPLY_MAX];
	size_t need = 0;
	int st = 0;

	(void)state;
	memset(big, 'a', sizeof(big));
	memcpy(big, "HTTP/1.1 200 OK\r\nX: ", 20);
	assert_int_equal(
	    sock_proxy_parse_http_reply(big, sizeof(big) - 1, &need, &st), 0);
	assert_int_equal(need, SOCK_PROXY_REPLY_MAX);
	assert_int_equal(
	    sock_proxy_parse_http_reply(big, sizeof(big), &need, &st),
	    E(SOCK_PROXY_E_TOO_LONG));
}

static void test_err_classes(void **state)
{
	(void)state;
	assert_true(sock_proxy_err_is(E(SOCK_PROXY_E_GARBAGE)));
	assert_true(sock_proxy_err_is(E(SOCK_PROXY_E_HTTP + 999)));
	assert_false(sock_proxy_err_is(-ECONNREFUSED));
	assert_false(sock_proxy_err_is(-10002)); /* a resolver error */
	assert_int_equal(sock_proxy_err_class(E(SOCK_PROXY_E_SOCKS4 + 91)),
			 SOCK_PROXY_E_SOCKS4);
	assert_int_equal(sock_proxy_err_number(E(SOCK_PROXY_E_SOCKS4 + 91)),
			 91);
	assert_int_equal(sock_proxy_err_class(E(SOCK_PROXY_E_AUTH)),
			 SOCK_PROXY_E_AUTH);
}

/* ---- the handshake over a socket pair ---------------------------------- */

static int pair[2];

static int setup_pair(void **state)
{
	(void)state;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, pair))
		return -1;
	return 0;
}

static int teardown_pair(void **state)
{
	(void)state;
	close(pair[0]);
	close(pair[1]);
	return 0;
}

/* What the client has sent so far must be exactly want. */
static void expect_sent(const void *want, size_t n)
{
	unsigned char got[600];
	ssize_t r = read(pair[1], got, sizeof(got));

	assert_int_equal(r, (ssize_t)n);
	assert_memory_equal(got, want, n);
}

static void answer(const void *b, size_t n)
{
	assert_int_equal(write(pair[1], b, n), (ssize_t)n);
}

static void test_hs_socks5_auth(void **state)
{
	static struct sock_proxy_hs h;
	struct sock_proxy p = { .type = SOCK_PROXY_SOCKS5 };
	char rest[16];

	(void)state;
	strcpy(p.user, "bob");
	strcpy(p.pass, "pw");
	assert_int_equal(sock_proxy_hs_init(&h, &p, "example.com", 443), 0);
	assert_int_equal(sock_proxy_hs_step(&h, pair[0]), -EAGAIN);
	assert_false(h.want_write);
	expect_sent("\5\2\0\2", 4);
	answer("\5", 1); /* half a reply: it waits */
	assert_int_equal(sock_proxy_hs_step(&h, pair[0]), -EAGAIN);
	answer("\2", 1);
	assert_int_equal(sock_proxy_hs_step(&h, pair[0]), -EAGAIN);
	expect_sent("\1\3bob\2pw", 8);
	answer("\1\0", 2);
	assert_int_equal(sock_proxy_hs_step(&h, pair[0]), -EAGAIN);
	/* the name goes to the proxy: remote DNS */
	expect_sent("\5\1\0\3\13example.com\1\xbb", 18);
	/* the reply, and the target's first bytes right behind it */
	answer("\5\0\0\1\x7f\0\0\1\0\1hello", 15);
	assert_int_equal(sock_proxy_hs_step(&h, pair[0]), 0);
	assert_int_equal(read(pair[0], rest, sizeof(rest)), 5);
	assert_memory_equal(rest, "hello", 5);
}

static void test_hs_socks5_refusals(void **state)
{
	static struct sock_proxy_hs h;
	struct sock_proxy p = { .type = SOCK_PROXY_SOCKS5 };

	(void)state;
	assert_int_equal(sock_proxy_hs_init(&h, &p, "10.0.0.1", 22), 0);
	assert_int_equal(sock_proxy_hs_step(&h, pair[0]), -EAGAIN);
	expect_sent("\5\1\0", 3);
	/* wants user/password, and none was given */
	answer("\5\2", 2);
	assert_int_equal(sock_proxy_hs_step(&h, pair[0]),
			 E(SOCK_PROXY_E_NEED_AUTH));
}

static void test_hs_socks5_closed(void **state)
{
	static struct sock_proxy_hs h;
	struct sock_proxy p = { .type = SOCK_PROXY_SOCKS5 };

	(void)state;
	assert_int_equal(sock_proxy_hs_init(&h, &p, "::1", 22), 0);
	assert_int_equal(sock_proxy_hs_step(&h, pair[0]), -EAGAIN);
	expect_sent("\5\1\0", 3);
	answer("\5\0", 2);
	assert_int_equal(sock_proxy_hs_step(&h, pair[0]), -EAGAIN);
	expect_sent("\5\1\0\4\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\1\0\x16", 22);
	answer("\5\0\0", 3);
	shutdown(pair[1], SHUT_WR);
	assert_int_equal(sock_proxy_hs_step(&h, pair[0]),
			 E(SOCK_PROXY_E_CLOSED));
}

static void test_hs_socks4a(void **state)
{
	static struct sock_proxy_hs h;
	struct sock_proxy p = { .type = SOCK_PROXY_SOCKS4A };

	(void)state;
	strcpy(p.user, "u");
	assert_int_equal(sock_proxy_hs_init(&h, &p, "db.internal", 5432), 0);
	assert_int_equal(sock_proxy_hs_step(&h, pair[0]), -EAGAIN);
	expect_sent("\4\1\x15\x38\0\0\0\1u\0db.internal\0", 22);
	answer("\0\x5b\0\0\0\0\0\0", 8);
	assert_int_equal(sock_proxy_hs_step(&h, pair[0]),
			 E(SOCK_PROXY_E_SOCKS4 + 91));
	/* an IPv6 target cannot be written in SOCKS4a */
	assert_int_equal(sock_proxy_hs_init(&h, &p, "::1", 1), -EAFNOSUPPORT);
}

static void test_hs_http(void **state)
{
	static const char req[] = "CONNECT [::1]:8443 HTTP/1.1\r\n"
				  "Host: [::1]:8443\r\n"
				  "Proxy-Authorization: Basic Ym9iOnB3\r\n\r\n";
	static struct sock_proxy_hs h;
	struct sock_proxy p = { .type = SOCK_PROXY_HTTP };
	char rest[16];

	(void)state;
	strcpy(p.user, "bob");
	strcpy(p.pass, "pw");
	assert_int_equal(sock_proxy_hs_init(&h, &p, "::1", 8443), 0);
	assert_int_equal(sock_proxy_hs_step(&h, pair[0]), -EAGAIN);
	expect_sent(req, sizeof(req) - 1);
	answer("HTTP/1.1 200 OK\r\nVia: x\r\n\r\nSSH-2.0", 34);
	assert_int_equal(sock_proxy_hs_step(&h, pair[0]), 0);
	assert_int_equal(read(pair[0], rest, sizeof(rest)), 7);
	assert_memory_equal(rest, "SSH-2.0", 7);
}

/* The longest requests still fit: 253-byte names (the most DNS allows),
 * 255-byte user and password. */
static void test_hs_longest(void **state)
{
	static struct sock_proxy_hs h;
	struct sock_proxy p = { .type = SOCK_PROXY_HTTP };
	char host[254];

	(void)state;
	memset(p.user, 'u', 255);
	memset(p.pass, 'p', 255);
	memset(host, 'h', 253);
	host[253] = '\0';
	assert_int_equal(sock_proxy_hs_init(&h, &p, host, 65535), 0);
	assert_true(h.out_len > 1000 && h.out_len < sizeof(h.out));
	assert_memory_equal(h.out + h.out_len - 4, "\r\n\r\n", 4);
	p.type = SOCK_PROXY_SOCKS5;
	assert_int_equal(sock_proxy_hs_init(&h, &p, host, 1), 0);
	p.type = SOCK_PROXY_SOCKS4A;
	assert_int_equal(sock_proxy_hs_init(&h, &p, host, 1), 0);
	assert_int_equal(h.out_len, 8 + 256 + 254);
	/* a longer name is refused, not cut */
	char longer[300];

	memset(longer, 'h', 299);
	longer[299] = '\0';
	assert_int_equal(sock_proxy_hs_init(&h, &p, longer, 1), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_url),
		cmocka_unit_test(test_socks5_method),
		cmocka_unit_test(test_socks5_reply),
		cmocka_unit_test(test_socks4_reply),
		cmocka_unit_test(test_http_reply),
		cmocka_unit_test(test_http_too_long),
		cmocka_unit_test(test_err_classes),
		cmocka_unit_test(test_hs_longest),
		cmocka_unit_test_setup_teardown(test_hs_socks5_auth, setup_pair,
						teardown_pair),
		cmocka_unit_test_setup_teardown(test_hs_socks5_refusals,
						setup_pair, teardown_pair),
		cmocka_unit_test_setup_teardown(test_hs_socks5_closed,
						setup_pair, teardown_pair),
		cmocka_unit_test_setup_teardown(test_hs_socks4a, setup_pair,
						teardown_pair),
		cmocka_unit_test_setup_teardown(test_hs_http, setup_pair,
						teardown_pair),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
