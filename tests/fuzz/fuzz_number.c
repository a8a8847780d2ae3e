/*
 * fuzz_number.c - the reader of typed numbers (lib/number.c) on arbitrary
 * bytes: what it takes is digits (and, for seconds, one '.' between
 * digits) and nothing else, within its bounds, and the value is the
 * digits' value.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sock/number.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int only(const char *s, const char *set)
{
	return strspn(s, set) == strlen(s);
}

/* The reference: the value of a string of digits, saturating. */
static unsigned long long value(const char *s, size_t n)
{
	unsigned long long v = 0;

	for (size_t i = 0; i < n && v < 1000000000000ULL; i++)
		v = v * 10 + (unsigned)(s[i] - '0');
	return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	unsigned long v;
	long ms;
	size_t n;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (!sock_number_parse(s, 1, 65535, &v) &&
	    (!*s || !only(s, "0123456789") || v < 1 || v > 65535 ||
	     v != value(s, strlen(s))))
		abort();
	if (!sock_number_seconds(s, 2000000, &ms)) {
		const char *dot = strchr(s, '.');

		n = dot ? (size_t)(dot - s) : strlen(s);
		unsigned long long whole = value(s, n);

		/* a fraction rounds to the millisecond: up to a whole
		 * second more ("1.9999" is 2000 ms) */
		if (!n || !only(s, "0123456789.") ||
		    (dot && (strchr(dot + 1, '.') || !dot[1])) || ms < 0 ||
		    ms > 2000000000L ||
		    ((unsigned long long)ms / 1000 != whole &&
		     !(dot && (unsigned long long)ms / 1000 == whole + 1)))
			abort();
	}
	free(s);
	return 0;
}
