/*
 * lib/tls_ctx.c - TLS contexts made from the user's options (trust,
 * certificate and key, a self-signed certificate made in memory), the
 * option parsers (pin, ALPN) and the certificate helpers lib/tls.c uses.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/proverr.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include "tls_internal.h"

/* ---- parsers ------------------------------------------------------ */

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int sock_tls_pin_parse(const char *text, unsigned char out[SOCK_TLS_SHA256_LEN],
		       const char **reason)
{
	unsigned char md[SOCK_TLS_SHA256_LEN];
	const char *s;
	size_t n = 0;

	*reason = NULL;
	if (!text || strncasecmp(text, "sha256:", 7) != 0) {
		*reason = "expected sha256:HEX";
		return -EINVAL;
	}
	for (s = text + 7; *s; s++) {
		int hi, lo;

		/* openssl prints fingerprints as AB:CD:...; take both. */
		if (*s == ':' && n > 0 && s[1] && s[1] != ':')
			continue;
		hi = hex_value(s[0]);
		lo = hi < 0 ? -1 : hex_value(s[1]);
		if (hi >= 0 && !s[1]) {
			*reason = "an odd number of hexadecimal digits";
			return -EINVAL;
		}
		if (hi < 0 || lo < 0) {
			*reason = "not a hexadecimal digit";
			return -EINVAL;
		}
		if (n == sizeof(md)) {
			*reason = "more than 64 hexadecimal digits";
			return -EINVAL;
		}
		md[n++] = (unsigned char)(hi << 4 | lo);
		s++;
	}
	if (n != sizeof(md)) {
		*reason = "fewer than 64 hexadecimal digits";
		return -EINVAL;
	}
	memcpy(out, md, sizeof(md));
	return 0;
}

int sock_tls_alpn_parse(const char *text, unsigned char *out, size_t cap,
			const char **reason)
{
	size_t n = 0;
	const char *s = text;

	*reason = NULL;
	if (!text || !*text) {
		*reason = "empty protocol list";
		return -EINVAL;
	}
	for (;;) {
		size_t len = strcspn(s, ",");

		if (len == 0 || len > 255) {
			*reason = len ? "protocol name longer than 255 bytes"
				      : "empty protocol name";
			return -EINVAL;
		}
		if (n + 1 + len > cap) {
			*reason = "protocol list too long";
			return -EINVAL;
		}
		out[n++] = (unsigned char)len;
		memcpy(out + n, s, len);
		n += len;
		if (!s[len])
			return (int)n;
		s += len + 1;
	}
}

void sock_tls_hex(const unsigned char *md, char *buf, size_t len)
{
	size_t at = 0;

	if (!len)
		return;
	buf[0] = '\0';
	for (int i = 0; i < SOCK_TLS_SHA256_LEN && at + 4 <= len; i++)
		at += (size_t)snprintf(buf + at, len - at, "%s%02X",
				       i ? ":" : "", md[i]);
}

const char *sock_tls_library(void)
{
	return OpenSSL_version(OPENSSL_VERSION);
}

/* ---- certificate helpers ------------------------------------------ */

int sock__tls_cert_sha256(X509 *x, unsigned char out[SOCK_TLS_SHA256_LEN])
{
	unsigned int n = 0;

	return X509_digest(x, EVP_sha256(), out, &n) == 1 ? 0 : -EINVAL;
}

int sock__tls_spki_sha256(X509 *x, unsigned char out[SOCK_TLS_SHA256_LEN])
{
	unsigned int n = 0;

	return X509_pubkey_digest(x, EVP_sha256(), out, &n) == 1 ? 0 : -EINVAL;
}

static void append(char *buf, size_t len, const char *text, size_t n)
{
	size_t at = strlen(buf);

	if (at && at + 2 < len) {
		memcpy(buf + at, ", ", 3);
		at += 2;
	}
	if (n > len - at - 1)
		n = len - at - 1;
	memcpy(buf + at, text, n);
	buf[at + n] = '\0';
}

static void append_ip(char *buf, size_t len, const ASN1_OCTET_STRING *ip)
{
	const unsigned char *p = ASN1_STRING_get0_data(ip);
	char text[64] = "";

	if (ASN1_STRING_length(ip) == 4)
		snprintf(text, sizeof(text), "%u.%u.%u.%u", p[0], p[1], p[2],
			 p[3]);
	else if (ASN1_STRING_length(ip) == 16)
		for (int i = 0; i < 16; i += 2)
			snprintf(text + strlen(text),
				 sizeof(text) - strlen(text), "%s%x",
				 i ? ":" : "", p[i] << 8 | p[i + 1]);
	if (text[0])
		append(buf, len, text, strlen(text));
}

void sock__tls_names(X509 *x, char *buf, size_t len)
{
	GENERAL_NAMES *sans =
	    X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	int n = sans ? sk_GENERAL_NAME_num(sans) : 0;

	buf[0] = '\0';
	for (int i = 0; i < n; i++) {
		const GENERAL_NAME *g = sk_GENERAL_NAME_value(sans, i);

		if (g->type == GEN_DNS)
			append(
			    buf, len,
			    (const char *)ASN1_STRING_get0_data(g->d.dNSName),
			    (size_t)ASN1_STRING_length(g->d.dNSName));
		else if (g->type == GEN_IPADD)
			append_ip(buf, len, g->d.iPAddress);
	}
	GENERAL_NAMES_free(sans);
	if (!buf[0]) {
		char cn[256];

		if (X509_NAME_get_text_by_NID(X509_get_subject_name(x),
					      NID_commonName, cn,
					      sizeof(cn)) > 0)
			append(buf, len, cn, strlen(cn));
	}
}

void sock__tls_name_line(const X509_NAME *n, char *buf, size_t len)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *p = NULL;
	long got;

	buf[0] = '\0';
	if (!b)
		return;
	X509_NAME_print_ex(b, n, 0, XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB);
	got = BIO_get_mem_data(b, &p);
	if (got > 0)
		snprintf(buf, len, "%.*s", (int)got, p);
	BIO_free(b);
}

void sock__tls_time(const ASN1_TIME *t, char *buf, size_t len)
{
	struct tm tm;

	buf[0] = '\0';
	if (t && ASN1_TIME_to_tm(t, &tm) == 1)
		strftime(buf, len, "%Y-%m-%d %H:%M:%S UTC", &tm);
}

/* ---- the self-signed certificate ---------------------------------- */

static int add_san(X509 *x, const char *name)
{
	unsigned char ip[16];
	char san[600];
	X509V3_CTX v3;
	X509_EXTENSION *ext;
	int ok, is_ip;

	is_ip = name && (inet_pton(AF_INET, name, ip) == 1 ||
			 inet_pton(AF_INET6, name, ip) == 1);
	snprintf(san, sizeof(san), "DNS:localhost,IP:127.0.0.1,IP:::1%s%s",
		 name ? (is_ip ? ",IP:" : ",DNS:") : "", name ? name : "");
	X509V3_set_ctx_nodb(&v3);
	X509V3_set_ctx(&v3, x, x, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &v3, NID_subject_alt_name, san);
	if (!ext)
		return -1;
	ok = X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	return ok == 1 ? 0 : -1;
}

/* A P-256 key and a certificate for it valid from an hour ago for 30
 * days: enough for a lab; the fingerprint is what a client pins. */
static int self_signed(SSL_CTX *ctx, const char *name)
{
	EVP_PKEY *key = EVP_EC_gen("P-256");
	X509 *x = X509_new();
	X509_NAME *subj;
	unsigned char serial[16];
	BIGNUM *bn = NULL;
	int ok = 0;

	if (!key || !x || RAND_bytes(serial, sizeof(serial)) != 1)
		goto out;
	serial[0] &= 0x7f;
	bn = BN_bin2bn(serial, sizeof(serial), NULL);
	subj = X509_get_subject_name(x);
	ok = bn && BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)) &&
	     X509_set_version(x, 2) &&
	     X509_gmtime_adj(X509_getm_notBefore(x), -3600) &&
	     X509_gmtime_adj(X509_getm_notAfter(x), 30L * 86400) &&
	     X509_NAME_add_entry_by_txt(
		 subj, "CN", MBSTRING_UTF8,
		 (const unsigned char *)(name ? name : "localhost"), -1, -1,
		 0) &&
	     X509_set_issuer_name(x, subj) && X509_set_pubkey(x, key) &&
	     add_san(x, name) == 0 && X509_sign(x, key, EVP_sha256()) &&
	     SSL_CTX_use_certificate(ctx, x) == 1 &&
	     SSL_CTX_use_PrivateKey(ctx, key) == 1;
out:
	BN_free(bn);
	X509_free(x);
	EVP_PKEY_free(key);
	return ok ? 0 : -1;
}

/* ---- contexts ------------------------------------------------------ */

/* OpenSSL asks for the key's password here, never on the terminal. */
static int password_cb(char *buf, int size, int rwflag, void *arg)
{
	const struct sock_tls_ctx *c = arg;
	size_t n = strlen(c->password);

	(void)rwflag;
	if (!n || n >= (size_t)size)
		return -1;
	memcpy(buf, c->password, n);
	return (int)n;
}

/* Why a key did not load: OpenSSL's queue holds the cause deep down
 * (a bad decrypt under "PEM lib"). */
static enum sock_tls_setup key_error(void)
{
	enum sock_tls_setup why = SOCK_TLS_SETUP_KEY;
	unsigned long e;

	while ((e = ERR_get_error()) != 0) {
		int lib = ERR_GET_LIB(e), r = ERR_GET_REASON(e);

		if (lib == ERR_LIB_X509 && r == X509_R_KEY_VALUES_MISMATCH)
			return SOCK_TLS_SETUP_KEY_MISMATCH;
		if ((lib == ERR_LIB_EVP && r == EVP_R_BAD_DECRYPT) ||
		    (lib == ERR_LIB_PEM &&
		     (r == PEM_R_BAD_DECRYPT || r == PEM_R_BAD_PASSWORD_READ ||
		      r == PEM_R_PROBLEMS_GETTING_PASSWORD)) ||
		    (lib == ERR_LIB_PROV && r == PROV_R_BAD_DECRYPT))
			why = SOCK_TLS_SETUP_PASSWORD;
	}
	return why;
}

static enum sock_tls_setup load_own(struct sock_tls_ctx *c,
				    const struct sock_tls_opts *o)
{
	if (o->self_signed)
		return self_signed(c->ctx, o->self_name)
			   ? SOCK_TLS_SETUP_OPENSSL
			   : SOCK_TLS_SETUP_OK;
	if (!o->cert)
		return o->server ? SOCK_TLS_SETUP_NO_CERT : SOCK_TLS_SETUP_OK;
	if (SSL_CTX_use_certificate_chain_file(c->ctx, o->cert) != 1)
		return SOCK_TLS_SETUP_CERT;
	if (SSL_CTX_use_PrivateKey_file(c->ctx, o->key ? o->key : o->cert,
					SSL_FILETYPE_PEM) != 1)
		return key_error();
	if (SSL_CTX_check_private_key(c->ctx) != 1)
		return SOCK_TLS_SETUP_KEY_MISMATCH;
	return SOCK_TLS_SETUP_OK;
}

static enum sock_tls_setup load_trust(struct sock_tls_ctx *c,
				      const struct sock_tls_opts *o)
{
	if (o->server) {
		STACK_OF(X509_NAME) * names;

		if (!o->client_ca)
			return SOCK_TLS_SETUP_OK;
		if (SSL_CTX_load_verify_locations(c->ctx, o->client_ca, NULL) !=
		    1)
			return SOCK_TLS_SETUP_CLIENT_CA;
		names = SSL_load_client_CA_file(o->client_ca);
		if (names)
			SSL_CTX_set_client_CA_list(c->ctx, names);
		SSL_CTX_set_verify(
		    c->ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT,
		    NULL);
		return SOCK_TLS_SETUP_OK;
	}
	/* A pin or --insecure decides alone: the chain is not checked. */
	if (o->insecure || o->pinned)
		return SOCK_TLS_SETUP_OK;
	if (o->cafile) {
		if (SSL_CTX_load_verify_locations(c->ctx, o->cafile, NULL) != 1)
			return SOCK_TLS_SETUP_CAFILE;
	} else if (SSL_CTX_set_default_verify_paths(c->ctx) != 1) {
		return SOCK_TLS_SETUP_STORE;
	}
	SSL_CTX_set_verify(c->ctx, SSL_VERIFY_PEER, NULL);
	return SOCK_TLS_SETUP_OK;
}

static enum sock_tls_setup configure(struct sock_tls_ctx *c,
				     const struct sock_tls_opts *o)
{
	enum sock_tls_setup why;

	SSL_CTX_set_min_proto_version(c->ctx, TLS1_2_VERSION);
	/* kTLS when the kernel and OpenSSL offer it; never required. */
	SSL_CTX_set_options(c->ctx, SSL_OP_ENABLE_KTLS);
	SSL_CTX_set_mode(c->ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
				     SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	SSL_CTX_set_default_passwd_cb(c->ctx, password_cb);
	SSL_CTX_set_default_passwd_cb_userdata(c->ctx, c);
	why = load_own(c, o);
	if (why == SOCK_TLS_SETUP_OK)
		why = load_trust(c, o);
	if (why == SOCK_TLS_SETUP_OK && o->alpn_len && !o->server &&
	    SSL_CTX_set_alpn_protos(c->ctx, o->alpn, (unsigned)o->alpn_len))
		why = SOCK_TLS_SETUP_OPENSSL;
	return why;
}

/* A server offered ALPN: pick the first of its list the client has. */
static int alpn_select(SSL *ssl, const unsigned char **out,
		       unsigned char *outlen, const unsigned char *in,
		       unsigned int inlen, void *arg)
{
	const struct sock_tls_ctx *c = arg;
	unsigned char *sel = NULL;

	(void)ssl;
	if (SSL_select_next_proto(&sel, outlen, c->alpn, (unsigned)c->alpn_len,
				  in, inlen) != OPENSSL_NPN_NEGOTIATED)
		return SSL_TLSEXT_ERR_NOACK;
	*out = sel;
	return SSL_TLSEXT_ERR_OK;
}

struct sock_tls_ctx *sock_tls_ctx_new(const struct sock_tls_opts *o,
				      enum sock_tls_setup *why, char *detail,
				      size_t dlen)
{
	struct sock_tls_ctx *c = calloc(1, sizeof(*c));

	*why = SOCK_TLS_SETUP_OPENSSL;
	if (detail && dlen)
		detail[0] = '\0';
	ERR_clear_error();
	if (!c)
		return NULL;
	c->server = o->server;
	c->insecure = o->insecure;
	c->pinned = o->pinned;
	memcpy(c->pin, o->pin, sizeof(c->pin));
	c->alpn_len = o->alpn_len < sizeof(c->alpn) ? o->alpn_len : 0;
	memcpy(c->alpn, o->alpn, c->alpn_len);
	if (o->servername)
		snprintf(c->servername, sizeof(c->servername), "%s",
			 o->servername);
	if (o->password)
		snprintf(c->password, sizeof(c->password), "%s", o->password);
	c->ctx =
	    SSL_CTX_new(o->server ? TLS_server_method() : TLS_client_method());
	if (c->ctx)
		*why = configure(c, o);
	if (*why == SOCK_TLS_SETUP_OK && o->server && o->alpn_len)
		SSL_CTX_set_alpn_select_cb(c->ctx, alpn_select, c);
	if (*why == SOCK_TLS_SETUP_OK)
		return c;
	if (detail && dlen && ERR_peek_last_error())
		ERR_error_string_n(ERR_peek_last_error(), detail, dlen);
	ERR_clear_error();
	sock_tls_ctx_free(c);
	return NULL;
}

void sock_tls_ctx_free(struct sock_tls_ctx *c)
{
	if (!c)
		return;
	SSL_CTX_free(c->ctx);
	OPENSSL_cleanse(c->password, sizeof(c->password));
	free(c);
}

int sock_tls_ctx_fingerprint(const struct sock_tls_ctx *c,
			     unsigned char out[SOCK_TLS_SHA256_LEN])
{
	X509 *x = SSL_CTX_get0_certificate(c->ctx);

	if (!x)
		return -ENOENT;
	return sock__tls_cert_sha256(x, out);
}
