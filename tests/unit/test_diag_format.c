/*
 * tests/unit/test_diag_format.c - sock list's formatting: IPv4, IPv6
 * (bracketed), wildcards, abstract names, owners, and the netstat
 * column layout, through the tool's code in libsocktool.a.
 */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "../../lib/diag_internal.h"
#include "../../tool/list.h"

static struct sock_diag_entry inet(int family, const char *l, int lp,
				   const char *r, int rp)
{
	struct sock_diag_entry e = { .family = (uint8_t)family,
				     .protocol = IPPROTO_TCP,
				     .state = SOCK_DIAG_ESTABLISHED };

	inet_pton(family, l, e.in.local);
	inet_pton(family, r, e.in.remote);
	e.in.local_port = (uint16_t)lp;
	e.in.remote_port = (uint16_t)rp;
	return e;
}

static void test_endpoints(void **state)
{
	struct sock_diag_entry e;
	char buf[128];

	(void)state;
	e = inet(AF_INET, "127.0.0.1", 8080, "0.0.0.0", 0);
	list_format_endpoint(buf, sizeof(buf), &e, 1, NULL);
	assert_string_equal(buf, "127.0.0.1:8080");
	list_format_endpoint(buf, sizeof(buf), &e, 0, NULL);
	assert_string_equal(buf, "0.0.0.0:*");
	e = inet(AF_INET6, "::", 631, "::", 0);
	list_format_endpoint(buf, sizeof(buf), &e, 1, NULL);
	assert_string_equal(buf, "[::]:631");
	list_format_endpoint(buf, sizeof(buf), &e, 0, NULL);
	assert_string_equal(buf, "[::]:*");
	e = inet(AF_INET6, "fd00:1234:5678:9abc:def0:1234:5678:9abc", 18082,
		 "::ffff:10.0.0.1", 65535);
	list_format_endpoint(buf, sizeof(buf), &e, 1, NULL);
	assert_string_equal(buf,
			    "[fd00:1234:5678:9abc:def0:1234:5678:9abc]:18082");
	list_format_endpoint(buf, sizeof(buf), &e, 0, NULL);
	assert_string_equal(buf, "[::ffff:10.0.0.1]:65535");
}

/* Render through a memory stream and return the text (static). */
static const char *render(struct sock_diag *d, const struct list_opts *o,
			  int json)
{
	static char *text;
	size_t len;
	FILE *f;

	free(text);
	f = open_memstream(&text, &len);
	assert_non_null(f);
	if (json)
		assert_int_equal(list_print_json(f, d, o), 0);
	else
		assert_int_equal(list_print_table(f, d, o), 0);
	fclose(f);
	return text;
}

static struct sock_diag *snapshot(void)
{
	struct sock_diag_query q = { 0 };
	struct sock_diag *d = sock__diag_new(&q);
	struct sock_diag_entry e;

	e = inet(AF_INET, "0.0.0.0", 22, "0.0.0.0", 0);
	e.state = SOCK_DIAG_LISTEN;
	e.wqueue = 128;
	e.inode = 100;
	assert_int_equal(sock__diag_add(d, &e), 0);
	e = inet(AF_INET6, "2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff", 443,
		 "2001:db8::2", 50000);
	e.rqueue = 7;
	e.inode = 101;
	assert_int_equal(sock__diag_add(d, &e), 0);
	e = (struct sock_diag_entry){ .family = AF_UNIX,
				      .type = SOCK_STREAM,
				      .state = SOCK_DIAG_LISTEN,
				      .inode = 102 };
	assert_int_equal(sock__diag_add_name(d, &e, "\0ab\0c", 5), 0);
	assert_int_equal(sock__diag_add(d, &e), 0);
	e.type = SOCK_DGRAM;
	e.state = SOCK_DIAG_CLOSE;
	e.inode = 103;
	assert_int_equal(sock__diag_add_name(d, &e, "/run/x\"y", 8), 0);
	assert_int_equal(sock__diag_add(d, &e), 0);
	assert_int_equal(sock__diag_unix_refcnt(d), 0);
	return d;
}

static void test_table(void **state)
{
	struct list_opts o = { .protocols = SOCK_DIAG_ALL, .numeric = 1 };
	struct sock_diag *d = snapshot();
	const char *t;

	(void)state;
	t = render(d, &o, 0);
	if (getenv("SHOW"))
		fputs(t, stderr);
	/* the long IPv6 address widens its column instead of being cut */
	assert_non_null(strstr(
	    t,
	    "Active Internet connections (servers and established)\n"
	    "Proto Recv-Q Send-Q Local Address                                "
	    "Foreign Address         State      \n"
	    "tcp        0    128 0.0.0.0:22                                   "
	    "0.0.0.0:*               LISTEN     \n"
	    "tcp6       7      0 [2001:db8:aaaa:bbbb:cccc:dddd:eeee:"
	    "ffff]:443 [2001:db8::2]:50000     ESTABLISHED\n"));
	assert_non_null(
	    strstr(t, "Proto RefCnt Flags       Type       State         I-Node"
		      "   Path\n"
		      "unix  2      [ ACC ]     STREAM     LISTENING     102   "
		      "   @ab@c\n"
		      "unix  2      [ ]         DGRAM                    103   "
		      "   /run/x\"y\n"));
	o.programs = 1;
	o.protocols = SOCK_DIAG_TCP;
	t = render(d, &o, 0);
	assert_non_null(strstr(t, "State       PID/Program name    \n"));
	assert_non_null(strstr(t, "LISTEN      -                   \n"));
	sock_diag_free(d);
}

/* The streamed table is the one printed from a snapshot, over the
 * /proc/net fixtures (IPv4 and IPv6 of each protocol, -4 and -6). */
static void test_stream_table(void **state)
{
	const char *dir = getenv("SOCK_TEST_DATA");
	static char root[512];
	int families[] = { AF_UNSPEC, AF_INET, AF_INET6 };

	(void)state;
	snprintf(root, sizeof(root), "%s/proc", dir ? dir : "tests/data");
	for (size_t i = 0; i < 3; i++) {
		struct list_opts o = { .protocols = SOCK_DIAG_TCP |
						    SOCK_DIAG_UDP |
						    SOCK_DIAG_RAW,
				       .numeric = 1,
				       .extend = 1 };
		struct sock_diag_query q = { .protocols = o.protocols,
					     .family = families[i],
					     .flags = SOCK_DIAG_PROCFS,
					     .proc_root = root };
		struct sock_diag *d = NULL;
		char *want = NULL, *got;
		size_t len, count = 0;
		int werr = -1;
		FILE *f = open_memstream(&got, &len);

		assert_true(list_can_stream(&o, &q));
		assert_int_equal(list_stream_table(f, &q, &o, &count, &werr),
				 0);
		assert_int_equal(werr, 0);
		fclose(f);
		assert_int_equal(sock_diag_snapshot(&q, &d), 0);
		want = strdup(render(d, &o, 0));
		assert_string_equal(got, want);
		assert_int_equal(count, sock_diag_count(d));
		assert_true(count > 0);
		sock_diag_free(d);
		free(want);
		free(got);
	}
}

static void test_json(void **state)
{
	struct list_opts o = { .protocols = SOCK_DIAG_ALL, .numeric = 1 };
	struct sock_diag *d = snapshot();
	const char *t;

	(void)state;
	t = render(d, &o, 1);
	assert_non_null(strstr(
	    t, "[\n{\"proto\":\"tcp\",\"family\":\"inet\",\"state\":"
	       "\"listen\",\"recv_q\":0,\"send_q\":128,\"local\":{"
	       "\"address\":\"0.0.0.0\",\"port\":22,\"family\":\"inet\"},"
	       "\"remote\":{\"address\":\"0.0.0.0\",\"port\":0,"
	       "\"family\":\"inet\"},\"inode\":100,\"uid\":0,"
	       "\"owners\":null,\"netns\":null},\n"));
	assert_non_null(strstr(t, "\"type\":\"stream\",\"path\":"
				  "\"ab\\u0000c\",\"abstract\":true"));
	assert_non_null(strstr(t, "\"state\":\"unconnected\""));
	assert_non_null(strstr(t, "\"path\":\"/run/x\\\"y\""));
	assert_non_null(strstr(t, "}\n]\n"));
	sock_diag_free(d);
}

static void test_json_strings(void **state)
{
	char *text;
	size_t len;
	FILE *f = open_memstream(&text, &len);

	(void)state;
	tool_json_string(f, "a\xc3\xa9\xff\x01", 5);
	fclose(f);
	assert_string_equal(text, "\"a\xc3\xa9\\ufffd\\u0001\"");
	free(text);
}

/* RFC 3629: overlong forms, surrogates and code points above U+10FFFF
 * are not UTF-8, whatever their lead and continuation bytes look like;
 * the largest valid forms of each length are. */
static void test_utf8_ranges(void **state)
{
	static const struct {
		const char *s;
		size_t want;
	} cases[] = {
		{ "\xe0\x80\x80", 0 },	   { "\xe0\xa0\x80", 3 },
		{ "\xed\xa0\x80", 0 },	   { "\xed\x9f\xbf", 3 },
		{ "\xf0\x80\x80\x80", 0 }, { "\xf0\x90\x80\x80", 4 },
		{ "\xf4\x90\x80\x80", 0 }, { "\xf4\x8f\xbf\xbf", 4 },
		{ "\xc0\x80", 0 },	   { "\xc2\x80", 2 },
		{ "\xf5\x80\x80\x80", 0 }, { "\xe2\x82", 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(
		    tool_utf8_len((const unsigned char *)cases[i].s,
				  strlen(cases[i].s)),
		    cases[i].want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_endpoints),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_stream_table),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_json_strings),
		cmocka_unit_test(test_utf8_ranges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
