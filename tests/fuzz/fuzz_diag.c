/*
 * tests/fuzz/fuzz_diag.c - the sock_diag reply parser on arbitrary
 * bytes: recorded-reply framing, netlink headers, inet_diag and
 * unix_diag messages and their attributes, then everything a listing
 * reads from the result.  The same bytes as a replay file too, where
 * the first bytes choose sock's records or ss's bare messages
 * (TCPDIAG_FILE) and a cut or damaged file stops part way.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <sock/diag.h>

#include "../../lib/diag_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Where walk() leaves its sum, so that the reads are not optimised out. */
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

/* The bytes as a file, through the replay's own reader. */
static void replay_file(const uint8_t *data, size_t size)
{
	struct sock_diag_query q = { 0 };
	struct sock_diag *d = sock__diag_new(&q);
	uint64_t off = 0;
	int fd = memfd_create("fuzz_diag", MFD_CLOEXEC);

	if (d && fd >= 0 && write(fd, data, size) == (ssize_t)size &&
	    lseek(fd, 0, SEEK_SET) == 0 && !sock__diag_replay_fd(d, fd) &&
	    sock_diag_replay_stop(d, &off) && off > size)
		abort(); /* a stop is always inside the file */
	if (fd >= 0)
		close(fd);
	if (d) {
		walk(d);
		sock_diag_free(d);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sock_diag_query q = { 0 };
	struct sock_diag *d = sock__diag_new(&q);

	if (!d)
		return 0;
	/* The recorded framing first; then the same bytes as one bare
	 * netlink reply of each kind, so both paths are reached. */
	sock__diag_replay_buf(d, data, size);
	for (int proto = 0; proto < 3; proto++) {
		int protos[] = { IPPROTO_TCP, IPPROTO_UDP, 0 };
		struct diag_req r = { d, protos[proto] ? AF_INET : AF_UNIX,
				      protos[proto], 0 };

		sock__diag_run(&r, data, size);
	}
	sock__diag_unix_refcnt(d);
	walk(d);
	sock_diag_free(d);
	replay_file(data, size);
	return 0;
}
