/*
 * lib/proc.c - which processes hold which sockets: one pass over
 * /proc/[pid]/fd with directory fds (openat, getdents64, readlinkat),
 * joined to the snapshot through an open-addressing hash on the inode.
 *
 * netstat and ss use fixed tables of 211 and 256 chains and so become
 * quadratic at 100k sockets; here the table is sized from the dump and
 * every owner of a socket is kept, not only the first one found.
 *
 * The pass costs a readlinkat per open fd (about 2.5 us of kernel time
 * each), more than the dump itself at 200k sockets, and needs nothing
 * from the dump: a helper thread starts it before the dump, and the
 * caller's thread takes a share of the processes once its dump is done.
 * Every socket fd is recorded (inode, pid, fd) and matched afterwards.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "diag_internal.h"

#define DENTS_BUF (32 * 1024)

/* One socket fd found during the pass. */
struct proc_hit {
	uint32_t key; /* its inode; after matching, its slot or DIAG_NO_SLOT */
	int pid;
	int fd;
	uint32_t command; /* offset in the scanner's command pool */
	uint32_t cgroup;  /* the same, or NO_CGROUP */
};

#define NO_CGROUP UINT32_MAX

/* A process's names in the pool, read with its first socket. */
struct proc_names {
	uint32_t command; /* UINT32_MAX: not read yet */
	uint32_t cgroup;
};

/* One process's hits, hits[first..first+count) of scanner "by". */
struct proc_run {
	uint32_t order; /* the process's position in /proc */
	uint32_t first, count;
	uint32_t by;
};

/* What one thread found; each process is scanned by one thread. */
struct proc_scanner {
	struct proc_pass *p;
	char *dents;
	struct proc_hit *hits;
	size_t nhits, hits_cap;
	struct proc_run *runs;
	size_t nruns, runs_cap;
	char *cmds;
	size_t cmds_len, cmds_cap;
	unsigned int hidden;
	int err;
};

struct proc_pass {
	int proc_fd;
	int cgroups; /* read each owner's cgroup too */
	int *pids;   /* in /proc order */
	size_t npids;
	atomic_size_t next; /* the next pids[] index to take */
	pthread_t helper;
	int helper_running;
	struct proc_scanner sc[2]; /* [0] the helper, [1] the caller */
};

struct proc_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

int sock__proc_number(const char *s)
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

/* Make room for one more element of size sz in *arr (cap *cap). */
static int grow(void **arr, size_t n, size_t *cap, size_t sz)
{
	size_t c = *cap ? *cap * 2 : 256;
	void *q;

	if (n < *cap)
		return 0;
	q = realloc(*arr, c * sz);
	if (!q)
		return -ENOMEM;
	*arr = q;
	*cap = c;
	return 0;
}

static int pool_add(struct proc_scanner *s, const char *str, size_t len,
		    uint32_t *off)
{
	if (s->cmds_len + len + 1 > s->cmds_cap) {
		size_t cap = s->cmds_cap ? s->cmds_cap * 2 : 4096;
		void *q;

		while (cap < s->cmds_len + len + 1)
			cap *= 2;
		q = realloc(s->cmds, cap);
		if (!q)
			return -ENOMEM;
		s->cmds = q;
		s->cmds_cap = cap;
	}
	memcpy(s->cmds + s->cmds_len, str, len);
	s->cmds[s->cmds_len + len] = '\0';
	*off = (uint32_t)s->cmds_len;
	s->cmds_len += len + 1;
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

size_t sock__proc_comm(const char *comm, ssize_t n, char *name, size_t size)
{
	size_t len = n > 0 ? strnlen(comm, (size_t)n) : 0;

	if (len && comm[len - 1] == '\n')
		len--;
	if (len >= size)
		len = size - 1;
	if (!len) {
		snprintf(name, size, "?");
		return strlen(name);
	}
	memcpy(name, comm, len);
	name[len] = '\0';
	return len;
}

/*
 * comm is cut to 15 characters by the kernel; when it may have been,
 * take argv[0]'s base name instead if it starts with the same text.
 */
size_t sock__proc_long_name(char *name, size_t len, size_t size,
			    const char *argv0, ssize_t n)
{
	size_t an = n > 0 ? strnlen(argv0, (size_t)n) : 0, blen;
	const char *base = memrchr(argv0, '/', an);

	base = base ? base + 1 : argv0;
	blen = an - (size_t)(base - argv0);
	if (len != 15 || blen < len || blen >= 128 || blen >= size ||
	    memcmp(base, name, len))
		return len;
	memcpy(name, base, blen);
	name[blen] = '\0';
	return blen;
}

static int command(struct proc_scanner *s, int pid, uint32_t *off)
{
	char path[32], comm[64], name[256], argv0[256];
	ssize_t n;
	size_t len;

	snprintf(path, sizeof(path), "%d/comm", pid);
	n = read_at(s->p->proc_fd, path, comm, sizeof(comm));
	len = sock__proc_comm(comm, n, name, sizeof(name));
	if (len == 15) {
		snprintf(path, sizeof(path), "%d/cmdline", pid);
		n = read_at(s->p->proc_fd, path, argv0, sizeof(argv0));
		len = sock__proc_long_name(name, len, sizeof(name), argv0, n);
	}
	return pool_add(s, name, len, off);
}

char *sock__proc_cgroup_v2(char *text, size_t n, size_t size)
{
	if (!n || n >= size)
		return NULL;
	text[n] = '\0';
	/* a line cut by the buffer's end is no path */
	if (n == size - 1 && text[n - 1] != '\n') {
		char *nl = strrchr(text, '\n');

		*(nl ? nl : text) = '\0';
	}
	for (char *line = text; line && *line;) {
		char *end = strchr(line, '\n');

		if (end)
			*end = '\0';
		if (!strncmp(line, "0::", 3) && line[3] == '/')
			return line + 3;
		line = end ? end + 1 : NULL;
	}
	return NULL;
}

/* The process's cgroup v2 path into the pool; NO_CGROUP when it has
 * none (a cgroup v1 only machine) or it is gone. */
static int cgroup(struct proc_scanner *s, int pid, uint32_t *off)
{
	char path[32], text[8192], *v2;
	ssize_t n;

	*off = NO_CGROUP;
	snprintf(path, sizeof(path), "%d/cgroup", pid);
	n = read_at(s->p->proc_fd, path, text, sizeof(text) - 1);
	if (n <= 0)
		return 0;
	v2 = sock__proc_cgroup_v2(text, (size_t)n, sizeof(text));
	return v2 ? pool_add(s, v2, strlen(v2), off) : 0;
}

/* The first socket of a process also reads its names and opens its run. */
static int add_hit(struct proc_scanner *s, uint32_t inode, int pid, int fd,
		   uint32_t order, struct proc_names *nm)
{
	int ret;

	if (nm->command == UINT32_MAX) {
		nm->cgroup = NO_CGROUP;
		if ((ret = command(s, pid, &nm->command)) ||
		    (s->p->cgroups && (ret = cgroup(s, pid, &nm->cgroup))) ||
		    (ret = grow((void **)&s->runs, s->nruns, &s->runs_cap,
				sizeof(*s->runs))))
			return ret;
		s->runs[s->nruns++] =
		    (struct proc_run){ order, (uint32_t)s->nhits, 0,
				       (uint32_t)(s - s->p->sc) };
	}
	if (grow((void **)&s->hits, s->nhits, &s->hits_cap, sizeof(*s->hits)))
		return -ENOMEM;
	s->hits[s->nhits++] =
	    (struct proc_hit){ inode, pid, fd, nm->command, nm->cgroup };
	s->runs[s->nruns - 1].count++;
	return 0;
}

uint32_t sock__proc_socket_inode(const char *link, ssize_t n)
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
static int scan_fds(struct proc_scanner *s, int pid, uint32_t order, int dir)
{
	struct proc_names nm = { UINT32_MAX, NO_CGROUP };
	char link[32];
	long n;

	while ((n = syscall(SYS_getdents64, dir, s->dents, DENTS_BUF)) > 0) {
		for (long off = 0; off < n;) {
			struct proc_dirent64 *de = (void *)(s->dents + off);
			int fd = sock__proc_number(de->d_name);
			ssize_t len;
			uint32_t ino;

			off += de->d_reclen;
			if (fd < 0)
				continue;
			len = readlinkat(dir, de->d_name, link, sizeof(link));
			ino = sock__proc_socket_inode(link, len);
			if (ino && add_hit(s, ino, pid, fd, order, &nm))
				return -ENOMEM;
		}
	}
	return 0;
}

static int scan_process(struct proc_scanner *s, size_t order)
{
	int pid = s->p->pids[order];
	char path[32];
	int dir, ret;

	snprintf(path, sizeof(path), "%d/fd", pid);
	dir = openat(s->p->proc_fd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0) {
		/* Someone else's process: say so, show "-" for it. */
		if (errno == EACCES || errno == EPERM)
			s->hidden++;
		return 0;
	}
	ret = scan_fds(s, pid, (uint32_t)order, dir);
	close(dir);
	return ret;
}

/* Take processes one at a time until none is left. */
static void *scan_share(void *arg)
{
	struct proc_scanner *s = arg;
	size_t i;

	s->dents = malloc(DENTS_BUF);
	if (!s->dents)
		s->err = -ENOMEM;
	while (!s->err && (i = atomic_fetch_add(&s->p->next, 1)) < s->p->npids)
		s->err = scan_process(s, i);
	free(s->dents);
	s->dents = NULL;
	return NULL;
}

/* The numeric entries of /proc, in its order. */
static int read_pids(struct proc_pass *p)
{
	char *buf = malloc(DENTS_BUF);
	size_t cap = 0;
	long n;
	int ret = buf ? 0 : -ENOMEM;

	while (!ret &&
	       (n = syscall(SYS_getdents64, p->proc_fd, buf, DENTS_BUF)) > 0) {
		for (long off = 0; off < n && !ret;) {
			struct proc_dirent64 *de = (void *)(buf + off);
			int pid = sock__proc_number(de->d_name);

			off += de->d_reclen;
			if (pid <= 0)
				continue;
			ret = grow((void **)&p->pids, p->npids, &cap,
				   sizeof(*p->pids));
			if (!ret)
				p->pids[p->npids++] = pid;
		}
	}
	free(buf);
	return ret;
}

static void pass_free(struct proc_pass *p)
{
	for (int i = 0; i < 2; i++) {
		free(p->sc[i].hits);
		free(p->sc[i].runs);
		free(p->sc[i].cmds);
	}
	if (p->proc_fd >= 0)
		close(p->proc_fd);
	free(p->pids);
	free(p);
}

int sock__proc_start(const char *root, int cgroups, struct proc_pass **out)
{
	struct proc_pass *p = calloc(1, sizeof(*p));
	int ret;

	if (!p)
		return -ENOMEM;
	atomic_init(&p->next, 0);
	p->cgroups = cgroups;
	p->sc[0].p = p->sc[1].p = p;
	p->proc_fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ret = p->proc_fd < 0 ? -errno : read_pids(p);
	if (ret) {
		pass_free(p);
		return ret;
	}
	/* Without a helper the caller scans everything at the end. */
	p->helper_running =
	    !pthread_create(&p->helper, NULL, scan_share, &p->sc[0]);
	*out = p;
	return 0;
}

/* Both scanners' runs in /proc order (each list is already sorted). */
static struct proc_run *merge_runs(const struct proc_pass *p, size_t *n)
{
	const struct proc_scanner *a = &p->sc[0], *b = &p->sc[1];
	struct proc_run *m = malloc((a->nruns + b->nruns + 1) * sizeof(*m));
	size_t i = 0, j = 0;

	if (!m)
		return NULL;
	while (i < a->nruns || j < b->nruns) {
		if (j == b->nruns ||
		    (i < a->nruns && a->runs[i].order < b->runs[j].order)) {
			m[i + j] = a->runs[i];
			i++;
		} else {
			m[i + j] = b->runs[j];
			j++;
		}
	}
	*n = i + j;
	return m;
}

/* Look up every hit's socket and count the owners of each. */
static void match(struct sock_diag *d, struct proc_pass *p)
{
	for (int k = 0; k < 2; k++)
		for (size_t i = 0; i < p->sc[k].nhits; i++) {
			struct proc_hit *h = &p->sc[k].hits[i];

			h->key = sock__diag_owner_count(d, h->key);
		}
}

/* Give d the owners, by socket, each socket's in /proc order. */
static int group(struct sock_diag *d, struct proc_pass *p)
{
	size_t nruns = 0;
	struct proc_run *runs;

	match(d, p);
	runs = merge_runs(p, &nruns);
	if (!runs || sock__diag_owner_layout(d)) {
		free(runs);
		return -ENOMEM;
	}
	for (size_t r = 0; r < nruns; r++) {
		const struct proc_scanner *s = &p->sc[runs[r].by];

		for (size_t i = runs[r].first;
		     i < runs[r].first + runs[r].count; i++) {
			const struct proc_hit *h = &s->hits[i];

			if (h->key != DIAG_NO_SLOT)
				sock__diag_owner_put(
				    d, h->key,
				    &(struct sock_diag_owner){
					h->pid, h->fd, s->cmds + h->command,
					h->cgroup == NO_CGROUP
					    ? NULL
					    : s->cmds + h->cgroup });
		}
	}
	free(runs);
	return 0;
}

int sock__proc_finish(struct sock_diag *d, struct proc_pass *p, int join)
{
	int ret;

	if (!join) /* the snapshot failed: no need to finish the pass */
		atomic_store(&p->next, p->npids);
	scan_share(&p->sc[1]);
	if (p->helper_running)
		pthread_join(p->helper, NULL);
	sock__diag_set_hidden(d, p->sc[0].hidden + p->sc[1].hidden);
	ret = p->sc[0].err ? p->sc[0].err : p->sc[1].err;
	if (!ret && join)
		ret = sock__diag_owner_index(d);
	if (!ret && join)
		ret = group(d, p);
	if (!ret && join) {
		/* the snapshot keeps the names the owners point to */
		for (int i = 0; i < 2 && !ret; i++) {
			ret = sock__diag_owner_pool(d, p->sc[i].cmds);
			if (!ret)
				p->sc[i].cmds = NULL;
		}
	}
	pass_free(p);
	return ret;
}
