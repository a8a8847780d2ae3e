/*
 * lib/diag_snmp.c - the kernel's protocol counters: /proc/net/snmp and
 * /proc/net/netstat, both made of line pairs "Group: Name1 Name2 ..."
 * then "Group: value1 value2 ...", the files netstat -s and nstat read.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag_internal.h"

/* The group of a line ("Tcp" of "Tcp: ..."): its length, 0 if none. */
static size_t group_len(const char *line)
{
	const char *colon = strchr(line, ':');

	return colon && colon > line ? (size_t)(colon - line) : 0;
}

static int number(const char *s, int64_t *v)
{
	char *end;
	long long x;

	errno = 0;
	x = strtoll(s, &end, 10);
	if (errno || end == s || *end)
		return -EINVAL;
	*v = x;
	return 0;
}

/* One pair of lines: each name's value into the counters that ask for
 * it.  Returns how many counters it set. */
static size_t pair(char *names, char *values, size_t glen,
		   struct sock_diag_counter *c, size_t n)
{
	char *sn, *sv, *name, *val;
	size_t found = 0;
	int64_t v;

	names[glen] = '\0';
	name = strtok_r(names + glen + 1, " \t\r", &sn);
	val = strtok_r(values + glen + 1, " \t\r", &sv);
	for (; name && val; name = strtok_r(NULL, " \t\r", &sn),
			    val = strtok_r(NULL, " \t\r", &sv)) {
		if (number(val, &v))
			continue;
		for (size_t i = 0; i < n; i++)
			if (c[i].group && c[i].name &&
			    !strcmp(c[i].group, names) &&
			    !strcmp(c[i].name, name)) {
				c[i].value = v;
				c[i].found = 1;
				found++;
			}
	}
	return found;
}

size_t sock__snmp_parse(const char *text, size_t len,
			struct sock_diag_counter *c, size_t n)
{
	char *buf = malloc(len + 1), *line, *next, *head = NULL;
	size_t found = 0, glen;

	if (!buf)
		return 0;
	memcpy(buf, text, len);
	buf[len] = '\0';
	for (line = buf; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		glen = group_len(line);
		if (head && glen && glen == group_len(head) &&
		    !strncmp(head, line, glen)) {
			found += pair(head, line, glen, c, n);
			head = NULL;
		} else {
			head = glen ? line : NULL;
		}
	}
	free(buf);
	return found;
}

/* The whole of a small text file; -errno when it cannot be read. */
#define SNMP_FILE_MAX (256 * 1024)
static ssize_t slurp(const char *path, char *buf, size_t size)
{
	size_t got = 0;
	ssize_t r = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	while (got < size) {
		r = read(fd, buf + got, size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			r = -errno;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	return r < 0 ? r : (ssize_t)got;
}

int sock_diag_counters(const char *proc_root, struct sock_diag_counter *c,
		       size_t n)
{
	static const char *const files[] = { "snmp", "netstat" };
	char path[4096], *buf;
	int read_one = 0, err = 0;
	ssize_t len;

	for (size_t i = 0; i < n; i++)
		c[i].found = 0, c[i].value = 0;
	buf = malloc(SNMP_FILE_MAX);
	if (!buf)
		return -ENOMEM;
	for (size_t f = 0; f < 2; f++) {
		snprintf(path, sizeof(path), "%s/net/%s",
			 proc_root ? proc_root : "/proc", files[f]);
		len = slurp(path, buf, SNMP_FILE_MAX);
		if (len < 0) {
			err = err ? err : (int)len;
			continue;
		}
		read_one = 1;
		sock__snmp_parse(buf, (size_t)len, c, n);
	}
	free(buf);
	return read_one ? 0 : err;
}
