/*
 * tool/top_ui_line.c - sock top's status line (messages, prompts, a
 * yes/no question) and the cell and number formats of the table.  Cells
 * are measured in display cells (tool_display_width()), not bytes: a
 * process name or a translated word may hold wide characters.
 */
#define NCURSES_WIDECHAR 1
#include <curses.h>
#include <langinfo.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "i18n.h"
#include "top_ui.h"

#define MSG_SECONDS 4.0
#define KEY_ESC 27

void ui_message(struct ui *u, int error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(u->msg, sizeof(u->msg), fmt, ap);
	va_end(ap);
	u->msg_error = error;
	u->msg_until = top_model_now() + MSG_SECONDS;
}

/* "…" where the terminal's character set has it. */
static const char *ellipsis(void)
{
	static const char *e;

	if (!e)
		e = strcmp(nl_langinfo(CODESET), "UTF-8") ? "~"
							  : "\xe2\x80\xa6";
	return e;
}

/* Bytes of s that fit in width cells. */
static size_t fit(const char *s, size_t len, int width)
{
	size_t n = 0;

	while (n < len) {
		size_t k = 1;

		while (n + k < len && ((unsigned char)s[n + k] & 0xc0) == 0x80)
			k++;
		if (tool_display_width(s, n + k) > width)
			break;
		n += k;
	}
	return n;
}

void ui_put_cell(int y, int x, int width, const char *s, int right)
{
	size_t len = strlen(s);
	int w = tool_display_width(s, len);

	if (width <= 0)
		return;
	move(y, x);
	if (w > width) {
		size_t n = fit(s, len, width - 1);

		addnstr(s, (int)n);
		addstr(ellipsis());
		for (w = tool_display_width(s, n) + 1; w < width; w++)
			addch(' ');
		return;
	}
	for (int i = 0; right && i < width - w; i++)
		addch(' ');
	addnstr(s, (int)len);
	for (int i = 0; !right && i < width - w; i++)
		addch(' ');
}

void ui_put_addr(int y, int x, int width, const char *s)
{
	const char *port = strrchr(s, ':');
	size_t len = strlen(s), head;
	int pw;

	if (tool_display_width(s, len) <= width || !port) {
		ui_put_cell(y, x, width, s, 0);
		return;
	}
	pw = tool_display_width(port, strlen(port));
	if (pw + 2 > width) {
		ui_put_cell(y, x, width, s, 0);
		return;
	}
	/* the host's start, an ellipsis, the port: "[2001:db8:…]:443" */
	head = fit(s, (size_t)(port - s), width - pw - 1);
	move(y, x);
	addnstr(s, (int)head);
	addstr(ellipsis());
	addstr(port);
	for (int w = tool_display_width(s, head) + 1 + pw; w < width; w++)
		addch(' ');
}

/* The status line with prompt and text, the cursor after it. */
static void draw_prompt(struct ui *u, const char *prompt, const char *text)
{
	int y = u->lines - 1, pw = tool_display_width(prompt, strlen(prompt));
	int room = u->cols - pw - 1;
	size_t len = strlen(text), from = 0;

	/* the text's end stays in view */
	while (from < len && tool_display_width(text + from, len - from) > room)
		from++;
	while (from < len && ((unsigned char)text[from] & 0xc0) == 0x80)
		from++;
	move(y, 0);
	clrtoeol();
	attron(A_BOLD);
	addstr(prompt);
	attroff(A_BOLD);
	addstr(text + from);
	curs_set(1);
	refresh();
}

/* Drop the last character (UTF-8) of buf. */
static void erase_last(char *buf)
{
	size_t n = strlen(buf);

	while (n && ((unsigned char)buf[n - 1] & 0xc0) == 0x80)
		n--;
	if (n)
		n--;
	buf[n] = '\0';
}

/* One key of a prompt: 1 accept, -1 cancel, 0 go on (buf edited). */
static int prompt_key(int c, char *buf, size_t size)
{
	size_t n = strlen(buf);

	switch (c) {
	case '\n':
	case '\r':
	case KEY_ENTER:
		return 1;
	case KEY_ESC:
		return -1;
	case KEY_BACKSPACE:
	case 127:
	case 8:
		erase_last(buf);
		return 0;
	case 21: /* ^U */
		buf[0] = '\0';
		return 0;
	}
	if (c >= 32 && c < 256 && c != 127 && n + 1 < size) {
		buf[n] = (char)c;
		buf[n + 1] = '\0';
	}
	return 0;
}

int ui_prompt(struct ui *u, const char *prompt, const char *init, char *buf,
	      size_t size, void (*live)(struct ui *u, const char *text))
{
	int r = 0;

	snprintf(buf, size, "%s", init ? init : "");
	timeout(UI_WAIT_MS);
	while (!r && !ui_stop) {
		int c;

		draw_prompt(u, prompt, buf);
		c = getch();
		if (c == ERR) {
			/* a timeout: refresh if due, look at ui_stop again */
			if (ui_tick(u))
				ui_draw(u);
			continue;
		}
		if (c == KEY_RESIZE) {
			ui_draw(u);
			continue;
		}
		r = prompt_key(c, buf, size);
		if (!r && live) {
			live(u, buf);
			ui_draw(u);
		}
	}
	curs_set(0);
	timeout(0);
	return r == 1;
}

int ui_confirm(struct ui *u, const char *question)
{
	int yes = 0;

	timeout(UI_WAIT_MS);
	while (!ui_stop) {
		int c;

		draw_prompt(u, question, "");
		c = getch();
		if (c == ERR) {
			if (ui_tick(u))
				ui_draw(u);
			continue;
		}
		if (c == KEY_RESIZE) {
			ui_draw(u);
			continue;
		}
		/* TRANSLATORS: the key that answers yes to sock top's
		 * questions ("y" in English, "s" in Spanish). */
		yes = c == 'y' || c == 'Y' || c == *_("y");
		break;
	}
	curs_set(0);
	timeout(0);
	return yes;
}
