/*
 * tests/fuzz/fuzz_snmp.c - the /proc/net/snmp and /proc/net/netstat
 * parser on arbitrary bytes: header and value lines in any order, any
 * length, numbers out of range, no final newline.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <sock/diag.h>

#include "../../lib/diag_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Unsigned, so that adding any two values the parser accepts is
 * defined (a sum of two large counters overflowed a signed one). */
static volatile uint64_t sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sock_diag_counter c[] = {
		{ "Tcp", "ActiveOpens", 0, 0 },
		{ "Tcp", "MaxConn", 0, 0 },
		{ "TcpExt", "ListenOverflows", 0, 0 },
		{ "Udp", "InErrors", 0, 0 },
		{ "Tcp", "ActiveOpens", 0, 0 }, /* asked twice */
	};
	size_t n = sizeof(c) / sizeof(c[0]);
	size_t found = sock__snmp_parse((const char *)data, size, c, n);

	if (found > size)
		abort(); /* a value per name, at most one per byte */
	for (size_t i = 0; i < n; i++)
		if (c[i].found)
			sink += (uint64_t)c[i].value;
	return 0;
}
