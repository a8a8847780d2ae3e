/*
 * test_names.c - the one port parser (sock_addr_port), the one table
 * of state names (both spellings, and the filter's words taken from
 * it) and the one table of protocol names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <sock/addr.h>
#include <sock/diag.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static void test_port_numbers(void **state)
{
	(void)state;
	assert_int_equal(sock_addr_port("0", NULL), 0);
	assert_int_equal(sock_addr_port("80", "tcp"), 80);
	assert_int_equal(sock_addr_port("65535", NULL), 65535);
	/* any number of digits, as the filter always took them */
	assert_int_equal(sock_addr_port("000080", NULL), 80);
	assert_int_equal(sock_addr_port("65536", NULL), -EINVAL);
	assert_int_equal(sock_addr_port("99999999999999999999", NULL), -EINVAL);
	assert_int_equal(sock_addr_port("", NULL), -EINVAL);
	assert_int_equal(sock_addr_port("80x", NULL), -EINVAL);
	assert_int_equal(sock_addr_port(" 80", NULL), -EINVAL);
	assert_int_equal(sock_addr_port("-1", NULL), -EINVAL);
	assert_int_equal(sock_addr_port(":80", NULL), -EINVAL);
}

static void test_port_services(void **state)
{
	struct servent *se = getservbyname("https", "tcp");

	(void)state;
	if (!se)
		skip(); /* no services database here */
	assert_int_equal(sock_addr_port("https", "tcp"),
			 ntohs((uint16_t)se->s_port));
	assert_int_equal(sock_addr_port("https", NULL),
			 ntohs((uint16_t)se->s_port));
	assert_int_equal(sock_addr_port("no-such-service-here", NULL), -EINVAL);
}

static void test_state_names(void **state)
{
	static const char *const lower[] = {
		"unknown",	"established", "syn-sent",  "syn-recv",
		"fin-wait-1",	"fin-wait-2",  "time-wait", "close",
		"close-wait",	"last-ack",    "listen",    "closing",
		"new-syn-recv",
	};
	static const char *const netstat[] = {
		"UNKNOWN",	"ESTABLISHED", "SYN_SENT",  "SYN_RECV",
		"FIN_WAIT1",	"FIN_WAIT2",   "TIME_WAIT", "CLOSE",
		"CLOSE_WAIT",	"LAST_ACK",    "LISTEN",    "CLOSING",
		"NEW_SYN_RECV",
	};

	(void)state;
	assert_int_equal(ARRAY_SIZE(lower), SOCK_DIAG_STATE_MAX);
	for (int s = 0; s < SOCK_DIAG_STATE_MAX; s++) {
		assert_string_equal(sock_diag_state_name(s), lower[s]);
		assert_string_equal(sock_diag_state_netstat(s), netstat[s]);
	}
	assert_string_equal(sock_diag_state_name(-1), "unknown");
	assert_string_equal(sock_diag_state_name(SOCK_DIAG_STATE_MAX),
			    "unknown");
	assert_string_equal(sock_diag_state_netstat(-1), "UNKNOWN");
	assert_string_equal(sock_diag_state_netstat(255), "UNKNOWN");
}

/* The states "state WORD" selects, 0 when the filter refuses it. */
static uint32_t word_mask(const char *word)
{
	char *argv[] = { "state", (char *)word, NULL };
	struct sock_diag_filter *f = NULL;
	uint32_t mask;
	int bad;

	if (sock_diag_filter_parse(2, argv, &f, &bad))
		return 0;
	mask = sock_diag_filter_states(f);
	sock_diag_filter_free(f);
	return mask;
}

#define S(x) (1u << SOCK_DIAG_##x)

/* The single-state words come from the state table now: the same
 * words as before, with the same meaning; the rest are refused. */
static void test_filter_state_words(void **state)
{
	static const struct {
		const char *word;
		uint32_t mask;
	} cases[] = {
		{ "established", S(ESTABLISHED) },
		{ "syn-sent", S(SYN_SENT) },
		{ "SYN_SENT", S(SYN_SENT) },
		{ "syn-recv", S(SYN_RECV) | S(NEW_SYN_RECV) },
		{ "fin-wait-1", S(FIN_WAIT1) },
		{ "FIN_WAIT1", S(FIN_WAIT1) },
		{ "finwait2", S(FIN_WAIT2) },
		{ "time-wait", S(TIME_WAIT) },
		{ "close", S(CLOSE) },
		{ "close-wait", S(CLOSE_WAIT) },
		{ "last-ack", S(LAST_ACK) },
		{ "listen", S(LISTEN) },
		{ "LISTEN", S(LISTEN) },
		{ "closing", S(FIN_WAIT1) | S(FIN_WAIT2) | S(TIME_WAIT) |
				 S(CLOSE_WAIT) | S(LAST_ACK) | S(CLOSING) },
		{ "closing-state", S(CLOSING) },
		{ "unknown", 0 },
		{ "new-syn-recv", 0 },
		{ "", 0 },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		if (word_mask(cases[i].word) != cases[i].mask)
			fail_msg("state %s: %#x, want %#x", cases[i].word,
				 word_mask(cases[i].word), cases[i].mask);
}

static void test_proto_names(void **state)
{
	(void)state;
	assert_string_equal(sock_diag_proto_name(AF_INET, IPPROTO_TCP), "tcp");
	assert_string_equal(sock_diag_proto_name(AF_INET6, IPPROTO_TCP),
			    "tcp6");
	assert_string_equal(sock_diag_proto_name(AF_INET, IPPROTO_UDP), "udp");
	assert_string_equal(sock_diag_proto_name(AF_INET6, IPPROTO_UDP),
			    "udp6");
	assert_string_equal(sock_diag_proto_name(AF_INET, IPPROTO_RAW), "raw");
	assert_string_equal(sock_diag_proto_name(AF_INET6, IPPROTO_RAW),
			    "raw6");
	assert_string_equal(sock_diag_proto_name(AF_UNIX, 0), "unix");
	assert_string_equal(sock_diag_proto_name(AF_UNIX, IPPROTO_TCP), "unix");
	/* netstat shows any other internet protocol as raw */
	assert_string_equal(sock_diag_proto_name(AF_INET, IPPROTO_ICMP), "raw");
	assert_string_equal(sock_diag_proto_name(AF_INET6, IPPROTO_ICMPV6),
			    "raw6");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_port_numbers),
		cmocka_unit_test(test_port_services),
		cmocka_unit_test(test_state_names),
		cmocka_unit_test(test_filter_state_words),
		cmocka_unit_test(test_proto_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
