/*
 * sock/proxy.h - reach a TCP target through a proxy: SOCKS5 (RFC 1928,
 * user/password RFC 1929), SOCKS4a, or HTTP CONNECT (RFC 9110 9.3.6).
 *
 * The target's name is sent to the proxy as written, so the proxy
 * resolves it (remote DNS); literal addresses are sent as addresses.
 *
 * Three layers: the reply parsers are pure functions over bytes (no I/O,
 * unit tests and tests/fuzz/fuzz_proxy.c); a handshake is a state
 * machine that a non-blocking socket drives one step per readiness event
 * (the relay runs many at once in its loop); sock_proxy_handshake() runs
 * one to the end on a connected socket (sock connect).  Every byte goes
 * through the traced calls, and each step is told to --trace.
 *
 * A proxy's refusal is returned as a negative value at or below
 * -SOCK_ERR_PROXY_BASE (sock_proxy_err_*() take it apart); other failures
 * are -errno.  Nothing here prints or exits.
 */
#ifndef SOCK_PROXY_H
#define SOCK_PROXY_H

#include <stddef.h>

#include <sock/addr.h>

enum sock_proxy_type {
	SOCK_PROXY_NONE = 0,
	SOCK_PROXY_SOCKS5,
	SOCK_PROXY_SOCKS4A,
	SOCK_PROXY_HTTP, /* HTTP CONNECT */
};

/* Proxy failures, as -(SOCK_ERR_PROXY_BASE + code).  The code is one of
 * the classes below plus, for the last three, the proxy's own number:
 * SOCKS5 reply 1..255, SOCKS4 reply 0..255, HTTP status 100..999. */
#define SOCK_ERR_PROXY_BASE 20000
enum sock_proxy_code {
	SOCK_PROXY_E_GARBAGE = 1, /* the reply is not the protocol's */
	SOCK_PROXY_E_CLOSED,	  /* closed before the reply was whole */
	SOCK_PROXY_E_TOO_LONG,	  /* HTTP: a reply header beyond 8 KiB */
	SOCK_PROXY_E_NO_METHOD,	  /* SOCKS5: none of our methods (0xFF) */
	SOCK_PROXY_E_NEED_AUTH,	  /* SOCKS5: wants user/password, none set */
	SOCK_PROXY_E_AUTH,	  /* SOCKS5: user/password refused */
	SOCK_PROXY_E_SILENT,	  /* no answer within the time allowed */
	SOCK_PROXY_E_SOCKS5 = 1000,
	SOCK_PROXY_E_SOCKS4 = 2000,
	SOCK_PROXY_E_HTTP = 3000,
};

/* 1 when err is a proxy failure. */
int sock_proxy_err_is(int err);
/* The class of a proxy failure (SOCK_PROXY_E_GARBAGE...
 * SOCK_PROXY_E_HTTP), and the proxy's number for the last three. */
int sock_proxy_err_class(int err);
int sock_proxy_err_number(int err);

#define SOCK_PROXY_USER_MAX 256
#define SOCK_PROXY_PASS_MAX 256

/* A proxy: where it listens and who we are to it. */
struct sock_proxy {
	enum sock_proxy_type type;
	struct sock_addr addr;		/* a tcp endpoint */
	char user[SOCK_PROXY_USER_MAX]; /* "" none */
	char pass[SOCK_PROXY_PASS_MAX]; /* SOCKS5 and HTTP; "" none */
};

/*
 * Parse "socks5://[USER@]HOST[:PORT]", "socks4a://", "http://" (default
 * ports 1080, 1080, 3128).  A password in the text ("USER:PASS@") is
 * refused: it would show in ps.  Returns 0 and fills *p (pass empty), or
 * -EINVAL with *why a static English reason.
 */
int sock_proxy_parse(const char *text, struct sock_proxy *p, const char **why);

/* The scheme's name: "socks5", "socks4a", "http". */
const char *sock_proxy_type_name(enum sock_proxy_type t);

/* ---- the pure reply parsers ------------------------------------------
 * Each reads the reply at the start of b[0..n).  Returns the reply's
 * length (> 0) when it is whole and says yes; 0 when more bytes are
 * needed, *need then being how many the reply has at least (so a reader
 * never takes a byte past the reply); or a proxy failure (< 0). */

/* SOCKS5 method choice (2 bytes); *method gets the method chosen. */
int sock_proxy_parse_socks5_method(const unsigned char *b, size_t n,
				   size_t *need, int *method);
/* SOCKS5 user/password status (2 bytes). */
int sock_proxy_parse_socks5_auth(const unsigned char *b, size_t n,
				 size_t *need);
/* SOCKS5 CONNECT reply (10, 22 or 7 + name bytes); the bound address is
 * written in text into bound (len bytes) when not NULL. */
int sock_proxy_parse_socks5_reply(const unsigned char *b, size_t n,
				  size_t *need, char *bound, size_t len);
/* SOCKS4/4a reply (8 bytes). */
int sock_proxy_parse_socks4_reply(const unsigned char *b, size_t n,
				  size_t *need);
/* HTTP reply to CONNECT: the status line and headers up to the empty
 * line; *status gets the status code. */
int sock_proxy_parse_http_reply(const unsigned char *b, size_t n, size_t *need,
				int *status);

/* ---- the handshake ----------------------------------------------------- */

/* The longest reply kept (an HTTP header). */
#define SOCK_PROXY_REPLY_MAX 8192

struct sock_proxy_hs {
	const struct sock_proxy *p;
	char host[SOCK_ADDR_HOST_MAX]; /* the target */
	int port;
	int state;
	int want_write; /* the step waits for the socket to take output */
	unsigned char out[2048]; /* the longest request: HTTP with a login */
	size_t out_len, out_off;
	size_t in_len;
	/* Last: sock_proxy_hs_init() leaves it as it is. */
	unsigned char in[SOCK_PROXY_REPLY_MAX + 1]; /* + NUL */
};

/*
 * Prepare a handshake with p (which must outlive it) for target
 * host:port.  Returns 0, or when the request cannot be written:
 * -EAFNOSUPPORT (SOCKS4a and an IPv6 address), -EINVAL (an empty name, one
 * over 253 bytes, a bad port), -EMSGSIZE (too long for the buffer).
 */
int sock_proxy_hs_init(struct sock_proxy_hs *h, const struct sock_proxy *p,
		       const char *host, int port);

/*
 * Move the handshake on over connected socket fd (non-blocking): send
 * what is due, read what has come, parse it.  Returns 0 once the proxy
 * has connected us to the target (the socket then carries the target's
 * bytes, none of them read), -EAGAIN when it waits for the socket
 * (h->want_write: to write, else to read), or a failure.
 */
int sock_proxy_hs_step(struct sock_proxy_hs *h, int fd);

/*
 * The whole handshake over connected socket fd (blocking or not; it is
 * left as it was), waiting at most timeout_ms in all (<= 0: no limit;
 * beyond it the SOCK_PROXY_E_SILENT failure).  Returns 0 or a failure.
 */
int sock_proxy_handshake(int fd, const struct sock_proxy *p, const char *host,
			 int port, int timeout_ms);

#endif
