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

/* msg with controls as '?', its middle cut out past VISIBLE_LINE_MAX. */
static void put_windowed(FILE *f, const char *msg, size_t len)
{
	size_t head, tail;

	if (len <= VISIBLE_LINE_MAX) {
		put_visible(f, msg, len);
		return;
	}
	head = char_start(msg, VISIBLE_HEAD);
	tail = char_start(msg, len - VISIBLE_TAIL);
	put_visible(f, msg, head);
	fputs("...", f);
	put_visible(f, msg + tail, len - tail);
}

/* The line is composed first and written with one call: stderr is
 * unbuffered, and --exec's in-between processes write to it too, so a
 * line written piecewise could be torn by theirs. */
void tool_vprint_line(FILE *f, const char *prefix, const char *suffix,
		      const char *fmt, va_list ap)
{
	char *msg = NULL, *line = NULL;
	size_t size = 0;
	int n = vasprintf(&msg, fmt, ap);
	FILE *m = open_memstream(&line, &size);

	if (!m) {
		fprintf(f, "%s%s%s", prefix, n < 0 ? fmt : msg, suffix);
		free(msg);
		return;
	}
	fputs(prefix, m);
	if (n < 0)
		fputs(fmt, m);
	else
		put_windowed(m, msg, (size_t)n);
	fputs(suffix, m);
	if (fclose(m) == 0)
		fwrite(line, 1, size, f);
	free(line);
	free(msg);
}
