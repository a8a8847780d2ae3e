/*
 * fuzz_proc.c - lib/proc.c's text parsers on arbitrary bytes: the
 * numeric names of /proc and /proc/PID/fd, the fd links
 * ("socket:[INODE]"), /proc/PID/comm with /proc/PID/cmdline's argv[0],
 * and /proc/PID/cgroup's "0::" line, each given exactly the bytes a
 * read() or readlinkat() would (no NUL after them where the kernel
 * gives none).  Every result is checked against the input.
 */
#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/diag_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A number is all digits and says what they say. */
static void check_number(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	int v;

	if (!s)
		return;
	memcpy(s, data, size);
	s[size] = '\0';
	v = sock__proc_number(s);
	if (v >= 0) {
		if (!*s || strspn(s, "0123456789") != strlen(s) ||
		    strtol(s, NULL, 10) != v)
			abort();
	} else if (v != -1) {
		abort();
	}
	free(s);
}

static void check_inode(const uint8_t *data, size_t size)
{
	char *link = malloc(size ? size : 1);
	uint32_t ino;

	if (!link)
		return;
	memcpy(link, data, size);
	ino = sock__proc_socket_inode(link, (ssize_t)size);
	if (ino && (size < 10 || memcmp(link, "socket:[", 8) ||
		    !isdigit((unsigned char)link[8])))
		abort();
	if (sock__proc_socket_inode(link, -1) != 0)
		abort();
	free(link);
}

/* The name is a string inside its buffer, from the input or "?". */
static void check_names(const uint8_t *data, size_t size)
{
	char *bytes = malloc(size ? size : 1), name[256];
	size_t len;

	if (!bytes)
		return;
	memcpy(bytes, data, size);
	len = sock__proc_comm(bytes, (ssize_t)size, name, sizeof(name));
	if (len >= sizeof(name) || strnlen(name, sizeof(name)) < len)
		abort();
	if (size >= 15) {
		/* the first 15 bytes as comm, the rest as cmdline */
		len = sock__proc_comm(bytes, 15, name, sizeof(name));
		len = sock__proc_long_name(name, len, sizeof(name), bytes + 15,
					   (ssize_t)size - 15);
		if (len >= sizeof(name) || len >= 128 ||
		    strnlen(name, sizeof(name)) < len)
			abort();
	}
	free(bytes);
}

static void check_cgroup(const uint8_t *data, size_t size, size_t room)
{
	size_t n = size < room - 1 ? size : room - 1;
	char *text = malloc(room), *path;

	if (!text)
		return;
	memcpy(text, data, n);
	path = sock__proc_cgroup_v2(text, n, room);
	if (path && (path < text + 3 || path >= text + n || *path != '/' ||
		     memcmp(path - 3, "0::", 3) || strchr(path, '\n')))
		abort();
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_number(data, size);
	check_inode(data, size);
	check_names(data, size);
	/* a buffer it fills (the cut-line path) and one with room */
	check_cgroup(data, size, size + 1);
	check_cgroup(data, size, 8192);
	return 0;
}
