/*
 * tool/demo.h - sock demo: a real client and a real server on loopback
 * (or an abstract Unix name), every socket call of both recorded with
 * its time and the kernel's state after it, drawn as one timeline.
 *
 * Both ends run in this one process, one step at a time in a fixed
 * order (the kernel completes a loopback handshake without the server's
 * help), so that two runs give the same rows; only the times differ.
 */
#ifndef SOCK_TOOL_DEMO_H
#define SOCK_TOOL_DEMO_H

#include <stdio.h>

#include <sock/addr.h>

enum demo_side { DEMO_CLIENT, DEMO_SERVER, DEMO_BOTH };

enum demo_scenario {
	DEMO_NORMAL,
	DEMO_REFUSED,
	DEMO_HALF_CLOSE,
	DEMO_STREAM_VS_DGRAM,
	DEMO_BACKLOG,
};

/* What went over the wire, as inferred from a call (not captured). */
enum demo_wire {
	DEMO_WIRE_NONE,
	DEMO_WIRE_SYN,	    /* connect() started a handshake */
	DEMO_WIRE_SYN_LOST, /* ... that the listener dropped */
	DEMO_WIRE_RST,	    /* refused: the answer to a SYN */
	DEMO_WIRE_DATA,	    /* bytes (or a datagram) */
	DEMO_WIRE_FIN,	    /* shutdown(SHUT_WR) or close() */
	DEMO_WIRE_ICMP,	    /* UDP to a closed port: port unreachable */
};

#define DEMO_TEXT_MAX 200
#define DEMO_STATE_MAX 48

/* One row: a call (side CLIENT or SERVER, text = the trace line) or a
 * note (text already translated; side BOTH for both ends). */
struct demo_event {
	long long t_us; /* since the demo started, CLOCK_MONOTONIC */
	enum demo_side side;
	int note;
	int err; /* a call's negative errno, 0 for success */
	char text[DEMO_TEXT_MAX];
	/* Each side's state after the row ("" unknown or not TCP); the
	 * kernel's names, translated when printed. */
	char state[2][DEMO_STATE_MAX];
	enum demo_wire wire;
	long bytes; /* DEMO_WIRE_DATA */
};

struct demo {
	enum sock_kind kind;
	enum demo_scenario scenario;
	struct demo_event *ev;
	size_t n, cap;
	char server_addr[SOCK_ADDR_STR_MAX];
};

/* Run the scenario; d->ev gets the rows.  Returns 0, or a negative
 * errno when the demo itself could not run (no memory, no loopback). */
int demo_run(struct demo *d);

/* The names on the command line. */
const char *demo_scenario_name(enum demo_scenario s);

/* The kernel's name of a state (as in d->ev[].state) in the reader's
 * language. */
const char *demo_state_label(const char *state);

/* The renderings: text (fits 100 columns), SVG, Mermaid.  Return 0 or a
 * negative errno from writing. */
int demo_print_text(const struct demo *d, FILE *f);
int demo_print_svg(const struct demo *d, FILE *f);
int demo_print_mermaid(const struct demo *d, FILE *f);

/* The wire label of a row ("SYN", "5 bytes"), in buf; "" for none. */
const char *demo_wire_label(const struct demo_event *e, char *buf, size_t len);

#endif
