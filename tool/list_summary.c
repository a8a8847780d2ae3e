/*
 * tool/list_summary.c - sock list -s: the sockets of one dump counted
 * by protocol, family and state (ss -s's content, counted from the rows
 * themselves so that every number says what it counts), and the kernel
 * counters that matter to sockets, in text or JSON.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <sock/diag.h>

#include "cmd.h"
#include "i18n.h"
#include "list.h"

/* TCP, UDP, raw; Unix apart (no family, a type). */
#define INET_PROTOS 3
#define UNIX_TYPES 6 /* SOCK_STREAM 1, SOCK_DGRAM 2, SOCK_SEQPACKET 5 */

struct summary {
	unsigned int family[INET_PROTOS][2]; /* IPv4, IPv6 */
	unsigned int state[INET_PROTOS][SOCK_DIAG_STATE_MAX];
	unsigned int unix_state[UNIX_TYPES][SOCK_DIAG_STATE_MAX];
};

static const struct {
	const char *key, *title;
	unsigned int bit;
} protos[] = {
	{ "tcp", "TCP", SOCK_DIAG_TCP },
	{ "udp", "UDP", SOCK_DIAG_UDP },
	{ "raw", "RAW", SOCK_DIAG_RAW },
};

static const char *const unix_types[UNIX_TYPES] = {
	NULL, "stream", "dgram", NULL, NULL, "seqpacket",
};

/*
 * The counters shown, each with what it counts.  Group and name are the
 * kernel's (and the JSON keys); the list is short on purpose: the ones
 * that explain refused, dropped, reset and slow connections.
 */
static const struct {
	const char *group, *name, *help;
} counters[] = {
	{ "Tcp", "ActiveOpens", N_("connections opened from here (connect)") },
	{ "Tcp", "PassiveOpens", N_("connections accepted by listeners") },
	{ "Tcp", "AttemptFails",
	  N_("connection attempts that failed (refused, reset, timed out)") },
	{ "Tcp", "EstabResets", N_("established connections reset") },
	{ "Tcp", "CurrEstab",
	  N_("connections established now (close-wait included)") },
	{ "Tcp", "RetransSegs", N_("segments sent again") },
	{ "Tcp", "InErrs", N_("segments received with errors") },
	{ "Tcp", "OutRsts", N_("resets sent") },
	{ "TcpExt", "ListenOverflows",
	  N_("handshakes dropped because an accept queue was full") },
	{ "TcpExt", "ListenDrops",
	  N_("connection requests listeners dropped (overflows included)") },
	{ "TcpExt", "TCPTimeouts", N_("retransmission timeouts") },
	{ "TcpExt", "TCPLostRetransmit", N_("retransmissions lost again") },
	{ "TcpExt", "TCPAbortOnTimeout",
	  N_("connections given up after too many retransmissions") },
	{ "TcpExt", "TCPAbortOnData",
	  N_("connections reset: data came after the application closed") },
	{ "Udp", "InDatagrams", N_("datagrams delivered to sockets") },
	{ "Udp", "NoPorts", N_("datagrams to a port no socket has") },
	{ "Udp", "InErrors", N_("datagrams received but not delivered") },
	{ "Udp", "RcvbufErrors", N_("datagrams dropped: receive buffer full") },
	{ "Udp", "SndbufErrors", N_("datagrams not sent: send buffer full") },
};
#define NCOUNTERS (sizeof(counters) / sizeof(counters[0]))

static int proto_index(int protocol)
{
	return protocol == IPPROTO_TCP ? 0 : protocol == IPPROTO_UDP ? 1 : 2;
}

static void count(const struct sock_diag *d, struct summary *s)
{
	memset(s, 0, sizeof(*s));
	for (size_t i = 0; i < sock_diag_count(d); i++) {
		const struct sock_diag_entry *e = sock_diag_get(d, i);
		int st = e->state < SOCK_DIAG_STATE_MAX ? e->state : 0;
		int p;

		if (e->family == AF_UNIX) {
			s->unix_state[e->type < UNIX_TYPES ? e->type : 0][st]++;
			continue;
		}
		p = proto_index(e->protocol);
		s->family[p][e->family == AF_INET6]++;
		s->state[p][st]++;
	}
}

/* A state's key: TCP's own names; for the others, what their state
 * means (ESTABLISHED is connected, CLOSE unconnected). */
static const char *state_key(int tcp, int st)
{
	if (!tcp && st == SOCK_DIAG_ESTABLISHED)
		return "connected";
	if (!tcp && st == SOCK_DIAG_CLOSE)
		return "unconnected";
	return sock_diag_state_name(st);
}

/* The same words, translated where printed (each spelled out here so
 * that xgettext finds it). */
static const char *const state_words[] = {
	N_("connected"),   N_("unconnected"), N_("unknown"),
	N_("established"), N_("syn-sent"),    N_("syn-recv"),
	N_("fin-wait-1"),  N_("fin-wait-2"),  N_("time-wait"),
	N_("close"),	   N_("close-wait"),  N_("last-ack"),
	N_("listen"),	   N_("closing"),     N_("new-syn-recv"),
};

static const char *state_word(const char *key)
{
	for (size_t i = 0; i < sizeof(state_words) / sizeof(*state_words); i++)
		if (!strcmp(key, state_words[i]))
			return _(state_words[i]);
	return key;
}

static void text_states(FILE *out, const unsigned int *st, int tcp,
			const char *sep)
{

	for (int i = 0; i < SOCK_DIAG_STATE_MAX; i++)
		if (st[i]) {
			fprintf(out, "%s%s %u", sep,
				state_word(state_key(tcp, i)), st[i]);
			sep = ", ";
		}
}

static unsigned int sum(const unsigned int *v, size_t n)
{
	unsigned int t = 0;

	for (size_t i = 0; i < n; i++)
		t += v[i];
	return t;
}

static void text_sockets(FILE *out, const struct summary *s, unsigned int asked)
{
	fprintf(out, "%s\n",
		_("Sockets in this network namespace, counted from the "
		  "listing's dump (TCP includes time-wait):"));
	fprintf(out, "%-6s %7s %7s %7s  %s\n", _("Proto"), _("Total"),
		_("IPv4"), _("IPv6"), _("By state"));
	for (int p = 0; p < INET_PROTOS; p++) {
		if (!(asked & protos[p].bit))
			continue;
		fprintf(out, "%-6s %7u %7u %7u", protos[p].title,
			s->family[p][0] + s->family[p][1], s->family[p][0],
			s->family[p][1]);
		text_states(out, s->state[p], p == 0, "  ");
		fputc('\n', out);
	}
	if (!(asked & SOCK_DIAG_UNIX))
		return;
	unsigned int total = 0;
	for (int t = 0; t < UNIX_TYPES; t++)
		total += sum(s->unix_state[t], SOCK_DIAG_STATE_MAX);
	fprintf(out, "%-6s %7u %7s %7s", "Unix", total, "-", "-");
	for (int t = 0, first = 1; t < UNIX_TYPES; t++) {
		if (!sum(s->unix_state[t], SOCK_DIAG_STATE_MAX))
			continue;
		fprintf(out, "%s%s:", first ? "  " : "; ",
			unix_types[t] ? unix_types[t] : "other");
		text_states(out, s->unix_state[t], 0, " ");
		first = 0;
	}
	fputc('\n', out);
}

static void text_counters(FILE *out, const struct sock_diag_counter *c)
{
	char name[64];

	fprintf(out, "\n%s\n",
		_("Kernel counters, totals since this network namespace was "
		  "created (/proc/net/snmp, /proc/net/netstat):"));
	for (size_t i = 0; i < NCOUNTERS; i++) {
		snprintf(name, sizeof(name), "%s %s", c[i].group, c[i].name);
		if (c[i].found)
			fprintf(out, "  %-24s %12lld  %s\n", name,
				(long long)c[i].value, _(counters[i].help));
		else
			fprintf(out, "  %-24s %12s  %s\n", name, "-",
				_("(not reported by this kernel)"));
	}
}

static void json_states(FILE *out, const unsigned int *st, int tcp)
{
	const char *sep = "";

	fputc('{', out);
	for (int i = 0; i < SOCK_DIAG_STATE_MAX; i++)
		if (st[i]) {
			fprintf(out, "%s\"%s\":%u", sep, state_key(tcp, i),
				st[i]);
			sep = ",";
		}
	fputc('}', out);
}

static void json_sockets(FILE *out, const struct summary *s, unsigned int asked)
{
	const char *sep = "";

	fputs("\"sockets\":{", out);
	for (int p = 0; p < INET_PROTOS; p++) {
		if (!(asked & protos[p].bit))
			continue;
		fprintf(out,
			"%s\"%s\":{\"total\":%u,\"ipv4\":%u,\"ipv6\":%u,"
			"\"states\":",
			sep, protos[p].key, s->family[p][0] + s->family[p][1],
			s->family[p][0], s->family[p][1]);
		json_states(out, s->state[p], p == 0);
		fputc('}', out);
		sep = ",";
	}
	if (asked & SOCK_DIAG_UNIX) {
		unsigned int total = 0;
		const char *tsep = "";

		for (int t = 0; t < UNIX_TYPES; t++)
			total += sum(s->unix_state[t], SOCK_DIAG_STATE_MAX);
		fprintf(out, "%s\"unix\":{\"total\":%u,\"types\":{", sep,
			total);
		for (int t = 1; t < UNIX_TYPES; t++) {
			if (!unix_types[t])
				continue;
			fprintf(out, "%s\"%s\":", tsep, unix_types[t]);
			json_states(out, s->unix_state[t], 0);
			tsep = ",";
		}
		fputs("}}", out);
	}
	fputc('}', out);
}

static void json_counters(FILE *out, const struct sock_diag_counter *c)
{
	const char *group = NULL;

	fputs(",\"counters\":{", out);
	for (size_t i = 0; i < NCOUNTERS; i++) {
		if (!group || strcmp(group, c[i].group))
			fprintf(out, "%s\"%s\":{", group ? "}," : "",
				c[i].group);
		else
			fputc(',', out);
		group = c[i].group;
		if (c[i].found)
			fprintf(out, "\"%s\":%lld", c[i].name,
				(long long)c[i].value);
		else
			fprintf(out, "\"%s\":null", c[i].name);
	}
	fputs(group ? "}}" : "}", out);
}

int list_summary(FILE *out, const struct sock_diag *d,
		 const struct list_opts *o, const char *proc_root)
{
	struct sock_diag_counter c[NCOUNTERS];
	struct summary s;
	int ret;

	errno = 0;
	count(d, &s);
	for (size_t i = 0; i < NCOUNTERS; i++)
		c[i] = (struct sock_diag_counter){ counters[i].group,
						   counters[i].name, 0, 0 };
	ret = sock_diag_counters(proc_root, c, NCOUNTERS);
	if (ret)
		tool_errorf(_("list: cannot read the kernel counters "
			      "(%s/net/snmp): %s"),
			    proc_root ? proc_root : "/proc", strerror(-ret));
	if (o->json) {
		fputc('{', out);
		json_sockets(out, &s, o->protocols);
		json_counters(out, c);
		fputs("}\n", out);
	} else {
		text_sockets(out, &s, o->protocols);
		text_counters(out, c);
	}
	if (fflush(out) || ferror(out))
		return errno ? -errno : -EIO;
	return ret ? EXIT_RUNTIME : 0;
}
