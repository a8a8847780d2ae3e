/*
 * tool/visible.c - printing text from outside safely (see visible.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "visible.h"

int tool_is_control(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

char *tool_visible(const char *text, size_t len, char *out, size_t cap)
{
	size_t i;

	for (i = 0; i < len && i + 1 < cap && text[i]; i++)
		out[i] =
		    tool_is_control((unsigned char)text[i]) ? '?' : text[i];
	if (cap)
		out[i] = '\0';
	return out;
}

/* Write n bytes of s with controls as '?'. */
static void put_visible(FILE *f, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fputc(tool_is_control((unsigned char)s[i]) ? '?' : s[i], f);
}

/* A cut never splits a UTF-8 character: move back off continuation
 * bytes. */
static size_t char_start(const char *s, size_t i)
{
	while (i > 0 && ((unsigned char)s[i] & 0xc0) == 0x80)
		i--;
	return i;
}

void tool_vprint_line(FILE *f, const char *prefix, const char *suffix,
		      const char *fmt, va_list ap)
{
	char *msg = NULL;
	int n = vasprintf(&msg, fmt, ap);
	size_t len, head, tail;

	fputs(prefix, f);
	if (n < 0) {
		fputs(fmt, f);
	} else if ((len = (size_t)n) <= VISIBLE_LINE_MAX) {
		put_visible(f, msg, len);
	} else {
		head = char_start(msg, VISIBLE_HEAD);
		tail = char_start(msg, len - VISIBLE_TAIL);
		put_visible(f, msg, head);
		fputs("...", f);
		put_visible(f, msg + tail, len - tail);
	}
	fputs(suffix, f);
	free(msg);
}
