/*
 * tool/top_out.h - sock top without a terminal: batch snapshots,
 * --jsonl objects and --events lines (tool/top_out.c).
 */
#ifndef SOCK_TOOL_TOP_OUT_H
#define SOCK_TOOL_TOP_OUT_H

#include <stdio.h>

#include "top_model.h"

struct top_out {
	FILE *f;
	const struct top_opts *o;
	long events; /* written so far */
	int done;    /* --count events reached */
	int err;     /* the first write error, negative errno */
};

/* One refresh: a batch snapshot, or the --jsonl lines; 0 or -errno. */
int top_out_refresh(struct top_out *out, const struct top_model *m);

/* --events' first line, after the first poll: what is watched and
 * where closed sockets come from. */
void top_out_start(struct top_out *out, const struct top_model *m);

/* An event as a line or a JSON object, flushed (arg: a struct top_out). */
void top_out_event(const struct top_event *ev, void *arg);

/* "2026-11-30T03:50:12.123Z" for a time on top_model_now()'s clock. */
void top_out_time(char *buf, size_t size, double mono);

#endif
