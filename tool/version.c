/*
 * tool/version.c - sock --version (see version.h).  The Makefile defines
 * SOCK_VERSION and SOCK_COMMIT (git describe at build time, "unknown"
 * from a tarball).  A feature whose headers were missing at build time
 * reads "not compiled in"; one compiled in reports the library version
 * it was built against and the one loaded now (they differ after an
 * upgrade of the shared library).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cmd.h"
#include "i18n.h"
#include "list.h"
#include "version.h"

#ifndef SOCK_VERSION
#define SOCK_VERSION "0.1.0"
#endif
#ifndef SOCK_COMMIT
#define SOCK_COMMIT "unknown"
#endif

#if __has_include(<openssl/opensslv.h>)
#include <openssl/crypto.h>
#include <openssl/opensslv.h>
#define HAVE_TLS 1
#endif
#if __has_include(<curses.h>)
#include <curses.h>
#define HAVE_CURSES 1
#endif
#if __has_include(<seccomp.h>)
#include <seccomp.h>
#define HAVE_SECCOMP 1
#endif
#if __has_include(<linux/landlock.h>) && defined(SYS_landlock_create_ruleset)
#include <linux/landlock.h>
#define HAVE_LANDLOCK 1
#endif

#define STR_(x) #x
#define STR(x) STR_(x)

/* One feature: build and run-time versions (NULL: not applicable). */
struct feature {
	const char *name, *key;
	int compiled;
	const char *built, *runtime;
	char buf[64];
};

static void tls_feature(struct feature *f)
{
	f->name = "TLS";
	f->key = "tls";
#ifdef HAVE_TLS
	f->compiled = 1;
	f->built = OPENSSL_VERSION_TEXT;
	f->runtime = OpenSSL_version(OPENSSL_VERSION);
#endif
}

static void curses_feature(struct feature *f)
{
	f->name = "ncurses";
	f->key = "ncurses";
#ifdef HAVE_CURSES
	f->compiled = 1;
	f->built = "ncurses " NCURSES_VERSION "." STR(NCURSES_VERSION_PATCH);
	f->runtime = curses_version();
#endif
}

static void seccomp_feature(struct feature *f)
{
	f->name = "seccomp";
	f->key = "seccomp";
#ifdef HAVE_SECCOMP
	const struct scmp_version *v = seccomp_version();

	f->compiled = 1;
	f->built = "libseccomp " STR(SCMP_VER_MAJOR) "." STR(
	    SCMP_VER_MINOR) "." STR(SCMP_VER_MICRO);
	if (v) {
		snprintf(f->buf, sizeof(f->buf), "libseccomp %u.%u.%u",
			 v->major, v->minor, v->micro);
		f->runtime = f->buf;
	}
#endif
}

/* The kernel's Landlock ABI, or -errno: ENOSYS (a kernel without it),
 * EOPNOTSUPP (built in but not enabled at boot). */
static int landlock_abi(void)
{
#ifdef HAVE_LANDLOCK
	long abi = syscall(SYS_landlock_create_ruleset, NULL, 0,
			   LANDLOCK_CREATE_RULESET_VERSION);

	return abi < 0 ? -errno : (int)abi;
#else
	return -ENOSYS;
#endif
}

static void print_text(const struct feature *fs, size_t n, int abi)
{
	printf("sock %s\n", SOCK_VERSION);
	printf(_("commit: %s\n"), SOCK_COMMIT);
	puts(_("features:"));
	for (size_t i = 0; i < n; i++) {
		const struct feature *f = &fs[i];

		printf("  %-9s ", f->name);
		if (!f->compiled)
			puts(_("not compiled in"));
		else if (!f->runtime || !strcmp(f->built, f->runtime))
			printf("%s\n", f->runtime ? f->runtime : f->built);
		else
			printf(_("%s (built with %s)\n"), f->runtime, f->built);
	}
	printf("  %-9s ", "Landlock");
#ifdef HAVE_LANDLOCK
	if (abi >= 0)
		printf(_("ABI %d\n"), abi);
	else if (abi == -EOPNOTSUPP)
		puts(_("unavailable (the kernel has it, not enabled at boot)"));
	else
		puts(_("unavailable (this kernel has no Landlock)"));
#else
	(void)abi;
	puts(_("not compiled in"));
#endif
}

static void json_str(const char *key, const char *val, int comma)
{
	printf("\"%s\":", key);
	if (val)
		tool_json_string(stdout, val, strlen(val));
	else
		fputs("null", stdout);
	if (comma)
		putchar(',');
}

static void print_json(const struct feature *fs, size_t n, int abi)
{
	int landlock = 0;

#ifdef HAVE_LANDLOCK
	landlock = 1;
#endif
	putchar('{');
	json_str("version", SOCK_VERSION, 1);
	json_str("commit", SOCK_COMMIT, 1);
	fputs("\"features\":{", stdout);
	for (size_t i = 0; i < n; i++) {
		printf("\"%s\":{\"compiled\":%s,", fs[i].key,
		       fs[i].compiled ? "true" : "false");
		json_str("built", fs[i].built, 1);
		json_str("runtime", fs[i].runtime, 0);
		fputs("},", stdout);
	}
	printf("\"landlock\":{\"compiled\":%s,\"available\":%s,\"abi\":",
	       landlock ? "true" : "false", abi >= 0 ? "true" : "false");
	if (abi >= 0)
		printf("%d}}}\n", abi);
	else
		fputs("null}}}\n", stdout);
}

int cmd_version(int argc, char **argv)
{
	struct feature fs[3] = { 0 };
	int json = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			json = 1;
		} else if (!strcmp(argv[i], "-h") ||
			   !strcmp(argv[i], "--help")) {
			puts(_("usage: sock version [--json]\n\n"
			       "  --json  the same as one JSON object"));
			return EXIT_OK;
		} else {
			return tool_usage_error("version",
						_("unknown option '%.*s'"),
						(int)strlen(argv[i]), argv[i]);
		}
	}
	tls_feature(&fs[0]);
	curses_feature(&fs[1]);
	seccomp_feature(&fs[2]);
	if (json)
		print_json(fs, 3, landlock_abi());
	else
		print_text(fs, 3, landlock_abi());
	return EXIT_OK;
}
