/*
 * tool/visible.h - text from outside (peers' paths, process names,
 * option values, file names) made safe to print: control characters
 * become '?' so that one message stays one line and cannot move the
 * cursor or forge a line, and a long message is shown as a window.
 */
#ifndef SOCK_TOOL_VISIBLE_H
#define SOCK_TOOL_VISIBLE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

/* A message longer than this many bytes is shown as its first
 * VISIBLE_HEAD bytes, "...", and its last VISIBLE_TAIL (where the
 * hint usually is). */
#define VISIBLE_LINE_MAX 400
#define VISIBLE_HEAD 240
#define VISIBLE_TAIL 120

/* 1 for the bytes shown as '?': C0 controls and DEL. */
int tool_is_control(unsigned char c);

/* Copy at most len bytes of text (less at a NUL) into out, cap bytes
 * with its NUL, controls as '?'.  Returns out. */
char *tool_visible(const char *text, size_t len, char *out, size_t cap);

/* prefix, then fmt's message made visible and windowed, then suffix
 * (both as given: ours), on f. */
void tool_vprint_line(FILE *f, const char *prefix, const char *suffix,
		      const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));

#endif
