/*
 * tests/unit/test_forward.c - the relay's decisions that need no peer:
 * which kinds may be joined, which may splice, and the addresses a target
 * resolves to once (numeric hosts and Unix paths only: no name server).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/un.h>

#include <cmocka.h>

#include <sock/forward.h>

static struct sock_target resolve(const char *text)
{
	struct sock_addr a;
	struct sock_target t;

	assert_int_equal(sock_addr_parse(text, &a, NULL), 0);
	assert_int_equal(sock_resolve(&a, NULL, &t), 0);
	return t;
}

static void test_resolve_numeric(void **state)
{
	struct sock_target t = resolve("tcp://127.0.0.1:8080");
	const struct sockaddr_in *in = (const void *)&t.addrs[0].sa;

	(void)state;
	assert_int_equal(t.kind, SOCK_KIND_TCP);
	assert_int_equal(t.n, 1);
	assert_int_equal(in->sin_family, AF_INET);
	assert_int_equal(ntohs(in->sin_port), 8080);
	assert_int_equal(t.addrs[0].type, SOCK_STREAM);
	sock_target_free(&t);
	assert_null(t.addrs);

	t = resolve("udp://[::1]:53");
	assert_int_equal(t.n, 1);
	assert_int_equal(t.addrs[0].sa.ss_family, AF_INET6);
	assert_int_equal(t.addrs[0].type, SOCK_DGRAM);
	sock_target_free(&t);
}

static void test_resolve_unix(void **state)
{
	struct sock_target t = resolve("unix:@svc");
	const struct sockaddr_un *un = (const void *)&t.addrs[0].sa;

	(void)state;
	assert_int_equal(t.n, 1);
	assert_int_equal(un->sun_family, AF_UNIX);
	/* abstract: a NUL, then the name, and a length that counts only
	 * the bytes used */
	assert_int_equal(un->sun_path[0], 0);
	assert_memory_equal(un->sun_path + 1, "svc", 3);
	assert_int_equal(t.addrs[0].len,
			 offsetof(struct sockaddr_un, sun_path) + 4);
	sock_target_free(&t);

	t = resolve("unix-seqpacket:/run/x.sock");
	assert_int_equal(t.kind, SOCK_KIND_UNIX_SEQPACKET);
	assert_int_equal(t.addrs[0].type, SOCK_SEQPACKET);
	sock_target_free(&t);
}

static void test_resolve_family_conflict(void **state)
{
	struct sock_opts o = { .family = AF_INET6 };
	struct sock_target t;
	struct sock_addr a;

	(void)state;
	assert_int_equal(sock_addr_parse("tcp://127.0.0.1:1", &a, NULL), 0);
	assert_int_equal(sock_resolve(&a, &o, &t), -EAFNOSUPPORT);
}

/* A stream and a datagram side cannot be joined, whatever the order. */
static void test_kinds_refused(void **state)
{
	static const enum sock_kind stream[] = { SOCK_KIND_TCP,
						 SOCK_KIND_UNIX_STREAM,
						 SOCK_KIND_UNIX_SEQPACKET };
	static const enum sock_kind dgram[] = { SOCK_KIND_UDP,
						SOCK_KIND_UNIX_DGRAM };
	struct sock_forward_opts o = { 0 };
	struct sock_target t = { .n = 1 };

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		for (size_t j = 0; j < 2; j++) {
			t.kind = dgram[j];
			errno = 0;
			assert_null(sock_forward_new(NULL, -1, stream[i], &t,
						     &o, NULL, NULL));
			assert_int_equal(errno, EPROTOTYPE);
			t.kind = stream[i];
			assert_null(sock_forward_new(NULL, -1, dgram[j], &t, &o,
						     NULL, NULL));
			assert_int_equal(errno, EPROTOTYPE);
		}
	}
}

/* self(FROM, TO): sock_forward_target_is_self() for a listener on FROM
 * (port 0 in FROM: the kernel's; {p} in TO: that port). */
static int self(const char *from, const char *to)
{
	char text[128], port[16];
	const char *brace = strstr(to, "{p}");
	struct sock_target t;
	struct sock_conn c;
	struct sock_addr a;
	int ret;

	assert_int_equal(sock_addr_parse(from, &a, NULL), 0);
	assert_int_equal(sock_listen(&a, NULL, &c), 0);
	snprintf(port, sizeof(port), "%u",
		 ntohs(((struct sockaddr_in *)&c.local)->sin_port));
	if (brace)
		snprintf(text, sizeof(text), "%.*s%s%s", (int)(brace - to), to,
			 port, brace + 3);
	else
		snprintf(text, sizeof(text), "%s", to);
	t = resolve(text);
	ret = sock_forward_target_is_self(c.fd, &t);
	sock_target_free(&t);
	sock_close(c.fd);
	return ret;
}

static void test_target_is_self(void **state)
{
	(void)state;
	assert_int_equal(self("tcp://127.0.0.1:0", "tcp://127.0.0.1:{p}"), 1);
	assert_int_equal(self("tcp://0.0.0.0:0", "tcp://127.0.0.9:{p}"), 1);
	assert_int_equal(self("tcp://127.0.0.1:0", "tcp://127.0.0.2:{p}"), 0);
	assert_int_equal(self("udp://127.0.0.1:0", "udp://127.0.0.1:{p}"), 1);
	assert_int_equal(self("udp://127.0.0.1:0", "udp://127.0.0.1:9"), 0);
	assert_int_equal(self("unix:@sock-unit-self", "unix:@sock-unit-self"),
			 1);
	assert_int_equal(self("unix:@sock-unit-self", "unix:@sock-unit-other"),
			 0);
}

static void test_can_splice(void **state)
{
	(void)state;
	assert_true(sock_forward_can_splice(SOCK_KIND_TCP, SOCK_KIND_TCP));
	assert_true(
	    sock_forward_can_splice(SOCK_KIND_UNIX_STREAM, SOCK_KIND_TCP));
	/* message boundaries would be lost in a pipe */
	assert_false(
	    sock_forward_can_splice(SOCK_KIND_UNIX_SEQPACKET, SOCK_KIND_TCP));
	assert_false(sock_forward_can_splice(SOCK_KIND_UDP, SOCK_KIND_UDP));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resolve_numeric),
		cmocka_unit_test(test_resolve_unix),
		cmocka_unit_test(test_resolve_family_conflict),
		cmocka_unit_test(test_kinds_refused),
		cmocka_unit_test(test_can_splice),
		cmocka_unit_test(test_target_is_self),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
