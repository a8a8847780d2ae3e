/*
 * tool/explain_next.c - what to check next after an error, under the
 * one-line hint of tool/messages.c, when --explain is given.  The
 * commands suggested are ones the learner can paste: the port or path
 * of the endpoint is put in.
 */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>

#include <sock/addr.h>
#include <sock/sock.h>

#include "explain.h"
#include "i18n.h"

#define EAI(x) (-(SOCK_ERR_EAI_BASE - (x)))

/* The endpoint's parts a suggestion may need. */
struct next_ctx {
	int is_unix;
	char port[12];	   /* the port number, or the service as written */
	const char *proto; /* "t" or "u", sock list's letter */
	char host[SOCK_ADDR_HOST_MAX];
	char path[128];
};

static void ctx_of(const char *endpoint, struct next_ctx *c)
{
	struct sock_addr a;
	int port;

	memset(c, 0, sizeof(*c));
	c->proto = "t";
	if (sock_addr_parse(endpoint, &a, NULL))
		return;
	if (a.family == AF_UNIX) {
		c->is_unix = 1;
		if (a.path_len && a.path[0])
			snprintf(c->path, sizeof(c->path), "%s", a.path);
		else
			snprintf(c->path, sizeof(c->path), "@%.*s",
				 a.path_len ? (int)a.path_len - 1 : 0,
				 a.path + 1);
		return;
	}
	c->proto = a.kind == SOCK_KIND_UDP ? "u" : "t";
	port = sock_addr_port(a.service, *c->proto == 'u' ? "udp" : "tcp");
	if (port >= 0)
		snprintf(c->port, sizeof(c->port), "%d", port);
	else
		snprintf(c->port, sizeof(c->port), "%.11s", a.service);
	snprintf(c->host, sizeof(c->host), "%s",
		 a.host[0] ? a.host : "localhost");
}

static void line(const char *text)
{
	fprintf(stderr, "  %s %s\n", _("next:"), text);
}

static void refused(const struct next_ctx *c, char *buf, size_t len)
{
	if (c->is_unix) {
		line(_("the socket file exists but no program listens on it "
		       "(a server that ended and left it behind?)"));
		snprintf(buf, len,
			 _("sock list -xl shows the Unix listeners and "
			   "their paths"));
		line(buf);
		return;
	}
	snprintf(buf, len,
		 _("is the server running? sock list -%sln 'sport = :%s' "
		   "shows what listens on that port"),
		 c->proto, c->port);
	line(buf);
	line(_("a server bound to 127.0.0.1 cannot be reached through "
	       "another address of the machine"));
}

static void in_use(const struct next_ctx *c, char *buf, size_t len)
{
	snprintf(buf, len,
		 _("sock list -%slnp 'sport = :%s' names the program that "
		   "holds the port; stop it or pick another port"),
		 c->proto, c->port);
	line(buf);
	if (*c->proto == 't') {
		snprintf(buf, len,
			 _("if nothing listens, old connections may hold it: "
			   "sock list -tan 'sport = :%s' shows them "
			   "(TIME_WAIT ends after about 60 s)"),
			 c->port);
		line(buf);
	}
}

static void unreachable(const struct next_ctx *c, char *buf, size_t len)
{
	snprintf(buf, len,
		 _("is the host up and is there a route to it? ip route get "
		   "ADDRESS shows the way; ping %s tests it"),
		 c->host);
	line(buf);
	line(_("a firewall on either side may drop the packets (nft list "
	       "ruleset shows this machine's rules)"));
}

static void no_entry(const struct next_ctx *c, char *buf, size_t len)
{
	snprintf(buf, len,
		 _("ls -l %s checks the path; is the server running, and did "
		   "it create its socket somewhere else?"),
		 c->path);
	line(buf);
	line(_("sock list -xl shows the Unix listeners and their paths"));
}

static void denied(const struct next_ctx *c, char *buf, size_t len)
{
	(void)buf;
	(void)len;
	if (c->is_unix) {
		line(_("check the permissions of the socket file and its "
		       "directory (ls -ld)"));
		return;
	}
	line(_("use a port of 1024 or above (e.g. :8080), or run as root, "
	       "or give the program CAP_NET_BIND_SERVICE (setcap)"));
}

static void resolve(const struct next_ctx *c, int err, char *buf, size_t len)
{
	if (err == EAI(EAI_SERVICE)) {
		snprintf(buf, len,
			 _("getent services %s looks the name up; give the "
			   "port number instead"),
			 c->port);
		line(buf);
		return;
	}
	snprintf(buf, len,
		 _("getent ahosts %s shows what this machine resolves "
		   "(/etc/hosts, then DNS)"),
		 c->host);
	line(buf);
	line(_("check the spelling, and the name servers in "
	       "/etc/resolv.conf"));
}

void tool_explain_next(const char *action, const char *endpoint, int err)
{
	struct next_ctx c;
	char buf[512];

	(void)action;
	if (!tool_explain_enabled())
		return;
	ctx_of(endpoint, &c);
	if (err == -ECONNREFUSED)
		refused(&c, buf, sizeof(buf));
	else if (err == -EADDRINUSE)
		in_use(&c, buf, sizeof(buf));
	else if (err == -ETIMEDOUT || err == -EHOSTUNREACH ||
		 err == -ENETUNREACH)
		unreachable(&c, buf, sizeof(buf));
	else if (err == -ENOENT)
		no_entry(&c, buf, sizeof(buf));
	else if (err == -EACCES)
		denied(&c, buf, sizeof(buf));
	else if (err == -EADDRNOTAVAIL)
		line(_("ip -br addr shows this machine's addresses; use one "
		       "of them, or leave the host out (:PORT) for all"));
	else if (err == -ECONNRESET || err == -EPIPE)
		line(_("the peer program ended or rejected the data; its own "
		       "log or error output says why"));
	else if (err <= -SOCK_ERR_EAI_BASE)
		resolve(&c, err, buf, sizeof(buf));
}
