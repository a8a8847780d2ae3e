/*
 * fuzz_procnet.c - the /proc/net text tables (tcp, tcp6, udp, udp6,
 * unix) line by line, as the fallback reads them when sock_diag is
 * missing: the input's lines are given to each table's parser, then
 * everything a listing reads from the rows is read back.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "../../lib/diag_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile size_t sink;

static void walk(const struct sock_diag *d)
{
	size_t sum = 0;

	for (size_t i = 0; i < sock_diag_count(d); i++) {
		const struct sock_diag_entry *e = sock_diag_get(d, i);
		const char *name;
		size_t len = sock_diag_unix_name(d, e, &name);

		for (size_t j = 0; j < len; j++)
			sum += (unsigned char)name[j];
		if (e->family != AF_UNIX)
			sum += e->in.local_port + e->in.local[15];
		sum += strlen(sock_diag_state_name(e->state));
	}
	sink = sum;
}

static void table(const uint8_t *data, size_t size, int family, int protocol)
{
	struct sock_diag_query q = { 0 };
	struct sock_diag *d = sock__diag_new(&q);
	char *line = malloc(size + 1);

	if (d && line) {
		for (size_t at = 0; at < size;) {
			const uint8_t *nl = memchr(data + at, '\n', size - at);
			size_t len =
			    nl ? (size_t)(nl - data) - at + 1 : size - at;

			memcpy(line, data + at, len);
			line[len] = '\0';
			at += len;
			if (sock__proc_net_line(d, line, family, protocol) ==
			    -ENOMEM)
				break;
		}
		walk(d);
	}
	free(line);
	if (d)
		sock_diag_free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	table(data, size, AF_INET, IPPROTO_TCP);
	table(data, size, AF_INET6, IPPROTO_TCP);
	table(data, size, AF_INET6, IPPROTO_UDP);
	table(data, size, AF_UNIX, 0);
	return 0;
}
