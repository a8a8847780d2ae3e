/*
 * fuzz_filter.c - the filter language (sock list's trailing words) on
 * arbitrary bytes: the input's lines are the words.  A refusal names a
 * word inside the list; an accepted filter is evaluated on a few
 * sockets, with and without owners, and its inet_diag bytecode must
 * pass the checks the kernel makes before it runs one
 * (inet_diag_bc_audit): every jump lands on an instruction or just past
 * the end, 4-byte aligned, inside the program.
 */
#include <errno.h>
#include <linux/inet_diag.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "../../lib/diag_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_WORDS 512

/* The kernel's valid_cc(): offset cc from the end is an instruction. */
static int valid_cc(const uint8_t *bc, int len, int cc)
{
	while (len >= 0) {
		const struct inet_diag_bc_op *op = (const void *)bc;

		if (cc > len)
			return 0;
		if (cc == len)
			return 1;
		if (op->yes < 4 || op->yes & 3)
			return 0;
		len -= op->yes;
		bc += op->yes;
	}
	return 0;
}

/* The shortest an instruction may be: the kernel's valid_hostcond()
 * and valid_port_comparison(); -1 for a code it refuses. */
static int min_len(const uint8_t *p, int len)
{
	struct inet_diag_bc_op op;
	struct inet_diag_hostcond h;

	memcpy(&op, p, sizeof(op));
	switch (op.code) {
	case INET_DIAG_BC_S_COND:
	case INET_DIAG_BC_D_COND:
		if (len < (int)(sizeof(op) + sizeof(h)))
			return -1;
		memcpy(&h, p + sizeof(op), sizeof(h));
		if (h.family != AF_INET && h.family != AF_INET6)
			return -1;
		return (int)(sizeof(op) + sizeof(h)) +
		       (h.family == AF_INET ? 4 : 16);
	case INET_DIAG_BC_S_EQ:
	case INET_DIAG_BC_D_EQ:
	case INET_DIAG_BC_S_GE:
	case INET_DIAG_BC_S_LE:
	case INET_DIAG_BC_D_GE:
	case INET_DIAG_BC_D_LE:
		return len < 8 ? -1 : 8;
	case INET_DIAG_BC_JMP:
	case INET_DIAG_BC_NOP:
		return 4;
	default:
		return -1;
	}
}

/* The kernel's inet_diag_bc_audit(). */
static void audit(const uint8_t *bc, size_t size)
{
	const uint8_t *p = bc;
	int len = (int)size;

	while (len > 0) {
		struct inet_diag_bc_op op;
		int min = min_len(p, len);

		memcpy(&op, p, sizeof(op));
		if (min < 0)
			abort();
		if (op.code != INET_DIAG_BC_NOP &&
		    (op.no < min || op.no > len + 4 || op.no & 3 ||
		     (op.no < len && !valid_cc(bc, (int)size, len - op.no))))
			abort();
		if (op.yes < min || op.yes > len + 4 || op.yes & 3)
			abort();
		p += op.yes;
		len -= op.yes;
	}
	if (len != 0)
		abort();
}

static void entries(struct sock_diag_entry *e)
{
	memset(e, 0, 4 * sizeof(*e));
	e[0] = (struct sock_diag_entry){ .family = AF_INET,
					 .protocol = IPPROTO_TCP,
					 .state = SOCK_DIAG_LISTEN,
					 .type = SOCK_STREAM };
	e[0].in.local_port = 22;
	memcpy(e[0].in.local, "\x7f\0\0\x01", 4);
	e[1] = (struct sock_diag_entry){ .family = AF_INET6,
					 .protocol = IPPROTO_TCP,
					 .state = SOCK_DIAG_ESTABLISHED,
					 .type = SOCK_STREAM };
	e[1].in.local_port = 443;
	e[1].in.remote_port = 50000;
	e[1].in.local[15] = e[1].in.remote[15] = 1;
	e[2] = (struct sock_diag_entry){ .family = AF_INET,
					 .protocol = IPPROTO_UDP,
					 .state = SOCK_DIAG_CLOSE,
					 .type = SOCK_DGRAM };
	e[2].in.local_port = 53;
	memcpy(e[2].in.local, "\x0a\0\0\x01", 4);
	e[3] = (struct sock_diag_entry){ .family = AF_UNIX,
					 .state = SOCK_DIAG_ESTABLISHED,
					 .type = SOCK_SEQPACKET };
}

static void use(const struct sock_diag_filter *f)
{
	static const struct sock_diag_owner owners[] = {
		{ 1, 3, "sshd", "/system.slice/ssh.service" },
		{ 4242, 7, "a b\n", NULL },
	};
	struct diag_filter_ctx known = { NULL, 1, owners, 2 }, none = { 0 };
	struct sock_diag_entry e[4];
	uint8_t bc[4096];
	size_t len;

	entries(e);
	for (int i = 0; i < 4; i++) {
		int m = sock_diag_filter_match(f, &e[i]);
		int k = sock__diag_filter_eval(f, &e[i], &known);
		int u = sock__diag_filter_eval(f, &e[i], &none);

		if (m < 0 || m > 1 || k < 0 || k > 2 || u < 0 || u > 2)
			abort();
		if (sock_diag_filter_streamable(f) && m != k)
			abort(); /* nothing left for owners to decide */
	}
	(void)sock_diag_filter_states(f);
	(void)sock__diag_filter_needs_owners(f);
	(void)sock__diag_filter_needs_cgroups(f);
	len = sock__diag_filter_bytecode(f, bc, sizeof(bc));
	if (len > sizeof(bc))
		abort();
	audit(bc, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), *argv[MAX_WORDS];
	struct sock_diag_filter *f = NULL;
	int argc = 0, bad = -2, ret;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	for (char *w = text; w && argc < MAX_WORDS;) {
		char *nl = strchr(w, '\n');

		if (nl)
			*nl = '\0';
		argv[argc++] = w;
		w = nl ? nl + 1 : NULL;
	}
	ret = sock_diag_filter_parse(argc, argv, &f, &bad);
	if (ret == 0) {
		use(f);
		sock_diag_filter_free(f);
	} else if ((ret != -EINVAL && ret != -ELOOP && ret != -ENOMEM) ||
		   bad < 0 || bad > argc) {
		abort();
	}
	free(text);
	return 0;
}
