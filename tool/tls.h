/*
 * tool/tls.h - the TLS options of connect, listen and relay, the
 * context they make, a handshake for connect/listen (bounded wait), and
 * TLS failures in plain words.
 */
#ifndef SOCK_TOOL_TLS_H
#define SOCK_TOOL_TLS_H

#include <getopt.h>

#include <sock/tls.h>

#include "cmd.h"

/* getopt_long codes of the TLS options (above any letter). */
enum {
	TOOL_TLS_CAFILE = 0x300,
	TOOL_TLS_PIN,
	TOOL_TLS_SERVERNAME,
	TOOL_TLS_ALPN,
	TOOL_TLS_CERT,
	TOOL_TLS_KEY,
	TOOL_TLS_INSECURE,
	TOOL_TLS_SELF_SIGNED,
	TOOL_TLS_CLIENT_CA,
};

/* The entries to put in a command's long options table. */
#define TOOL_TLS_LONGS                                                         \
	{ "cafile", required_argument, NULL, TOOL_TLS_CAFILE },                \
	    { "pin", required_argument, NULL, TOOL_TLS_PIN },                  \
	    { "servername", required_argument, NULL, TOOL_TLS_SERVERNAME },    \
	    { "alpn", required_argument, NULL, TOOL_TLS_ALPN },                \
	    { "cert", required_argument, NULL, TOOL_TLS_CERT },                \
	    { "key", required_argument, NULL, TOOL_TLS_KEY },                  \
	    { "insecure", no_argument, NULL, TOOL_TLS_INSECURE },              \
	    { "self-signed", no_argument, NULL, TOOL_TLS_SELF_SIGNED },        \
	{                                                                      \
		"client-ca", required_argument, NULL, TOOL_TLS_CLIENT_CA       \
	}

struct tool_tls {
	struct sock_tls_opts o;
	unsigned given; /* 1 << (code - TOOL_TLS_CAFILE) per option seen */
};

/* A TLS option: 0 when taken, an exit status after saying what was
 * wrong, or -1 when c is not one. */
int tool_tls_option(const char *cmd, int c, const char *arg,
		    struct tool_tls *t);

/* The options make sense for a client (server 0) or server end: an
 * option of the other role, or any without a tls:// end (has_tls 0), is
 * a usage error (returns EXIT_USAGE after saying so), else 0. */
int tool_tls_check(const char *cmd, const struct tool_tls *t, int server,
		   int has_tls);

/* Make the context of a client or server end (the key's password from
 * $SOCK_TLS_KEY_PASSWORD); says what is wrong and sets *status to
 * EXIT_USAGE on failure.  A self-signed server's fingerprint is printed. */
struct sock_tls_ctx *tool_tls_context(const char *cmd, struct tool_tls *t,
				      int server, const char *host,
				      int *status);

/* Handshake on connected fd, waiting at most timeout_ms (<= 0: 30 s);
 * say why it failed (who names the peer).  0 and *out, or EXIT_RUNTIME. */
int tool_tls_start(const struct sock_global *g, struct sock_tls_ctx *c, int fd,
		   const char *host, const char *who, long timeout_ms,
		   struct sock_tls **out);

/* A session that ended with err: when the TLS session knows why (a
 * server refusing the client after the handshake), say so and return
 * EXIT_RUNTIME; else 0 (the caller reports err). */
int tool_tls_failed(const struct sock_tls *t, const char *who, int err);

/* After a session: -v says whether the peer's end was a clean
 * close_notify or a cut TCP connection. */
void tool_tls_after(const struct sock_global *g, const struct sock_tls *t,
		    const char *who);

/* sock relay's contexts: FROM a TLS server (--cert --key,
 * --self-signed, --client-ca), TO a TLS client (--cafile, --pin,
 * --servername, --insecure; --cert/--key too when FROM is plain);
 * --alpn goes to TO when it is TLS.  Each NULL where plain.  Returns 0
 * or an exit status (said). */
int tool_tls_relay(struct tool_tls *t, const struct sock_addr *from,
		   const struct sock_addr *to, struct sock_tls_ctx **cfrom,
		   struct sock_tls_ctx **cto);

/* The TLS options' lines of --help: a client's, a listener's or both. */
void tool_tls_usage(FILE *f, int client, int server);

/* A TLS failure in plain words (sock_tls_get_fail()). */
void tool_tls_say_fail(const char *who, int err, const struct sock_tls_fail *f);

#endif
