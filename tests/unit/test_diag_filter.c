/*
 * tests/unit/test_diag_filter.c - the filter language: parse errors
 * name the right word, matching follows the kernel's rules, the state
 * mask is the smallest safe one, and the inet_diag bytecode (run here by
 * a copy of the kernel's audit and interpreter) accepts exactly what
 * the user-space evaluation accepts, or a superset where state
 * conditions are involved.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>
#include <linux/inet_diag.h>

#include <sock/diag.h>
#include <sock/netns.h>

#include "../../lib/diag_internal.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define S(x) (1u << SOCK_DIAG_##x)

/* Split a string on spaces into argv (at most 32 words). */
static int words(char *s, char **argv)
{
	int n = 0;

	for (char *w = strtok(s, " "); w && n < 32; w = strtok(NULL, " "))
		argv[n++] = w;
	return n;
}

static struct sock_diag_filter *parse(const char *text, int *bad)
{
	char buf[256], *argv[32];
	struct sock_diag_filter *f = NULL;
	int argc;

	snprintf(buf, sizeof(buf), "%s", text);
	argc = words(buf, argv);
	*bad = -1;
	if (sock_diag_filter_parse(argc, argv, &f, bad))
		return NULL;
	return f;
}

static void test_parse_errors(void **state)
{
	static const struct {
		const char *text;
		int bad;
	} cases[] = {
		{ "bogus", 0 },
		{ "state", 1 },
		{ "state nosuch", 1 },
		{ "port 65536", 1 },
		{ "port 80 or", 3 },
		{ "( port 80", 3 },
		{ "src 1.2.3.4/33", 1 },
		{ "dst [::1", 1 },
		{ "port 80 )", 2 },
		{ "not", 1 },
		{ "sport = x-no-such", 2 },
		{ "src 300.1.1.1", 1 },
	};
	int bad;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		assert_null(parse(cases[i].text, &bad));
		if (bad != cases[i].bad)
			fail_msg("'%s': bad word %d, want %d", cases[i].text,
				 bad, cases[i].bad);
	}
}

static struct sock_diag_entry tcp4(const char *src, int sport, const char *dst,
				   int dport, int st)
{
	struct sock_diag_entry e = { .family = AF_INET,
				     .protocol = IPPROTO_TCP,
				     .state = (uint8_t)st };

	inet_pton(AF_INET, src, e.in.local);
	inet_pton(AF_INET, dst, e.in.remote);
	e.in.local_port = (uint16_t)sport;
	e.in.remote_port = (uint16_t)dport;
	return e;
}

static struct sock_diag_entry tcp6(const char *src, int sport, const char *dst,
				   int dport, int st)
{
	struct sock_diag_entry e = tcp4("0.0.0.0", sport, "0.0.0.0", dport, st);

	e.family = AF_INET6;
	inet_pton(AF_INET6, src, e.in.local);
	inet_pton(AF_INET6, dst, e.in.remote);
	return e;
}

static struct sock_diag_entry sample[8];

static void fill_sample(void)
{
	sample[0] = tcp4("0.0.0.0", 80, "0.0.0.0", 0, SOCK_DIAG_LISTEN);
	sample[1] =
	    tcp4("10.1.2.3", 80, "192.0.2.7", 40000, SOCK_DIAG_ESTABLISHED);
	sample[2] =
	    tcp4("10.1.2.3", 51000, "198.51.100.1", 443, SOCK_DIAG_TIME_WAIT);
	sample[3] = tcp6("::", 22, "::", 0, SOCK_DIAG_LISTEN);
	sample[4] = tcp6("::ffff:10.1.2.3", 22, "2001:db8::9", 5000,
			 SOCK_DIAG_ESTABLISHED);
	sample[5] = tcp6("2001:db8::1", 443, "2001:db8:1::2", 6000,
			 SOCK_DIAG_CLOSE_WAIT);
	sample[6] =
	    tcp4("127.0.0.1", 631, "127.0.0.1", 33000, SOCK_DIAG_FIN_WAIT2);
	sample[7] = (struct sock_diag_entry){ .family = AF_UNIX,
					      .state = SOCK_DIAG_LISTEN };
}

static int matches(const char *text, unsigned int want)
{
	int bad;
	struct sock_diag_filter *f = parse(text, &bad);
	unsigned int got = 0;

	if (!f)
		fail_msg("'%s' does not parse (word %d)", text, bad);
	for (size_t i = 0; i < ARRAY_SIZE(sample); i++)
		if (sock_diag_filter_match(f, &sample[i]))
			got |= 1u << i;
	sock_diag_filter_free(f);
	if (got != want)
		fail_msg("'%s' matched %#x, want %#x", text, got, want);
	return 0;
}

static void test_match(void **state)
{
	(void)state;
	fill_sample();
	matches("state listen", 0x89);
	matches("state connected", 0x76);
	matches("state closing", 0x64); /* the group, with close-wait */
	matches("state TIME_WAIT", 0x04);
	matches("port 80", 0x03);
	matches("sport 22 or dport 443", 0x1c);
	matches("sport = :https", 0x20);
	matches("src 10.0.0.0/8", 0x16); /* v4-mapped counts, like the kernel */
	matches("src [2001:db8::]/32", 0x20);
	matches("dst 2001:db8::/32", 0x30);
	matches("not src 10.0.0.0/8 and not state listen", 0x60);
	matches("( port 80 or port 22 ) state established", 0x12);
	matches("src 127.0.0.1:631", 0x40);
	matches("not ( state listen )", 0x76);
}

/* ss's comparisons on ports; owner and namespace words (which the
 * socket alone cannot decide: they pass sock_diag_filter_match()). */
static void test_compare_and_owner(void **state)
{
	static const struct {
		const char *text;
		int bad;
	} errors[] = {
		{ "sport >", 2 },	 { "sport > x-no-such", 2 },
		{ "dport <= 65536", 2 }, { "pid", 1 },
		{ "pid x", 1 },		 { "uid -1", 1 },
		{ "uid 4294967295", 1 }, { "comm", 1 },
		{ "netns", 1 },		 { "state > listen", 1 },
		{ "cgroup", 1 },
	};
	int bad;

	(void)state;
	fill_sample();
	matches("sport > 1024", 0x04);
	matches("sport gt 1024", 0x04);
	matches("sport >= 443", 0x64);
	matches("sport ge 443 and sport le 631", 0x60);
	matches("dport < 443", 0x09);
	matches("dport lt 443", 0x09);
	matches("dport <= 443", 0x0d);
	matches("sport != 80", 0x7c);
	matches("sport neq 80", 0x7c);
	matches("sport > 65535", 0x00);
	matches("dport < 0", 0x00);
	matches("uid 0", 0xff); /* the samples' uid is 0 */
	matches("uid 1000", 0x00);
	matches("pid 1 and sport 80", 0x03);
	matches("not comm x and sport 22", 0x18);
	matches("netns x or sport 22", 0xff);
	for (size_t i = 0; i < ARRAY_SIZE(errors); i++) {
		assert_null(parse(errors[i].text, &bad));
		if (bad != errors[i].bad)
			fail_msg("'%s': bad word %d, want %d", errors[i].text,
				 bad, errors[i].bad);
	}
}

/* With owners and the namespace known, the exact answer; before, 2. */
static void test_eval_context(void **state)
{
	struct sock_diag_owner own[] = { { 42, 3, "nginx", NULL },
					 { 43, 4, "sh", NULL } };
	struct sock_netns ns = { .ino = 4026532300, .name = "blue" };
	struct diag_filter_ctx none = { 0 }, known = {
		.ns = &ns, .owners_known = 1, .owners = own, .nowners = 2
	};
	static const struct {
		const char *text;
		int before, after;
	} cases[] = {
		{ "pid 42", 2, 1 },
		{ "pid 44", 2, 0 },
		{ "comm sh", 2, 1 },
		{ "not comm nginx", 2, 0 },
		{ "comm x or sport 80", 1, 1 },
		{ "comm x and sport 81", 0, 0 },
		{ "netns blue", 2, 1 },
		{ "netns 4026532300", 2, 1 },
		{ "netns net:[4026532300]", 2, 0 }, /* named: the name */
		{ "netns red", 2, 0 },
		{ "not netns red and pid 43", 2, 1 },
	};
	int bad;

	(void)state;
	fill_sample();
	assert_int_equal(sock_diag_filter_streamable(NULL), 1);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct sock_diag_filter *f = parse(cases[i].text, &bad);

		assert_non_null(f);
		if (sock__diag_filter_eval(f, &sample[0], &none) !=
			cases[i].before ||
		    sock__diag_filter_eval(f, &sample[0], &known) !=
			cases[i].after)
			fail_msg("'%s': %d/%d, want %d/%d", cases[i].text,
				 sock__diag_filter_eval(f, &sample[0], &none),
				 sock__diag_filter_eval(f, &sample[0], &known),
				 cases[i].before, cases[i].after);
		assert_int_equal(sock_diag_filter_streamable(f),
				 strstr(cases[i].text, "pid") == NULL &&
				     strstr(cases[i].text, "comm") == NULL &&
				     strstr(cases[i].text, "netns") == NULL);
		sock_diag_filter_free(f);
	}
}

/* cgroup PATH: an owner's cgroup v2 path is PATH or below it, whole
 * components compared; "/" is every path; an owner whose cgroup was not
 * read, or no owner at all, is no match. */
static void test_cgroup(void **state)
{
	struct sock_diag_owner own[] = {
		{ 42, 3, "nginx", "/system.slice/nginx.service" },
		{ 43, 4, "sh", NULL },
		{ 44, 5, "bash",
		  "/user.slice/user-1000.slice/session-2.scope" },
	};
	struct diag_filter_ctx none = { 0 },
			       known = { .owners_known = 1,
					 .owners = own,
					 .nowners = 3 },
			       nocg = { .owners_known = 1,
					.owners = own + 1,
					.nowners = 1 },
			       orphan = { .owners_known = 1 };
	static const struct {
		const char *text;
		int known, nocg;
	} cases[] = {
		{ "cgroup /system.slice", 1, 0 },
		{ "cgroup /system.slice/", 1, 0 },
		{ "cgroup system.slice", 1, 0 },
		{ "cgroup /system.slice/nginx.service", 1, 0 },
		{ "cgroup /system.slice/nginx.service/", 1, 0 },
		{ "cgroup /system.slice/nginx", 0, 0 },
		{ "cgroup /system", 0, 0 },
		{ "cgroup /system.slice/nginx.service/worker", 0, 0 },
		{ "cgroup /user.slice/user-1000.slice", 1, 0 },
		{ "cgroup /", 1, 0 },
		{ "cgroup //", 1, 0 },
		{ "cgroup /init.scope", 0, 0 },
		{ "not cgroup /init.scope", 1, 1 },
		{ "cgroup /init.scope or sport 80", 1, 1 },
		{ "cgroup / and not comm x", 1, 0 },
	};
	char *empty[] = { "cgroup", "" };
	struct sock_diag_filter *f;
	int bad;

	(void)state;
	fill_sample();
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		f = parse(cases[i].text, &bad);
		assert_non_null(f);
		if (sock__diag_filter_eval(f, &sample[0], &known) !=
			cases[i].known ||
		    sock__diag_filter_eval(f, &sample[0], &nocg) !=
			cases[i].nocg)
			fail_msg("'%s': %d/%d, want %d/%d", cases[i].text,
				 sock__diag_filter_eval(f, &sample[0], &known),
				 sock__diag_filter_eval(f, &sample[0], &nocg),
				 cases[i].known, cases[i].nocg);
		assert_int_equal(sock__diag_filter_needs_owners(f), 1);
		assert_int_equal(sock__diag_filter_needs_cgroups(f), 1);
		assert_int_equal(sock_diag_filter_streamable(f), 0);
		sock_diag_filter_free(f);
	}
	/* before the /proc pass: unknown, the row is kept for later */
	f = parse("cgroup /system.slice", &bad);
	assert_int_equal(sock__diag_filter_eval(f, &sample[0], &none), 2);
	assert_int_equal(sock__diag_filter_eval(f, &sample[0], &orphan), 0);
	sock_diag_filter_free(f);
	/* the other owner conditions do not read cgroups */
	f = parse("pid 1 or comm x", &bad);
	assert_int_equal(sock__diag_filter_needs_cgroups(f), 0);
	sock_diag_filter_free(f);
	f = NULL;
	assert_int_equal(sock_diag_filter_parse(2, empty, &f, &bad), -EINVAL);
	assert_int_equal(bad, 1);
	assert_null(f);
}

static void test_states_mask(void **state)
{
	static const struct {
		const char *text;
		uint32_t mask;
	} cases[] = {
		{ "port 80", SOCK_DIAG_STATES_ALL },
		{ "state listen", S(LISTEN) },
		{ "state listen and port 80", S(LISTEN) },
		{ "state listen or port 80", SOCK_DIAG_STATES_ALL },
		{ "not state listen", SOCK_DIAG_STATES_ALL & ~S(LISTEN) },
		{ "state listen or state time-wait", S(LISTEN) | S(TIME_WAIT) },
		{ "not ( state listen or port 80 )",
		  SOCK_DIAG_STATES_ALL & ~S(LISTEN) },
	};
	int bad;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct sock_diag_filter *f = parse(cases[i].text, &bad);

		assert_non_null(f);
		if (sock__diag_filter_states(f) != cases[i].mask)
			fail_msg("'%s': mask %#x, want %#x", cases[i].text,
				 sock__diag_filter_states(f), cases[i].mask);
		sock_diag_filter_free(f);
	}
}

/* The kernel's inet_diag_bc_audit() and inet_diag_bc_run(), reduced to
 * the ops we emit (net/ipv4/inet_diag.c). */
static int audit(const uint8_t *bc, int len)
{
	const uint8_t *start = bc;
	int total = len;

	while (len > 0) {
		const struct inet_diag_bc_op *op = (const void *)bc;

		if (op->code != INET_DIAG_BC_JMP && len < 8)
			return -1;
		if (op->yes < 4 || op->yes > len + 4 || (op->yes & 3))
			return -1;
		if (op->no > len + 4 || (op->no & 3) || op->no < 4)
			return -1;
		if (op->no < len) { /* target must be an op boundary */
			int target = (int)(bc - start) + op->no, at = 0;

			while (at < target)
				at += ((const struct inet_diag_bc_op *)(start +
									at))
					  ->yes;
			if (at != target)
				return -1;
		}
		bc += op->yes;
		len -= op->yes;
	}
	(void)total;
	return len == 0 ? 0 : -1;
}

static int bits(const uint8_t *a, const uint8_t *b, int n)
{
	int bytes = n / 8, rest = n % 8;

	if (memcmp(a, b, (size_t)bytes))
		return 0;
	return !rest || !((a[bytes] ^ b[bytes]) & (0xff00 >> rest));
}

static int cond(const struct inet_diag_hostcond *c,
		const struct sock_diag_entry *e, int src)
{
	const uint8_t *a = src ? e->in.local : e->in.remote;
	int port = src ? e->in.local_port : e->in.remote_port;

	if (c->port != -1 && c->port != port)
		return 0;
	if (c->family != e->family) {
		return c->family == AF_INET && e->family == AF_INET6 &&
		       !memcmp(a, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12) &&
		       bits(a + 12, (const uint8_t *)c->addr, c->prefix_len);
	}
	return !c->prefix_len ||
	       bits(a, (const uint8_t *)c->addr, c->prefix_len);
}

static int run(const uint8_t *bc, int len, const struct sock_diag_entry *e)
{
	while (len > 0) {
		const struct inet_diag_bc_op *op = (const void *)bc;
		int yes = 1;

		switch (op->code) {
		case INET_DIAG_BC_JMP:
			yes = 0;
			break;
		case INET_DIAG_BC_S_EQ:
			yes = e->in.local_port == op[1].no;
			break;
		case INET_DIAG_BC_D_EQ:
			yes = e->in.remote_port == op[1].no;
			break;
		case INET_DIAG_BC_S_GE:
			yes = e->in.local_port >= op[1].no;
			break;
		case INET_DIAG_BC_S_LE:
			yes = e->in.local_port <= op[1].no;
			break;
		case INET_DIAG_BC_D_GE:
			yes = e->in.remote_port >= op[1].no;
			break;
		case INET_DIAG_BC_D_LE:
			yes = e->in.remote_port <= op[1].no;
			break;
		case INET_DIAG_BC_S_COND:
		case INET_DIAG_BC_D_COND:
			yes = cond((const void *)(op + 1), e,
				   op->code == INET_DIAG_BC_S_COND);
			break;
		default:
			fail_msg("unexpected op %d", op->code);
		}
		bc += yes ? op->yes : op->no;
		len -= yes ? op->yes : op->no;
	}
	return len == 0;
}

/* The bytecode of f agrees with the user-space evaluation (exactly, or
 * accepts a superset); f is freed. */
static void same_as_kernel_f(struct sock_diag_filter *f, const char *text,
			     int exact)
{
	static uint8_t bc[UINT16_MAX];
	size_t len;

	assert_non_null(f);
	len = sock__diag_filter_bytecode(f, bc, sizeof(bc));
	assert_true(len > 0);
	if (audit(bc, (int)len))
		fail_msg("'%s': bytecode fails the kernel's audit", text);
	for (size_t i = 0; i < 7; i++) {
		int user = sock_diag_filter_match(f, &sample[i]);
		int kern = run(bc, (int)len, &sample[i]);

		if (exact ? user != kern : user && !kern)
			fail_msg("'%s' on socket %zu: user %d, kernel %d", text,
				 i, user, kern);
	}
	sock_diag_filter_free(f);
}

static void same_as_kernel(const char *text, int exact)
{
	int bad;

	same_as_kernel_f(parse(text, &bad), text, exact);
}

static void test_bytecode(void **state)
{
	static const char *const exact[] = {
		"port 80",
		"sport 22 or dport 443",
		"src 10.0.0.0/8",
		"dst 2001:db8::/32",
		"not src 10.0.0.0/8",
		"not ( port 80 or port 22 )",
		"( port 80 or port 22 ) and not dst 192.0.2.0/24",
		"src 127.0.0.1:631 or sport 443 or dport 0",
		"not not sport 80",
		"( src 10.1.2.3 or src ::1 ) and ( dport 443 or dport 40000 )",
		"sport > 1024",
		"sport >= 443 and sport <= 631",
		"dport < 5000",
		"dport le 443 or sport gt 600",
		"sport != 80",
		"not sport != 80",
		"dport neq 0 and sport lt 100",
		"sport > 65535",
		"dport < 0",
		"not dport < 0",
		"port > 40000",
	};
	static const char *const superset[] = {
		"pid 1 or sport 80",
		"not comm sshd and dport 443",
		"not ( netns x or sport 22 )",
		"cgroup /system.slice or dport 443",
		"not cgroup / and sport 22",
		"uid 0 and src 10.0.0.0/8",
		"state listen and port 80",
		"not state listen and port 22",
		"not ( state listen or sport 80 )",
		"state established or dport 443",
	};
	uint8_t bc[64];
	int bad;
	struct sock_diag_filter *f;

	(void)state;
	fill_sample();
	for (size_t i = 0; i < ARRAY_SIZE(exact); i++)
		same_as_kernel(exact[i], 1);
	for (size_t i = 0; i < ARRAY_SIZE(superset); i++)
		same_as_kernel(superset[i], 0);
	/* state only: nothing for the bytecode, the mask does it */
	f = parse("state listen", &bad);
	assert_int_equal(sock__diag_filter_bytecode(f, bc, sizeof(bc)), 0);
	sock_diag_filter_free(f);
	/* too long for the buffer: no bytecode, user space filters */
	f = parse("src 10.0.0.1 or src 10.0.0.2 or src 10.0.0.3", &bad);
	assert_int_equal(sock__diag_filter_bytecode(f, bc, 32), 0);
	sock_diag_filter_free(f);
}

/* argv of n copies of open, then "sport 80", then n ")" when open is
 * "("; returns argc.  argv must have room for 2 * n + 2 words. */
static int nested(char **argv, int n, const char *open)
{
	int argc = 0;

	for (int i = 0; i < n; i++)
		argv[argc++] = (char *)open;
	argv[argc++] = "sport";
	argv[argc++] = "80";
	for (int i = 0; !strcmp(open, "(") && i < n; i++)
		argv[argc++] = ")";
	return argc;
}

/* "not" and "(" nest up to SOCK_DIAG_FILTER_DEPTH, and there they work
 * (match, state mask, bytecode); one more is -ELOOP, naming the word,
 * and 100000 more do not run the parser off the stack. */
static void test_nesting(void **state)
{
	static const char *const opens[] = { "!", "not", "(" };
	enum { DEEP = 100000 };
	char **argv = calloc(2 * DEEP + 2, sizeof(*argv));
	struct sock_diag_filter *f;
	int depth = SOCK_DIAG_FILTER_DEPTH, argc, bad;

	(void)state;
	assert_non_null(argv);
	fill_sample();
	for (size_t i = 0; i < ARRAY_SIZE(opens); i++) {
		/* an even number of nots is sport 80 */
		argc = nested(argv, depth, opens[i]);
		f = NULL;
		assert_int_equal(sock_diag_filter_parse(argc, argv, &f, &bad),
				 0);
		assert_true(sock_diag_filter_match(f, &sample[1]));
		assert_false(sock_diag_filter_match(f, &sample[2]));
		assert_int_equal(sock__diag_filter_states(f),
				 SOCK_DIAG_STATES_ALL);
		same_as_kernel_f(f, opens[i], 1);
		for (int n = depth + 1; n <= DEEP; n += DEEP - depth - 1) {
			argc = nested(argv, n, opens[i]);
			bad = -1;
			assert_int_equal(
			    sock_diag_filter_parse(argc, argv, &f, &bad),
			    -ELOOP);
			assert_int_equal(bad, depth);
		}
	}
	free(argv);
}

/* A run of and/or has no depth limit, and a long one (as many words as
 * a command line holds, and more) is walked by loops, not recursion:
 * matching, the state mask and the bytecode all cope. */
static void test_long_chain(void **state)
{
	enum { TERMS = 500000 };
	char **argv = calloc(4 * TERMS + 4, sizeof(*argv));
	static const char *const joins[] = { "or", "and" };
	struct sock_diag_filter *f;
	uint8_t bc[512];
	int argc, bad;

	(void)state;
	assert_non_null(argv);
	fill_sample();
	for (size_t j = 0; j < ARRAY_SIZE(joins); j++) {
		argc = 0;
		argv[argc++] = "(";
		for (int i = 0; i < TERMS; i++) {
			if (i)
				argv[argc++] = (char *)joins[j];
			/* or: any sport 80; and: not sport 22, 21 */
			if (j == 1)
				argv[argc++] = "!";
			argv[argc++] = "sport";
			argv[argc++] = i % 2 ? "22" : i || j ? "21" : "80";
		}
		argv[argc++] = ")";
		f = NULL;
		assert_int_equal(sock_diag_filter_parse(argc, argv, &f, &bad),
				 0);
		for (size_t i = 0; i < 7; i++)
			assert_int_equal(sock_diag_filter_match(f, &sample[i]),
					 j ? sample[i].in.local_port != 22 &&
						 sample[i].in.local_port != 21
					   : sample[i].in.local_port == 80 ||
						 sample[i].in.local_port ==
						     22 ||
						 sample[i].in.local_port == 21);
		assert_int_equal(sock__diag_filter_states(f),
				 SOCK_DIAG_STATES_ALL);
		/* too long for the kernel: user space filters */
		assert_int_equal(sock__diag_filter_bytecode(f, bc, sizeof(bc)),
				 0);
		sock_diag_filter_free(f);
	}
	/* a run that fits is exact */
	argc = 0;
	for (int i = 0; i < 1000; i++) {
		if (i)
			argv[argc++] = "or";
		argv[argc++] = "dport";
		argv[argc++] = i == 999 ? "443" : "1";
	}
	assert_int_equal(sock_diag_filter_parse(argc, argv, &f, &bad), 0);
	same_as_kernel_f(f, "dport 1 or ... dport 443", 1);
	free(argv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_compare_and_owner),
		cmocka_unit_test(test_eval_context),
		cmocka_unit_test(test_cgroup),
		cmocka_unit_test(test_states_mask),
		cmocka_unit_test(test_bytecode),
		cmocka_unit_test(test_nesting),
		cmocka_unit_test(test_long_chain),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
