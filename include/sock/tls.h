/*
 * sock/tls.h - TLS ends (OpenSSL 3): a context made once from the user's
 * options, a session per connection whose handshake never blocks, and an
 * end for the copy engine (sock/copy.h) so that connect, listen and relay
 * move TLS bytes with the same engine as plain ones.
 *
 * A client verifies the certificate chain and the name by default against
 * the system's trust store: a DNS name against the certificate's DNS
 * names, an IP address against its IP entries.  SNI is sent for DNS names
 * only (RFC 6066).  TLS 1.2 or newer.  A pin (SHA-256 of the certificate
 * or of its public key) replaces the chain check; insecure skips both.
 *
 * Nothing here prints: failures come back as codes and details (struct
 * sock_tls_fail) that the tool turns into words.
 */
#ifndef SOCK_TLS_H
#define SOCK_TLS_H

#include <stddef.h>
#include <stdint.h>

#include <sock/copy.h>

#define SOCK_TLS_SHA256_LEN 32
/* Longest ALPN list in wire format we accept. */
#define SOCK_TLS_ALPN_MAX 256

struct sock_tls_opts {
	int server;	       /* 1: accept handshakes, 0: start them */
	const char *cafile;    /* client: trust these, not the system store;
				 * server: see client_ca */
	const char *cert;      /* our certificate chain (PEM) */
	const char *key;       /* its private key (PEM; NULL: in cert) */
	const char *password;  /* the key's password; NULL: none */
	const char *client_ca; /* server: ask for a client certificate
				 * signed by these (mutual TLS) */
	int self_signed;       /* server: a fresh key and certificate */
	const char *self_name; /* ... for this name (NULL: localhost) */
	int insecure;	       /* client: no verification at all */
	int pinned;	       /* client: accept exactly pin[] */
	unsigned char pin[SOCK_TLS_SHA256_LEN];
	const char *servername; /* client: check and send this name */
	/* ALPN in wire format (sock_tls_alpn_parse()); alpn_len 0: none */
	unsigned char alpn[SOCK_TLS_ALPN_MAX];
	size_t alpn_len;
};

/* What went wrong making a context: the file or setting at fault. */
enum sock_tls_setup {
	SOCK_TLS_SETUP_OK = 0,
	SOCK_TLS_SETUP_CAFILE,	     /* cafile unreadable or no certificate */
	SOCK_TLS_SETUP_CERT,	     /* cert unreadable or not a certificate */
	SOCK_TLS_SETUP_KEY,	     /* key unreadable or not a key */
	SOCK_TLS_SETUP_PASSWORD,     /* the key is encrypted: wrong password */
	SOCK_TLS_SETUP_KEY_MISMATCH, /* key and certificate do not match */
	SOCK_TLS_SETUP_CLIENT_CA,    /* client_ca unreadable */
	SOCK_TLS_SETUP_NO_CERT,	     /* a server with neither cert nor
					self_signed */
	SOCK_TLS_SETUP_STORE,	     /* the system trust store */
	SOCK_TLS_SETUP_OPENSSL,	     /* OpenSSL itself failed */
};

struct sock_tls_ctx;
struct sock_tls;

/* Make a context.  NULL on failure, with *why set and OpenSSL's own words
 * in detail (may be empty). */
struct sock_tls_ctx *sock_tls_ctx_new(const struct sock_tls_opts *o,
				      enum sock_tls_setup *why, char *detail,
				      size_t dlen);
void sock_tls_ctx_free(struct sock_tls_ctx *c);

/* The SHA-256 fingerprint of the context's own certificate (a server's,
 * say the self-signed one).  Returns 0, or -ENOENT when it has none. */
int sock_tls_ctx_fingerprint(const struct sock_tls_ctx *c,
			     unsigned char out[SOCK_TLS_SHA256_LEN]);

/* A session on connected socket fd (not owned: the caller closes it).
 * host is the name the client asked for (checked against the certificate
 * unless the context's servername overrides it); NULL for a server.
 * NULL with errno set on failure. */
struct sock_tls *sock_tls_new(struct sock_tls_ctx *c, int fd, const char *host);
void sock_tls_free(struct sock_tls *t);

/* (A TLS 1.3 server may refuse a client after the client's handshake is
 * done: its read or write then fails with -EPROTO, and
 * sock_tls_get_fail() has the reason as for a handshake.) */

/* One step of the handshake: 0 when done (verified as the context
 * says), -EAGAIN when it waits (sock_tls_wants() says for what), or
 * the error that ended it: -EKEYREJECTED (verification failed),
 * -EKEYEXPIRED, -EPROTO (not TLS, or a protocol failure), -ECONNRESET,
 * -ECONNABORTED (the peer closed or refused the handshake)...;
 * sock_tls_get_fail() has the details. */
int sock_tls_handshake(struct sock_tls *t);

/* The events a session that answered -EAGAIN waits for: EPOLLIN or
 * EPOLLOUT. */
uint32_t sock_tls_wants(const struct sock_tls *t);

/* Make e an end for the copy engine over session t: reads give the
 * decrypted bytes (0 at the peer's close_notify, or at a TCP close,
 * which sock_tls_truncated() then reports), writes encrypt, and
 * shutdown_write sends close_notify and shuts the TCP write side. */
void sock_tls_copy_end(struct sock_tls *t, struct sock_copy_end *e);

/* 1 when decrypted bytes wait inside OpenSSL: a scheduler must read
 * again even though the socket shows nothing. */
int sock_tls_pending(const struct sock_tls *t);

/* 1 when the peer closed TCP without close_notify (data may be cut). */
int sock_tls_truncated(const struct sock_tls *t);

/* What a finished handshake agreed on and who the peer is. */
struct sock_tls_info {
	char version[16]; /* "TLSv1.3" */
	char cipher[64];
	char alpn[64];	   /* "" when none was agreed */
	char subject[256]; /* the peer certificate's, one line */
	char issuer[256];
	char names[512];    /* its DNS and IP names, ", "-separated */
	char not_after[32]; /* "2027-01-01 00:00:00 UTC" */
	int has_cert;	    /* 0: the peer sent no certificate */
	unsigned char sha256[SOCK_TLS_SHA256_LEN];
	long verify;		  /* X509_V_OK (0) or the X509_V_ERR_ code */
	const char *verify_text;  /* OpenSSL's words for verify */
	int verified;		  /* chain and name, or the pin, checked */
	int insecure;		  /* a client told not to verify */
	int ktls_send, ktls_recv; /* the kernel encrypts / decrypts */
};
void sock_tls_get_info(const struct sock_tls *t, struct sock_tls_info *i);

/* Why a handshake failed. */
enum sock_tls_fail_kind {
	SOCK_TLS_FAIL_NONE = 0,
	SOCK_TLS_FAIL_NAME,	   /* certificate for names, asked for asked */
	SOCK_TLS_FAIL_EXPIRED,	   /* expired on when */
	SOCK_TLS_FAIL_NOT_YET,	   /* valid only from when */
	SOCK_TLS_FAIL_UNKNOWN_CA,  /* signed by issuer, whom we do not
				       trust */
	SOCK_TLS_FAIL_SELF_SIGNED, /* self-signed (subject) */
	SOCK_TLS_FAIL_VERIFY,	   /* another chain problem (detail) */
	SOCK_TLS_FAIL_PIN,	   /* neither certificate nor key match */
	SOCK_TLS_FAIL_NOT_TLS,	   /* the peer sent something else */
	SOCK_TLS_FAIL_VERSION,	   /* no common protocol version */
	SOCK_TLS_FAIL_NO_CLIENT_CERT, /* no client certificate where one
					 was required (either side) */
	SOCK_TLS_FAIL_ALERT,	      /* the peer refused (detail: its alert) */
	SOCK_TLS_FAIL_CLOSED,	      /* the peer closed during the handshake */
	SOCK_TLS_FAIL_PROTOCOL,	      /* another TLS failure (detail) */
};

struct sock_tls_fail {
	enum sock_tls_fail_kind kind;
	char names[512];      /* the certificate's names (FAIL_NAME) */
	char asked[256];      /* the name asked for */
	char when[32];	      /* notAfter / notBefore */
	char issuer[256];     /* the unknown issuer, one line */
	char detail[256];     /* OpenSSL's words */
	unsigned char server; /* 1: we were the server */
};
void sock_tls_get_fail(const struct sock_tls *t, struct sock_tls_fail *f);

/* "sha256:HEX" (64 hex digits, pairs may be split by ':') into out.
 * Returns 0, or -EINVAL with *reason (static English text). */
int sock_tls_pin_parse(const char *text, unsigned char out[SOCK_TLS_SHA256_LEN],
		       const char **reason);

/* A comma-separated ALPN list ("h2,http/1.1") into wire format.
 * Returns the length, or -EINVAL with *reason. */
int sock_tls_alpn_parse(const char *text, unsigned char *out, size_t cap,
			const char **reason);

/* "AB:CD:..." of a fingerprint into buf (at least 96 bytes). */
void sock_tls_hex(const unsigned char *md, char *buf, size_t len);

/* OpenSSL's version text ("OpenSSL 3.0.19 ..."). */
const char *sock_tls_library(void);

/* Whether the kernel offers the TLS ULP (kTLS): 1 yes, 0 no. */
int sock_tls_kernel_has_ktls(void);

#endif
