/*
 * lib/netns_cgroup.c - which container a /proc/PID/cgroup line names.
 * A leaf: no calls into the rest of the library.
 *
 * The runtimes' cgroup paths (systemd and cgroupfs drivers):
 *   docker      /system.slice/docker-<64hex>.scope, /docker/<64hex>
 *   containerd  .../cri-containerd-<64hex>.scope
 *   crio        .../crio-<64hex>.scope
 *   kubepods    /kubepods/<qos>/pod<uid>/<64hex> (runtime not named)
 *   podman      /machine.slice/libpod-<64hex>.scope[/container]
 *   nspawn      /machine.slice/machine-<name>.scope
 * The innermost match wins (docker in docker nests them); conmon's
 * libpod-conmon-<id>.scope is podman's monitor, not the container.
 */
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include <sock/netns.h>

#define ID_LEN 64
#define SHORT_ID 12

static int all_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

static int all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

/* A machine name as systemd escapes it: no NUL, blank or control. */
static int printable(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isgraph((unsigned char)s[i]))
			return 0;
	return 1;
}

/* Component c (n bytes) is PREFIX<64hex>SUFFIX. */
static int wrapped_id(const char *c, size_t n, const char *prefix,
		      const char *suffix)
{
	size_t p = strlen(prefix), s = strlen(suffix);

	return n == p + ID_LEN + s && !memcmp(c, prefix, p) &&
	       !memcmp(c + p + ID_LEN, suffix, s) && all_hex(c + p, ID_LEN);
}

static void set(struct sock_netns_container *out, const char *runtime,
		const char *id, size_t n)
{
	if (n > sizeof(out->id) - 1)
		n = sizeof(out->id) - 1;
	out->runtime = runtime;
	memcpy(out->id, id, n);
	out->id[n] = '\0';
}

/* One path component; prev is the component before it (or NULL). */
static void component(const char *c, size_t n, const char *prev, size_t prev_n,
		      int kube, struct sock_netns_container *out)
{
	static const struct {
		const char *prefix, *runtime;
	} scopes[] = {
		{ "docker-", "docker" },
		{ "cri-containerd-", "containerd" },
		{ "crio-", "crio" },
		{ "libpod-", "podman" },
	};

	for (size_t i = 0; i < sizeof(scopes) / sizeof(scopes[0]); i++)
		if (wrapped_id(c, n, scopes[i].prefix, ".scope")) {
			set(out, scopes[i].runtime,
			    c + strlen(scopes[i].prefix), SHORT_ID);
			return;
		}
	if (n > 14 && !memcmp(c, "machine-", 8) &&
	    !memcmp(c + n - 6, ".scope", 6) && printable(c + 8, n - 14)) {
		set(out, "nspawn", c + 8, n - 14);
		return;
	}
	if (n == ID_LEN && all_hex(c, n)) {
		if (prev && prev_n == 6 && !memcmp(prev, "docker", 6))
			set(out, "docker", c, SHORT_ID);
		else if (kube)
			set(out, "kubepods", c, SHORT_ID);
	}
}

int sock_netns_cgroup_parse(const char *line, size_t len,
			    struct sock_netns_container *out)
{
	const char *end = line + len, *c1, *c2, *p, *prev = NULL;
	size_t prev_n = 0;
	int kube = 0;

	memset(out, 0, sizeof(*out));
	c1 = memchr(line, ':', len);
	if (!c1 || c1 == line || !all_digits(line, (size_t)(c1 - line)))
		return -EINVAL;
	c2 = memchr(c1 + 1, ':', (size_t)(end - c1 - 1));
	if (!c2 || c2 + 1 >= end || c2[1] != '/')
		return -EINVAL;
	if (end[-1] == '\n')
		end--;
	for (p = c2 + 1; p < end;) {
		const char *s = p + 1, *e = memchr(s, '/', (size_t)(end - s));

		if (!e)
			e = end;
		if ((size_t)(e - s) >= 8 && !memcmp(s, "kubepods", 8))
			kube = 1;
		if (e > s)
			component(s, (size_t)(e - s), prev, prev_n, kube, out);
		prev = s;
		prev_n = (size_t)(e - s);
		p = e;
	}
	return out->runtime != NULL;
}
