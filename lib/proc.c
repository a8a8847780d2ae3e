/*
 * lib/proc.c - which processes hold which sockets: one pass over
 * /proc/[pid]/fd with directory fds (openat, getdents64, readlinkat),
 * joined to the snapshot through an open-addressing hash on the inode.
 *
 * netstat and ss use fixed tables of 211 and 256 chains and so become
 * quadratic at 100k sockets; here the table is sized from the dump and
 * every owner of a socket is kept, not only the first one found.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "diag_internal.h"

#define DENTS_BUF (32 * 1024)

/* One socket fd found during the pass, before grouping by socket. */
struct hit {
	uint32_t slot;
	int pid;
	int fd;
	uint32_t command; /* offset in the command pool */
};

struct pass {
	struct sock_diag *d;
	int proc_fd;
	char *dents;
	struct hit *hits;
	size_t nhits, cap;
	char *cmds;
	size_t cmds_len, cmds_cap;
};

struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

static uint32_t hash32(uint32_t x)
{
	/* Inodes are nearly sequential: mix before masking. */
	x ^= x >> 16;
	x *= 0x45d9f3bu;
	x ^= x >> 16;
	return x;
}

static struct sock__diag_slot *slot_find(const struct sock_diag *d,
					 uint32_t inode)
{
	size_t mask = d->nslots - 1;
	size_t i = hash32(inode) & mask;

	while (d->slots[i].inode && d->slots[i].inode != inode)
		i = (i + 1) & mask;
	return &d->slots[i];
}

static int build_table(struct sock_diag *d)
{
	size_t want = 64;

	while (want < d->n * 2)
		want *= 2;
	d->slots = calloc(want, sizeof(*d->slots));
	if (!d->slots)
		return -ENOMEM;
	d->nslots = want;
	for (size_t i = 0; i < d->n; i++)
		if (d->ent[i].inode)
			slot_find(d, d->ent[i].inode)->inode = d->ent[i].inode;
	return 0;
}

const struct sock_diag_owner *sock_diag_owners(const struct sock_diag *d,
					       uint32_t inode, size_t *n)
{
	const struct sock__diag_slot *s;

	*n = 0;
	if (!d->nslots || !inode)
		return NULL;
	s = slot_find(d, inode);
	if (!s->inode || !s->count)
		return NULL;
	*n = s->count;
	return d->owners + s->first;
}

/* A number-only name, as /proc/PID and /proc/PID/fd/N use; -1 if not. */
static int number(const char *s)
{
	long v = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > 0x7fffffff / 10)
			return -1;
		v = v * 10 + (*s - '0');
	}
	return (int)v;
}

static int pool_add(struct pass *p, const char *s, size_t len, uint32_t *off)
{
	if (p->cmds_len + len + 1 > p->cmds_cap) {
		size_t cap = p->cmds_cap ? p->cmds_cap * 2 : 4096;
		void *q;

		while (cap < p->cmds_len + len + 1)
			cap *= 2;
		q = realloc(p->cmds, cap);
		if (!q)
			return -ENOMEM;
		p->cmds = q;
		p->cmds_cap = cap;
	}
	memcpy(p->cmds + p->cmds_len, s, len);
	p->cmds[p->cmds_len + len] = '\0';
	*off = (uint32_t)p->cmds_len;
	p->cmds_len += len + 1;
	return 0;
}

static ssize_t read_at(int dir, const char *path, char *buf, size_t size)
{
	int fd = openat(dir, path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, size);
	close(fd);
	return n;
}

/*
 * comm is cut to 15 characters by the kernel; when it may have been,
 * take argv[0]'s base name instead if it starts with the same text.
 */
static size_t long_name(int proc_fd, int pid, char *name, size_t len)
{
	char path[32], argv0[256];
	const char *base;
	ssize_t n;

	snprintf(path, sizeof(path), "%d/cmdline", pid);
	n = read_at(proc_fd, path, argv0, sizeof(argv0) - 1);
	if (n <= 0)
		return len;
	argv0[n] = '\0';
	base = strrchr(argv0, '/');
	base = base ? base + 1 : argv0;
	if (strncmp(base, name, len) || strlen(base) >= 128)
		return len;
	memcpy(name, base, strlen(base) + 1);
	return strlen(base);
}

static int command(struct pass *p, int pid, uint32_t *off)
{
	char path[32], name[256];
	ssize_t n;
	size_t len;

	snprintf(path, sizeof(path), "%d/comm", pid);
	n = read_at(p->proc_fd, path, name, 64);
	if (n <= 0) {
		strcpy(name, "?");
		n = 1;
	}
	if (name[n - 1] == '\n')
		n--;
	name[n] = '\0';
	len = (size_t)n;
	if (len == 15)
		len = long_name(p->proc_fd, pid, name, len);
	return pool_add(p, name, len, off);
}

static int add_hit(struct pass *p, uint32_t slot, int pid, int fd,
		   uint32_t *cmd)
{
	int ret;

	if (*cmd == UINT32_MAX && (ret = command(p, pid, cmd)))
		return ret;
	if (p->nhits == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 256;
		void *q = realloc(p->hits, cap * sizeof(*p->hits));

		if (!q)
			return -ENOMEM;
		p->hits = q;
		p->cap = cap;
	}
	p->hits[p->nhits++] = (struct hit){ slot, pid, fd, *cmd };
	return 0;
}

/* "socket:[12345]" -> 12345; 0 for anything else. */
static uint32_t socket_inode(const char *link, ssize_t n)
{
	uint64_t v = 0;

	if (n < 10 || memcmp(link, "socket:[", 8))
		return 0;
	for (ssize_t i = 8; i < n && link[i] != ']'; i++) {
		if (link[i] < '0' || link[i] > '9' || v > UINT32_MAX)
			return 0;
		v = v * 10 + (uint64_t)(link[i] - '0');
	}
	return v > UINT32_MAX ? 0 : (uint32_t)v;
}

/* Every fd of one process; the fd directory is already open. */
static int scan_fds(struct pass *p, int pid, int dir)
{
	uint32_t cmd = UINT32_MAX;
	char link[32];
	long n;

	while ((n = syscall(SYS_getdents64, dir, p->dents, DENTS_BUF)) > 0) {
		for (long off = 0; off < n;) {
			struct linux_dirent64 *de = (void *)(p->dents + off);
			int fd = number(de->d_name);
			ssize_t len;
			uint32_t ino;

			off += de->d_reclen;
			if (fd < 0)
				continue;
			len = readlinkat(dir, de->d_name, link, sizeof(link));
			ino = socket_inode(link, len);
			if (!ino)
				continue;
			struct sock__diag_slot *s = slot_find(p->d, ino);

			if (!s->inode)
				continue;
			if (add_hit(p, (uint32_t)(s - p->d->slots), pid, fd,
				    &cmd))
				return -ENOMEM;
		}
	}
	return 0;
}

static int scan_process(struct pass *p, int pid)
{
	char path[32];
	int dir, ret;

	snprintf(path, sizeof(path), "%d/fd", pid);
	dir = openat(p->proc_fd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0) {
		/* Someone else's process: say so, show "-" for it. */
		if (errno == EACCES || errno == EPERM)
			p->d->hidden++;
		return 0;
	}
	ret = scan_fds(p, pid, dir);
	close(dir);
	return ret;
}

static int scan_all(struct pass *p)
{
	char *buf = malloc(DENTS_BUF);
	long n;
	int ret = 0;

	if (!buf)
		return -ENOMEM;
	/* The process list and each fd list use separate buffers. */
	while (!ret &&
	       (n = syscall(SYS_getdents64, p->proc_fd, buf, DENTS_BUF)) > 0) {
		for (long off = 0; off < n && !ret;) {
			struct linux_dirent64 *de = (void *)(buf + off);
			int pid = number(de->d_name);

			off += de->d_reclen;
			if (pid > 0)
				ret = scan_process(p, pid);
		}
	}
	free(buf);
	return ret;
}

/* Group the hits by socket so that each one's owners are contiguous. */
static int group(struct pass *p)
{
	struct sock_diag *d = p->d;
	size_t at = 0;

	d->owners = malloc((p->nhits ? p->nhits : 1) * sizeof(*d->owners));
	if (!d->owners)
		return -ENOMEM;
	for (size_t i = 0; i < p->nhits; i++)
		d->slots[p->hits[i].slot].count++;
	for (size_t i = 0; i < d->nslots; i++) {
		d->slots[i].first = (uint32_t)at;
		at += d->slots[i].count;
		d->slots[i].count = 0;
	}
	for (size_t i = 0; i < p->nhits; i++) {
		struct sock__diag_slot *s = &d->slots[p->hits[i].slot];
		struct sock_diag_owner *o = &d->owners[s->first + s->count++];

		o->pid = p->hits[i].pid;
		o->fd = p->hits[i].fd;
		o->command = p->cmds + p->hits[i].command;
	}
	d->nowners = p->nhits;
	d->commands = p->cmds;
	p->cmds = NULL;
	return 0;
}

int sock__proc_owners(struct sock_diag *d, const char *root)
{
	struct pass p = { .d = d };
	int ret;

	ret = build_table(d);
	if (ret)
		return ret;
	p.proc_fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (p.proc_fd < 0)
		return -errno;
	p.dents = malloc(DENTS_BUF);
	ret = p.dents ? scan_all(&p) : -ENOMEM;
	if (!ret)
		ret = group(&p);
	close(p.proc_fd);
	free(p.dents);
	free(p.hits);
	free(p.cmds);
	return ret;
}
