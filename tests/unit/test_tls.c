/*
 * tests/unit/test_tls.c - the TLS option parsers (pin, ALPN), the tls://
 * schemes of the endpoint grammar, the tool's TLS option checks, and a
 * context's setup errors on bad files.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include <sock/addr.h>
#include <sock/tls.h>

#include "../../tool/tls.h"

static const char hex64[] =
    "00112233445566778899aabbccddeeff00112233445566778899AABBCCDDEEFF";

static void test_pin_ok(void **state)
{
	unsigned char md[SOCK_TLS_SHA256_LEN];
	char text[200], again[100];
	const char *why;

	(void)state;
	snprintf(text, sizeof(text), "sha256:%s", hex64);
	assert_int_equal(sock_tls_pin_parse(text, md, &why), 0);
	assert_int_equal(md[0], 0x00);
	assert_int_equal(md[1], 0x11);
	assert_int_equal(md[31], 0xff);
	/* openssl's AB:CD:... form, and upper-case SHA256: */
	sock_tls_hex(md, again, sizeof(again));
	snprintf(text, sizeof(text), "SHA256:%s", again);
	unsigned char md2[SOCK_TLS_SHA256_LEN];
	assert_int_equal(sock_tls_pin_parse(text, md2, &why), 0);
	assert_memory_equal(md, md2, sizeof(md));
}

static void pin_refused(const char *text, const char *reason)
{
	unsigned char md[SOCK_TLS_SHA256_LEN];
	const char *why = NULL;

	memset(md, 0xa5, sizeof(md));
	assert_int_equal(sock_tls_pin_parse(text, md, &why), -EINVAL);
	assert_non_null(why);
	assert_string_equal(why, reason);
	for (size_t i = 0; i < sizeof(md); i++)
		assert_int_equal(md[i], 0xa5); /* untouched */
}

static void test_pin_bad(void **state)
{
	char text[200];

	(void)state;
	pin_refused("", "expected sha256:HEX");
	pin_refused("sha1:00", "expected sha256:HEX");
	pin_refused("sha256:", "fewer than 64 hexadecimal digits");
	pin_refused("sha256:abc", "an odd number of hexadecimal digits");
	pin_refused("sha256:xy", "not a hexadecimal digit");
	pin_refused("sha256:00112g", "not a hexadecimal digit");
	pin_refused("sha256::00", "not a hexadecimal digit");
	snprintf(text, sizeof(text), "sha256:%s00", hex64);
	pin_refused(text, "more than 64 hexadecimal digits");
	snprintf(text, sizeof(text), "sha256:%.62s", hex64);
	pin_refused(text, "fewer than 64 hexadecimal digits");
	assert_int_equal(sock_tls_pin_parse(NULL, (unsigned char[32]){ 0 },
					    &(const char *){ NULL }),
			 -EINVAL);
}

static void test_alpn(void **state)
{
	unsigned char out[SOCK_TLS_ALPN_MAX];
	char long_name[300];
	const char *why;

	(void)state;
	assert_int_equal(
	    sock_tls_alpn_parse("h2,http/1.1", out, sizeof(out), &why), 12);
	assert_memory_equal(out, "\x02h2\x08http/1.1", 12);
	assert_int_equal(sock_tls_alpn_parse("x", out, sizeof(out), &why), 2);
	assert_int_equal(sock_tls_alpn_parse("", out, sizeof(out), &why),
			 -EINVAL);
	assert_string_equal(why, "empty protocol list");
	assert_int_equal(sock_tls_alpn_parse("h2,", out, sizeof(out), &why),
			 -EINVAL);
	assert_string_equal(why, "empty protocol name");
	assert_int_equal(sock_tls_alpn_parse(",h2", out, sizeof(out), &why),
			 -EINVAL);
	memset(long_name, 'a', 256);
	long_name[256] = '\0';
	assert_int_equal(sock_tls_alpn_parse(long_name, out, sizeof(out), &why),
			 -EINVAL);
	assert_string_equal(why, "protocol name longer than 255 bytes");
	long_name[200] = ',';
	assert_int_equal(sock_tls_alpn_parse(long_name, out, 100, &why),
			 -EINVAL);
	assert_string_equal(why, "protocol list too long");
}

static void round_trip(const char *text, const char *canonical, int family)
{
	struct sock_addr a;
	char buf[SOCK_ADDR_STR_MAX];

	assert_int_equal(sock_addr_parse(text, &a, NULL), 0);
	assert_int_equal(a.kind, SOCK_KIND_TCP);
	assert_int_equal(a.tls, 1);
	assert_int_equal(a.family, family);
	assert_true(sock_addr_format(&a, buf, sizeof(buf)) > 0);
	assert_string_equal(buf, canonical);
}

static void test_schemes(void **state)
{
	struct sock_addr a;
	char buf[SOCK_ADDR_STR_MAX];

	(void)state;
	round_trip("tls://example.org:443", "tls://example.org:443", AF_UNSPEC);
	round_trip("TLS://[::1]:443", "tls://[::1]:443", AF_INET6);
	round_trip("tls4://localhost:https", "tls4://localhost:https", AF_INET);
	round_trip("tls6://localhost:443", "tls6://localhost:443", AF_INET6);
	round_trip("tls4://127.0.0.1:1", "tls://127.0.0.1:1", AF_INET);
	assert_int_equal(sock_addr_parse("tls6://127.0.0.1:1", &a, NULL),
			 -EINVAL);
	assert_int_equal(sock_addr_parse("tls:443", &a, NULL), -EINVAL);
	/* tcp:// stays plain */
	assert_int_equal(sock_addr_parse("tcp://h:1", &a, NULL), 0);
	assert_int_equal(a.tls, 0);
	assert_true(sock_addr_format(&a, buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "tcp://h:1");
}

/* The tool's option table: every code is taken, others are not. */
static void test_options(void **state)
{
	struct tool_tls t = { 0 };
	int saved = dup(2);

	(void)state;
	assert_int_equal(tool_tls_option("x", 'w', "1", &t), -1);
	assert_int_equal(tool_tls_option("x", TOOL_TLS_CAFILE, "ca", &t), 0);
	assert_string_equal(t.o.cafile, "ca");
	assert_int_equal(tool_tls_option("x", TOOL_TLS_INSECURE, NULL, &t), 0);
	assert_int_equal(t.o.insecure, 1);
	/* usage errors go to stderr: silence them here */
	assert_true(freopen("/dev/null", "w", stderr) != NULL);
	assert_int_equal(tool_tls_option("x", TOOL_TLS_PIN, "sha256:1", &t), 2);
	assert_int_equal(tool_tls_option("x", TOOL_TLS_ALPN, "", &t), 2);
	assert_int_equal(tool_tls_option("x", TOOL_TLS_SERVERNAME, "", &t), 2);
	/* --insecure with --cafile contradict each other */
	assert_int_equal(tool_tls_check("x", &t, 0, 1), 2);
	/* a TLS option without a tls:// end */
	t.o.insecure = 0;
	assert_int_equal(tool_tls_check("x", &t, 0, 0), 2);
	assert_int_equal(tool_tls_check("x", &t, 0, 1), 0);
	/* --cafile is a client's: a listener refuses it */
	assert_int_equal(tool_tls_check("x", &t, 1, 1), 2);
	memset(&t, 0, sizeof(t));
	/* a listener needs a certificate */
	assert_int_equal(tool_tls_check("x", &t, 1, 1), 2);
	assert_int_equal(tool_tls_option("x", TOOL_TLS_SELF_SIGNED, NULL, &t),
			 0);
	assert_int_equal(tool_tls_check("x", &t, 1, 1), 0);
	assert_int_equal(tool_tls_check("x", &t, 0, 1), 2);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
}

static void test_ctx_errors(void **state)
{
	struct sock_tls_opts o = { 0 };
	enum sock_tls_setup why;
	char detail[256];

	(void)state;
	o.cafile = "/nonexistent/ca.pem";
	assert_null(sock_tls_ctx_new(&o, &why, detail, sizeof(detail)));
	assert_int_equal(why, SOCK_TLS_SETUP_CAFILE);
	memset(&o, 0, sizeof(o));
	o.server = 1;
	assert_null(sock_tls_ctx_new(&o, &why, detail, sizeof(detail)));
	assert_int_equal(why, SOCK_TLS_SETUP_NO_CERT);
	o.cert = "/nonexistent/cert.pem";
	assert_null(sock_tls_ctx_new(&o, &why, detail, sizeof(detail)));
	assert_int_equal(why, SOCK_TLS_SETUP_CERT);
}

static void test_self_signed(void **state)
{
	struct sock_tls_opts o = { .server = 1,
				   .self_signed = 1,
				   .self_name = "lab.example" };
	unsigned char md[SOCK_TLS_SHA256_LEN],
	    none[SOCK_TLS_SHA256_LEN] = { 0 };
	enum sock_tls_setup why;
	struct sock_tls_ctx *c;

	(void)state;
	c = sock_tls_ctx_new(&o, &why, NULL, 0);
	assert_non_null(c);
	assert_int_equal(sock_tls_ctx_fingerprint(c, md), 0);
	assert_memory_not_equal(md, none, sizeof(md));
	sock_tls_ctx_free(c);
	memset(&o, 0, sizeof(o));
	o.insecure = 1;
	c = sock_tls_ctx_new(&o, &why, NULL, 0);
	assert_non_null(c);
	assert_int_equal(sock_tls_ctx_fingerprint(c, md), -ENOENT);
	sock_tls_ctx_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pin_ok),
		cmocka_unit_test(test_pin_bad),
		cmocka_unit_test(test_alpn),
		cmocka_unit_test(test_schemes),
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_ctx_errors),
		cmocka_unit_test(test_self_signed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
