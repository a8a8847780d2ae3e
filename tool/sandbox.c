/*
 * tool/sandbox.c - --sandbox (see sandbox.h and docs/sandbox.md).
 *
 * Landlock: every filesystem right the kernel's ABI knows is handled,
 * and granted only beneath what the options name; TCP bind and connect
 * (ABI 4) only to the relay's target ports; signals and abstract Unix
 * sockets (ABI 6) scoped to the sandbox.  seccomp: an allow-list of the
 * system calls the running command makes, except with --exec, where
 * the program inherits the filter and so only calls no socket tool or
 * ordinary program needs are refused.  The structures are the kernel's
 * UAPI, spelled out here because installed headers may predate them.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <seccomp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "i18n.h"
#include "sandbox.h"

#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#define SYS_landlock_add_rule 445
#define SYS_landlock_restrict_self 446
#endif

#define LL_VERSION (1U << 0)
#define LL_RULE_PATH 1
#define LL_RULE_PORT 2

#define FS_EXECUTE (1ULL << 0)
#define FS_WRITE_FILE (1ULL << 1)
#define FS_READ_FILE (1ULL << 2)
#define FS_READ_DIR (1ULL << 3)
#define FS_REMOVE_FILE (1ULL << 5)
#define FS_TRUNCATE (1ULL << 14)
#define FS_IOCTL_DEV (1ULL << 15)
/* The rights that apply to a file (the rest are a directory's). */
#define FS_FILE_RIGHTS                                                         \
	(FS_EXECUTE | FS_WRITE_FILE | FS_READ_FILE | FS_TRUNCATE | FS_IOCTL_DEV)

#define NET_BIND_TCP (1ULL << 0)
#define NET_CONNECT_TCP (1ULL << 1)
#define SCOPE_ABSTRACT_UNIX (1ULL << 0)
#define SCOPE_SIGNAL (1ULL << 1)

struct ll_ruleset_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net; /* ABI 4 */
	uint64_t scoped;	     /* ABI 6 */
};

struct ll_path_beneath {
	uint64_t allowed_access;
	int32_t parent_fd;
} __attribute__((packed));

struct ll_net_port {
	uint64_t allowed_access;
	uint64_t port;
};

struct ll {
	int abi, fd;
	uint64_t fs; /* the rights handled, so refused unless granted */
};

int tool_sandbox_landlock_abi(void)
{
	long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, LL_VERSION);

	return abi < 0 ? 0 : (int)abi;
}

static uint64_t fs_handled(int abi)
{
	uint64_t fs = (1ULL << 13) - 1; /* ABI 1: EXECUTE .. MAKE_SYM */

	if (abi >= 2)
		fs |= 1ULL << 13; /* REFER */
	if (abi >= 3)
		fs |= FS_TRUNCATE;
	if (abi >= 5)
		fs |= FS_IOCTL_DEV;
	return fs;
}

static int ll_open(struct ll *l, int abstract_ok)
{
	struct ll_ruleset_attr attr = { 0 };
	size_t size = sizeof(attr.handled_access_fs);

	l->abi = tool_sandbox_landlock_abi();
	if (l->abi < 1)
		return -EOPNOTSUPP;
	l->fs = attr.handled_access_fs = fs_handled(l->abi);
	if (l->abi >= 4) {
		attr.handled_access_net = NET_BIND_TCP | NET_CONNECT_TCP;
		size = offsetof(struct ll_ruleset_attr, scoped);
	}
	if (l->abi >= 6) {
		attr.scoped =
		    SCOPE_SIGNAL | (abstract_ok ? 0 : SCOPE_ABSTRACT_UNIX);
		size = sizeof(attr);
	}
	l->fd = (int)syscall(SYS_landlock_create_ruleset, &attr, size, 0);
	return l->fd < 0 ? -errno : 0;
}

/* Allow access beneath path (a file: its own rights only).  A missing
 * path is skipped when optional (a library directory this system does
 * not have). */
static int ll_path(struct ll *l, const char *path, uint64_t access,
		   int optional)
{
	struct ll_path_beneath rule = { 0 };
	struct stat st;
	int ret = 0;

	rule.parent_fd = open(path, O_PATH | O_CLOEXEC);
	if (rule.parent_fd < 0)
		return optional && errno == ENOENT ? 0 : -errno;
	if (fstat(rule.parent_fd, &st) == 0 && !S_ISDIR(st.st_mode))
		access &= FS_FILE_RIGHTS;
	rule.allowed_access = access & l->fs;
	if (rule.allowed_access &&
	    syscall(SYS_landlock_add_rule, l->fd, LL_RULE_PATH, &rule, 0))
		ret = -errno;
	close(rule.parent_fd);
	return ret;
}

static int ll_port(struct ll *l, const struct sockaddr_storage *sa)
{
	struct ll_net_port rule = { NET_CONNECT_TCP, 0 };

	if (l->abi < 4)
		return 0;
	if (sa->ss_family == AF_INET)
		rule.port = ntohs(((const struct sockaddr_in *)sa)->sin_port);
	else if (sa->ss_family == AF_INET6)
		rule.port = ntohs(((const struct sockaddr_in6 *)sa)->sin6_port);
	else
		return 0;
	return syscall(SYS_landlock_add_rule, l->fd, LL_RULE_PORT, &rule, 0)
		   ? -errno
		   : 0;
}

/* The directory a Unix socket file is in: removing the file at exit
 * needs REMOVE_FILE there. */
static int own_file(struct ll *l, const struct sock_addr *a)
{
	char dir[sizeof(a->path) + 1], *slash;

	if (!a || a->family != AF_UNIX || !a->path[0])
		return 0;
	snprintf(dir, sizeof(dir), "%.*s", (int)a->path_len, a->path);
	slash = strrchr(dir, '/');
	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else
		slash[slash == dir] = '\0'; /* "/x" -> "/" */
	return ll_path(l, dir, FS_REMOVE_FILE, 0);
}

/* argv[0] as execvp() will find it, into buf; 0 or -ENOENT. */
static int find_program(const char *name, char *buf, size_t len)
{
	const char *path = getenv("PATH");

	if (strchr(name, '/')) {
		snprintf(buf, len, "%s", name);
		return access(buf, X_OK) ? -errno : 0;
	}
	for (const char *p = path ? path : "/usr/bin:/bin"; *p;) {
		size_t n = strcspn(p, ":");
		int w =
		    snprintf(buf, len, "%.*s/%s", (int)n, n ? p : ".", name);

		if (w > 0 && (size_t)w < len && !access(buf, X_OK))
			return 0;
		p += n + (p[n] == ':');
	}
	return -ENOENT;
}

/* "#!/bin/sh -e" -> "/bin/sh"; 0 when prog is no script. */
static int interpreter(const char *prog, char *buf, size_t len)
{
	char line[256], *path;
	int fd = open(prog, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, line, sizeof(line) - 1);

	if (fd >= 0)
		close(fd);
	if (n < 3 || line[0] != '#' || line[1] != '!')
		return 0;
	line[n] = '\0';
	path = line + 2 + strspn(line + 2, " \t");
	path[strcspn(path, " \t\n")] = '\0';
	snprintf(buf, len, "%s", path);
	return buf[0] != '\0';
}

/* The program, its interpreter, and what the dynamic loader reads. */
static int exec_files(struct ll *l, const char *name)
{
	static const char *const libs[] = { "/lib",	  "/lib64",
					    "/lib32",	  "/usr/lib",
					    "/usr/lib64", "/usr/lib32" };
	static const char *const loaders[] = {
		"/lib64/ld-linux-x86-64.so.2",
		"/lib/ld-linux-aarch64.so.1",
		"/lib/ld-linux-armhf.so.3",
		"/lib/ld-linux.so.2",
		"/lib/ld64.so.2",
		"/lib/ld-linux-riscv64-lp64d.so.1",
	};
	char prog[4096], interp[256];
	int ret = find_program(name, prog, sizeof(prog));

	if (!ret)
		ret = ll_path(l, prog, FS_EXECUTE | FS_READ_FILE, 0);
	if (!ret && interpreter(prog, interp, sizeof(interp)))
		ret = ll_path(l, interp, FS_EXECUTE | FS_READ_FILE, 0);
	for (size_t i = 0; !ret && i < sizeof(libs) / sizeof(libs[0]); i++)
		ret = ll_path(l, libs[i], FS_READ_FILE, 1);
	/* the kernel opens a program's ELF interpreter as it opens the
	 * program: execute, as the dynamic loader only */
	for (size_t i = 0; !ret && i < sizeof(loaders) / sizeof(loaders[0]);
	     i++)
		ret = ll_path(l, loaders[i], FS_EXECUTE | FS_READ_FILE, 1);
	if (!ret)
		ret = ll_path(l, "/etc/ld.so.cache", FS_READ_FILE, 1);
	if (!ret) /* the in-between process's stdin/stdout */
		ret = ll_path(l, "/dev/null", FS_READ_FILE | FS_WRITE_FILE, 0);
	return ret;
}

static int is_unix(const struct sock_addr *a)
{
	return a && a->family == AF_UNIX;
}

static int landlock(const struct tool_sandbox *p)
{
	int abstract_ok =
	    is_unix(p->own) || is_unix(p->peer) ||
	    (p->to && p->to->n && p->to->addrs[0].sa.ss_family == AF_UNIX);
	struct ll l;
	int ret = ll_open(&l, abstract_ok);

	if (ret)
		return ret;
	ret = own_file(&l, p->own);
	for (size_t i = 0; !ret && p->to && i < p->to->n; i++)
		if (p->to->addrs[i].type == SOCK_STREAM)
			ret = ll_port(&l, &p->to->addrs[i].sa);
	if (!ret && p->exec_argv)
		ret = exec_files(&l, p->exec_argv[0]);
	if (!ret && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		ret = -errno;
	if (!ret && syscall(SYS_landlock_restrict_self, l.fd, 0))
		ret = -errno;
	close(l.fd);
	return ret;
}

/* What connect, listen and relay call once running: I/O, the event
 * loop, memory, time, signals, exit, and the socket file's removal. */
static const char *const allowed[] = {
	"read",
	"write",
	"readv",
	"writev",
	"pread64",
	"pwrite64",
	"recvfrom",
	"sendto",
	"recvmsg",
	"sendmsg",
	"recvmmsg",
	"sendmmsg",
	"splice",
	"pipe2",
	"close",
	"shutdown",
	"accept",
	"accept4",
	"getsockopt",
	"setsockopt",
	"getsockname",
	"getpeername",
	"fcntl",
	"ioctl",
	"dup",
	"dup2",
	"dup3",
	"lseek",
	"poll",
	"ppoll",
	"select",
	"pselect6",
	"epoll_create1",
	"epoll_ctl",
	"epoll_wait",
	"epoll_pwait",
	"epoll_pwait2",
	"timerfd_create",
	"timerfd_settime",
	"timerfd_gettime",
	"signalfd4",
	"eventfd2",
	"brk",
	"mmap",
	"munmap",
	"mremap",
	"mprotect",
	"madvise",
	"futex",
	"clock_gettime",
	"clock_nanosleep",
	"nanosleep",
	"gettimeofday",
	"time",
	"getrandom",
	"rt_sigaction",
	"rt_sigprocmask",
	"rt_sigreturn",
	"sigaltstack",
	"getpid",
	"gettid",
	"getuid",
	"geteuid",
	"tgkill",
	"exit",
	"exit_group",
	"restart_syscall",
	"fstat",
	"newfstatat",
	"statx",
	"lstat",
	"stat",
	"getrlimit",
	"prlimit64",
	"unlink",
	"unlinkat",
	"openat",
	"open",
	"sched_yield",
	"rseq",
	"uname",
	"sysinfo",
};

/* What neither sock nor the program it runs should do; --exec only. */
static const char *const denied[] = {
	"ptrace",
	"process_vm_readv",
	"process_vm_writev",
	"mount",
	"umount2",
	"fsopen",
	"fsmount",
	"fsconfig",
	"move_mount",
	"open_tree",
	"pivot_root",
	"chroot",
	"swapon",
	"swapoff",
	"reboot",
	"kexec_load",
	"kexec_file_load",
	"init_module",
	"finit_module",
	"delete_module",
	"bpf",
	"perf_event_open",
	"unshare",
	"setns",
	"keyctl",
	"add_key",
	"request_key",
	"userfaultfd",
	"open_by_handle_at",
	"name_to_handle_at",
	"iopl",
	"ioperm",
	"acct",
	"settimeofday",
	"clock_settime",
	"clock_adjtime",
	"adjtimex",
	"sethostname",
	"setdomainname",
	"quotactl",
	"fanotify_init",
	"kcmp",
	"syslog",
	"personality",
	"lookup_dcookie",
	"vhangup",
};

static int rule(scmp_filter_ctx ctx, uint32_t action, const char *name)
{
	int nr = seccomp_syscall_resolve_name(name);

	/* a name this architecture does not have needs no rule */
	return nr == __NR_SCMP_ERROR ? 0 : seccomp_rule_add(ctx, action, nr, 0);
}

/* The relay opens a socket to its target for each client. */
static int relay_calls(scmp_filter_ctx ctx, const struct sock_target *to)
{
	int ret = 0;

	for (size_t i = 0; !ret && i < to->n; i++) {
		struct scmp_arg_cmp family = {
			.arg = 0,
			.op = SCMP_CMP_EQ,
			.datum_a = to->addrs[i].sa.ss_family,
			.datum_b = 0,
		};

		ret = seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW,
					     SCMP_SYS(socket), 1, &family);
	}
	if (!ret)
		ret = rule(ctx, SCMP_ACT_ALLOW, "connect");
	if (!ret)
		ret = rule(ctx, SCMP_ACT_ALLOW, "bind");
	return ret;
}

static int seccomp(const struct tool_sandbox *p)
{
	int exec = p->exec_argv != NULL, ret;
	scmp_filter_ctx ctx =
	    seccomp_init(exec ? SCMP_ACT_ALLOW : SCMP_ACT_ERRNO(EPERM));
	const char *const *list = exec ? denied : allowed;
	size_t n = exec ? sizeof(denied) / sizeof(denied[0])
			: sizeof(allowed) / sizeof(allowed[0]);

	if (!ctx)
		return -ENOMEM;
	ret = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1);
	for (size_t i = 0; !ret && i < n; i++)
		ret = rule(ctx, exec ? SCMP_ACT_ERRNO(EPERM) : SCMP_ACT_ALLOW,
			   list[i]);
	if (!ret && !exec && p->to)
		ret = relay_calls(ctx, p->to);
	if (!ret)
		ret = seccomp_load(ctx);
	seccomp_release(ctx);
	return ret;
}

/* Load now what would otherwise be opened on first use, outside the
 * sandbox's files: the message catalogs (ours and libc's). */
static void warm_up(void)
{
	volatile const char *s = _("started program %d for %s");

	s = strerror(EPERM);
	(void)s;
}

/* A TCP connection to 127.0.0.1:9 (discard): refused where nothing
 * listens; the sandbox refuses the socket or the connect itself. */
static const char *try_connect(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons(9),
				   .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), ret;

	if (fd < 0)
		return strerrorname_np(errno);
	ret = connect(fd, (struct sockaddr *)&sin, sizeof(sin));
	ret = ret < 0 ? errno : 0;
	close(fd);
	return ret ? strerrorname_np(ret) : "allowed";
}

/* SOCK_SANDBOX_SELFTEST=PATH: try what is forbidden, say what happened. */
static void selftest(void)
{
	const char *path = getenv("SOCK_SANDBOX_SELFTEST");
	int fd, status;
	pid_t pid;

	if (!path)
		return;
	fprintf(stderr, "sock: sandbox selftest: connect 127.0.0.1:9: %s\n",
		try_connect());
	fd = open(path, O_RDONLY | O_CLOEXEC);
	fprintf(stderr, "sock: sandbox selftest: open %s: %s\n", path,
		fd < 0 ? strerrorname_np(errno) : "allowed");
	if (fd >= 0)
		close(fd);
	pid = fork();
	if (pid == 0)
		_exit(0);
	fprintf(stderr, "sock: sandbox selftest: fork: %s\n",
		pid < 0 ? strerrorname_np(errno) : "allowed");
	if (pid > 0)
		waitpid(pid, &status, 0);
}

int tool_sandbox_enter(const struct sock_global *g,
		       const struct tool_sandbox *p)
{
	int ret, abi = tool_sandbox_landlock_abi();

	if (!g->sandbox)
		return 0;
	warm_up();
	ret = landlock(p);
	if (ret == -EOPNOTSUPP || ret == -ENOSYS) {
		tool_errorf(_("%s: --sandbox needs Landlock, which this kernel "
			      "does not offer (or has turned off): not running "
			      "unconfined"),
			    p->cmd);
		return EXIT_RUNTIME;
	}
	if (ret) {
		tool_errorf(_("%s: --sandbox: cannot set up Landlock: %s"),
			    p->cmd, strerror(-ret));
		return EXIT_RUNTIME;
	}
	ret = seccomp(p);
	if (ret) {
		tool_errorf(_("%s: --sandbox: cannot load the seccomp filter: "
			      "%s"),
			    p->cmd, strerror(-ret));
		return EXIT_RUNTIME;
	}
	tool_verbosef(g, _("sandboxed (Landlock ABI %d, seccomp)"), abi);
	selftest();
	return 0;
}
