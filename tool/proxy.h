/*
 * tool/proxy.h - the tool's side of proxies (tool/proxy_opts.c) and of
 * access control (tool/acl_opts.c): options, files, and the words for
 * what went wrong.
 */
#ifndef SOCK_TOOL_PROXY_H
#define SOCK_TOOL_PROXY_H

#include <sys/socket.h>

#include <sock/acl.h>
#include <sock/proxy.h>
#include <sock/sock.h>

#include "cmd.h"

/* Exit statuses of a proxy that answered no (docs/sock.1, EXIT STATUS). */
enum {
	EXIT_PROXY_REFUSED = 4, /* a SOCKS reply code or an HTTP status */
	EXIT_PROXY_AUTH = 5,	/* the proxy wants, or refused, our login */
	EXIT_PROXY_NOT = 6,	/* not a proxy: garbage, or closed at once */
};

/* The proxy options of connect and relay. */
struct tool_proxy_opts {
	const char *url;       /* --proxy */
	const char *auth_file; /* --proxy-auth-file */
	int dns_local;	       /* --proxy-dns local: we resolve the target */
	struct sock_proxy p;
	char host[SOCK_ADDR_HOST_MAX]; /* the target, as the proxy gets it */
	int port;		       /* the target's port, as a number */
};

/* Long options shared by connect and relay (values >= 0x200). */
/* clang-format off */
#define TOOL_PROXY_LONGOPTS \
	{ "proxy", required_argument, NULL, 0x200 }, \
	{ "proxy-auth-file", required_argument, NULL, 0x201 }, \
	{ "proxy-dns", required_argument, NULL, 0x202 }
/* clang-format on */
/* Take option c (0x200-0x202); returns 0 when it was not one of them, 1
 * when taken, or EXIT_USAGE after saying what is wrong. */
int tool_proxy_option(const char *cmd, int c, const char *arg,
		      struct tool_proxy_opts *o);

/*
 * Make the proxy ready for target `to` (text: as typed; family: -4/-6):
 * parse --proxy, resolve the target here with --proxy-dns local,
 * read the password (SOCK_PROXY_PASSWORD, or --proxy-auth-file's first
 * line), check that to is a tcp endpoint.  Returns 0 (also when no
 * --proxy was given), or EXIT_USAGE after saying what is wrong.
 */
int tool_proxy_setup(const char *cmd, struct tool_proxy_opts *o,
		     const struct sock_addr *to, const char *text, int family);

/* Connect to the proxy and have it connect us to text's target
 * (o->host, o->port), within so->timeout_ms (-w; else 60 s).  Returns 0
 * and fills *out, or an exit status after saying what failed. */
int tool_proxy_connect(const struct sock_global *g, struct tool_proxy_opts *o,
		       const char *text, const struct sock_opts *so,
		       struct sock_conn *out);

/* Plain words for a proxy failure (sock_proxy_err_is(err)); a static
 * buffer, until the next call. */
const char *tool_proxy_words(int err);

/* Say that action on endpoint through the proxy failed; returns the exit
 * status (4, 5, 6 for what the proxy said, else tool_fail()'s). */
int tool_proxy_fail(const char *action, const char *endpoint,
		    const struct tool_proxy_opts *o, int err);

/* ---- access control ----------------------------------------------------- */

struct tool_acl_opts {
	struct sock_acl *acl;	/* NULL until an option needs it */
	unsigned int max_conns; /* --max-conns; 0: no limit */
};

/* clang-format off */
#define TOOL_ACL_LONGOPTS \
	{ "allow", required_argument, NULL, 0x210 }, \
	{ "deny", required_argument, NULL, 0x211 }, \
	{ "allow-file", required_argument, NULL, 0x212 }, \
	{ "deny-file", required_argument, NULL, 0x213 }, \
	{ "allow-uid", required_argument, NULL, 0x214 }, \
	{ "max-conns", required_argument, NULL, 0x215 }
/* clang-format on */
/* Take option c; returns 0 when it was not one of them, 1 when taken,
 * or EXIT_USAGE after saying what is wrong. */
int tool_acl_option(const char *cmd, int c, const char *arg,
		    struct tool_acl_opts *o);

/* The lists against the endpoint served: CIDRs need an Internet stream
 * endpoint, --allow-uid a Unix stream one.  0 or EXIT_USAGE. */
int tool_acl_check(const char *cmd, const struct tool_acl_opts *o,
		   const struct sock_addr *a);

/* Judge an accepted client (fd, its address); 1 admitted, else 0 after
 * saying with -v that peer was refused. */
int tool_acl_admit(const struct sock_global *g, const struct tool_acl_opts *o,
		   int fd, const struct sockaddr *sa, socklen_t len,
		   const char *peer);

/* With -v: "refused PEER: why" (uid: a Unix client's, else -1; err: the
 * credentials could not be read). */
void tool_acl_say_refused(const struct sock_global *g, const char *peer,
			  unsigned int uid, int err);

void tool_acl_free(struct tool_acl_opts *o);

#endif
