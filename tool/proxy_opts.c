/*
 * tool/proxy_opts.c - --proxy for connect and relay: the option, the
 * password (never from the command line, where ps shows it), and a
 * plain-words sentence for every SOCKS reply and HTTP status.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sock/sock.h>

#include "i18n.h"
#include "proxy.h"

/* What lib/proxy_parse.c says is wrong with a --proxy text, listed so
 * that the catalog has it. */
static const char *const proxy_reasons[] = {
	N_("want socks5://[USER@]HOST:PORT, socks4a://... or http://..."),
	N_("a password in the proxy address would show in ps: give it in "
	   "SOCK_PROXY_PASSWORD or --proxy-auth-file"),
	N_("the user name is empty or longer than 255 bytes"),
	N_("the proxy's host name is too long"),
	N_("the proxy needs a host"),
};

static const char *reason_words(const char *why)
{
	for (size_t i = 0; i < sizeof(proxy_reasons) / sizeof(*proxy_reasons);
	     i++)
		if (!strcmp(why, proxy_reasons[i]))
			return _(why);
	return tool_addr_reason(why);
}

int tool_proxy_option(const char *cmd, int c, const char *arg,
		      struct tool_proxy_opts *o)
{
	if (c == 0x200)
		o->url = arg;
	else if (c == 0x201)
		o->auth_file = arg;
	else if (c == 0x202 &&
		 (!strcmp(arg, "local") || !strcmp(arg, "remote")))
		o->dns_local = !strcmp(arg, "local");
	else if (c == 0x202)
		return tool_usage_error(cmd,
					_("bad --proxy-dns '%s' (local or "
					  "remote)"),
					arg);
	else
		return 0;
	return 1;
}

/* --proxy-dns local: the target's first address, as text, goes to the
 * proxy (SOCKS4a: an IPv4 one). */
static int resolve_here(struct tool_proxy_opts *o, const struct sock_addr *to,
			const char *text, int family)
{
	struct sock_opts so = { .family = family };
	struct sock_target t;
	char at[SOCK_ADDR_STR_MAX];
	int ret;

	if (o->p.type == SOCK_PROXY_SOCKS4A && !family)
		so.family = AF_INET;
	ret = sock_resolve(to, &so, &t);
	if (ret)
		return tool_fail(N_("resolve"), text, ret);
	ret = sock_addr_format_sa((const struct sockaddr *)&t.addrs[0].sa,
				  t.addrs[0].len, at, sizeof(at));
	sock_target_free(&t);
	if (ret < 0)
		return tool_fail(N_("resolve"), text, ret);
	/* "192.0.2.1:80" or "[2001:db8::1]:80": the address only */
	*strrchr(at, ':') = '\0';
	snprintf(o->host, sizeof(o->host), "%.*s",
		 (int)strlen(at) - (at[0] == '[' ? 2 : 0), at + (at[0] == '['));
	return 0;
}

/* The first line of file into buf, without its line end. */
static int read_secret(const char *cmd, const char *file, char *buf, size_t len)
{
	FILE *f = fopen(file, "re");
	int ok;

	if (!f)
		return tool_usage_error(cmd,
					_("cannot read --proxy-auth-file "
					  "'%s': %s"),
					file, strerror(errno));
	ok = fgets(buf, (int)len, f) != NULL;
	fclose(f);
	if (!ok)
		buf[0] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	return 0;
}

static int take_password(const char *cmd, struct tool_proxy_opts *o)
{
	const char *env = getenv("SOCK_PROXY_PASSWORD");
	struct sock_proxy *p = &o->p;

	if (o->auth_file)
		return read_secret(cmd, o->auth_file, p->pass, sizeof(p->pass));
	if (env) {
		if (strlen(env) >= sizeof(p->pass))
			return tool_usage_error(cmd,
						_("SOCK_PROXY_PASSWORD is "
						  "longer than 255 bytes"));
		snprintf(p->pass, sizeof(p->pass), "%s", env);
	}
	return 0;
}

/* The target: a tcp endpoint, its port as a number. */
static int check_target(const char *cmd, struct tool_proxy_opts *o,
			const struct sock_addr *to, const char *text)
{
	if (to->kind != SOCK_KIND_TCP || !to->host[0])
		return tool_usage_error(cmd,
					_("--proxy reaches TCP targets only, "
					  "HOST:PORT; %s is not one"),
					text);
	snprintf(o->host, sizeof(o->host), "%s", to->host);
	o->port = sock_addr_port(to->service, "tcp");
	if (o->port <= 0)
		return tool_usage_error(cmd, _("bad port in %s for --proxy"),
					text);
	if (o->p.type == SOCK_PROXY_SOCKS4A && strchr(to->host, ':'))
		return tool_usage_error(cmd,
					_("SOCKS4a carries no IPv6 address "
					  "(%s): use socks5:// or http://"),
					text);
	return 0;
}

int tool_proxy_setup(const char *cmd, struct tool_proxy_opts *o,
		     const struct sock_addr *to, const char *text, int family)
{
	int ret;

	const char *why = NULL;

	if (!o->url) {
		if (o->auth_file || o->dns_local)
			return tool_usage_error(cmd, _("--proxy-auth-file and "
						       "--proxy-dns need "
						       "--proxy"));
		return 0;
	}
	if (sock_proxy_parse(o->url, &o->p, &why))
		return tool_usage_error(cmd, _("bad --proxy '%s': %s"), o->url,
					reason_words(why));
	if (o->p.type != SOCK_PROXY_SOCKS4A && take_password(cmd, o))
		return EXIT_USAGE;
	if (o->p.user[0] && !o->p.pass[0] && o->p.type != SOCK_PROXY_SOCKS4A)
		return tool_usage_error(cmd,
					_("--proxy names user '%s' but no "
					  "password: set SOCK_PROXY_PASSWORD "
					  "or give --proxy-auth-file FILE"),
					o->p.user);
	ret = check_target(cmd, o, to, text);
	if (!ret && o->dns_local)
		ret = resolve_here(o, to, text, family);
	return ret;
}

/* ---- the words ---------------------------------------------------------- */

static const char *socks5_words(int n)
{
	switch (n) {
	case 1:
		return _("the proxy failed (SOCKS5 reply 1, general failure)");
	case 2:
		return _("the proxy's rules do not allow this connection "
			 "(SOCKS5 reply 2)");
	case 3:
		return _("the proxy cannot reach the target's network "
			 "(SOCKS5 reply 3, network unreachable)");
	case 4:
		return _("the proxy cannot reach the target host (SOCKS5 "
			 "reply 4, host unreachable)");
	case 5:
		return _("the target refused the proxy's connection: nothing "
			 "listens on that port (SOCKS5 reply 5)");
	case 6:
		return _("the target did not answer the proxy in time "
			 "(SOCKS5 reply 6, TTL expired)");
	case 7:
		return _("the proxy does not support CONNECT (SOCKS5 reply "
			 "7, command not supported)");
	case 8:
		return _("the proxy does not take this kind of address "
			 "(SOCKS5 reply 8, address type not supported)");
	}
	return NULL;
}

static const char *socks4_words(int n)
{
	switch (n) {
	case 91:
		return _("the proxy rejected the request or could not reach "
			 "the target (SOCKS4 reply 91)");
	case 92:
		return _("the proxy could not ask this machine's identd who "
			 "we are (SOCKS4 reply 92)");
	case 93:
		return _("the proxy's identd check did not match the user "
			 "name (SOCKS4 reply 93)");
	}
	return NULL;
}

static const char *http_words(int n)
{
	switch (n) {
	case 400:
		return _("the proxy did not understand the CONNECT request "
			 "(HTTP 400)");
	case 401:
		return _("the proxy refused the user name or password (HTTP "
			 "401)");
	case 403:
		return _("the proxy forbids this connection: its rules do not "
			 "allow this host or port (HTTP 403)");
	case 404:
		return _("the proxy does not know the target host (HTTP 404)");
	case 405:
		return _("the proxy does not allow CONNECT (HTTP 405)");
	case 407:
		return _("the proxy wants a user name and password (HTTP 407): "
			 "give USER@ in --proxy and the password in "
			 "SOCK_PROXY_PASSWORD or --proxy-auth-file");
	case 500:
		return _("the proxy failed, or could not reach the target "
			 "(HTTP 500)");
	case 502:
		return _("the proxy could not connect to the target (HTTP "
			 "502)");
	case 503:
		return _("the proxy could not connect to the target, or is "
			 "overloaded (HTTP 503)");
	case 504:
		return _("the target did not answer the proxy in time (HTTP "
			 "504)");
	}
	return NULL;
}

static const char *class_words(int c)
{
	switch (c) {
	case SOCK_PROXY_E_GARBAGE:
		return _("this is not a proxy of that kind: its answer is not "
			 "the protocol's");
	case SOCK_PROXY_E_CLOSED:
		return _("the proxy closed the connection before it answered");
	case SOCK_PROXY_E_TOO_LONG:
		return _("the proxy's answer has a header over 8 KiB: not a "
			 "proxy's");
	case SOCK_PROXY_E_NO_METHOD:
		return _("the proxy accepts none of our ways to log in (it "
			 "wants a user name, or a method sock lacks)");
	case SOCK_PROXY_E_NEED_AUTH:
		return _("the proxy wants a user name and password: give "
			 "USER@ in --proxy and the password in "
			 "SOCK_PROXY_PASSWORD or --proxy-auth-file");
	case SOCK_PROXY_E_AUTH:
		return _("the proxy refused the user name or password");
	case SOCK_PROXY_E_SILENT:
		return _("the proxy took the connection but did not answer in "
			 "time");
	}
	return NULL;
}

const char *tool_proxy_words(int err)
{
	static char buf[200];
	int c = sock_proxy_err_class(err), n = sock_proxy_err_number(err);
	const char *w = class_words(c);

	if (c == SOCK_PROXY_E_SOCKS5 && !(w = socks5_words(n)))
		snprintf(buf, sizeof(buf),
			 _("the proxy refused with SOCKS5 reply %d, which "
			   "RFC 1928 does not define"),
			 n);
	else if (c == SOCK_PROXY_E_SOCKS4 && !(w = socks4_words(n)))
		snprintf(buf, sizeof(buf),
			 _("the proxy answered SOCKS4 reply %d, which the "
			   "protocol does not define"),
			 n);
	else if (c == SOCK_PROXY_E_HTTP && !(w = http_words(n)))
		snprintf(buf, sizeof(buf),
			 n >= 500   ? _("the proxy failed (HTTP %d)")
			 : n >= 400 ? _("the proxy refused the request (HTTP "
					"%d)")
				    : _("the proxy answered HTTP %d instead of "
					"opening the tunnel"),
			 n);
	else if (!w)
		snprintf(buf, sizeof(buf), "%s", sock_strerror(err));
	return w ? w : buf;
}

static int proxy_status(int err)
{
	int c = sock_proxy_err_class(err);

	if (c == SOCK_PROXY_E_SILENT)
		return EXIT_RUNTIME;
	if (c == SOCK_PROXY_E_NO_METHOD || c == SOCK_PROXY_E_NEED_AUTH ||
	    c == SOCK_PROXY_E_AUTH ||
	    (c == SOCK_PROXY_E_HTTP && (sock_proxy_err_number(err) == 407 ||
					sock_proxy_err_number(err) == 401)))
		return EXIT_PROXY_AUTH;
	if (c >= SOCK_PROXY_E_SOCKS5)
		return EXIT_PROXY_REFUSED;
	return EXIT_PROXY_NOT;
}

/* "127.0.0.1:1080", "[::1]:1080": where the proxy is. */
static void proxy_name(const struct tool_proxy_opts *o, char *buf, size_t len)
{
	int v6 = strchr(o->p.addr.host, ':') != NULL;

	snprintf(buf, len, "%s%s%s:%s", v6 ? "[" : "", o->p.addr.host,
		 v6 ? "]" : "", o->p.addr.service);
}

int tool_proxy_fail(const char *action, const char *endpoint,
		    const struct tool_proxy_opts *o, int err)
{
	char via[SOCK_ADDR_STR_MAX + 48], where[SOCK_ADDR_STR_MAX + 8];

	proxy_name(o, where, sizeof(where));
	snprintf(via, sizeof(via), _("%s proxy %s"),
		 sock_proxy_type_name(o->p.type), where);
	if (!sock_proxy_err_is(err))
		return tool_fail_detail(action, endpoint, err, via);
	/* A 407 to a login we sent: the login was wrong. */
	if (o->p.user[0] && sock_proxy_err_class(err) == SOCK_PROXY_E_HTTP &&
	    sock_proxy_err_number(err) == 407)
		tool_errorf(_("%s %s through %s: %s"), _(action), endpoint, via,
			    _("the proxy refused the user name or password "
			      "(HTTP 407)"));
	else
		tool_errorf(_("%s %s through %s: %s"), _(action), endpoint, via,
			    tool_proxy_words(err));
	return proxy_status(err);
}

/* ---- connect ---------------------------------------------------------- */

/* A proxy that accepts the connection but never answers is given up
 * after this long when -w does not say. */
#define HANDSHAKE_DEFAULT_MS 60000

int tool_proxy_connect(const struct sock_global *g, struct tool_proxy_opts *o,
		       const char *text, const struct sock_opts *so,
		       struct sock_conn *out)
{
	char proxy[SOCK_ADDR_STR_MAX + 8];
	int ret;

	proxy_name(o, proxy, sizeof(proxy));
	ret = sock_connect(&o->p.addr, so, out);
	if (ret)
		return tool_fail(N_("connect to proxy"), proxy, ret);
	tool_verbosef(g, _("connected to %s proxy %s; asking it for %s"),
		      sock_proxy_type_name(o->p.type), proxy, text);
	ret = sock_proxy_handshake(out->fd, &o->p, o->host, o->port,
				   so->timeout_ms > 0 ? so->timeout_ms
						      : HANDSHAKE_DEFAULT_MS);
	if (!ret)
		return 0;
	sock_close(out->fd);
	return tool_proxy_fail(N_("connect to"), text, o, ret);
}
