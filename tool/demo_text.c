/*
 * tool/demo_text.c - sock demo's text timeline: time, the client's calls,
 * each end's state, the server's calls; notes across.  At most 100
 * columns, counted in display cells (a Spanish label has two-byte
 * letters).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "cmd.h"
#include "demo.h"
#include "i18n.h"

#define W_TIME 8
#define W_CALL 31
#define W_STATE 13
#define W_NOTE 88

/* s and spaces up to width cells. */
static void pad(FILE *f, const char *s, size_t n, int width)
{
	fprintf(f, "%.*s", (int)n, s);
	for (int w = tool_display_width(s, n); w < width; w++)
		fputc(' ', f);
}

/* Bytes of the next piece of s that fits in width cells, broken after a
 * space or comma when one is in reach. */
static size_t chunk(const char *s, int width)
{
	size_t len = strlen(s), fit = 0, brk = 0;
	mbstate_t ps = { 0 };

	while (fit < len) {
		wchar_t wc;
		size_t k = mbrtowc(&wc, s + fit, len - fit, &ps);

		if (k == (size_t)-1 || k == (size_t)-2 || k == 0)
			k = 1;
		if (tool_display_width(s, fit + k) > width)
			break;
		fit += k;
		if (s[fit - 1] == ' ' || s[fit - 1] == ',')
			brk = fit;
	}
	if (fit < len && brk)
		fit = brk;
	return fit ? fit : 1;
}

static size_t skip_space(const char *s)
{
	size_t i = 0;

	while (s[i] == ' ')
		i++;
	return i;
}

static void row_note(FILE *f, const struct demo_event *e)
{
	const char *s = e->text;
	int first = 1;

	while (*s) {
		size_t n = chunk(s, W_NOTE), shown = n;

		while (shown > 1 && s[shown - 1] == ' ')
			shown--;
		fprintf(f, "%*s  %s %.*s\n", W_TIME, "", first ? "*" : " ",
			(int)shown, s);
		first = 0;
		s += n;
		s += skip_space(s);
	}
}

/* One call, wrapped in its column; the states on its first line. */
static void row_call_raw(FILE *f, const struct demo_event *e, const char *st[2])
{
	const char *s = e->text;
	int first = 1;

	while (*s) {
		size_t n = chunk(s, W_CALL);
		const char *cs = first ? st[0] : "", *ss = first ? st[1] : "";

		if (first)
			fprintf(f, "%*.2f ", W_TIME, e->t_us / 1000.0);
		else
			fprintf(f, "%*s ", W_TIME, "");
		if (e->side == DEMO_CLIENT)
			pad(f, s, n, W_CALL);
		else
			pad(f, "", 0, W_CALL);
		fputc(' ', f);
		pad(f, cs, strlen(cs), W_STATE);
		fputc(' ', f);
		if (e->side == DEMO_SERVER) {
			pad(f, ss, strlen(ss), W_STATE);
			fprintf(f, " %.*s\n", (int)n, s);
		} else {
			fprintf(f, "%s\n", ss);
		}
		first = 0;
		s += n;
		s += skip_space(s);
	}
}

/* The same, without the blanks that end a client's lines. */
static void row_call(FILE *f, const struct demo_event *e, const char *st[2])
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	if (!m)
		return;
	row_call_raw(m, e, st);
	fclose(m);
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		size_t n = strlen(line);

		while (n && line[n - 1] == ' ')
			n--;
		fprintf(f, "%.*s\n", (int)n, line);
	}
	free(buf);
}

const char *demo_wire_label(const struct demo_event *e, char *buf, size_t len)
{
	switch (e->wire) {
	case DEMO_WIRE_SYN:
		return "SYN";
	case DEMO_WIRE_SYN_LOST:
		return _("SYN (dropped)");
	case DEMO_WIRE_RST:
		return "SYN / RST";
	case DEMO_WIRE_FIN:
		return "FIN";
	case DEMO_WIRE_ICMP:
		return _("ICMP port unreachable");
	case DEMO_WIRE_DATA:
		snprintf(buf, len, _("%ld bytes"), e->bytes);
		return buf;
	default:
		return "";
	}
}

int demo_print_text(const struct demo *d, FILE *f)
{
	char last[2][DEMO_STATE_MAX] = { "", "" };

	fprintf(f, _("sock demo %s %s: server at %s\n"),
		sock_addr_kind_name(d->kind), demo_scenario_name(d->scenario),
		d->server_addr);
	fprintf(f, "%*s ", W_TIME, "t(ms)");
	pad(f, _("CLIENT"), strlen(_("CLIENT")), W_CALL);
	fputc(' ', f);
	pad(f, _("state"), strlen(_("state")), W_STATE);
	fputc(' ', f);
	pad(f, _("state"), strlen(_("state")), W_STATE);
	fprintf(f, " %s\n", _("SERVER"));
	for (size_t i = 0; i < d->n; i++) {
		const struct demo_event *e = &d->ev[i];
		const char *st[2] = { "", "" };

		if (e->note) {
			row_note(f, e);
			continue;
		}
		/* a state is shown where it changes */
		for (int s = 0; s < 2; s++)
			if (e->state[s][0] && strcmp(e->state[s], last[s])) {
				st[s] = demo_state_label(e->state[s]);
				strcpy(last[s], e->state[s]);
			}
		row_call(f, e, st);
	}
	if (fflush(f))
		return -errno;
	return 0;
}
