/*
 * tool/scan.c - sock connect -z (see scan.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scan.h"
#include "i18n.h"

int tool_scan_range(const char *w, unsigned long *lo, unsigned long *hi)
{
	char *end;

	if (w[0] < '0' || w[0] > '9')
		return -1;
	*lo = strtoul(w, &end, 10);
	*hi = *lo;
	if (*end == '-' && end[1] >= '0' && end[1] <= '9')
		*hi = strtoul(end + 1, &end, 10);
	if (*end || *lo < 1 || *hi > 65535 || *lo > *hi)
		return -1;
	return 0;
}

/* One place: connect, close, say.  Returns 0 (open), 1 (not open), or
 * minus the exit status to stop with (a bad endpoint, an unknown host:
 * no answer about any port). */
static int probe(const struct sock_global *g, const struct sock_opts *opts,
		 const char *endpoint, const char *host, const char *port)
{
	struct sock_addr addr;
	struct sock_conn c;
	char what[SOCK_ADDR_STR_MAX + 32];
	int ret;

	if (tool_parse_endpoint(endpoint, &addr))
		return -EXIT_USAGE;
	if (tool_check_family("connect", g, &addr, endpoint))
		return -EXIT_USAGE;
	if (host)
		snprintf(what, sizeof(what), _("%s port %s (%s)"), host, port,
			 sock_addr_kind_name(addr.kind));
	else
		snprintf(what, sizeof(what), "%s", endpoint);
	ret = sock_connect(&addr, opts, &c);
	if (!ret) {
		sock_close(c.fd);
		tool_verbosef(g, _("%s open"), what);
		return 0;
	}
	/* A name that does not resolve is no answer about a port. */
	if (ret <= -SOCK_ERR_EAI_BASE || ret == -EAFNOSUPPORT)
		return -tool_fail(N_("connect to"), endpoint, ret);
	tool_verbosef(g, _("%s not open: %s"), what,
		      tool_brief(ret) ? tool_brief(ret) : sock_strerror(ret));
	return 1;
}

static int probe_port(const struct sock_global *g, const struct sock_opts *opts,
		      const struct tool_nc *nc, const char *host,
		      unsigned long port)
{
	char num[8], endpoint[SOCK_ADDR_STR_MAX + 16];
	char *pair[2] = { (char *)host, num };

	snprintf(num, sizeof(num), "%lu", port);
	if (tool_endpoint_words("connect", pair, 2, nc, endpoint,
				sizeof(endpoint)))
		return -EXIT_USAGE;
	return probe(g, opts, endpoint, host, num);
}

/* Every PORT word is checked before the first connect. */
static int count_ports(char **ports, int n)
{
	unsigned long lo, hi, total = 0;

	for (int i = 0; i < n; i++) {
		if (tool_scan_range(ports[i], &lo, &hi))
			return tool_usage_error(
			    "connect",
			    _("-z: bad port '%s' (a port "
			      "1-65535 or a range LOW-HIGH)"),
			    ports[i]);
		total += hi - lo + 1;
		if (total > SCAN_MAX_PORTS)
			return tool_usage_error("connect",
						_("-z: more than %d ports"),
						SCAN_MAX_PORTS);
	}
	return 0;
}

int scan_run(const struct sock_global *g, const struct sock_opts *opts,
	     const struct tool_nc *nc, char **words, int n)
{
	unsigned long lo, hi;
	int closed = 0, ret;

	/* A PORT word that starts with a digit is a port or a range. */
	if (n == 1 || (n == 2 && (words[1][0] < '0' || words[1][0] > '9'))) {
		char endpoint[SOCK_ADDR_STR_MAX + 16];

		/* ENDPOINT, or HOST SERVICE: already checked whole. */
		if (tool_endpoint_words("connect", words, n, nc, endpoint,
					sizeof(endpoint)))
			return EXIT_USAGE;
		ret = probe(g, opts, endpoint, n == 2 ? words[0] : NULL,
			    n == 2 ? words[1] : NULL);
		return ret < 0 ? -ret : ret;
	}
	if (count_ports(words + 1, n - 1))
		return EXIT_USAGE;
	for (int i = 1; i < n; i++) {
		tool_scan_range(words[i], &lo, &hi);
		for (unsigned long p = lo; p <= hi; p++) {
			ret = probe_port(g, opts, nc, words[0], p);
			if (ret < 0)
				return -ret;
			closed |= ret;
		}
	}
	return closed ? EXIT_RUNTIME : EXIT_OK;
}
