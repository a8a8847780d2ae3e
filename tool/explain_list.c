/*
 * tool/explain_list.c - sock list --explain: one sentence under each row
 * saying who can reach the socket, what its state means and what its
 * queues hold.  Sentences are whole so that a translation can reorder
 * them; only the reach and the queue figures are put in.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "explain.h"
#include "i18n.h"

static int flag;

void tool_explain_enable(void)
{
	flag = 1;
}

int tool_explain_enabled(void)
{
	return flag;
}

static int is_zero(const uint8_t *a, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i])
			return 0;
	return 1;
}

static int is_loopback(int family, const uint8_t *a)
{
	static const uint8_t one6[16] = { [15] = 1 };

	if (family == AF_INET)
		return a[0] == 127;
	return !memcmp(a, one6, 16) ||
	       (is_zero(a, 10) && a[10] == 0xff && a[11] == 0xff &&
		a[12] == 127); /* ::ffff:127.x.y.z */
}

/* Who can reach the local address: the words put into a sentence. */
static void reach(char *buf, size_t len, const struct sock_diag_entry *e)
{
	char num[INET6_ADDRSTRLEN];
	const uint8_t *a = e->in.local;

	if (e->family == AF_INET && is_zero(a, 4))
		snprintf(buf, len, "%s",
			 _("every IPv4 address of this machine (0.0.0.0), "
			   "so other hosts too"));
	else if (e->family == AF_INET6 && is_zero(a, 16))
		snprintf(buf, len, "%s",
			 _("every address of this machine ([::]): IPv6, and "
			   "IPv4 too unless the program made it IPv6-only "
			   "(dual stack)"));
	else if (is_loopback(e->family, a))
		snprintf(buf, len,
			 _("%s, the loopback address, so only "
			   "programs on this machine"),
			 inet_ntop(e->family, a, num, sizeof(num)));
	else
		snprintf(buf, len,
			 _("only the address %s: clients must use "
			   "that address"),
			 inet_ntop(e->family, a, num, sizeof(num)));
}

/* What each TCP state means, from this socket's side. */
static const char *tcp_state(int state)
{
	switch (state) {
	case SOCK_DIAG_ESTABLISHED:
		return _("ESTABLISHED: the connection is open, both sides "
			 "can send and receive");
	case SOCK_DIAG_SYN_SENT:
		return _("SYN_SENT: connect() sent a SYN and waits for the "
			 "server's SYN+ACK");
	case SOCK_DIAG_SYN_RECV:
	case SOCK_DIAG_NEW_SYN_RECV:
		return _("SYN_RECV: a client's SYN was answered; its final "
			 "ACK has not come yet");
	case SOCK_DIAG_FIN_WAIT1:
		return _("FIN_WAIT1: this side closed (sent a FIN) and waits "
			 "for the peer to acknowledge it");
	case SOCK_DIAG_FIN_WAIT2:
		return _("FIN_WAIT2: this side closed and the peer "
			 "acknowledged; waiting for the peer to close too");
	case SOCK_DIAG_TIME_WAIT:
		return _("TIME_WAIT: this side closed first; the kernel keeps "
			 "the address pair about 60 s so that late segments "
			 "of the old connection are not taken for a new one "
			 "(no program holds it)");
	case SOCK_DIAG_CLOSE:
		return _("CLOSE: closed, neither connected nor listening "
			 "(bound, or not yet used)");
	case SOCK_DIAG_CLOSE_WAIT:
		return _("CLOSE_WAIT: the peer closed its side; this program "
			 "has not closed the socket yet (if it stays so, the "
			 "program leaks it)");
	case SOCK_DIAG_LAST_ACK:
		return _("LAST_ACK: the peer closed, then this side closed; "
			 "waiting for the peer to acknowledge this side's FIN");
	case SOCK_DIAG_CLOSING:
		return _("CLOSING: both sides closed at the same time; "
			 "waiting for the last acknowledgement");
	}
	return _("a state this tool does not know");
}

/* Queue figures worth a word: they mean different things per state. */
static void queues(char *buf, size_t len, const struct sock_diag_entry *e)
{
	size_t off = 0;

	buf[0] = '\0';
	if (e->state == SOCK_DIAG_LISTEN) {
		if (e->rqueue)
			snprintf(buf, len,
				 ngettext("; %u connection waits to be "
					  "accepted (backlog %u)",
					  "; %u connections wait to be "
					  "accepted (backlog %u)",
					  e->rqueue),
				 e->rqueue, e->wqueue);
		return;
	}
	if (e->rqueue)
		off = (size_t)snprintf(buf, len,
				       _("; Recv-Q: %u bytes arrived that the "
					 "program has not read yet"),
				       e->rqueue);
	if (e->wqueue && off < len)
		snprintf(buf + off, len - off,
			 e->protocol == IPPROTO_TCP
			     ? _("; Send-Q: %u bytes sent that the peer has "
				 "not acknowledged yet")
			     : _("; Send-Q: %u bytes not sent yet"),
			 e->wqueue);
}

static void explain_tcp(char *buf, size_t len, const struct sock_diag_entry *e)
{
	char r[256], q[256];

	queues(q, sizeof(q), e);
	if (e->state != SOCK_DIAG_LISTEN) {
		snprintf(buf, len, "%s%s", tcp_state(e->state), q);
		return;
	}
	reach(r, sizeof(r), e);
	snprintf(buf, len,
		 _("LISTEN: waits for connections; it can be "
		   "reached on %s%s"),
		 r, q);
}

static void explain_udp(char *buf, size_t len, const struct sock_diag_entry *e)
{
	char r[256], q[256], peer[INET6_ADDRSTRLEN];

	queues(q, sizeof(q), e);
	if (e->state == SOCK_DIAG_ESTABLISHED) {
		inet_ntop(e->family, e->in.remote, peer, sizeof(peer));
		snprintf(buf, len,
			 _("\"connected\" UDP: still no connection, only a "
			   "default peer (%s port %u): send() goes there and "
			   "only its datagrams are received%s"),
			 peer, e->in.remote_port, q);
		return;
	}
	reach(r, sizeof(r), e);
	snprintf(buf, len,
		 _("UDP has no connections and so no state: it takes "
		   "datagrams from any sender, sent to %s%s"),
		 r, q);
}

/* The name as netstat shows it: '@' for the NULs of an abstract name. */
static void unix_name(char *out, size_t len, const char *name, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n && k + 1 < len; i++) {
		char c = name[i];

		if (!c && name[0] != '\0')
			break;
		out[k++] = !c ? '@' : ((unsigned char)c < 0x20 ? '?' : c);
	}
	out[k] = '\0';
}

static const char *unix_state(const struct sock_diag_entry *e)
{
	if (e->state == SOCK_DIAG_LISTEN)
		return _("listening");
	if (e->state == SOCK_DIAG_ESTABLISHED)
		return _("connected");
	return _("not connected");
}

static void explain_unix(char *buf, size_t len, const struct sock_diag *d,
			 const struct sock_diag_entry *e)
{
	const char *name = NULL;
	size_t n = d ? sock_diag_unix_name(d, e, &name) : 0;
	char shown[256], q[256];

	queues(q, sizeof(q), e);
	if (!n) {
		snprintf(buf, len,
			 _("Unix socket without a name (%s): one end of a "
			   "socketpair() or of an accepted or connecting "
			   "connection; no other program can find it%s"),
			 unix_state(e), q);
		return;
	}
	unix_name(shown, sizeof(shown), name, n);
	if (name[0] == '\0')
		snprintf(buf, len,
			 _("Unix socket (%s) with the abstract name %s: no "
			   "file exists; any program in this network "
			   "namespace can use the name%s"),
			 unix_state(e), shown, q);
	else
		snprintf(buf, len,
			 _("Unix socket (%s) at the file %s: programs reach "
			   "it through that path, if the file's permissions "
			   "let them%s"),
			 unix_state(e), shown, q);
}

void tool_explain_socket(char *buf, size_t len, const struct sock_diag *d,
			 const struct sock_diag_entry *e)
{
	if (e->family == AF_UNIX)
		explain_unix(buf, len, d, e);
	else if (e->protocol == IPPROTO_TCP)
		explain_tcp(buf, len, e);
	else if (e->protocol == IPPROTO_UDP)
		explain_udp(buf, len, e);
	else
		snprintf(buf, len,
			 _("raw socket: it sees whole IP packets of protocol "
			   "%u, with no ports and no state"),
			 e->in.local_port);
}
