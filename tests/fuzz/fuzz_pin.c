/*
 * fuzz_pin.c - the TLS option parsers (--pin, --alpn) on arbitrary text.
 *
 * Checks that neither reads past the NUL (ASan sees a heap copy of
 * exactly size + 1 bytes), that a refusal gives a reason and leaves the
 * output alone, that an accepted pin prints back (sock_tls_hex) to text
 * that parses to the same bytes, and that an accepted ALPN list is valid
 * wire format: non-empty names, lengths that add up, no comma inside.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sock/tls.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_pin(const char *text)
{
	unsigned char md[SOCK_TLS_SHA256_LEN], again[SOCK_TLS_SHA256_LEN];
	char hex[100], back[120];
	const char *why = NULL;

	memset(md, 0xa5, sizeof(md));
	if (sock_tls_pin_parse(text, md, &why) != 0) {
		for (size_t i = 0; i < sizeof(md); i++)
			if (!why || md[i] != 0xa5)
				abort();
		return;
	}
	sock_tls_hex(md, hex, sizeof(hex));
	memcpy(back, "sha256:", 7);
	memcpy(back + 7, hex, strlen(hex) + 1);
	if (sock_tls_pin_parse(back, again, &why) != 0 ||
	    memcmp(md, again, sizeof(md)) != 0)
		abort();
}

static void check_alpn(const char *text)
{
	unsigned char out[SOCK_TLS_ALPN_MAX];
	const char *why = NULL;
	int n = sock_tls_alpn_parse(text, out, sizeof(out), &why);
	size_t at = 0;

	if (n < 0) {
		if (!why)
			abort();
		return;
	}
	if ((size_t)n > sizeof(out))
		abort();
	while (at < (size_t)n) {
		size_t len = out[at];

		if (len == 0 || at + 1 + len > (size_t)n ||
		    memchr(out + at + 1, ',', len))
			abort();
		at += 1 + len;
	}
	if (at != (size_t)n)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	check_pin(text);
	check_alpn(text);
	free(text);
	return 0;
}
