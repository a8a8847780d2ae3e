/*
 * tool/list_json.c - sock list --json: one array, one object per socket
 * and per line, typed values, keys that do not change (docs/list.md).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "explain.h"
#include "list.h"

/* RFC 3629's table: the second byte's range depends on the first, which
 * rules out overlong forms (E0 80..9F, F0 80..8F), surrogates (ED A0..BF)
 * and code points above U+10FFFF (F4 90..BF). */
size_t tool_utf8_len(const unsigned char *s, size_t n)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t len = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 ? 2 : 0;

	if (!len || len > n || s[0] > 0xf4)
		return 0;
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return len;
}

/* A JSON string; bytes that are not UTF-8 become U+FFFD so that the
 * output always parses (paths and process names are arbitrary bytes). */
void tool_json_string(FILE *out, const char *s, size_t n)
{
	putc('"', out);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		size_t u;

		if (c == '"' || c == '\\') {
			fprintf(out, "\\%c", c);
		} else if (c < 0x20 || c == 0x7f) {
			fprintf(out, "\\u%04x", c);
		} else if (c < 0x80) {
			putc(c, out);
		} else if ((u = tool_utf8_len((const unsigned char *)s + i,
					      n - i))) {
			fwrite(s + i, 1, u, out);
			i += u - 1;
		} else {
			fputs("\\ufffd", out);
		}
	}
	putc('"', out);
}

static const char *json_family(int family)
{
	return family == AF_INET    ? "inet"
	       : family == AF_INET6 ? "inet6"
				    : "unix";
}

static const char *json_state(const struct sock_diag_entry *e)
{
	int tcp = e->family != AF_UNIX && e->protocol == IPPROTO_TCP;

	if (!tcp && e->state == SOCK_DIAG_CLOSE)
		return "unconnected";
	return sock_diag_state_name(e->state);
}

static void endpoint(FILE *out, const char *key,
		     const struct sock_diag_entry *e, int local)
{
	char num[INET6_ADDRSTRLEN];

	inet_ntop(e->family, local ? e->in.local : e->in.remote, num,
		  sizeof(num));
	fprintf(out,
		",\"%s\":{\"address\":\"%s\",\"port\":%u,\"family\":\"%s\"}",
		key, num, local ? e->in.local_port : e->in.remote_port,
		json_family(e->family));
}

static void owners(FILE *out, const struct sock_diag *d,
		   const struct sock_diag_entry *e, const struct list_opts *o)
{
	const struct sock_diag_owner *ow;
	size_t n;

	if (!o->programs) {
		fputs(",\"owners\":null", out);
		return;
	}
	ow = sock_diag_owners(d, e->inode, &n);
	fputs(",\"owners\":[", out);
	for (size_t i = 0; i < n; i++) {
		fprintf(out, "%s{\"pid\":%d,\"command\":", i ? "," : "",
			ow[i].pid);
		tool_json_string(out, ow[i].command, strlen(ow[i].command));
		fprintf(out, ",\"fd\":%d}", ow[i].fd);
	}
	putc(']', out);
}

static void unix_fields(FILE *out, const struct sock_diag *d,
			const struct sock_diag_entry *e)
{
	const char *name;
	size_t len = sock_diag_unix_name(d, e, &name);
	static const char *const types[] = { "?",   "stream", "dgram",
					     "raw", "rdm",    "seqpacket" };

	fprintf(out, ",\"type\":\"%s\"", e->type < 6 ? types[e->type] : "?");
	if (!len) {
		fputs(",\"path\":null,\"abstract\":false", out);
	} else if (name[0] == '\0') {
		fputs(",\"path\":", out);
		tool_json_string(out, name + 1, len - 1);
		fputs(",\"abstract\":true", out);
	} else {
		fputs(",\"path\":", out);
		tool_json_string(out, name, strnlen(name, len));
		fputs(",\"abstract\":false", out);
	}
	fprintf(out, ",\"peer_inode\":%u,\"refcnt\":%u", e->un.peer,
		e->un.refcnt);
}

/* --json --explain: the row's sentence, in the user's language (the
 * one value that follows the locale; the keys never do). */
static void explain_key(FILE *out, const struct sock_diag *d,
			const struct sock_diag_entry *e)
{
	char text[1024];

	tool_explain_socket(text, sizeof(text), d, e);
	fputs(",\"explain\":", out);
	tool_json_string(out, text, strlen(text));
}

static void object(FILE *out, const struct sock_diag *d,
		   const struct sock_diag_entry *e, const struct list_opts *o)
{
	fprintf(out, "{\"proto\":\"%s\",\"family\":\"%s\",\"state\":\"%s\"",
		sock_diag_proto_name(e->family == AF_UNIX ? AF_UNIX : AF_INET,
				     e->protocol),
		json_family(e->family), json_state(e));
	fprintf(out, ",\"recv_q\":%u,\"send_q\":%u", e->rqueue, e->wqueue);
	if (e->family == AF_UNIX) {
		unix_fields(out, d, e);
	} else {
		endpoint(out, "local", e, 1);
		endpoint(out, "remote", e, 0);
	}
	fprintf(out, ",\"inode\":%u", e->inode);
	if (e->uid == SOCK_DIAG_NO_UID)
		fputs(",\"uid\":null", out);
	else
		fprintf(out, ",\"uid\":%u", e->uid);
	owners(out, d, e, o);
	list_info_json(out, d, e, o);
	list_netns_json(out, d, e);
	if (o->explain)
		explain_key(out, d, e);
	putc('}', out);
}

int list_print_json(FILE *out, const struct sock_diag *d,
		    const struct list_opts *o)
{
	size_t n = sock_diag_count(d);

	fputs("[", out);
	/* stop at the first write error, while errno still tells it */
	for (size_t i = 0; i < n && !ferror(out); i++) {
		fputs(i ? ",\n" : "\n", out);
		object(out, d, sock_diag_get(d, i), o);
	}
	if (ferror(out))
		return errno ? -errno : -EIO;
	fputs(n ? "\n]\n" : "]\n", out);
	if (fflush(out) || ferror(out))
		return errno ? -errno : -EIO;
	return 0;
}
