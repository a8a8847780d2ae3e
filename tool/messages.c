/*
 * tool/messages.c - what errors mean, in plain words.  Every runtime
 * error the tool reports is explained from this one table, so that a
 * translation touches one file.
 */
#include <errno.h>
#include <netdb.h>
#include <stddef.h>
#include <string.h>

#include <sock/sock.h>

#include "cmd.h"
#include "i18n.h"
#include "proxy.h"

struct message {
	int err; /* negative errno, or a resolver error (sock.h) */
	const char *explanation;
};

/* Where strerror's wording misleads ("Socket operation on non-socket"
 * for a regular file in the way), a plainer name for the error. */
static const struct message briefs[] = {
	{ -ENOTSOCK, N_("not a socket") },
	{ -EPROTOTYPE, N_("wrong socket type") },
};

#define EAI(x) (-(SOCK_ERR_EAI_BASE - (x)))

static const struct message messages[] = {
	{ -ECONNREFUSED, N_("nothing is listening at that address and port") },
	{ -EADDRINUSE, N_("another socket is already bound to that address") },
	{ -EACCES, N_("permission denied: ports below 1024 need root or "
		      "CAP_NET_BIND_SERVICE, and a Unix socket needs write "
		      "access to its directory") },
	{ -EPERM, N_("the system refused the operation (firewall or "
		     "permissions)") },
	{ -ENOENT, N_("no socket exists at that path") },
	{ -ENOTDIR, N_("a component of that path is not a directory") },
	{ -ETIMEDOUT, N_("no answer came in time: the host may be down, or a "
			 "firewall drops the packets") },
	{ -ECONNRESET, N_("the other side closed the connection abruptly "
			  "(it sent a reset)") },
	{ -EPIPE, N_("the other side closed before everything was sent") },
	{ -EHOSTUNREACH, N_("no route to that host") },
	{ -ENETUNREACH, N_("no route to that network") },
	{ -EADDRNOTAVAIL, N_("that address does not belong to this machine") },
	{ -EAFNOSUPPORT,
	  N_("the address family is not available: -4/-6 and "
	     "the address disagree, or this machine lacks that IP "
	     "version") },
	{ -ENOTSOCK, N_("the path exists and is not a socket; sock never "
			"replaces a file that is not a socket") },
	{ -EPROTOTYPE, N_("the socket at that path is of another type "
			  "(stream, datagram or seqpacket)") },
	{ -EMSGSIZE,
	  N_("a message was larger than the socket, or sock's 256 KiB "
	     "message buffer, can carry") },
	{ -EMFILE, N_("this process has too many open files (ulimit -n)") },
	{ -ENAMETOOLONG, N_("the path is too long for a Unix socket") },
	{ -EKEYREJECTED, N_("the TLS certificate was not accepted (wrong "
			    "name, unknown authority or pin; --trace says "
			    "which)") },
	{ -EKEYEXPIRED, N_("the TLS certificate has expired or is not valid "
			   "yet") },
	{ -EPROTO, N_("the TLS handshake failed: the peer does not speak "
		      "TLS, or has no version or cipher in common") },
	{ EAI(EAI_NONAME), N_("host not found: the name does not resolve "
			      "(check its spelling or the DNS settings)") },
	{ EAI(EAI_SERVICE), N_("unknown service name: it is not in "
			       "/etc/services; give a port number") },
	{ EAI(EAI_AGAIN), N_("the name server did not answer; try again "
			     "later") },
	{ EAI(EAI_FAIL), N_("the name server failed") },
	{ EAI(EAI_NODATA), N_("the name exists but has no address") },
	{ EAI(EAI_ADDRFAMILY), N_("the name has no address of the family "
				  "asked for (-4/-6)") },
	{ EAI(EAI_FAMILY), N_("the address family asked for is not "
			      "supported") },
};

static const char *lookup(const struct message *t, size_t n, int err)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].err == err)
			return _(t[i].explanation);
	return NULL;
}

const char *tool_explain(int err)
{
	return lookup(messages, sizeof(messages) / sizeof(messages[0]), err);
}

const char *tool_explain_bind_enoent(void)
{
	return _("a directory in that path does not exist");
}

const char *tool_brief(int err)
{
	if (sock_proxy_err_is(err))
		return tool_proxy_words(err);
	return lookup(briefs, sizeof(briefs) / sizeof(briefs[0]), err);
}

/* What the library's endpoint parser (lib/addr.c, which never
 * translates) says is wrong, listed here so that the catalog has it;
 * tests/it/0813-i18n-catalog.sh checks that the list is complete. */
static const char *const addr_reasons[] = {
	N_("invalid endpoint"),
	N_("IPv4 address has more than four numbers"),
	N_("IPv4 address needs four numbers"),
	N_("IPv4 address with an IPv6 scheme"),
	N_("IPv4 number above 255"),
	N_("IPv6 address needs brackets"),
	N_("IPv6 address with an IPv4 scheme"),
	N_("abstract name longer than 107 bytes"),
	N_("bad IPv6 address"),
	N_("bad character in IPv6 address"),
	N_("bad character in host name"),
	N_("bad character in zone"),
	N_("empty IPv6 address"),
	N_("empty abstract name"),
	N_("empty endpoint"),
	N_("empty path"),
	/* xgettext:no-c-format */
	N_("empty zone after '%'"),
	N_("expected '//' after the scheme"),
	N_("expected ':' after ']'"),
	N_("host name longer than 253 bytes"),
	N_("leading zero in IPv4 address"),
	N_("missing ']'"),
	N_("missing number in IPv4 address"),
	N_("missing port"),
	N_("no endpoint"),
	N_("path longer than 107 bytes"),
	N_("port above 65535"),
	N_("port longer than 5 digits"),
	N_("port must be 0..65535 or a service name"),
	N_("service name longer than 32 bytes"),
	N_("unexpected text after '-'"),
	N_("unexpected text after the port"),
	N_("unknown scheme"),
	N_("zone longer than 15 bytes"),
};

const char *tool_addr_reason(const char *reason)
{
	for (size_t i = 0; i < sizeof(addr_reasons) / sizeof(addr_reasons[0]);
	     i++)
		if (!strcmp(addr_reasons[i], reason))
			return _(reason);
	return reason;
}
