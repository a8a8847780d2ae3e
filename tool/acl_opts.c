/*
 * tool/acl_opts.c - --allow, --deny, --allow-file, --deny-file,
 * --allow-uid and --max-conns for listen and relay: the lists are built
 * here from words and files (a bad word is named with its file and line),
 * and judged by lib/acl.c.
 */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sock/sock.h>

#include "i18n.h"
#include "proxy.h"

/* A whole file's text, NUL-terminated; NULL with errno set. */
static char *slurp(const char *file)
{
	FILE *f = fopen(file, "re");
	char *text = NULL;
	size_t len = 0, got;
	char chunk[4096];

	if (!f)
		return NULL;
	while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		char *t = realloc(text, len + got + 1);

		if (!t) {
			free(text);
			fclose(f);
			errno = ENOMEM;
			return NULL;
		}
		text = t;
		memcpy(text + len, chunk, got);
		len += got;
	}
	fclose(f);
	if (!text)
		text = calloc(1, 1);
	else
		text[len] = '\0';
	return text;
}

static int line_of(const char *text, size_t at)
{
	int line = 1;

	for (size_t i = 0; i < at; i++)
		line += text[i] == '\n';
	return line;
}

static const char *option_name(int c)
{
	static const char *const names[] = { "--allow", "--deny",
					     "--allow-file", "--deny-file" };

	return names[c - 0x210];
}

/* Add a list given as an option's value or a file's text. */
static int add_list(const char *cmd, int c, const char *arg,
		    struct sock_acl *acl)
{
	int file = c == 0x212 || c == 0x213, deny = c == 0x211 || c == 0x213;
	char *text = file ? slurp(arg) : (char *)arg;
	size_t at = 0, len = 0;
	int ret;

	if (!text)
		return tool_usage_error(cmd, _("cannot read %s '%s': %s"),
					option_name(c), arg, strerror(errno));
	ret = sock_acl_add_list(acl, deny, text, &at, &len);
	if (ret == -EINVAL && file)
		tool_usage_error(cmd,
				 _("bad address '%.*s' in %s '%s', line %d "
				   "(want ADDRESS or ADDRESS/BITS)"),
				 (int)len, text + at, option_name(c), arg,
				 line_of(text, at));
	else if (ret == -EINVAL)
		tool_usage_error(cmd,
				 _("bad address '%.*s' in %s (want ADDRESS "
				   "or ADDRESS/BITS, commas between)"),
				 (int)len, text + at, option_name(c));
	else if (ret)
		tool_errorf("%s", sock_strerror(ret));
	if (file)
		free(text);
	return ret ? EXIT_USAGE : 1;
}

/* "0", "1000,nobody": numbers or user names. */
static int add_uids(const char *cmd, const char *arg, struct sock_acl *acl)
{
	char *copy, *save = NULL, *end;
	int ret;

	if (!arg[strspn(arg, ",")])
		return tool_usage_error(cmd, _("--allow-uid needs a user"));
	copy = strdup(arg);
	ret = copy ? 1 : EXIT_RUNTIME;
	for (char *w = strtok_r(copy, ",", &save); w && ret == 1;
	     w = strtok_r(NULL, ",", &save)) {
		struct passwd *pw = getpwnam(w);
		unsigned long uid = strtoul(w, &end, 10);

		if (pw)
			uid = pw->pw_uid;
		else if (!*w || *end || *w < '0' || *w > '9' ||
			 uid > 0xfffffffeUL)
			ret = tool_usage_error(cmd,
					       _("bad --allow-uid '%s' (not "
						 "a user name or number)"),
					       w);
		if (ret == 1 && sock_acl_add_uid(acl, (uid_t)uid))
			ret = EXIT_USAGE;
	}
	free(copy);
	return ret;
}

static int take_max(const char *cmd, const char *arg, unsigned int *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (arg[0] < '0' || arg[0] > '9' || errno || *end || !v || v > 10000000)
		return tool_usage_error(cmd,
					_("bad --max-conns '%s' (a whole "
					  "number from 1 to 10000000)"),
					arg);
	*out = (unsigned int)v;
	return 1;
}

int tool_acl_option(const char *cmd, int c, const char *arg,
		    struct tool_acl_opts *o)
{
	if (c < 0x210 || c > 0x215)
		return 0;
	if (c == 0x215)
		return take_max(cmd, arg, &o->max_conns);
	if (!o->acl && !(o->acl = sock_acl_new())) {
		tool_errorf("%s", sock_strerror(-ENOMEM));
		return EXIT_RUNTIME;
	}
	if (c == 0x214)
		return add_uids(cmd, arg, o->acl);
	return add_list(cmd, c, arg, o->acl);
}

int tool_acl_check(const char *cmd, const struct tool_acl_opts *o,
		   const struct sock_addr *a)
{
	int inet = a->kind == SOCK_KIND_TCP;
	int unix_stream = a->kind == SOCK_KIND_UNIX_STREAM ||
			  a->kind == SOCK_KIND_UNIX_SEQPACKET;

	if (sock_acl_has_cidrs(o->acl) && !inet)
		return tool_usage_error(cmd,
					_("--allow and --deny judge the "
					  "clients of TCP endpoints; %s is "
					  "not one (Unix sockets: "
					  "--allow-uid)"),
					sock_addr_kind_name(a->kind));
	if (sock_acl_has_uids(o->acl) && !unix_stream)
		return tool_usage_error(cmd,
					_("--allow-uid judges clients of Unix "
					  "stream sockets; %s is not one"),
					sock_addr_kind_name(a->kind));
	return 0;
}

int tool_acl_admit(const struct sock_global *g, const struct tool_acl_opts *o,
		   int fd, const struct sockaddr *sa, socklen_t len,
		   const char *peer)
{
	uid_t uid;
	int ret = sock_acl_admit(o->acl, fd, sa, len, &uid);

	if (ret == 1)
		return 1;
	tool_acl_say_refused(g, peer, (unsigned int)uid, ret < 0 ? ret : 0);
	return 0;
}

void tool_acl_free(struct tool_acl_opts *o)
{
	sock_acl_free(o->acl);
	o->acl = NULL;
}

void tool_acl_say_refused(const struct sock_global *g, const char *peer,
			  unsigned int uid, int err)
{
	if (err)
		tool_verbosef(g,
			      _("refused %s: its credentials cannot be read "
				"(%s)"),
			      peer, sock_strerror(err));
	else if (uid != (unsigned int)-1)
		tool_verbosef(g, _("refused %s: uid %u is not in --allow-uid"),
			      peer, uid);
	else
		tool_verbosef(g, _("refused %s: not allowed by --allow/--deny"),
			      peer);
}
