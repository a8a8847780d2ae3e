/*
 * lib/number.c - decimal numbers as people type them (sock/number.h).
 */
#include <errno.h>

#include <sock/number.h>

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

unsigned long sock_number_digits(const char *s, unsigned long cap, size_t *len)
{
	unsigned long val = 0;
	size_t i;

	for (i = 0; is_digit(s[i]); i++)
		if (val <= cap)
			val = val * 10 + (unsigned long)(s[i] - '0');
	*len = i;
	return val;
}

int sock_number_parse(const char *s, unsigned long min, unsigned long max,
		      unsigned long *out)
{
	size_t n;
	unsigned long v = sock_number_digits(s, max, &n);

	if (!n || s[n] || v < min || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

int sock_number_seconds(const char *s, unsigned long max_s, long *ms)
{
	size_t n, f;
	unsigned long whole = sock_number_digits(s, max_s, &n), frac = 0;
	unsigned long scale = 1;

	if (!n || whole > max_s)
		return -EINVAL;
	s += n;
	if (*s == '.') {
		s++;
		/* Four digits decide the rounding; the rest only count. */
		for (f = 0; is_digit(s[f]); f++)
			if (f < 4) {
				frac = frac * 10 + (unsigned long)(s[f] - '0');
				scale *= 10;
			}
		if (!f)
			return -EINVAL;
		s += f;
	}
	if (*s)
		return -EINVAL;
	*ms = (long)(whole * 1000 + (frac * 1000 + scale / 2) / scale);
	if (whole == max_s && frac)
		return -EINVAL;
	return 0;
}
