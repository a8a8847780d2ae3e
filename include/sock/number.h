/*
 * sock/number.h - the one reader of numbers typed by people: ports in
 * endpoints, seconds and counts in options.  Plain decimal digits only:
 * no sign, no blanks, no 0x, no exponent, no "inf", so that "-w 0x10"
 * and "-w ' 1'" are refused as ":0x10" and ": 1" are.
 */
#ifndef SOCK_NUMBER_H
#define SOCK_NUMBER_H

#include <stddef.h>

/* The value of the decimal digits at the start of s, capped just above
 * cap (a long run of digits cannot overflow); *len is how many digits
 * there are (0: none). */
unsigned long sock_number_digits(const char *s, unsigned long cap, size_t *len);

/* All of s a whole number from min to max: 0 with *out set, or
 * -EINVAL. */
int sock_number_parse(const char *s, unsigned long min, unsigned long max,
		      unsigned long *out);

/* All of s seconds, DIGITS or DIGITS.DIGITS, at most max_s: 0 with the
 * milliseconds (rounded to the nearest) in *ms, or -EINVAL. */
int sock_number_seconds(const char *s, unsigned long max_s, long *ms);

#endif
