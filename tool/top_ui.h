/*
 * tool/top_ui.h - what the files of sock top's full-screen view share:
 * the view's state, its columns and rows (top_ui_rows.c), drawing
 * (top_ui_draw.c) and the one-line prompts and messages (top_ui_line.c).
 * The run loop and the keys are in top_ui.c.  The model (top_model.h)
 * is only read here, except through its own calls (filter, kill,
 * numeric).
 */
#ifndef SOCK_TOOL_TOP_UI_H
#define SOCK_TOOL_TOP_UI_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "top_model.h"

/* The table's columns, in the order they are drawn. */
enum ui_col {
	COL_PROTO,
	COL_LOCAL,
	COL_REMOTE,
	COL_STATE,
	COL_AGE,
	COL_RECVQ,
	COL_SENDQ,
	COL_TXRATE,
	COL_RXRATE,
	COL_TX,
	COL_RX,
	COL_RETR,
	COL_RTT,
	COL_LIMIT,
	COL_NETNS, /* only when more than one namespace is watched */
	COL_PROG,
	COL_MAX,
};

/* A process's sockets added up (a tree row); pid 0 gathers the sockets
 * with no known owner. */
struct ui_proc {
	int pid;
	const char *comm;
	size_t nsock, first; /* its sockets: ui.socks[first..first+nsock) */
	int has_bytes;	     /* some socket has byte counters */
	int collapsed;
	double tx_rate, rx_rate, retrans_rate, age;
	uint64_t tx_bytes, rx_bytes, recv_q, send_q;
	uint32_t rtt_us; /* the largest of its sockets' */
};

/* A line of the table: a process (tree) or a socket. */
struct ui_row {
	const struct top_sock *s; /* NULL for a process row */
	const struct ui_proc *p;  /* the socket's process in the tree */
	int last;		  /* the process's last socket (tree) */
};

struct ui {
	struct top_model *m;
	const struct top_opts *o;
	int tree, paused, numeric, color, reverse;
	enum ui_col sort;
	/* what the model holds, grouped and sorted */
	const struct top_sock **socks;
	size_t nsocks;
	int has_ns; /* some socket names its namespace */
	struct ui_proc *procs;
	size_t nprocs;
	struct ui_row *rows;
	size_t nrows;
	/* processes the user collapsed, by pid (kept across polls) */
	int *folded;
	size_t nfolded;
	/* the selection, kept by identity across polls */
	size_t sel, top;
	uint64_t sel_cookie;
	int sel_pid, sel_is_proc;
	char search[64];
	/* the status line: a message until msg_until, else the key hints */
	char msg[256];
	double msg_until;
	int msg_error;
	int poll_err;	  /* the last poll's error (negative errno), 0 */
	time_t polled_at; /* the wall clock of the last poll (header) */
	double next_poll; /* when the next poll is due (model time) */
	int lines, cols;
};

/* Set by SIGINT, SIGTERM and SIGHUP: the view ends (top_ui.c). */
extern volatile sig_atomic_t ui_stop;

/* ---- top_ui_rows.c ------------------------------------------------ */

/* Rebuild u's rows from the model (after a poll, a sort or a toggle);
 * keeps the selection on the same socket or process when it is still
 * there.  Returns 0 or -ENOMEM. */
int ui_rows_build(struct ui *u);
void ui_rows_free(struct ui *u);

/* Collapse or expand the process of the selected row (tree). */
void ui_rows_fold(struct ui *u, int fold);

/* Remember which row is selected (after moving). */
void ui_rows_note_selection(struct ui *u);

/* The next row from the selection on (wrapping) whose text has the
 * search string, or -1. */
long ui_rows_find(const struct ui *u, size_t from);

/* ---- top_ui_draw.c ------------------------------------------------ */

/* A column's title in the user's language. */
const char *ui_col_title(enum ui_col c);

/* Draw everything (header, table, status line) and refresh. */
void ui_draw(struct ui *u);

/* How many table rows fit on the screen. */
int ui_table_lines(const struct ui *u);

/* The help page; returns after a key. */
void ui_help(struct ui *u);

/* Poll the model when it is due (not paused): 1 when it did (the rows
 * were rebuilt).  Prompts call it between keys, so the table goes on
 * refreshing behind them (top_ui.c). */
int ui_tick(struct ui *u);

/* How long a prompt's getch() waits before looking at ui_stop (the
 * main loop reads keys without waiting: timeout(0)). */
#define UI_WAIT_MS 200

/* ---- top_ui_line.c ------------------------------------------------ */

/* A message on the status line for a few seconds. */
void ui_message(struct ui *u, int error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Read a line on the status line after prompt, starting from init
 * (NULL: empty); each change is passed to live (NULL: none).  Returns 1
 * with the text in buf on Enter, 0 on Escape. */
int ui_prompt(struct ui *u, const char *prompt, const char *init, char *buf,
	      size_t size, void (*live)(struct ui *u, const char *text));

/* A yes/no question on the status line: 1 for y. */
int ui_confirm(struct ui *u, const char *question);

/* Draw s at (y, x) in exactly width cells: cut (an ellipsis marks it)
 * or padded, right-aligned when right. */
void ui_put_cell(int y, int x, int width, const char *s, int right);

/* An address in width cells: when it does not fit, the middle is cut
 * and the port kept ("[2001:db8:…]:443"). */
void ui_put_addr(int y, int x, int width, const char *s);

/* ---- top_ui_fmt.c ------------------------------------------------- */

/* Human units, at most three digits: "999", "1.5K", "12M", "977K"
 * (powers of 1024) into buf. */
void ui_fmt_size(char *buf, size_t size, double v);

/* An age: "12s", "5m03", "2h10", "3d04". */
void ui_fmt_age(char *buf, size_t size, double secs);

#endif
