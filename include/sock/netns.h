/*
 * sock/netns.h - the machine's network namespaces: found, named and
 * opened, so that sock_diag can list the sockets of each (struct
 * sock_diag_query.netns).
 *
 * A struct sock_netns_set is opaque: sock_netns_all() or
 * sock_netns_find() create it, sock_netns_free() releases it with every
 * struct sock_netns it holds (and closes their descriptors).
 *
 * Nothing here prints; every failure is a negative errno.
 */
#ifndef SOCK_NETNS_H
#define SOCK_NETNS_H

#include <stddef.h>
#include <stdint.h>

/* The container a process belongs to, from its /proc/PID/cgroup. */
struct sock_netns_container {
	const char *runtime; /* "docker", "containerd", "crio", "podman",
				"nspawn", "kubepods"; NULL: none */
	char id[65];	     /* the short id (12 hex) or the machine name */
};

/* One network namespace. */
struct sock_netns {
	uint64_t dev, ino; /* of its nsfs inode: what identifies it */
	int fd;		   /* open on it (O_RDONLY | O_CLOEXEC), or -1
			      (sock_netns_self(): never needed) */
	const char *name;  /* its `ip netns` name, or NULL */
	struct sock_netns_container container;
	int pid;       /* a process in it, 0 when none was seen */
	char comm[16]; /* that process's command */
	int self;      /* the caller's own namespace */
};

struct sock_netns_set;

/*
 * Every network namespace that can be seen: those of every process in
 * proc_root (NULL: "/proc"), the bind mounts under /run/netns and
 * /run/docker/netns, and the nsfs mounts in proc_root/self/mountinfo;
 * each once (by device and inode), the caller's first, the rest by
 * inode.  0 or -ENOMEM.
 */
int sock_netns_all(const char *proc_root, struct sock_netns_set **out);

/*
 * One namespace from spec: a name under /run/netns, a path (anything
 * with a '/': an nsfs file or bind mount), or a process id (its
 * proc_root/PID/ns/net).  0, -ENOENT (no such name, path or process),
 * -EINVAL (the file is not a network namespace), -EACCES, -ENOMEM.
 */
int sock_netns_find(const char *spec, const char *proc_root,
		    struct sock_netns_set **out);

/* The caller's own namespace alone (what a query without a set lists). */
int sock_netns_self(const char *proc_root, struct sock_netns_set **out);

size_t sock_netns_count(const struct sock_netns_set *s);
const struct sock_netns *sock_netns_get(const struct sock_netns_set *s,
					size_t i);
void sock_netns_free(struct sock_netns_set *s);

/*
 * A namespace's short label into buf: its ip netns name, else
 * RUNTIME:ID of its container, else "net:[INODE]".  Returns buf.
 */
const char *sock_netns_label(const struct sock_netns *ns, char *buf,
			     size_t size);

/*
 * Parse one line of /proc/PID/cgroup ("0::/system.slice/docker-<id>.scope",
 * "12:pids:/docker/<id>") into c: the innermost container it names.
 * Returns 1 when one was found, 0 when the line names none (c->runtime
 * NULL), -EINVAL when the line is not a cgroup line.
 */
int sock_netns_cgroup_parse(const char *line, size_t len,
			    struct sock_netns_container *c);

#endif
