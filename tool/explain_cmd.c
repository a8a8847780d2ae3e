/*
 * tool/explain_cmd.c - sock explain ENDPOINT: what an endpoint means,
 * what it resolves to, and whether something listens there now (and
 * who), from the same sock_diag snapshot as sock list.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <sock/addr.h>
#include <sock/diag.h>
#include <sock/sock.h>

#include "explain.h"
#include "i18n.h"

static void usage(FILE *f)
{
	fprintf(f, "%s",
		_("usage: sock explain ENDPOINT\n\n"
		  "  what ENDPOINT means (family, type, protocol, address, "
		  "port and its\n"
		  "  service name), every address it resolves to, and what "
		  "listens there now\n"
		  "  e.g. sock explain localhost:https   sock explain "
		  "unix:/run/x.sock\n"));
}

/* "label:" padded to one column, then the text; a translated label
 * is measured in columns, not bytes ("dirección:"). */
static void field(const char *label, const char *text)
{
	int pad = 12 - tool_display_width(label, strlen(label));

	printf("%s%*s%s\n", label, pad > 1 ? pad : 1, "", text);
}

static const char *family_text(const struct sock_addr *a)
{
	if (a->family == AF_INET)
		return _("IPv4 (AF_INET)");
	if (a->family == AF_INET6)
		return _("IPv6 (AF_INET6)");
	if (a->family == AF_UNIX)
		return _("Unix (AF_UNIX): this machine only, named by a path "
			 "or an abstract name instead of an address and port");
	return _("IPv4 or IPv6, whichever the host resolves to");
}

static const char *type_text(enum sock_kind k)
{
	switch (k) {
	case SOCK_KIND_TCP:
		return _("stream (SOCK_STREAM), protocol TCP: a connection, "
			 "bytes arrive in order, no message boundaries");
	case SOCK_KIND_UDP:
		return _("datagram (SOCK_DGRAM), protocol UDP: no connection, "
			 "separate messages that may be lost or reordered");
	case SOCK_KIND_UNIX_STREAM:
		return _("stream (SOCK_STREAM): a connection, bytes in order");
	case SOCK_KIND_UNIX_DGRAM:
		return _("datagram (SOCK_DGRAM): separate messages, no "
			 "connection");
	case SOCK_KIND_UNIX_SEQPACKET:
		return _("seqpacket (SOCK_SEQPACKET): a connection that keeps "
			 "message boundaries");
	default:
		return "";
	}
}

static void host_line(const struct sock_addr *a)
{
	char buf[512];
	uint8_t bin[16];

	if (!a->host[0])
		snprintf(buf, sizeof(buf), "%s",
			 _("none: listening, every address of this machine; "
			   "connecting, this machine"));
	else if (inet_pton(AF_INET, a->host, bin) == 1 ||
		 inet_pton(AF_INET6, a->host, bin) == 1)
		snprintf(buf, sizeof(buf), _("%s, a numeric address"), a->host);
	else
		snprintf(buf, sizeof(buf), _("%s, a name: resolved below"),
			 a->host);
	field(_("host:"), buf);
}

/* The port and its name in /etc/services; returns the port or -1. */
static int port_line(const struct sock_addr *a)
{
	const char *proto = a->kind == SOCK_KIND_UDP ? "udp" : "tcp";
	int port = sock_addr_port(a->service, proto);
	struct servent *se;
	char buf[512];

	if (port < 0) {
		snprintf(buf, sizeof(buf),
			 _("%s: not a service name in /etc/services"),
			 a->service);
		field(_("port:"), buf);
		return -1;
	}
	se = getservbyport(htons((uint16_t)port), proto);
	if (!port)
		snprintf(buf, sizeof(buf), "%s",
			 _("0: listening, the kernel picks a free port"));
	else if (se)
		snprintf(buf, sizeof(buf),
			 _("%d, the service \"%s\" (/etc/services)"), port,
			 se->s_name);
	else
		snprintf(buf, sizeof(buf),
			 _("%d, no service name in /etc/services"), port);
	field(_("port:"), buf);
	return port;
}

static void resolve_lines(const struct sock_addr *a)
{
	struct addrinfo hints = { 0 }, *res = NULL;
	const char *label = _("resolves:");
	char buf[SOCK_ADDR_STR_MAX + 64], shown[SOCK_ADDR_STR_MAX];
	int ret;

	hints.ai_family = a->family;
	sock_addr_socktype(a->kind, &hints.ai_socktype, &hints.ai_protocol);
	if (!a->host[0])
		hints.ai_flags = AI_PASSIVE;
	ret =
	    getaddrinfo(a->host[0] ? a->host : NULL, a->service, &hints, &res);
	if (ret) {
		snprintf(buf, sizeof(buf), _("nothing: %s"), gai_strerror(ret));
		field(label, buf);
		return;
	}
	for (struct addrinfo *r = res; r; r = r->ai_next) {
		sock_addr_format_sa(r->ai_addr, r->ai_addrlen, shown,
				    sizeof(shown));
		snprintf(buf, sizeof(buf), "%s (%s)", shown,
			 r->ai_family == AF_INET ? "IPv4" : "IPv6");
		field(label, buf);
		label = "";
	}
	freeaddrinfo(res);
}

/* "1234/sock, 99/nginx" for a socket, or "" (owner not visible). */
static void owners_text(const struct sock_diag *d,
			const struct sock_diag_entry *e, char *buf, size_t len)
{
	size_t n, off = 0;
	const struct sock_diag_owner *o = sock_diag_owners(d, e->inode, &n);

	buf[0] = '\0';
	for (size_t i = 0; i < n && off < len; i++)
		if (!i || o[i].pid != o[i - 1].pid)
			off += (size_t)snprintf(buf + off, len - off, "%s%d/%s",
						off ? ", " : "", o[i].pid,
						o[i].command);
}

static void holder_line(const char *label, const struct sock_diag *d,
			const struct sock_diag_entry *e, const char *where)
{
	char who[256], buf[768];

	owners_text(d, e, who, sizeof(who));
	if (who[0])
		snprintf(buf, sizeof(buf), _("%s, held by %s"), where, who);
	else
		snprintf(buf, sizeof(buf),
			 _("%s (its program is not visible: another user's?)"),
			 where);
	field(label, buf);
}

/* Listeners (TCP) or bound sockets (UDP) on the port, any address. */
static void inet_holders(const struct sock_addr *a, int port)
{
	char num[12], *argv[] = { "sport", num, NULL }, where[128];
	struct sock_diag_query q = { 0 };
	struct sock_diag_filter *f = NULL;
	struct sock_diag *d = NULL;
	int tcp = a->kind == SOCK_KIND_TCP, bad, shown = 0;
	/* UDP has no listeners: a socket bound to the port receives. */
	const char *label = tcp ? _("listening:") : _("bound:");

	snprintf(num, sizeof(num), "%d", port);
	q.protocols = tcp ? SOCK_DIAG_TCP : SOCK_DIAG_UDP;
	q.states = tcp ? 1u << SOCK_DIAG_LISTEN : 0;
	q.role = tcp ? 0 : SOCK_DIAG_SERVERS;
	q.flags = SOCK_DIAG_OWNERS;
	if (sock_diag_filter_parse(2, argv, &f, &bad) ||
	    (q.filter = f, sock_diag_snapshot(&q, &d))) {
		field(label, _("unknown: the socket table cannot be read"));
		sock_diag_filter_free(f);
		return;
	}
	for (size_t i = 0; i < sock_diag_count(d); i++) {
		const struct sock_diag_entry *e = sock_diag_get(d, i);
		char addr[INET6_ADDRSTRLEN];

		inet_ntop(e->family, e->in.local, addr, sizeof(addr));
		snprintf(where, sizeof(where),
			 e->family == AF_INET6 ? "[%s]:%u" : "%s:%u", addr,
			 e->in.local_port);
		holder_line(shown ? "" : label, d, e, where);
		shown++;
	}
	if (!shown) {
		snprintf(where, sizeof(where),
			 tcp ? _("nothing listens on TCP port %d now")
			     : _("no UDP socket is bound to port %d now"),
			 port);
		field(label, where);
	}
	sock_diag_free(d);
	sock_diag_filter_free(f);
}

/* Whether a Unix socket of the snapshot is bound to a's name. */
static int same_name(const struct sock_diag *d, const struct sock_diag_entry *e,
		     const struct sock_addr *a)
{
	const char *name;
	size_t n = sock_diag_unix_name(d, e, &name);

	if (a->path[0] == '\0')
		return n == a->path_len && !memcmp(name, a->path, n);
	return n && name[0] && strnlen(name, n) == strlen(a->path) &&
	       !memcmp(name, a->path, strlen(a->path));
}

static void unix_holders(const struct sock_addr *a)
{
	struct sock_diag_query q = { 0 };
	struct sock_diag *d = NULL;
	const char *label = _("listening:");
	char where[64];
	int shown = 0;

	q.protocols = SOCK_DIAG_UNIX;
	q.role = SOCK_DIAG_SERVERS;
	q.flags = SOCK_DIAG_OWNERS;
	if (sock_diag_snapshot(&q, &d)) {
		field(label, _("unknown: the socket table cannot be read"));
		return;
	}
	for (size_t i = 0; i < sock_diag_count(d); i++) {
		const struct sock_diag_entry *e = sock_diag_get(d, i);

		if (!same_name(d, e, a))
			continue;
		snprintf(where, sizeof(where), _("yes (inode %u)"), e->inode);
		holder_line(shown++ ? "" : label, d, e, where);
	}
	if (!shown)
		field(label, _("no socket is bound to that name now"));
	sock_diag_free(d);
}

static void unix_lines(const struct sock_addr *a)
{
	char buf[512];
	struct stat st;

	if (a->path[0] == '\0') {
		snprintf(buf, sizeof(buf),
			 _("@%.*s, an abstract name: no file exists; it lives "
			   "in this network namespace and vanishes with its "
			   "socket"),
			 (int)a->path_len - 1, a->path + 1);
		field(_("name:"), buf);
	} else {
		snprintf(buf, sizeof(buf),
			 _("%s, a file in the file system: its permissions "
			   "decide who may connect"),
			 a->path);
		field(_("path:"), buf);
		if (stat(a->path, &st))
			snprintf(buf, sizeof(buf), _("does not exist (%s)"),
				 strerror(errno));
		else if (S_ISSOCK(st.st_mode))
			snprintf(buf, sizeof(buf), "%s",
				 _("exists and is a socket"));
		else
			snprintf(buf, sizeof(buf), "%s",
				 _("exists but is not a socket: sock will "
				   "not replace it"));
		field(_("file:"), buf);
	}
	unix_holders(a);
}

int cmd_explain(int argc, char **argv, struct sock_global *g)
{
	struct sock_addr a;
	char text[SOCK_ADDR_STR_MAX];
	int port;

	if (argc == 2 &&
	    (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		usage(stdout);
		return EXIT_OK;
	}
	if (argc != 2)
		return tool_usage_error("explain", "%s",
					_("needs exactly one ENDPOINT"));
	if (tool_parse_endpoint(argv[1], &a))
		return EXIT_USAGE;
	if (tool_check_family("explain", g, &a, argv[1]))
		return EXIT_USAGE;
	if (g->family && a.family == AF_UNSPEC)
		a.family = g->family;
	if (a.kind == SOCK_KIND_STDIO) {
		field(_("endpoint:"), _("-: standard input and output, not a "
					"socket"));
		return EXIT_OK;
	}
	sock_addr_format(&a, text, sizeof(text));
	field(_("endpoint:"), text);
	field(_("family:"), family_text(&a));
	field(_("type:"), type_text(a.kind));
	if (a.family == AF_UNIX) {
		unix_lines(&a);
		return EXIT_OK;
	}
	host_line(&a);
	port = port_line(&a);
	resolve_lines(&a);
	if (port > 0)
		inet_holders(&a, port);
	return EXIT_OK;
}
