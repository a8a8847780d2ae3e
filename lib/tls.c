/*
 * lib/tls.c - TLS sessions: a handshake that never blocks (so one event
 * loop runs many), what it agreed on and why it failed, and the session
 * as an end of the copy engine.  The steps go to --trace through
 * sock__tracef(); OpenSSL reads and writes the socket itself (a socket
 * BIO is what kTLS needs).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "sys.h"
#include "tls_internal.h"
#include "trace_internal.h"

/* How long close_notify may wait for room in a full send buffer. */
#define TLS_CLOSE_WAIT_MS 1000

struct sock_tls {
	struct sock_tls_ctx *c;
	SSL *ssl;
	int fd;
	uint32_t wants;
	int started, done, truncated;
	int eof_seen;		   /* the end of data was traced */
	char asked[256];	   /* the name or address asked for */
	struct sock_tls_fail fail; /* the first failure seen */
};

static int is_ip_literal(const char *host)
{
	unsigned char buf[16];

	return inet_pton(AF_INET, host, buf) == 1 ||
	       inet_pton(AF_INET6, host, buf) == 1;
}

/* The names to check: a DNS name against DNS SANs and an IP against IP
 * SANs (OpenSSL 3's SSL_set1_host takes both); SNI for DNS names only. */
static int set_peer_name(struct sock_tls *t, const char *host)
{
	const char *name = t->c->servername[0] ? t->c->servername : host;

	if (!name || !*name)
		return 0;
	snprintf(t->asked, sizeof(t->asked), "%s", name);
	if (!is_ip_literal(name) && SSL_set_tlsext_host_name(t->ssl, name) != 1)
		return -EINVAL;
	if (t->c->insecure || t->c->pinned)
		return 0;
	SSL_set_hostflags(t->ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
	return SSL_set1_host(t->ssl, name) == 1 ? 0 : -EINVAL;
}

/* The first chain or name problem, with the certificate it was about:
 * after the handshake fails only this still knows it. */
static int verify_cb(int ok, X509_STORE_CTX *x)
{
	SSL *ssl =
	    X509_STORE_CTX_get_ex_data(x, SSL_get_ex_data_X509_STORE_CTX_idx());
	struct sock_tls *t = SSL_get_app_data(ssl);
	X509 *cert = X509_STORE_CTX_get_current_cert(x);
	X509 *leaf = X509_STORE_CTX_get0_cert(x);
	int err = X509_STORE_CTX_get_error(x);
	struct sock_tls_fail *f = &t->fail;

	if (ok || f->kind != SOCK_TLS_FAIL_NONE)
		return ok;
	f->kind = SOCK_TLS_FAIL_VERIFY;
	snprintf(f->detail, sizeof(f->detail), "%s",
		 X509_verify_cert_error_string(err));
	snprintf(f->asked, sizeof(f->asked), "%s", t->asked);
	if (leaf)
		sock__tls_names(leaf, f->names, sizeof(f->names));
	if (!cert)
		return ok;
	switch (err) {
	case X509_V_ERR_HOSTNAME_MISMATCH:
	case X509_V_ERR_IP_ADDRESS_MISMATCH:
		f->kind = SOCK_TLS_FAIL_NAME;
		break;
	case X509_V_ERR_CERT_HAS_EXPIRED:
		f->kind = SOCK_TLS_FAIL_EXPIRED;
		sock__tls_time(X509_get0_notAfter(cert), f->when,
			       sizeof(f->when));
		break;
	case X509_V_ERR_CERT_NOT_YET_VALID:
		f->kind = SOCK_TLS_FAIL_NOT_YET;
		sock__tls_time(X509_get0_notBefore(cert), f->when,
			       sizeof(f->when));
		break;
	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
	case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
		f->kind = SOCK_TLS_FAIL_SELF_SIGNED;
		sock__tls_name_line(X509_get_subject_name(cert), f->issuer,
				    sizeof(f->issuer));
		break;
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
		f->kind = SOCK_TLS_FAIL_UNKNOWN_CA;
		sock__tls_name_line(X509_get_issuer_name(cert), f->issuer,
				    sizeof(f->issuer));
		break;
	default:
		break;
	}
	return ok;
}

struct sock_tls *sock_tls_new(struct sock_tls_ctx *c, int fd, const char *host)
{
	struct sock_tls *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->c = c;
	t->fd = fd;
	t->ssl = SSL_new(c->ctx);
	if (!t->ssl || SSL_set_fd(t->ssl, fd) != 1)
		goto fail;
	/* OpenSSL writes whole records; with Nagle on, a small record sent
	 * while the last is unacknowledged (the close_notify after the last
	 * data) waits for the peer's delayed ACK, up to 40 ms a session. */
	sock__setsockopt_int(fd, IPPROTO_TCP, TCP_NODELAY, 1);
	SSL_set_app_data(t->ssl, t);
	if (c->server) {
		SSL_set_accept_state(t->ssl);
		if (SSL_CTX_get_verify_mode(c->ctx) & SSL_VERIFY_PEER)
			SSL_set_verify(t->ssl, SSL_CTX_get_verify_mode(c->ctx),
				       verify_cb);
		return t;
	}
	SSL_set_connect_state(t->ssl);
	if (!c->insecure && !c->pinned)
		SSL_set_verify(t->ssl, SSL_VERIFY_PEER, verify_cb);
	if (set_peer_name(t, host) == 0)
		return t;
fail:
	sock_tls_free(t);
	errno = ENOMEM;
	return NULL;
}

void sock_tls_free(struct sock_tls *t)
{
	if (!t)
		return;
	SSL_free(t->ssl);
	free(t);
}

uint32_t sock_tls_wants(const struct sock_tls *t)
{
	return t->wants ? t->wants : EPOLLIN;
}

int sock_tls_pending(const struct sock_tls *t)
{
	return SSL_pending(t->ssl) > 0;
}

int sock_tls_truncated(const struct sock_tls *t)
{
	return t->truncated;
}

/* ---- why a handshake failed --------------------------------------- */

static int is_not_tls(int reason)
{
	switch (reason) {
	case SSL_R_WRONG_VERSION_NUMBER:
	case SSL_R_HTTP_REQUEST:
	case SSL_R_HTTPS_PROXY_REQUEST:
	case SSL_R_PACKET_LENGTH_TOO_LONG:
	case SSL_R_UNKNOWN_PROTOCOL:
	case SSL_R_RECORD_LENGTH_MISMATCH:
	case SSL_R_UNEXPECTED_RECORD:
		return 1;
	default:
		return 0;
	}
}

static int is_alert(int reason)
{
	return reason >= SSL_AD_REASON_OFFSET &&
	       reason < SSL_AD_REASON_OFFSET + 256;
}

/* Classify an SSL_ERROR_SSL the verify callback did not explain. */
static int protocol_failure(struct sock_tls *t)
{
	unsigned long e = ERR_peek_error();
	int reason = ERR_GET_REASON(e);
	struct sock_tls_fail *f = &t->fail;

	if (f->kind != SOCK_TLS_FAIL_NONE && f->kind != SOCK_TLS_FAIL_PROTOCOL)
		return f->kind == SOCK_TLS_FAIL_EXPIRED ||
			       f->kind == SOCK_TLS_FAIL_NOT_YET
			   ? -EKEYEXPIRED
			   : -EKEYREJECTED;
	if (e)
		snprintf(f->detail, sizeof(f->detail), "%s",
			 ERR_reason_error_string(e) ? ERR_reason_error_string(e)
						    : "unknown");
	if (is_not_tls(reason))
		f->kind = SOCK_TLS_FAIL_NOT_TLS;
	else if (reason == SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE ||
		 reason == SSL_R_TLSV13_ALERT_CERTIFICATE_REQUIRED)
		f->kind = SOCK_TLS_FAIL_NO_CLIENT_CERT;
	else if (reason == SSL_R_UNSUPPORTED_PROTOCOL ||
		 reason == SSL_R_TLSV1_ALERT_PROTOCOL_VERSION ||
		 reason == SSL_R_NO_PROTOCOLS_AVAILABLE)
		f->kind = SOCK_TLS_FAIL_VERSION;
	else if (reason == SSL_R_UNEXPECTED_EOF_WHILE_READING)
		f->kind = SOCK_TLS_FAIL_CLOSED;
	else if (is_alert(reason))
		f->kind = SOCK_TLS_FAIL_ALERT;
	else
		f->kind = SOCK_TLS_FAIL_PROTOCOL;
	if (f->kind == SOCK_TLS_FAIL_CLOSED)
		return -ECONNABORTED;
	return -EPROTO;
}

/* An OpenSSL call's result as this library's: -EAGAIN with t->wants
 * set, 0 for the peer's close_notify (and a TCP close: truncated), or
 * the -errno of the failure. */
static int io_result(struct sock_tls *t, int r, int handshake)
{
	int e = SSL_get_error(t->ssl, r);
	int saved = errno;

	switch (e) {
	case SSL_ERROR_WANT_READ:
		t->wants = EPOLLIN;
		return -EAGAIN;
	case SSL_ERROR_WANT_WRITE:
		t->wants = EPOLLOUT;
		return -EAGAIN;
	case SSL_ERROR_ZERO_RETURN:
		return handshake ? -ECONNABORTED : 0;
	case SSL_ERROR_SYSCALL:
		if (saved && saved != EAGAIN)
			return -saved;
		break;
	case SSL_ERROR_SSL:
		/* After the handshake too: a TLS 1.3 server refuses a
		 * client's certificate (or its absence) only then. */
		if (ERR_GET_REASON(ERR_peek_error()) !=
		    SSL_R_UNEXPECTED_EOF_WHILE_READING)
			return protocol_failure(t);
		break;
	default:
		return -EPROTO;
	}
	/* The peer closed TCP without close_notify. */
	if (handshake) {
		t->fail.kind = SOCK_TLS_FAIL_CLOSED;
		return -ECONNABORTED;
	}
	t->truncated = 1;
	return 0;
}

void sock_tls_get_fail(const struct sock_tls *t, struct sock_tls_fail *f)
{
	*f = t->fail;
	f->server = (unsigned char)t->c->server;
}

/* ---- the handshake -------------------------------------------------- */

static int check_pin(struct sock_tls *t)
{
	X509 *x = SSL_get0_peer_certificate(t->ssl);
	unsigned char a[SOCK_TLS_SHA256_LEN], b[SOCK_TLS_SHA256_LEN];

	if (x && sock__tls_cert_sha256(x, a) == 0 &&
	    sock__tls_spki_sha256(x, b) == 0 &&
	    (!memcmp(a, t->c->pin, sizeof(a)) ||
	     !memcmp(b, t->c->pin, sizeof(b))))
		return 0;
	t->fail.kind = SOCK_TLS_FAIL_PIN;
	if (x)
		sock__tls_names(x, t->fail.names, sizeof(t->fail.names));
	return -EKEYREJECTED;
}

static void trace_info(const struct sock_tls *t)
{
	struct sock_tls_info i;
	char hex[100];

	sock_tls_get_info(t, &i);
	sock__tracef(0, "tls_handshake(%d) = done %s %s%s%s", t->fd, i.version,
		     i.cipher, i.alpn[0] ? " alpn " : "", i.alpn);
	if (i.has_cert) {
		sock_tls_hex(i.sha256, hex, sizeof(hex));
		sock__tracef(0, "  peer certificate: subject %s", i.subject);
		sock__tracef(0, "  issuer %s", i.issuer);
		sock__tracef(0, "  names %s; valid until %s", i.names,
			     i.not_after);
		sock__tracef(0, "  sha256 %s", hex);
	} else {
		sock__tracef(0, "  peer certificate: none");
	}
	sock__tracef(0, "  verification: %s", i.verify_text);
	sock__tracef(0, "  kTLS: send %s, receive %s",
		     i.ktls_send ? "on" : "off", i.ktls_recv ? "on" : "off");
}

static void trace_start(const struct sock_tls *t)
{
	if (t->c->server)
		sock__tracef(0, "tls_handshake(%d) start: server", t->fd);
	else
		sock__tracef(0, "tls_handshake(%d) start: client for %s%s",
			     t->fd, t->asked[0] ? t->asked : "(no name)",
			     t->c->insecure ? ", not verified (--insecure)"
			     : t->c->pinned ? ", pinned"
					    : ", verifying chain and name");
}

int sock_tls_handshake(struct sock_tls *t)
{
	int r;

	if (t->done)
		return 0;
	if (!t->started) {
		t->started = 1;
		if (sock__trace_fn)
			trace_start(t);
	}
	ERR_clear_error();
	r = SSL_do_handshake(t->ssl);
	if (r != 1) {
		r = io_result(t, r, 1);
		if (r != -EAGAIN && sock__trace_fn)
			sock__tracef(r, "tls_handshake(%d) = failed: %s", t->fd,
				     t->fail.detail[0] ? t->fail.detail
						       : "connection closed");
		ERR_clear_error();
		return r;
	}
	if (!t->c->server && t->c->pinned && (r = check_pin(t)) < 0) {
		sock__tracef(r, "tls_handshake(%d) = failed: pin mismatch",
			     t->fd);
		return r;
	}
	t->done = 1;
	if (sock__trace_fn)
		trace_info(t);
	return 0;
}

/* ---- what it agreed on ---------------------------------------------- */

static const char *verify_text(const struct sock_tls *t, long v)
{
	if (t->c->server)
		return SSL_get0_peer_certificate(t->ssl)
			   ? (v == X509_V_OK ? "client certificate verified"
					     : X509_verify_cert_error_string(v))
			   : "no client certificate asked for";
	if (t->c->insecure)
		return "NOT verified (--insecure)";
	if (t->c->pinned)
		return t->done ? "pinned certificate or key matched"
			       : "pin not checked yet";
	return v == X509_V_OK ? "chain and name verified"
			      : X509_verify_cert_error_string(v);
}

void sock_tls_get_info(const struct sock_tls *t, struct sock_tls_info *i)
{
	const unsigned char *alpn = NULL;
	unsigned int alen = 0;
	X509 *x = SSL_get0_peer_certificate(t->ssl);

	memset(i, 0, sizeof(*i));
	snprintf(i->version, sizeof(i->version), "%s", SSL_get_version(t->ssl));
	snprintf(i->cipher, sizeof(i->cipher), "%s",
		 SSL_CIPHER_get_name(SSL_get_current_cipher(t->ssl)));
	SSL_get0_alpn_selected(t->ssl, &alpn, &alen);
	if (alen)
		snprintf(i->alpn, sizeof(i->alpn), "%.*s", (int)alen, alpn);
	i->verify = SSL_get_verify_result(t->ssl);
	i->verify_text = verify_text(t, i->verify);
	i->insecure = t->c->insecure;
	i->verified = !t->c->insecure && t->done && i->verify == X509_V_OK;
	i->ktls_send = BIO_get_ktls_send(SSL_get_wbio(t->ssl)) > 0;
	i->ktls_recv = BIO_get_ktls_recv(SSL_get_rbio(t->ssl)) > 0;
	if (!x)
		return;
	i->has_cert = 1;
	sock__tls_name_line(X509_get_subject_name(x), i->subject,
			    sizeof(i->subject));
	sock__tls_name_line(X509_get_issuer_name(x), i->issuer,
			    sizeof(i->issuer));
	sock__tls_names(x, i->names, sizeof(i->names));
	sock__tls_time(X509_get0_notAfter(x), i->not_after,
		       sizeof(i->not_after));
	sock__tls_cert_sha256(x, i->sha256);
}

/* ---- the copy engine's end -------------------------------------------- */

static ssize_t tls_read_one(struct sock_tls *t, void *buf, size_t len,
			    size_t *got)
{
	size_t n = 0;
	int r;

	*got = 0;
	ERR_clear_error();
	r = SSL_read_ex(t->ssl, buf, len, &n);
	if (sock__trace_fn)
		sock__trace_data("SSL_read", t->fd, len,
				 r == 1 ? (ssize_t)n : -1, r == 1 ? 0 : EAGAIN,
				 NULL, 0);
	if (r == 1) {
		*got = n;
		return (ssize_t)n;
	}
	r = io_result(t, r, 0);
	if (r == 0 && !t->eof_seen++ && sock__trace_fn)
		sock__tracef(0, "tls(%d): %s", t->fd,
			     t->truncated
				 ? "TCP closed without close_notify (truncated)"
				 : "close_notify received: end of data");
	ERR_clear_error();
	return r;
}

/* One SSL_read gives at most one record (16 KiB): fill the buffer from
 * as many as are ready, so that the other side gets one large write.
 * What stops the loop (EAGAIN, the end, an error) comes again on the
 * next call. */
static ssize_t tls_read(struct sock_copy_end *e, void *buf, size_t len)
{
	struct sock_tls *t = e->ctx;
	size_t got = 0, n;

	while (got < len) {
		ssize_t r = tls_read_one(t, (char *)buf + got, len - got, &n);

		if (r <= 0)
			return got ? (ssize_t)got : r;
		got += n;
	}
	return (ssize_t)got;
}

static ssize_t tls_write(struct sock_copy_end *e, const void *buf, size_t len)
{
	struct sock_tls *t = e->ctx;
	size_t n = 0;
	int r;

	ERR_clear_error();
	r = SSL_write_ex(t->ssl, buf, len, &n);
	if (sock__trace_fn)
		sock__trace_data("SSL_write", t->fd, len,
				 r == 1 ? (ssize_t)n : -1, r == 1 ? 0 : EAGAIN,
				 NULL, 0);
	if (r == 1)
		return (ssize_t)n;
	r = io_result(t, r, 0);
	ERR_clear_error();
	/* Writing after the peer's close_notify: a broken pipe. */
	return r == 0 ? -EPIPE : r;
}

/* close_notify, then the TCP half-close: the end of data either way a
 * peer listens for.  A full send buffer gets a bounded wait. */
static int tls_shutdown(struct sock_copy_end *e)
{
	struct sock_tls *t = e->ctx;
	struct pollfd p = { .fd = t->fd, .events = POLLOUT };
	int r;

	for (int tries = 0; tries < 2; tries++) {
		ERR_clear_error();
		r = SSL_shutdown(t->ssl);
		if (r >= 0 || SSL_get_error(t->ssl, r) != SSL_ERROR_WANT_WRITE)
			break;
		poll(&p, 1, TLS_CLOSE_WAIT_MS);
	}
	ERR_clear_error();
	if (sock__trace_fn)
		sock__tracef(r < 0 ? -EPIPE : 0, "tls(%d): close_notify %s",
			     t->fd, r < 0 ? "not sent" : "sent");
	if (sock__shutdown(t->fd, SHUT_WR) < 0 && errno != ENOTCONN)
		return -errno;
	return 0;
}

static const struct sock_copy_ops tls_ops = { tls_read, tls_write,
					      tls_shutdown };

void sock_tls_copy_end(struct sock_tls *t, struct sock_copy_end *e)
{
	*e = (struct sock_copy_end){
		.ops = &tls_ops, .rfd = t->fd, .wfd = t->fd, .ctx = t
	};
}

int sock_tls_kernel_has_ktls(void)
{
	char line[256] = "";
	FILE *f = fopen("/proc/sys/net/ipv4/tcp_available_ulp", "re");

	if (!f)
		return 0;
	if (!fgets(line, sizeof(line), f))
		line[0] = '\0';
	fclose(f);
	for (char *w = strtok(line, " \n"); w; w = strtok(NULL, " \n"))
		if (!strcmp(w, "tls"))
			return 1;
	return 0;
}
