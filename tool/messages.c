/*
 * tool/messages.c - what errors mean, in plain words.  Every runtime
 * error the tool reports is explained from this one table, so that a
 * translation touches one file.
 */
#include <errno.h>
#include <netdb.h>
#include <stddef.h>

#include <sock/sock.h>

#include "cmd.h"

struct message {
	int err; /* negative errno, or a resolver error (sock.h) */
	const char *explanation;
};

/* Where strerror's wording misleads ("Socket operation on non-socket"
 * for a regular file in the way), a plainer name for the error. */
static const struct message briefs[] = {
	{ -ENOTSOCK, "not a socket" },
	{ -EPROTOTYPE, "wrong socket type" },
};

#define EAI(x) (-(SOCK_ERR_EAI_BASE - (x)))

static const struct message messages[] = {
	{ -ECONNREFUSED, "nothing is listening at that address and port" },
	{ -EADDRINUSE, "another socket is already bound to that address" },
	{ -EACCES, "permission denied: ports below 1024 need root or "
		   "CAP_NET_BIND_SERVICE, and a Unix socket needs write "
		   "access to its directory" },
	{ -EPERM, "the system refused the operation (firewall or "
		  "permissions)" },
	{ -ENOENT, "no socket exists at that path" },
	{ -ENOTDIR, "a component of that path is not a directory" },
	{ -ETIMEDOUT, "no answer came in time: the host may be down, or a "
		      "firewall drops the packets" },
	{ -ECONNRESET, "the other side closed the connection abruptly "
		       "(it sent a reset)" },
	{ -EPIPE, "the other side closed before everything was sent" },
	{ -EHOSTUNREACH, "no route to that host" },
	{ -ENETUNREACH, "no route to that network" },
	{ -EADDRNOTAVAIL, "that address does not belong to this machine" },
	{ -EAFNOSUPPORT, "the address family is not available: -4/-6 and "
			 "the address disagree, or this machine lacks that IP "
			 "version" },
	{ -ENOTSOCK, "the path exists and is not a socket; sock never "
		     "replaces a file that is not a socket" },
	{ -EPROTOTYPE, "the socket at that path is of another type "
		       "(stream, datagram or seqpacket)" },
	{ -EMSGSIZE, "a message was larger than the socket, or sock's 256 KiB "
		     "message buffer, can carry" },
	{ -EMFILE, "this process has too many open files (ulimit -n)" },
	{ -ENAMETOOLONG, "the path is too long for a Unix socket" },
	{ EAI(EAI_NONAME), "host not found: the name does not resolve "
			   "(check its spelling or the DNS settings)" },
	{ EAI(EAI_SERVICE), "unknown service name: it is not in "
			    "/etc/services; give a port number" },
	{ EAI(EAI_AGAIN), "the name server did not answer; try again "
			  "later" },
	{ EAI(EAI_FAIL), "the name server failed" },
	{ EAI(EAI_NODATA), "the name exists but has no address" },
	{ EAI(EAI_ADDRFAMILY), "the name has no address of the family "
			       "asked for (-4/-6)" },
	{ EAI(EAI_FAMILY), "the address family asked for is not "
			   "supported" },
};

static const char *lookup(const struct message *t, size_t n, int err)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].err == err)
			return t[i].explanation;
	return NULL;
}

const char *tool_explain(int err)
{
	return lookup(messages, sizeof(messages) / sizeof(messages[0]), err);
}

const char *tool_explain_bind_enoent(void)
{
	return "a directory in that path does not exist";
}

const char *tool_brief(int err)
{
	return lookup(briefs, sizeof(briefs) / sizeof(briefs[0]), err);
}
