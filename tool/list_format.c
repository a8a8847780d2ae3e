/*
 * tool/list_format.c - netstat's tables: the same titles, columns and
 * row selection, except that nothing is cut (address columns widen to
 * the longest address), IPv6 addresses are bracketed and every process
 * that holds a socket is named.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "list.h"

#define ADDR_WIDTH 23 /* netstat's minimum */

static const char *const tcp_states[SOCK_DIAG_STATE_MAX] = {
	"UNKNOWN",   "ESTABLISHED", "SYN_SENT",	    "SYN_RECV",	  "FIN_WAIT1",
	"FIN_WAIT2", "TIME_WAIT",   "CLOSE",	    "CLOSE_WAIT", "LAST_ACK",
	"LISTEN",    "CLOSING",	    "NEW_SYN_RECV",
};

static const char *proto_name(const struct sock_diag_entry *e)
{
	int v6 = e->family == AF_INET6;

	switch (e->protocol) {
	case IPPROTO_TCP:
		return v6 ? "tcp6" : "tcp";
	case IPPROTO_UDP:
		return v6 ? "udp6" : "udp";
	}
	return v6 ? "raw6" : "raw";
}

/* UDP and raw sockets have no state of their own: netstat prints
 * nothing for an unconnected one and ESTABLISHED for a connected one. */
static const char *state_text(const struct sock_diag_entry *e)
{
	if (e->protocol != IPPROTO_TCP)
		return e->state == SOCK_DIAG_ESTABLISHED ? "ESTABLISHED" : "";
	if (e->state >= SOCK_DIAG_STATE_MAX)
		return "UNKNOWN";
	return tcp_states[e->state];
}

void list_format_endpoint(char *buf, size_t size,
			  const struct sock_diag_entry *e, int local,
			  const struct list_names *n)
{
	const uint8_t *a = local ? e->in.local : e->in.remote;
	int port = local ? e->in.local_port : e->in.remote_port;
	const char *host = list_names_host(n, e->family, a);
	const char *svc = list_names_service(n, e->protocol, port);
	char num[INET6_ADDRSTRLEN], p[8];

	inet_ntop(e->family, a, num, sizeof(num));
	snprintf(p, sizeof(p), "%d", port);
	if (!port)
		strcpy(p, "*");
	if (host)
		snprintf(buf, size, "%s:%s", host, svc ? svc : p);
	else if (e->family == AF_INET6)
		snprintf(buf, size, "[%s]:%s", num, svc ? svc : p);
	else
		snprintf(buf, size, "%s:%s", num, svc ? svc : p);
}

int list_put_owners(FILE *out, const struct sock_diag *d,
		    const struct sock_diag_entry *e)
{
	size_t n;
	const struct sock_diag_owner *o = sock_diag_owners(d, e->inode, &n);
	int len = 0, last = 0;

	if (!n)
		return fprintf(out, "-");
	for (size_t i = 0; i < n; i++) {
		/* one entry per process, however many fds it has */
		if (i && o[i].pid == last)
			continue;
		len += fprintf(out, "%s%d/%s", len ? "," : "", o[i].pid,
			       o[i].command);
		last = o[i].pid;
	}
	return len;
}

static void pad(FILE *out, int written, int width)
{
	while (written++ < width)
		putc(' ', out);
}

static void widths(const struct sock_diag *d, const struct list_names *n,
		   int *wl, int *wr)
{
	char buf[512];

	*wl = *wr = ADDR_WIDTH;
	for (size_t i = 0; i < sock_diag_count(d); i++) {
		const struct sock_diag_entry *e = sock_diag_get(d, i);
		int l;

		if (e->family == AF_UNIX)
			continue;
		/* IPv4 numbers always fit; only names and IPv6 widen */
		if (e->family == AF_INET && !n)
			continue;
		list_format_endpoint(buf, sizeof(buf), e, 1, n);
		l = (int)strlen(buf);
		*wl = l > *wl ? l : *wl;
		list_format_endpoint(buf, sizeof(buf), e, 0, n);
		l = (int)strlen(buf);
		*wr = l > *wr ? l : *wr;
	}
}

static const char *title(int role)
{
	if (role == SOCK_DIAG_SERVERS)
		return "(only servers)";
	return role == SOCK_DIAG_CLIENTS ? "(w/o servers)"
					 : "(servers and established)";
}

static void user_column(FILE *out, const struct sock_diag_entry *e,
			const struct list_opts *o)
{
	struct passwd *pw = NULL;

	if (!o->numeric && e->uid != SOCK_DIAG_NO_UID)
		pw = getpwuid(e->uid);
	if (pw)
		fprintf(out, " %-10s", pw->pw_name);
	else if (e->uid == SOCK_DIAG_NO_UID)
		fprintf(out, " %-10s", "-");
	else
		fprintf(out, " %-10u", e->uid);
	fprintf(out, " %-10u", e->inode);
}

static void inet_row(FILE *out, const struct sock_diag *d,
		     const struct sock_diag_entry *e, const struct list_opts *o,
		     const struct list_names *n, const int *w)
{
	char local[512], remote[512];

	list_format_endpoint(local, sizeof(local), e, 1, n);
	list_format_endpoint(remote, sizeof(remote), e, 0, n);
	fprintf(out, "%-5s %6u %6u %-*s %-*s %-11s", proto_name(e), e->rqueue,
		e->wqueue, w[0], local, w[1], remote, state_text(e));
	if (o->extend)
		user_column(out, e, o);
	if (o->programs) {
		putc(' ', out);
		pad(out, list_put_owners(out, d, e), 20);
	}
	putc('\n', out);
}

static void inet_table(FILE *out, const struct sock_diag *d,
		       const struct list_opts *o, const struct list_names *n)
{
	int w[2];

	widths(d, n, &w[0], &w[1]);
	fprintf(out, "Active Internet connections %s\n", title(o->role));
	fprintf(out, "Proto Recv-Q Send-Q %-*s %-*s State      ", w[0],
		"Local Address", w[1], "Foreign Address");
	if (o->extend)
		fprintf(out, " User       Inode     ");
	if (o->programs)
		fprintf(out, " PID/Program name    ");
	putc('\n', out);
	for (size_t i = 0; i < sock_diag_count(d); i++) {
		const struct sock_diag_entry *e = sock_diag_get(d, i);

		if (e->family != AF_UNIX)
			inet_row(out, d, e, o, n, w);
	}
}

static const char *unix_type(int type)
{
	switch (type) {
	case SOCK_STREAM:
		return "STREAM";
	case SOCK_DGRAM:
		return "DGRAM";
	case SOCK_SEQPACKET:
		return "SEQPACKET";
	case SOCK_RAW:
		return "RAW";
	case SOCK_RDM:
		return "RDM";
	}
	return "UNKNOWN";
}

static const char *unix_state(int state)
{
	switch (state) {
	case SOCK_DIAG_LISTEN:
		return "LISTENING";
	case SOCK_DIAG_ESTABLISHED:
		return "CONNECTED";
	case SOCK_DIAG_SYN_SENT:
		return "CONNECTING";
	}
	return "";
}

/* Abstract names are shown with '@' for each NUL, as netstat and ss do;
 * control characters become '?' so that one socket stays one line. */
static void unix_path(FILE *out, const struct sock_diag *d,
		      const struct sock_diag_entry *e)
{
	const char *name;
	size_t len = sock_diag_unix_name(d, e, &name);

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];

		if (!c && (i == 0 || name[0] == '\0'))
			putc('@', out);
		else if (!c && name[0] != '\0')
			break; /* a path ends at its NUL */
		else
			putc(c < 0x20 || c == 0x7f ? '?' : c, out);
	}
}

static void unix_table(FILE *out, const struct sock_diag *d,
		       const struct list_opts *o)
{
	fprintf(out, "Active UNIX domain sockets %s\n", title(o->role));
	fprintf(out,
		"Proto RefCnt Flags       Type       State         "
		"I-Node   %sPath\n",
		o->programs ? "PID/Program name     " : "");
	for (size_t i = 0; i < sock_diag_count(d); i++) {
		const struct sock_diag_entry *e = sock_diag_get(d, i);

		if (e->family != AF_UNIX)
			continue;
		fprintf(out, "%-5s %-6u %-11s %-10s %-13s %-8u ", "unix",
			e->un.refcnt,
			e->state == SOCK_DIAG_LISTEN ? "[ ACC ]" : "[ ]",
			unix_type(e->type), unix_state(e->state), e->inode);
		if (o->programs) {
			pad(out, list_put_owners(out, d, e), 20);
			putc(' ', out);
		}
		unix_path(out, d, e);
		putc('\n', out);
	}
}

int list_print_table(FILE *out, const struct sock_diag *d,
		     const struct list_opts *o)
{
	struct list_names *n = NULL;

	if (!o->numeric)
		n = list_names_new(d);
	if (o->protocols & (SOCK_DIAG_TCP | SOCK_DIAG_UDP | SOCK_DIAG_RAW))
		inet_table(out, d, o, n);
	if (o->protocols & SOCK_DIAG_UNIX)
		unix_table(out, d, o);
	list_names_free(n);
	if (fflush(out) || ferror(out))
		return errno ? -errno : -EIO;
	return 0;
}
