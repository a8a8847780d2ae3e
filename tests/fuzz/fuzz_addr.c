/*
 * fuzz_addr.c - the endpoint parser on arbitrary text.
 *
 * Checks that parse never reads past the NUL (ASan sees a heap copy of
 * exactly size + 1 bytes), that a refusal points inside the text, and
 * that format is the inverse of parse: parse(format(x)) == x byte for byte
 * and format is idempotent.  The same bytes are also given to
 * sock_addr_format_sa() as a kernel address.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sock/addr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_refusal(const char *text, const struct sock_addr *a,
			  const struct sock_addr_error *err)
{
	struct sock_addr untouched;

	memset(&untouched, 0xa5, sizeof(untouched));
	if (!err->reason || err->pos > strlen(text))
		abort();
	if (memcmp(a, &untouched, sizeof(*a)) != 0)
		abort();
}

static void check_round_trip(const struct sock_addr *a)
{
	char buf[SOCK_ADDR_STR_MAX], again[SOCK_ADDR_STR_MAX];
	struct sock_addr b;
	struct sock_addr_error err;
	int n;

	n = sock_addr_format(a, buf, sizeof(buf));
	if (n < 0 || (size_t)n != strlen(buf))
		abort();
	/* A different pattern from the first parse's: padding and unused
	 * bytes must be written, not inherited. */
	memset(&b, 0x5a, sizeof(b));
	if (sock_addr_parse(buf, &b, &err) != 0)
		abort();
	if (memcmp(a, &b, sizeof(b)) != 0)
		abort();
	if (sock_addr_format(&b, again, sizeof(again)) != n ||
	    strcmp(buf, again) != 0)
		abort();
}

static void check_sun(const struct sock_addr *a)
{
	struct sockaddr_un sun;
	char buf[SOCK_ADDR_STR_MAX];
	socklen_t len = sock_addr_to_sun(a, &sun);
	int n;

	if (a->family != AF_UNIX) {
		if (len != 0)
			abort();
		return;
	}
	n = sock_addr_format_sa((struct sockaddr *)&sun, len, buf, sizeof(buf));
	if (n < 0 || (size_t)n != strlen(buf))
		abort();
}

/* The raw bytes as a kernel address of any family. */
static void check_format_sa(const uint8_t *data, size_t size)
{
	struct sockaddr_storage ss;
	char buf[SOCK_ADDR_STR_MAX];
	int n;

	if (size > sizeof(ss))
		size = sizeof(ss);
	memset(&ss, 0, sizeof(ss));
	memcpy(&ss, data, size);
	n = sock_addr_format_sa((struct sockaddr *)&ss, (socklen_t)size, buf,
				sizeof(buf));
	if (n >= 0 && (size_t)n != strlen(buf))
		abort();
	if (n == -ENOSPC)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	struct sock_addr a;
	struct sock_addr_error err;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	memset(&a, 0xa5, sizeof(a));
	if (sock_addr_parse(text, &a, &err) == 0) {
		check_round_trip(&a);
		check_sun(&a);
	} else {
		check_refusal(text, &a, &err);
	}
	free(text);
	check_format_sa(data, size);
	return 0;
}
