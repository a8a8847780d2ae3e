/*
 * sock/addr.h - endpoints: parse what the user wrote, format what the
 * kernel returns.
 *
 * struct sock_addr is a plain value type: it owns no memory and may be
 * copied with '='.  Nothing here touches the network: host and service
 * names are kept as written and resolved later by sock_connect() and
 * sock_listen().
 *
 * Grammar (docs/sock.1 has the full table):
 *   tcp://HOST:PORT  tcp4://  tcp6://  udp://  udp4://  udp6://
 *   tls://HOST:PORT  tls4://  tls6://   (TCP with TLS on top: tls set)
 *   unix:PATH  unix:@NAME  unix-dgram:PATH  unix-seqpacket:PATH
 *   -            standard input and output
 *   HOST:PORT    :PORT     shorthand for tcp://
 *   /PATH  ./PATH          shorthand for unix:
 * HOST is a name, an IPv4 address or a bracketed IPv6 address; an empty
 * HOST means "any" when listening.  PORT is 0..65535 or a service name.
 */
#ifndef SOCK_ADDR_H
#define SOCK_ADDR_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/un.h>

enum sock_kind {
	SOCK_KIND_NONE = 0,
	SOCK_KIND_TCP,
	SOCK_KIND_UDP,
	SOCK_KIND_UNIX_STREAM,
	SOCK_KIND_UNIX_DGRAM,
	SOCK_KIND_UNIX_SEQPACKET,
	SOCK_KIND_STDIO,
};

/* Longest host name we accept: a DNS name is at most 253 characters. */
#define SOCK_ADDR_HOST_MAX 254
/* Longest service name or port number accepted (NUL included). */
#define SOCK_ADDR_SERVICE_MAX 33
/* Room sock_addr_format() and sock_addr_format_sa() need at most: the
 * worst case is "@" and a 107-byte abstract name escaped as \xNN. */
#define SOCK_ADDR_STR_MAX 432

struct sock_addr {
	enum sock_kind kind;
	/* AF_UNSPEC, AF_INET or AF_INET6 (tcp4/tcp6, a literal address);
	 * AF_UNIX for the unix kinds. */
	int family;
	/* 1: TLS runs over this TCP endpoint (tls://, tls4://, tls6://);
	 * kind stays SOCK_KIND_TCP, so resolving and connecting are TCP's. */
	unsigned char tls;
	/* Internet kinds: host without brackets ("" = any) and service as
	 * written (a port number or a name such as "http"). */
	char host[SOCK_ADDR_HOST_MAX];
	char service[SOCK_ADDR_SERVICE_MAX];
	/* Unix kinds: the bytes of sun_path.  An abstract name starts with
	 * a NUL byte (written "@NAME"); path_len counts the bytes used. */
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	size_t path_len;
};

/* Where and why sock_addr_parse() refused its input. */
struct sock_addr_error {
	size_t pos;	    /* byte offset of the first bad character */
	const char *reason; /* static English text, e.g. "port above 65535" */
};

/*
 * Parse an endpoint.  Returns 0 and fills *out, or -EINVAL and fills *err
 * (when err is not NULL) with the offset of the first bad character and a
 * static reason.  *out is written only on success.
 */
int sock_addr_parse(const char *text, struct sock_addr *out,
		    struct sock_addr_error *err);

/*
 * Write the canonical form of an endpoint ("tcp://[::1]:80",
 * "unix:@name") into buf.  Returns the length written (as snprintf), or
 * -ENOSPC when len is too small (buf then holds a truncated string).
 */
int sock_addr_format(const struct sock_addr *a, char *buf, size_t len);

/*
 * Format a kernel socket address: "127.0.0.1:80", "[::1]:80",
 * "/run/x.sock", "@name" (abstract), "(unnamed)" for an unbound Unix
 * socket.  Returns the length written, -ENOSPC as above, or -EAFNOSUPPORT.
 */
int sock_addr_format_sa(const struct sockaddr *sa, socklen_t salen, char *buf,
			size_t len);

/*
 * The port a service names: decimal digits (0..65535, any number of
 * them) or a service name looked up for proto ("tcp", "udp"; NULL for
 * any) in /etc/services.  Returns the port, or -EINVAL.  Unlike
 * sock_addr_parse(), this reads the services database.
 */
int sock_addr_port(const char *service, const char *proto);

/* Socket type and protocol for a kind: SOCK_STREAM/IPPROTO_TCP and so on.
 * Returns 0, or -EINVAL for SOCK_KIND_STDIO and SOCK_KIND_NONE. */
int sock_addr_socktype(enum sock_kind kind, int *type, int *protocol);

/* Short lower-case name of a kind: "tcp", "unix-dgram", "stdio"... */
const char *sock_addr_kind_name(enum sock_kind kind);

/* True for the kinds that keep message boundaries and need no accept. */
int sock_addr_is_dgram(enum sock_kind kind);

/* Fill a sockaddr_un from a Unix endpoint; returns its socklen_t length. */
socklen_t sock_addr_to_sun(const struct sock_addr *a, struct sockaddr_un *sun);

#endif
