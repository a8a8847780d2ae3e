/*
 * lib/tls_internal.h - internal: the TLS context that lib/tls_ctx.c makes
 * and lib/tls.c's sessions use.  Not installed.
 */
#ifndef SOCK_LIB_TLS_INTERNAL_H
#define SOCK_LIB_TLS_INTERNAL_H

#include <openssl/ssl.h>

#include <sock/tls.h>

struct sock_tls_ctx {
	SSL_CTX *ctx;
	int server;
	int insecure;
	int pinned;
	unsigned char pin[SOCK_TLS_SHA256_LEN];
	char servername[256]; /* "" : the host asked for */
	char password[256];
	unsigned char alpn[SOCK_TLS_ALPN_MAX]; /* a server's choices */
	size_t alpn_len;
};

/* The SHA-256 of a certificate's DER and of its public key's. */
int sock__tls_cert_sha256(X509 *x, unsigned char out[SOCK_TLS_SHA256_LEN]);
int sock__tls_spki_sha256(X509 *x, unsigned char out[SOCK_TLS_SHA256_LEN]);

/* A certificate's DNS and IP names, ", "-separated (its CN when it has
 * none); its subject or issuer on one line; a time as "YYYY-MM-DD
 * HH:MM:SS UTC". */
void sock__tls_names(X509 *x, char *buf, size_t len);
void sock__tls_name_line(const X509_NAME *n, char *buf, size_t len);
void sock__tls_time(const ASN1_TIME *t, char *buf, size_t len);

#endif
