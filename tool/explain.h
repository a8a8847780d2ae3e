/*
 * tool/explain.h - --explain: plain sentences for learners about what a
 * listed socket means, what an endpoint is, and what to check after an
 * error.  Every sentence is translated; machine output is not touched
 * except for the "explain" key of sock list --json --explain.
 */
#ifndef SOCK_TOOL_EXPLAIN_H
#define SOCK_TOOL_EXPLAIN_H

#include <stddef.h>

#include <sock/diag.h>

#include "cmd.h"

/* The global --explain flag: tool_fail() then adds what to check next. */
void tool_explain_enable(void);
int tool_explain_enabled(void);

/* One sentence about what a listed socket means (its reach, state and
 * queues) into buf; d may be NULL for an inet socket. */
void tool_explain_socket(char *buf, size_t len, const struct sock_diag *d,
			 const struct sock_diag_entry *e);

/* After an error line: one or two indented lines on stderr of what to
 * check next for err on endpoint, when --explain is on. */
void tool_explain_next(const char *action, const char *endpoint, int err);

/* sock explain ENDPOINT */
int cmd_explain(int argc, char **argv, struct sock_global *g);

#endif
