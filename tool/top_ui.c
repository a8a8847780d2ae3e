/*
 * tool/top_ui.c - sock top's full-screen view: the loop that polls the
 * model every interval and reads keys in between, and what each key
 * does (htop's and iftop's conventions; the help page lists them).
 * The terminal is given back on q, on SIGINT, SIGTERM and SIGHUP, and
 * on any exit() while the view is up.
 */
#define NCURSES_WIDECHAR 1
#include <curses.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <netinet/in.h>

#include "cmd.h"
#include "i18n.h"
#include "top_ui.h"

volatile sig_atomic_t ui_stop;

static void on_signal(int sig)
{
	ui_stop = sig;
}

static int curses_up;

static void restore_terminal(void)
{
	if (curses_up && !isendwin())
		endwin();
}

/* SIGINT, SIGTERM, SIGHUP end the loop (poll() returns EINTR): set
 * before ncurses starts, so that it does not install its own. */
static void catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

static void take_poll(struct ui *u)
{
	int err = top_model_poll(u->m, top_model_now());

	u->polled_at = time(NULL);
	if (err && err != u->poll_err)
		ui_message(u, 1, _("cannot read the sockets: %s"),
			   strerror(-err));
	u->poll_err = err;
	if (ui_rows_build(u))
		ui_message(u, 1, "%s", strerror(ENOMEM));
}

static void move_to(struct ui *u, long to)
{
	if (to < 0 || !u->nrows)
		to = 0;
	if ((size_t)to >= u->nrows)
		to = u->nrows ? (long)u->nrows - 1 : 0;
	u->sel = (size_t)to;
	ui_rows_note_selection(u);
}

static int move_key(struct ui *u, int c)
{
	long page = ui_table_lines(u) > 1 ? ui_table_lines(u) - 1 : 1;
	long sel = (long)u->sel;

	switch (c) {
	case KEY_UP:
		move_to(u, sel - 1);
		return 1;
	case KEY_DOWN:
		move_to(u, sel + 1);
		return 1;
	case KEY_PPAGE:
		move_to(u, sel - page);
		return 1;
	case KEY_NPAGE:
		move_to(u, sel + page);
		return 1;
	case KEY_HOME:
		move_to(u, 0);
		return 1;
	case KEY_END:
		move_to(u, (long)u->nrows - 1);
		return 1;
	}
	return 0;
}

static void search_live(struct ui *u, const char *text)
{
	long at;

	snprintf(u->search, sizeof(u->search), "%s", text);
	at = ui_rows_find(u, u->sel);
	if (at >= 0)
		move_to(u, at);
}

static void search(struct ui *u, int next)
{
	char buf[sizeof(u->search)];
	long at;

	if (next) {
		at = ui_rows_find(u, u->sel + 1);
		if (at >= 0)
			move_to(u, at);
		else
			ui_message(u, 1, _("no match for \"%s\""), u->search);
		return;
	}
	if (!ui_prompt(u, _("Search: "), NULL, buf, sizeof(buf), search_live))
		u->search[0] = '\0';
	else if (buf[0] && ui_rows_find(u, u->sel) < 0)
		ui_message(u, 1, _("no match for \"%s\""), buf);
}

static void ask_filter(struct ui *u)
{
	char buf[512], err[256];

	if (!ui_prompt(u, _("Filter: "), top_model_filter(u->m), buf,
		       sizeof(buf), NULL))
		return;
	if (top_model_set_filter(u->m, buf, err, sizeof(err))) {
		ui_message(u, 1, _("filter not changed: %s"), err);
		return;
	}
	take_poll(u);
	if (buf[0])
		ui_message(u, 0, _("filter: %s"), buf);
	else
		ui_message(u, 0, "%s", _("no filter"));
}

static void sort_by(struct ui *u, int step)
{
	int c = (int)u->sort;

	do
		c = (c + step + COL_MAX) % COL_MAX;
	while ((u->tree && c == COL_PROG) || (!u->has_ns && c == COL_NETNS));
	u->sort = (enum ui_col)c;
	ui_rows_build(u);
}

/* s: move the sort column with the arrows (or < >), Enter keeps it. */
static void choose_sort(struct ui *u)
{
	timeout(UI_WAIT_MS);
	while (!ui_stop) {
		int c;

		ui_message(u, 0,
			   _("sort by %s: Left/Right to choose, Enter to "
			     "keep"),
			   ui_col_title(u->sort));
		ui_draw(u);
		c = getch();
		if (c == KEY_LEFT || c == '<')
			sort_by(u, -1);
		else if (c == KEY_RIGHT || c == '>')
			sort_by(u, 1);
		else if (c == ERR)
			ui_tick(u);
		else if (c != KEY_RESIZE)
			break;
	}
	u->msg_until = 0;
	timeout(0);
}

static int kill_refused(struct ui *u, const struct top_sock *s)
{
	if (s->closed)
		ui_message(u, 1, _("that socket is closed already"));
	else if (s->family == AF_UNIX)
		ui_message(u, 1,
			   _("Unix sockets cannot be killed (only TCP, "
			     "UDP and raw ones)"));
	else if (s->protocol == IPPROTO_UDP &&
		 s->state != SOCK_DIAG_ESTABLISHED)
		ui_message(u, 1,
			   _("an unconnected UDP socket is not killed: "
			     "its port would be freed"));
	else
		return 0;
	return 1;
}

static void kill_result(struct ui *u, int err, const char *what)
{
	if (!err)
		ui_message(u, 0, _("killed %s"), what);
	else if (err == -EPERM)
		ui_message(u, 1,
			   _("cannot kill: destroying sockets needs "
			     "CAP_NET_ADMIN"));
	else if (err == -EOPNOTSUPP)
		ui_message(u, 1,
			   _("cannot kill: this kernel cannot destroy "
			     "sockets (CONFIG_INET_DIAG_DESTROY)"));
	else if (err == -ENOENT || err == -ESTALE)
		ui_message(u, 1, _("%s was gone already"), what);
	else
		ui_message(u, 1, _("cannot kill %s: %s"), what, strerror(-err));
}

static void kill_selected(struct ui *u)
{
	const struct top_sock *s;
	char what[256], q[320];
	uint64_t cookie;

	if (u->sel >= u->nrows || !u->rows[u->sel].s) {
		ui_message(u, 1, _("select a socket (not a process) to kill"));
		return;
	}
	s = u->rows[u->sel].s;
	if (kill_refused(u, s))
		return;
	snprintf(what, sizeof(what), "%s %s -> %s", s->proto, s->local,
		 s->remote);
	cookie = s->cookie;
	snprintf(q, sizeof(q), _("Kill %s? (y/n) "), what);
	if (!ui_confirm(u, q)) {
		ui_message(u, 0, _("not killed"));
		return;
	}
	kill_result(u, top_model_kill(u->m, cookie), what);
	take_poll(u);
}

static void toggle(struct ui *u, int c)
{
	switch (c) {
	case 't':
		u->tree = !u->tree;
		if (u->tree && u->sort == COL_PROG)
			u->sort = COL_RXRATE;
		break;
	case 'r':
		u->reverse = !u->reverse;
		break;
	case 'n':
		u->numeric = !u->numeric;
		top_model_set_numeric(u->m, u->numeric);
		break;
	}
	ui_rows_build(u);
}

/* The tree's keys: + and Right unfold, - and Left fold, Enter and
 * space switch; 1 when c was one. */
static int fold_key(struct ui *u, int c)
{
	if (c == '+' || c == KEY_RIGHT)
		ui_rows_fold(u, 0);
	else if (c == '-' || c == KEY_LEFT)
		ui_rows_fold(u, 1);
	else if (c == '\n' || c == '\r' || c == ' ' || c == KEY_ENTER) {
		if (u->sel < u->nrows && !u->rows[u->sel].s)
			ui_rows_fold(u, !u->rows[u->sel].p->collapsed);
	} else
		return 0;
	ui_rows_build(u);
	return 1;
}

/* The keys that ask something or act on the machine. */
static void action_key(struct ui *u, int c)
{
	if (c == 'h' || c == '?' || c == KEY_F(1))
		ui_help(u);
	else if (c == '/' || c == KEY_F(3))
		search(u, c == KEY_F(3));
	else if (c == 'f' || c == '\\')
		ask_filter(u);
	else if (c == 's')
		choose_sort(u);
	else if (c == 'k')
		kill_selected(u);
	else if (c == 'p') {
		u->paused = !u->paused;
		if (!u->paused)
			take_poll(u);
	}
}

/* One key; returns 1 to quit. */
static int key(struct ui *u, int c)
{
	if (c == 'q' || c == 'Q' || c == KEY_F(10))
		return 1;
	if (move_key(u, c) || fold_key(u, c))
		return 0;
	if (c == '<' || c == '>')
		sort_by(u, c == '<' ? -1 : 1);
	else if (c == 't' || c == 'r' || c == 'n')
		toggle(u, c);
	else
		action_key(u, c);
	return 0;
}

/* Milliseconds until the next thing to do: a poll, a message to clear. */
static int wait_ms(const struct ui *u)
{
	double now = top_model_now(),
	       until = u->paused ? now + 1 : u->next_poll;

	if (u->msg_until > now && u->msg_until < until)
		until = u->msg_until + 0.01;
	return until > now ? (int)((until - now) * 1000) + 1 : 0;
}

/* Wait for a key, a destroy message or the next poll; returns 1 on q. */
int ui_tick(struct ui *u)
{
	double interval = u->o->interval_ms / 1000.0;

	if (u->paused || top_model_now() < u->next_poll)
		return 0;
	take_poll(u);
	u->next_poll += interval;
	if (u->next_poll < top_model_now())
		u->next_poll = top_model_now() + interval;
	return 1;
}

static int step(struct ui *u)
{
	/* paused: the destroy messages wait in their socket */
	struct pollfd p[2] = { { STDIN_FILENO, POLLIN, 0 },
			       { u->paused ? -1 : top_model_fd(u->m), POLLIN,
				 0 } };
	int c;

	if (poll(p, 2, wait_ms(u)) < 0 && errno != EINTR)
		return -1;
	if (p[0].revents & (POLLHUP | POLLERR | POLLNVAL))
		return -1; /* the terminal is gone */
	if (p[1].revents & POLLIN) {
		top_model_pump(u->m, top_model_now());
		ui_rows_build(u);
	}
	while (!ui_stop && (c = getch()) != ERR)
		if (key(u, c))
			return 1;
	ui_tick(u);
	return 0;
}

/* A terminal without cursor addressing (TERM=dumb) cannot hold a table. */
static int can_place_cursor(void)
{
	char *cup = tigetstr("cup");

	return cup && cup != (char *)-1;
}

static void start_screen(struct ui *u)
{
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	curs_set(0);
	set_escdelay(25);
	/* keys are read when poll() says so (a prompt waits in getch(),
	 * UI_WAIT_MS at a time, to see a signal's flag) */
	timeout(0);
	/* -C and NO_COLOR (top.c reads it into no_color) */
	u->color = !u->o->no_color && has_colors();
}

static int loop(struct ui *u)
{
	int r = 0;

	take_poll(u);
	u->next_poll = top_model_now() + u->o->interval_ms / 1000.0;
	while (!ui_stop && !r) {
		ui_draw(u);
		r = step(u);
	}
	return r < 0 ? EXIT_RUNTIME : EXIT_OK;
}

int tool_top_ui_run(struct top_model *m, const struct top_opts *o)
{
	struct ui u = { .m = m, .o = o, .tree = 1, .sort = COL_RXRATE };
	SCREEN *scr;
	int st;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		tool_errorf(_("top: the full-screen view needs a terminal "
			      "(-b prints text snapshots)"));
		return EXIT_USAGE;
	}
	catch_signals();
	scr = newterm(NULL, stdout, stdin);
	if (scr && !can_place_cursor()) {
		endwin();
		delscreen(scr);
		scr = NULL;
	}
	if (!scr) {
		tool_errorf(_("top: cannot drive this terminal (TERM=%s); -b "
			      "prints text snapshots"),
			    getenv("TERM") ? getenv("TERM") : "");
		return EXIT_RUNTIME;
	}
	curses_up = 1;
	atexit(restore_terminal);
	u.numeric = o->numeric;
	start_screen(&u);
	st = loop(&u);
	endwin();
	curses_up = 0;
	delscreen(scr);
	ui_rows_free(&u);
	/* a signal asks to stop, as q does (and as without a terminal) */
	return ui_stop ? EXIT_OK : st;
}
