/*
 * tool/top_ui_fmt.c - how sock top's view writes sizes and ages: short
 * enough for a 6-cell column, powers of 1024 (docs/sock.1).  Apart from
 * the rest of the view (no curses, no model) for the unit test.
 */
#include <stdio.h>

#include "top_ui.h"

void ui_fmt_size(char *buf, size_t size, double v)
{
	static const char units[] = "KMGTPE";
	int i = -1;

	if (!(v > 0))
		v = 0; /* also a NaN */
	/* at most three digits: 1000 bytes is "1.0K", not "1000" */
	while (v >= 999.5 && i < 5) {
		v /= 1024;
		i++;
	}
	if (i < 0)
		snprintf(buf, size, "%.0f", v);
	else if (v < 9.95)
		snprintf(buf, size, "%.1f%c", v, units[i]);
	else
		snprintf(buf, size, "%.0f%c", v, units[i]);
}

void ui_fmt_age(char *buf, size_t size, double secs)
{
	unsigned long s = secs > 0 ? (unsigned long)secs : 0;

	if (s < 60)
		snprintf(buf, size, "%lus", s);
	else if (s < 3600)
		snprintf(buf, size, "%lum%02lu", s / 60, s % 60);
	else if (s < 86400)
		snprintf(buf, size, "%luh%02lu", s / 3600, s % 3600 / 60);
	else
		snprintf(buf, size, "%lud%02lu", s / 86400, s % 86400 / 3600);
}
