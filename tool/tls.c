/*
 * tool/tls.c - the TLS options, contexts and handshakes of connect,
 * listen and relay, and what a TLS failure means in plain words.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>

#include <sock/loop.h>

#include "i18n.h"
#include "tls.h"

#define TLS_DEFAULT_WAIT_MS 30000

#define BIT(code) (1u << ((code)-TOOL_TLS_CAFILE))
/* Options of a client end and of a server end. */
#define CLIENT_ONLY                                                            \
	(BIT(TOOL_TLS_CAFILE) | BIT(TOOL_TLS_PIN) | BIT(TOOL_TLS_SERVERNAME) | \
	 BIT(TOOL_TLS_INSECURE))
#define SERVER_ONLY (BIT(TOOL_TLS_SELF_SIGNED) | BIT(TOOL_TLS_CLIENT_CA))

static const char *const names[] = {
	"--cafile", "--pin",	  "--servername",  "--alpn",	  "--cert",
	"--key",    "--insecure", "--self-signed", "--client-ca",
};

/* What the library says in English (reasons of its parsers, how a
 * peer was verified), listed here so that the catalog has them. */
static const char *const library_words[] = {
	N_("expected sha256:HEX"),
	N_("not a hexadecimal digit"),
	N_("an odd number of hexadecimal digits"),
	N_("more than 64 hexadecimal digits"),
	N_("fewer than 64 hexadecimal digits"),
	N_("empty protocol list"),
	N_("empty protocol name"),
	N_("protocol name longer than 255 bytes"),
	N_("protocol list too long"),
	N_("client certificate verified"),
	N_("no client certificate asked for"),
	N_("NOT verified (--insecure)"),
	N_("pinned certificate or key matched"),
	N_("chain and name verified"),
};

/* The translation of one of those, or text itself. */
static const char *words(const char *text)
{
	for (size_t i = 0;
	     text && i < sizeof(library_words) / sizeof(library_words[0]); i++)
		if (!strcmp(text, library_words[i]))
			return _(library_words[i]);
	return text;
}

static int take_pin(const char *cmd, const char *arg, struct tool_tls *t)
{
	const char *why;

	if (sock_tls_pin_parse(arg, t->o.pin, &why) == 0) {
		t->o.pinned = 1;
		return 0;
	}
	return tool_usage_error(cmd,
				_("bad --pin '%s': %s (expected "
				  "sha256: and 64 hexadecimal digits)"),
				arg, words(why));
}

static int take_alpn(const char *cmd, const char *arg, struct tool_tls *t)
{
	const char *why;
	int n = sock_tls_alpn_parse(arg, t->o.alpn, sizeof(t->o.alpn), &why);

	if (n > 0) {
		t->o.alpn_len = (size_t)n;
		return 0;
	}
	return tool_usage_error(cmd, _("bad --alpn '%s': %s"), arg, words(why));
}

int tool_tls_option(const char *cmd, int c, const char *arg, struct tool_tls *t)
{
	if (c < TOOL_TLS_CAFILE || c > TOOL_TLS_CLIENT_CA)
		return -1;
	t->given |= BIT(c);
	switch (c) {
	case TOOL_TLS_CAFILE:
		t->o.cafile = arg;
		return 0;
	case TOOL_TLS_PIN:
		return take_pin(cmd, arg, t);
	case TOOL_TLS_SERVERNAME:
		t->o.servername = arg;
		return *arg ? 0
			    : tool_usage_error(cmd, _("--servername needs a "
						      "name"));
	case TOOL_TLS_ALPN:
		return take_alpn(cmd, arg, t);
	case TOOL_TLS_CERT:
		t->o.cert = arg;
		return 0;
	case TOOL_TLS_KEY:
		t->o.key = arg;
		return 0;
	case TOOL_TLS_INSECURE:
		t->o.insecure = 1;
		return 0;
	case TOOL_TLS_SELF_SIGNED:
		t->o.self_signed = 1;
		return 0;
	default:
		t->o.client_ca = arg;
		return 0;
	}
}

static const char *first(unsigned bits)
{
	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (bits & (1u << i))
			return names[i];
	return "";
}

/* Verification options that contradict each other. */
static int check_trust(const char *cmd, const struct tool_tls *t)
{
	if (t->o.insecure && (t->o.pinned || t->o.cafile))
		return tool_usage_error(cmd, _("--insecure turns verification "
					       "off: --pin and --cafile do not "
					       "apply"));
	if (t->o.self_signed && (t->o.cert || t->o.key))
		return tool_usage_error(cmd, _("--self-signed makes its own "
					       "certificate: --cert and --key "
					       "do not apply"));
	if (t->o.key && !t->o.cert)
		return tool_usage_error(cmd, _("--key needs --cert"));
	return 0;
}

int tool_tls_check(const char *cmd, const struct tool_tls *t, int server,
		   int has_tls)
{
	unsigned wrong = server ? CLIENT_ONLY : SERVER_ONLY;

	if (t->given && !has_tls)
		return tool_usage_error(cmd,
					_("%s is a TLS option: use a "
					  "tls:// endpoint"),
					first(t->given));
	if (t->given & wrong)
		return tool_usage_error(
		    cmd,
		    server ? _("%s is for a TLS client, not a listener")
			   : _("%s is for a TLS listener, not a client"),
		    first(t->given & wrong));
	if (has_tls && server && !t->o.cert && !t->o.self_signed)
		return tool_usage_error(cmd, _("a TLS listener needs --cert "
					       "FILE --key FILE, or "
					       "--self-signed"));
	return check_trust(cmd, t);
}

/* ---- contexts ------------------------------------------------------ */

static void say_setup(enum sock_tls_setup why, const struct tool_tls *t,
		      const char *detail)
{
	const char *file = NULL;
	const char *what;

	switch (why) {
	case SOCK_TLS_SETUP_CAFILE:
		what = _("cannot read trusted certificates (--cafile)");
		file = t->o.cafile;
		break;
	case SOCK_TLS_SETUP_CERT:
		what = _("cannot read a certificate (--cert)");
		file = t->o.cert;
		break;
	case SOCK_TLS_SETUP_KEY:
		what = _("cannot read a private key (--key)");
		file = t->o.key ? t->o.key : t->o.cert;
		break;
	case SOCK_TLS_SETUP_PASSWORD:
		what = _("the private key is encrypted and "
			 "$SOCK_TLS_KEY_PASSWORD is unset or wrong");
		file = t->o.key ? t->o.key : t->o.cert;
		break;
	case SOCK_TLS_SETUP_KEY_MISMATCH:
		what = _("the key does not belong to the certificate");
		file = t->o.key ? t->o.key : t->o.cert;
		break;
	case SOCK_TLS_SETUP_CLIENT_CA:
		what = _("cannot read client CA certificates (--client-ca)");
		file = t->o.client_ca;
		break;
	case SOCK_TLS_SETUP_STORE:
		what = _("cannot load the system's trusted certificates");
		break;
	default:
		what = _("cannot set up TLS");
		break;
	}
	if (file)
		tool_errorf("%s: %s", file, what);
	else
		tool_errorf("%s", what);
	if (detail && *detail)
		tool_errorf(_("  (OpenSSL says: %s)"), detail);
}

static void say_fingerprint(struct sock_tls_ctx *c)
{
	unsigned char md[SOCK_TLS_SHA256_LEN];
	char hex[100];

	if (sock_tls_ctx_fingerprint(c, md))
		return;
	sock_tls_hex(md, hex, sizeof(hex));
	tool_errorf(_("self-signed certificate made; clients can check it "
		      "with --pin sha256:%s"),
		    hex);
}

struct sock_tls_ctx *tool_tls_context(const char *cmd, struct tool_tls *t,
				      int server, const char *host, int *status)
{
	enum sock_tls_setup why;
	char detail[256];
	struct sock_tls_ctx *c;

	(void)cmd;
	t->o.server = server;
	t->o.password = getenv("SOCK_TLS_KEY_PASSWORD");
	t->o.self_name = host && *host ? host : NULL;
	c = sock_tls_ctx_new(&t->o, &why, detail, sizeof(detail));
	if (!c) {
		say_setup(why, t, detail);
		*status = EXIT_USAGE;
		return NULL;
	}
	if (server && t->o.self_signed)
		say_fingerprint(c);
	return c;
}

/* ---- handshakes ----------------------------------------------------- */

void tool_tls_say_fail(const char *who, int err, const struct sock_tls_fail *f)
{
	switch (f->kind) {
	case SOCK_TLS_FAIL_NAME:
		tool_errorf(_("TLS with %s: certificate is for %s, you asked "
			      "for %s"),
			    who, f->names, f->asked);
		return;
	case SOCK_TLS_FAIL_EXPIRED:
		tool_errorf(_("TLS with %s: certificate expired on %s"), who,
			    f->when);
		return;
	case SOCK_TLS_FAIL_NOT_YET:
		tool_errorf(_("TLS with %s: certificate is not valid until %s"),
			    who, f->when);
		return;
	case SOCK_TLS_FAIL_UNKNOWN_CA:
		tool_errorf(_("TLS with %s: certificate signed by an unknown "
			      "authority (%s); --cafile FILE trusts it"),
			    who, f->issuer);
		return;
	case SOCK_TLS_FAIL_SELF_SIGNED:
		tool_errorf(_("TLS with %s: certificate is self-signed (%s) "
			      "and not trusted; --cafile FILE or --pin "
			      "sha256:... accepts it"),
			    who, f->issuer);
		return;
	case SOCK_TLS_FAIL_PIN:
		tool_errorf(_("TLS with %s: certificate (for %s) does not "
			      "match --pin"),
			    who, f->names);
		return;
	case SOCK_TLS_FAIL_NOT_TLS:
		tool_errorf(_("TLS with %s: the peer does not speak TLS (%s)"),
			    who, f->detail);
		return;
	case SOCK_TLS_FAIL_VERSION:
		tool_errorf(_("TLS with %s: no protocol version in common "
			      "(sock needs TLS 1.2 or newer)"),
			    who);
		return;
	case SOCK_TLS_FAIL_NO_CLIENT_CERT:
		if (f->server)
			tool_errorf(_("TLS with %s: no client certificate, and "
				      "--client-ca asks for one"),
				    who);
		else
			tool_errorf(
			    _("TLS with %s: the server asks for a client "
			      "certificate (--cert FILE --key FILE)"),
			    who);
		return;
	case SOCK_TLS_FAIL_ALERT:
		tool_errorf(_("TLS with %s: the peer refused the handshake "
			      "(%s)"),
			    who, f->detail);
		return;
	case SOCK_TLS_FAIL_CLOSED:
		tool_errorf(_("TLS with %s: the peer closed the connection "
			      "during the handshake"),
			    who);
		return;
	case SOCK_TLS_FAIL_VERIFY:
		tool_errorf(_("TLS with %s: certificate not accepted (%s)"),
			    who, f->detail);
		return;
	default:
		break;
	}
	if (f->detail[0])
		tool_errorf(_("TLS with %s failed: %s"), who, f->detail);
	else
		tool_fail(N_("TLS with"), who, err);
}

/* -v or --insecure: who answered, and how much was checked. */
static void say_peer(const struct sock_global *g, const struct sock_tls *t,
		     const char *who)
{
	struct sock_tls_info i;
	char hex[100];

	sock_tls_get_info(t, &i);
	sock_tls_hex(i.sha256, hex, sizeof(hex));
	if (i.insecure) {
		tool_errorf(_("warning: --insecure: the certificate of %s was "
			      "NOT verified; anyone could be answering"),
			    who);
		tool_errorf(_("its SHA-256 fingerprint: %s"),
			    i.has_cert ? hex : _("(no certificate)"));
	}
	tool_verbosef(g, _("TLS with %s: %s, %s%s%s; %s"), who, i.version,
		      i.cipher, i.alpn[0] ? ", ALPN " : "", i.alpn,
		      words(i.verify_text));
	if (i.has_cert)
		tool_verbosef(g,
			      _("peer certificate: %s (names %s), issued by "
				"%s, sha256 %s"),
			      i.subject, i.names, i.issuer, hex);
	tool_verbosef(g, _("kTLS: %s"),
		      i.ktls_send || i.ktls_recv ? _("on (the kernel encrypts)")
		      : sock_tls_kernel_has_ktls()
			  ? _("off (OpenSSL declined it)")
			  : _("off (this kernel has no tls module)"));
}

/* Wait for what the handshake wants, until deadline_ms. */
static int wait_for(struct sock_tls *t, int fd, long long deadline_ms)
{
	struct pollfd p = { .fd = fd };
	long long left = deadline_ms - sock_loop_now_ms();
	int r;

	p.events = sock_tls_wants(t) & EPOLLOUT ? POLLOUT : POLLIN;
	if (left <= 0)
		return -ETIMEDOUT;
	r = poll(&p, 1, (int)left);
	if (r == 0)
		return -ETIMEDOUT;
	return r < 0 && errno != EINTR ? -errno : 0;
}

int tool_tls_start(const struct sock_global *g, struct sock_tls_ctx *c, int fd,
		   const char *host, const char *who, long timeout_ms,
		   struct sock_tls **out)
{
	long long deadline =
	    sock_loop_now_ms() +
	    (timeout_ms > 0 ? timeout_ms : TLS_DEFAULT_WAIT_MS);
	struct sock_tls *t = sock_tls_new(c, fd, host);
	struct sock_tls_fail f;
	int ret;

	if (!t)
		return tool_fail(N_("TLS with"), who, -errno);
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	while ((ret = sock_tls_handshake(t)) == -EAGAIN)
		if ((ret = wait_for(t, fd, deadline)) < 0)
			break;
	if (ret) {
		sock_tls_get_fail(t, &f);
		tool_tls_say_fail(who, ret, &f);
		sock_tls_free(t);
		return EXIT_RUNTIME;
	}
	say_peer(g, t, who);
	*out = t;
	return 0;
}

int tool_tls_failed(const struct sock_tls *t, const char *who, int err)
{
	struct sock_tls_fail f;

	if (!t || err >= 0)
		return 0;
	sock_tls_get_fail(t, &f);
	if (f.kind == SOCK_TLS_FAIL_NONE)
		return 0;
	tool_tls_say_fail(who, err, &f);
	return EXIT_RUNTIME;
}

void tool_tls_after(const struct sock_global *g, const struct sock_tls *t,
		    const char *who)
{
	if (sock_tls_truncated(t))
		tool_verbosef(g,
			      _("TLS with %s: the peer closed TCP without "
				"close_notify: the data may have been cut "
				"short (truncation)"),
			      who);
}

/* ---- relay: one option list, two ends ------------------------------- */

/* The options of a relay's listening end (server) or target end. */
static void split(const struct tool_tls *t, int server, int other_tls,
		  struct tool_tls *out)
{
	*out = *t;
	if (server) {
		out->given &= ~CLIENT_ONLY;
		out->o.cafile = out->o.servername = NULL;
		out->o.insecure = out->o.pinned = 0;
		if (other_tls)
			out->given &= ~BIT(TOOL_TLS_ALPN);
		return;
	}
	out->given &= ~SERVER_ONLY;
	out->o.self_signed = 0;
	out->o.client_ca = NULL;
	if (other_tls) { /* --cert/--key are the listener's */
		out->given &= ~(BIT(TOOL_TLS_CERT) | BIT(TOOL_TLS_KEY));
		out->o.cert = out->o.key = NULL;
	}
}

int tool_tls_relay(struct tool_tls *t, const struct sock_addr *from,
		   const struct sock_addr *to, struct sock_tls_ctx **cfrom,
		   struct sock_tls_ctx **cto)
{
	struct tool_tls s, c;
	int ret;

	*cfrom = *cto = NULL;
	if (t->given && !from->tls && !to->tls)
		return tool_tls_check("relay", t, 0, 0);
	split(t, 1, to->tls, &s);
	split(t, 0, from->tls, &c);
	if ((t->given & SERVER_ONLY) && !from->tls)
		return tool_tls_check("relay", &s, 1, 0);
	if ((t->given & CLIENT_ONLY) && !to->tls)
		return tool_tls_check("relay", &c, 0, 0);
	ret = from->tls ? tool_tls_check("relay", &s, 1, 1) : 0;
	if (!ret && to->tls)
		ret = tool_tls_check("relay", &c, 0, 1);
	if (!ret && from->tls)
		*cfrom = tool_tls_context("relay", &s, 1, from->host, &ret);
	if (!ret && to->tls)
		*cto = tool_tls_context("relay", &c, 0, NULL, &ret);
	if (ret) {
		sock_tls_ctx_free(*cfrom);
		*cfrom = NULL;
	}
	return ret;
}

/* ---- help ------------------------------------------------------------ */

void tool_tls_usage(FILE *f, int client, int server)
{
	if (client)
		fputs(
		    _("\nTLS client (tls://HOST:PORT: the certificate's chain "
		      "and name are verified\n"
		      "against the system's trusted certificates):\n"
		      "      --cafile FILE     trust the certificates in FILE "
		      "instead\n"
		      "      --pin sha256:HEX  accept exactly this certificate "
		      "or public key\n"
		      "      --servername NAME check and send (SNI) NAME, not "
		      "HOST\n"
		      "      --alpn LIST       offer these protocols "
		      "(h2,http/1.1)\n"
		      "      --cert FILE --key FILE  a client certificate\n"
		      "      --insecure        do not verify (prints the "
		      "fingerprint and a warning)\n"),
		    f);
	if (server)
		fputs(
		    _("\nTLS listener (tls://HOST:PORT):\n"
		      "      --cert FILE --key FILE  the certificate and key "
		      "to present\n"
		      "      --self-signed     a fresh key and certificate in "
		      "memory (fingerprint\n"
		      "                        printed)\n"
		      "      --client-ca FILE  ask clients for a certificate "
		      "signed by FILE's CAs\n"
		      "      --alpn LIST       protocols to accept\n"
		      "The key's password, if any, comes from "
		      "$SOCK_TLS_KEY_PASSWORD.\n"),
		    f);
}
