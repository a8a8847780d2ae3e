/*
 * tool/scan.h - sock connect -z: is anything listening there?
 */
#ifndef SOCK_TOOL_SCAN_H
#define SOCK_TOOL_SCAN_H

#include <sock/sock.h>

#include "cmd.h"

/* The most ports one -z command tests: every port once. */
#define SCAN_MAX_PORTS 65535

/* Connect to each place the words name (ENDPOINT, or HOST PORT... with
 * ranges LOW-HIGH) and close at once; -v says "open" or why not for
 * each.  Returns EXIT_OK when every one accepted, EXIT_RUNTIME when one
 * did not, EXIT_USAGE for bad words (said). */
/* "22" or "20-25" into lo..hi (1 to 65535, lo <= hi); -1 when it is
 * neither. */
int tool_scan_range(const char *w, unsigned long *lo, unsigned long *hi);

int scan_run(const struct sock_global *g, const struct sock_opts *opts,
	     const struct tool_nc *nc, char **words, int n);

#endif
