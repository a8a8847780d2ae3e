/*
 * lib/diag_names.c - the one table of socket state names and the one
 * table of protocols (name, socket type, query bit), a leaf of the diag
 * layers: everything that names a state or a protocol reads them here.
 */
#include <netinet/in.h>
#include <sys/socket.h>

#include "diag_internal.h"

/* The filter's and JSON's spelling, and netstat's. */
static const struct {
	const char *name, *netstat;
} states[SOCK_DIAG_STATE_MAX] = {
	{ "unknown", "UNKNOWN" },
	{ "established", "ESTABLISHED" },
	{ "syn-sent", "SYN_SENT" },
	{ "syn-recv", "SYN_RECV" },
	{ "fin-wait-1", "FIN_WAIT1" },
	{ "fin-wait-2", "FIN_WAIT2" },
	{ "time-wait", "TIME_WAIT" },
	{ "close", "CLOSE" },
	{ "close-wait", "CLOSE_WAIT" },
	{ "last-ack", "LAST_ACK" },
	{ "listen", "LISTEN" },
	{ "closing", "CLOSING" },
	{ "new-syn-recv", "NEW_SYN_RECV" },
};

const char *sock_diag_state_name(int state)
{
	if (state <= 0 || state >= SOCK_DIAG_STATE_MAX)
		return states[0].name;
	return states[state].name;
}

const char *sock_diag_state_netstat(int state)
{
	if (state <= 0 || state >= SOCK_DIAG_STATE_MAX)
		return states[0].netstat;
	return states[state].netstat;
}

/* The protocols a snapshot can hold; the last one is Unix's. */
static const struct diag_proto {
	int protocol;
	int type;
	unsigned int bit;
	const char *name, *name6;
} protos[] = {
	{ IPPROTO_TCP, SOCK_STREAM, SOCK_DIAG_TCP, "tcp", "tcp6" },
	{ IPPROTO_UDP, SOCK_DGRAM, SOCK_DIAG_UDP, "udp", "udp6" },
	{ IPPROTO_RAW, SOCK_RAW, SOCK_DIAG_RAW, "raw", "raw6" },
	{ 0, 0, SOCK_DIAG_UNIX, "unix", "unix" },
};
#define UNIX_PROTO (&protos[3])

/* NULL for an internet protocol a snapshot does not list. */
static const struct diag_proto *proto_of(int family, int protocol)
{
	if (family == AF_UNIX)
		return UNIX_PROTO;
	for (const struct diag_proto *p = protos; p < UNIX_PROTO; p++)
		if (p->protocol == protocol)
			return p;
	return NULL;
}

const char *sock_diag_proto_name(int family, int protocol)
{
	const struct diag_proto *p = proto_of(family, protocol);

	if (!p) /* netstat's spelling of what is neither TCP nor UDP */
		p = &protos[2];
	return family == AF_INET6 ? p->name6 : p->name;
}

unsigned int sock__diag_proto_bit(int family, int protocol)
{
	const struct diag_proto *p = proto_of(family, protocol);

	return p ? p->bit : 0;
}

uint8_t sock__diag_proto_type(int protocol)
{
	const struct diag_proto *p = proto_of(AF_INET, protocol);

	return (uint8_t)(p ? p->type : SOCK_RAW);
}
