/*
 * tool/words.c - the spellings nc and socat users type first, turned
 * into sock's endpoint or into a hint naming sock's own spelling.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cmd.h"
#include "i18n.h"

static int all_digits(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

/* A port number or a service name ("http"), nothing else. */
static int port_word(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_')
			return 0;
	return 1;
}

static int has_scheme(const char *w)
{
	return strstr(w, "://") ||
	       (!strncasecmp(w, "unix", 4) && strchr(w, ':'));
}

/* HOST and PORT as one endpoint; an IPv6 literal gets its brackets. */
static int join(const char *cmd, const char *scheme, const char *host,
		const char *port, char *buf, size_t len)
{
	int v6 = strchr(host, ':') && host[0] != '[';
	int n;

	if (!port_word(port))
		return tool_usage_error(cmd,
					_("'%s' is not a port (a number "
					  "or a service name)"),
					port);
	n = snprintf(buf, len, "%s%s%s%s:%s", scheme, v6 ? "[" : "", host,
		     v6 ? "]" : "", port);
	if (n < 0 || (size_t)n >= len)
		return tool_usage_error(cmd, _("endpoint too long"));
	return 0;
}

static int unix_word(const char *cmd, const char *w, const struct tool_nc *nc,
		     char *buf, size_t len)
{
	int n;

	if (has_scheme(w))
		return tool_usage_error(cmd,
					_("-U takes a path, and '%s' names its "
					  "own kind of socket"),
					w);
	n = snprintf(buf, len, "%s%s", nc->udp ? "unix-dgram:" : "unix:", w);
	if (n < 0 || (size_t)n >= len)
		return tool_usage_error(cmd, _("endpoint too long"));
	return 0;
}

static int one_word(const char *cmd, const char *w, const struct tool_nc *nc,
		    char *buf, size_t len)
{
	const char *scheme = nc->udp ? "udp://" : "";
	int n;

	if (nc->unix_path)
		return unix_word(cmd, w, nc, buf, len);
	if (all_digits(w) && strcmp(cmd, "listen"))
		return tool_usage_error(
		    cmd,
		    _("'%s' is only a port; name the host too: %slocalhost:%s "
		      "(or: sock %s %slocalhost %s)"),
		    w, scheme, w, cmd, nc->udp ? "-u " : "", w);
	if (all_digits(w))
		return join(cmd, scheme, "", w, buf, len);
	if (nc->udp && has_scheme(w))
		return tool_usage_error(cmd,
					_("-u turns HOST:PORT into "
					  "udp://HOST:PORT, and '%s' names its "
					  "own kind of socket"),
					w);
	n = snprintf(buf, len, "%s%s", scheme, w);
	if (n < 0 || (size_t)n >= len)
		return tool_usage_error(cmd, _("endpoint too long"));
	return 0;
}

int tool_endpoint_words(const char *cmd, char **words, int n,
			const struct tool_nc *nc, char *buf, size_t len)
{
	const char *scheme = nc->udp ? "udp://" : "";

	if (nc->port && nc->unix_path)
		return tool_usage_error(cmd, _("-p names a port and -U a path: "
					       "give one of them"));
	if (nc->port && n <= 1)
		return join(cmd, scheme, n ? words[0] : "", nc->port, buf, len);
	if (n == 1)
		return one_word(cmd, words[0], nc, buf, len);
	if (n == 2 && !nc->port && !nc->unix_path)
		return join(cmd, scheme, words[0], words[1], buf, len);
	return tool_usage_error(cmd, _("needs one ENDPOINT (or HOST PORT)"));
}

/* ---- socat's address syntax ----------------------------------------- */

/* What a socat address type becomes in sock. */
struct socat_type {
	const char *name; /* socat's word, before the first ':' */
	const char *cmd;  /* "connect" or "listen" */
	const char *flag; /* "-4 ", "-6 " or "" */
	const char *pre;  /* what goes before the rest: "udp://", ":" */
	int port_only;	  /* the rest is PORT (a listen) */
};

static const struct socat_type types[] = {
	{ "TCP", "connect", "", "", 0 },
	{ "TCP4", "connect", "-4 ", "", 0 },
	{ "TCP6", "connect", "-6 ", "", 0 },
	{ "TCP-CONNECT", "connect", "", "", 0 },
	{ "TCP4-CONNECT", "connect", "-4 ", "", 0 },
	{ "TCP6-CONNECT", "connect", "-6 ", "", 0 },
	{ "TCP-LISTEN", "listen", "", ":", 1 },
	{ "TCP-L", "listen", "", ":", 1 },
	{ "TCP4-LISTEN", "listen", "-4 ", ":", 1 },
	{ "TCP6-LISTEN", "listen", "-6 ", ":", 1 },
	{ "UDP", "connect", "", "udp://", 0 },
	{ "UDP4", "connect", "-4 ", "udp://", 0 },
	{ "UDP6", "connect", "-6 ", "udp://", 0 },
	{ "UDP-CONNECT", "connect", "", "udp://", 0 },
	{ "UDP-SENDTO", "connect", "", "udp://", 0 },
	{ "UDP-LISTEN", "listen", "", "udp://:", 1 },
	{ "UDP-L", "listen", "", "udp://:", 1 },
	{ "UDP4-LISTEN", "listen", "-4 ", "udp://:", 1 },
	{ "UDP6-LISTEN", "listen", "-6 ", "udp://:", 1 },
	{ "UDP-RECVFROM", "listen", "", "udp://:", 1 },
	{ "UDP-RECV", "listen", "", "udp://:", 1 },
	{ "UNIX", "connect", "", "unix:", 0 },
	{ "UNIX-CONNECT", "connect", "", "unix:", 0 },
	{ "UNIX-CLIENT", "connect", "", "unix:", 0 },
	{ "UNIX-LISTEN", "listen", "", "unix:", 0 },
	{ "UNIX-L", "listen", "", "unix:", 0 },
	{ "UNIX-SENDTO", "connect", "", "unix-dgram:", 0 },
	{ "UNIX-RECVFROM", "listen", "", "unix-dgram:", 0 },
	{ "UNIX-RECV", "listen", "", "unix-dgram:", 0 },
	{ "ABSTRACT-CONNECT", "connect", "", "unix:@", 0 },
	{ "ABSTRACT-CLIENT", "connect", "", "unix:@", 0 },
	{ "ABSTRACT-LISTEN", "listen", "", "unix:@", 0 },
};

#define NTYPES (sizeof(types) / sizeof(types[0]))

/* The words that mean stdin/stdout in socat: sock needs none. */
static int socat_stdio(const char *text)
{
	static const char *const words[] = { "STDIO", "STDIN", "STDOUT",
					     "STDERR" };

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strcasecmp(text, words[i]))
			return 1;
	return 0;
}

/* socat's ",fork" among the options after the address. */
static int has_fork(const char *opts)
{
	char copy[256];

	snprintf(copy, sizeof(copy), "%s", opts);
	for (char *save, *o = strtok_r(copy, ",", &save); o;
	     o = strtok_r(NULL, ",", &save))
		if (!strcasecmp(o, "fork"))
			return 1;
	return 0;
}

int tool_socat_hint(const char *text, char *buf, size_t len)
{
	const char *colon = strchr(text, ':'), *rest, *opts;
	const struct socat_type *t = NULL;

	if (socat_stdio(text)) {
		snprintf(buf, len,
			 _("sock connect HOST:PORT (stdin/stdout is "
			   "always the other side: there is no word "
			   "for it)"));
		return 0;
	}
	if (!colon)
		return -1;
	for (size_t i = 0; i < NTYPES && !t; i++)
		if ((size_t)(colon - text) == strlen(types[i].name) &&
		    !strncasecmp(text, types[i].name, strlen(types[i].name)))
			t = &types[i];
	if (!t)
		return -1;
	rest = colon + 1;
	/* "tcp://..." and "tcp:/..." are sock's own spelling, mistyped or
	 * not: socat's Internet addresses never start with a slash. */
	if (*rest == '/' && (strncmp(t->pre, "unix", 4) || rest[1] == '/'))
		return -1;
	opts = strchr(rest, ',');
	if (!opts)
		opts = rest + strlen(rest);
	snprintf(buf, len, "sock %s %s%s%s%.*s", t->cmd,
		 !strcmp(t->cmd, "listen") && has_fork(opts) ? "-k " : "",
		 t->flag, t->pre, (int)(opts - rest), rest);
	return 0;
}
