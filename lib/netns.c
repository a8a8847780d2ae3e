/*
 * lib/netns.c - the machine's network namespaces: found through every
 * process's /proc/PID/ns/net, the bind mounts of ip netns and Docker,
 * and the nsfs mounts of mountinfo; each kept once, by the device and
 * inode of its nsfs file, with a descriptor to enter it and a name.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/nsfs.h>

#include <sock/netns.h>

struct sock_netns_set {
	struct sock_netns *v;
	size_t n, cap;
};

static const char *proc_dir(const char *root)
{
	return root ? root : "/proc";
}

static struct sock_netns *lookup(struct sock_netns_set *s, dev_t dev, ino_t ino)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].dev == dev && s->v[i].ino == ino)
			return &s->v[i];
	return NULL;
}

static struct sock_netns *add(struct sock_netns_set *s, const struct stat *st)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		void *p = realloc(s->v, cap * sizeof(*s->v));

		if (!p)
			return NULL;
		s->v = p;
		s->cap = cap;
	}
	s->v[s->n] = (struct sock_netns){ .dev = st->st_dev,
					  .ino = st->st_ino,
					  .fd = -1 };
	return &s->v[s->n++];
}

/* An nsfs file of a network namespace, opened; -errno if not. */
static int open_netns(const char *path, struct stat *st)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), type;

	if (fd < 0)
		return -errno;
	type = ioctl(fd, NS_GET_NSTYPE);
	if (fstat(fd, st) < 0 || type != CLONE_NEWNET) {
		close(fd);
		return -EINVAL;
	}
	return fd;
}

static void read_line(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "re");

	buf[0] = '\0';
	if (!f)
		return;
	if (!fgets(buf, (int)size, f))
		buf[0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

/* The container of process pid, from its cgroup lines. */
static void container_of(const char *root, int pid,
			 struct sock_netns_container *c)
{
	char path[256], line[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%d/cgroup", root, pid);
	f = fopen(path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (sock_netns_cgroup_parse(line, strlen(line), c) == 1)
			break;
	fclose(f);
}

/* A process in ns: the first one seen (its command and container). */
static void set_process(struct sock_netns *ns, const char *root, int pid)
{
	char path[256];

	ns->pid = pid;
	snprintf(path, sizeof(path), "%s/%d/comm", root, pid);
	read_line(path, ns->comm, sizeof(ns->comm));
	container_of(root, pid, &ns->container);
}

/* Namespaces of every process we may look at. */
static int from_processes(struct sock_netns_set *s, const char *root)
{
	DIR *dir = opendir(root);
	struct dirent *de;
	char path[256];
	struct stat st;

	if (!dir)
		return 0;
	while ((de = readdir(dir))) {
		struct sock_netns *ns;
		int pid = atoi(de->d_name);

		if (pid <= 0)
			continue;
		snprintf(path, sizeof(path), "%s/%d/ns/net", root, pid);
		if (stat(path, &st) < 0)
			continue; /* gone, or not ours to see */
		ns = lookup(s, st.st_dev, st.st_ino);
		if (ns && ns->pid)
			continue;
		if (!ns && !(ns = add(s, &st))) {
			closedir(dir);
			return -ENOMEM;
		}
		if (ns->fd < 0)
			ns->fd = open(path, O_RDONLY | O_CLOEXEC);
		set_process(ns, root, pid);
	}
	closedir(dir);
	return 0;
}

/* One bind mount (or other nsfs file); name is its ip netns name. */
static int from_file(struct sock_netns_set *s, const char *path,
		     const char *name, int add_new)
{
	struct sock_netns *ns;
	struct stat st;
	int fd;

	if (stat(path, &st) < 0)
		return 0;
	ns = lookup(s, st.st_dev, st.st_ino);
	if (!ns && !add_new)
		return 0;
	if (!ns) {
		fd = open_netns(path, &st);
		if (fd < 0)
			return 0; /* not a network namespace */
		ns = add(s, &st);
		if (!ns) {
			close(fd);
			return -ENOMEM;
		}
		ns->fd = fd;
	}
	if (name && !ns->name) {
		ns->name = strdup(name);
		if (!ns->name)
			return -ENOMEM;
	}
	return 0;
}

static int from_dir(struct sock_netns_set *s, const char *dirname, int named,
		    int add_new)
{
	DIR *dir = opendir(dirname);
	struct dirent *de;
	char path[512];
	int ret = 0;

	if (!dir)
		return 0;
	while (!ret && (de = readdir(dir))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dirname, de->d_name);
		ret = from_file(s, path, named ? de->d_name : NULL, add_new);
	}
	closedir(dir);
	return ret;
}

/* mountinfo's octal escapes (\040 for a space) undone in place. */
static void unescape(char *p)
{
	char *o = p;

	for (; *p; p++) {
		if (p[0] == '\\' && p[1] >= '0' && p[1] <= '3' && p[2] &&
		    p[3]) {
			*o++ = (char)((p[1] - '0') * 64 + (p[2] - '0') * 8 +
				      (p[3] - '0'));
			p += 3;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
}

/* nsfs mounts anywhere: field 5 is the mount point, after " - " the
 * file system type. */
static int from_mountinfo(struct sock_netns_set *s, const char *root)
{
	char path[256], line[4096], *mnt, *sep;
	int ret = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/self/mountinfo", root);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (!ret && fgets(line, sizeof(line), f)) {
		sep = strstr(line, " - nsfs ");
		mnt = line;
		for (int i = 0; sep && mnt && i < 4; i++)
			mnt = strchr(mnt + 1, ' ');
		if (!sep || !mnt)
			continue;
		mnt++;
		mnt[strcspn(mnt, " ")] = '\0';
		unescape(mnt);
		ret = from_file(s, mnt, NULL, 1);
	}
	fclose(f);
	return ret;
}

/* ip netns names (and, with add_new, the namespaces only they hold). */
static int name_all(struct sock_netns_set *s, int add_new)
{
	return from_dir(s, "/run/netns", 1, add_new);
}

static int by_self_then_inode(const void *a, const void *b)
{
	const struct sock_netns *x = a, *y = b;

	if (x->self != y->self)
		return y->self - x->self;
	return x->ino < y->ino ? -1 : x->ino > y->ino;
}

static void mark_self(struct sock_netns_set *s, const char *root)
{
	char path[256];
	struct stat st;
	struct sock_netns *ns;

	snprintf(path, sizeof(path), "%s/self/ns/net", root);
	if (stat(path, &st) == 0 && (ns = lookup(s, st.st_dev, st.st_ino)))
		ns->self = 1;
	qsort(s->v, s->n, sizeof(*s->v), by_self_then_inode);
}

int sock_netns_all(const char *proc_root, struct sock_netns_set **out)
{
	const char *root = proc_dir(proc_root);
	struct sock_netns_set *s = calloc(1, sizeof(*s));
	int ret;

	if (!s)
		return -ENOMEM;
	ret = from_processes(s, root);
	if (!ret)
		ret = name_all(s, 1);
	if (!ret)
		ret = from_dir(s, "/run/docker/netns", 0, 1);
	if (!ret)
		ret = from_mountinfo(s, root);
	if (ret) {
		sock_netns_free(s);
		return ret;
	}
	mark_self(s, root);
	*out = s;
	return 0;
}

/* spec as a path: a name under /run/netns, a path, or a process. */
static void spec_path(const char *spec, const char *root, char *buf,
		      size_t size)
{
	size_t digits = strspn(spec, "0123456789");

	if (strchr(spec, '/'))
		snprintf(buf, size, "%s", spec);
	else if (digits && !spec[digits])
		snprintf(buf, size, "%s/%s/ns/net", root, spec);
	else
		snprintf(buf, size, "/run/netns/%s", spec);
}

/* Keep only the namespace (dev, ino) of s, adding it if missing. */
static int keep_one(struct sock_netns_set *s, const struct stat *st, int fd)
{
	struct sock_netns *ns = lookup(s, st->st_dev, st->st_ino), one;

	if (!ns && !(ns = add(s, st)))
		return -ENOMEM;
	one = *ns;
	*ns = (struct sock_netns){ .fd = -1 };
	if (one.fd >= 0)
		close(one.fd);
	one.fd = fd;
	for (size_t i = 0; i < s->n; i++) {
		if (s->v[i].fd >= 0)
			close(s->v[i].fd);
		free((char *)s->v[i].name);
	}
	s->v[0] = one;
	s->n = 1;
	return 0;
}

int sock_netns_find(const char *spec, const char *proc_root,
		    struct sock_netns_set **out)
{
	const char *root = proc_dir(proc_root);
	char path[4096];
	struct stat st;
	int fd, ret;

	*out = NULL;
	if (!spec || !*spec)
		return -ENOENT;
	spec_path(spec, root, path, sizeof(path));
	fd = open_netns(path, &st);
	if (fd < 0)
		return fd;
	ret = sock_netns_all(proc_root, out);
	if (!ret)
		ret = keep_one(*out, &st, fd);
	if (ret) {
		close(fd);
		if (*out)
			sock_netns_free(*out);
		*out = NULL;
	}
	return ret;
}

/* No walk of /proc here: this is on every listing's path. */
int sock_netns_self(const char *proc_root, struct sock_netns_set **out)
{
	const char *root = proc_dir(proc_root);
	struct sock_netns_set *s = calloc(1, sizeof(*s));
	struct sock_netns *ns;
	char path[256];
	struct stat st;
	int fd, ret = -ENOMEM;

	if (!s)
		return -ENOMEM;
	snprintf(path, sizeof(path), "%s/self/ns/net", root);
	fd = open_netns(path, &st);
	if (fd < 0) {
		free(s);
		return fd;
	}
	/* not kept open: the caller's namespace is never entered, and a
	 * listing's descriptors stay where they were (--trace shows them) */
	close(fd);
	ns = add(s, &st);
	if (ns) {
		ns->self = 1;
		ret = name_all(s, 0);
	}
	if (ret) {
		sock_netns_free(s);
		return ret;
	}
	*out = s;
	return 0;
}

size_t sock_netns_count(const struct sock_netns_set *s)
{
	return s ? s->n : 0;
}

const struct sock_netns *sock_netns_get(const struct sock_netns_set *s,
					size_t i)
{
	return s && i < s->n ? &s->v[i] : NULL;
}

void sock_netns_free(struct sock_netns_set *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++) {
		if (s->v[i].fd >= 0)
			close(s->v[i].fd);
		free((char *)s->v[i].name);
	}
	free(s->v);
	free(s);
}

const char *sock_netns_label(const struct sock_netns *ns, char *buf,
			     size_t size)
{
	if (ns->name)
		snprintf(buf, size, "%s", ns->name);
	else if (ns->container.runtime)
		snprintf(buf, size, "%s:%s", ns->container.runtime,
			 ns->container.id);
	else
		snprintf(buf, size, "net:[%llu]", (unsigned long long)ns->ino);
	return buf;
}
