/*
 * lib/unixfile.c - a Unix socket's file through its directory, opened
 * once (sock/unixfile.h): no step resolves the path again.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sock/unixfile.h>

#include "sys.h"

/* Split path into its directory (".", "/" or the part before the last
 * slash) and its base name; -EINVAL when there is no base name. */
static int split(const char *path, char *dir, size_t size, const char **base)
{
	const char *slash = strrchr(path, '/');
	size_t n;

	if (!slash) {
		*base = path;
		snprintf(dir, size, ".");
	} else {
		*base = slash + 1;
		n = slash == path ? 1 : (size_t)(slash - path);
		if (n >= size)
			return -ENAMETOOLONG;
		memcpy(dir, path, n);
		dir[n] = '\0';
	}
	return **base ? 0 : -EINVAL;
}

int sock_unixfile_open(struct sock_unixfile *u, const char *path)
{
	char dir[sizeof(u->path)];
	const char *base;
	int ret;

	memset(u, 0, sizeof(*u));
	u->dirfd = -1;
	if (strlen(path) >= sizeof(u->path))
		return -ENAMETOOLONG;
	ret = split(path, dir, sizeof(dir), &base);
	if (ret)
		return ret;
	snprintf(u->path, sizeof(u->path), "%s", path);
	snprintf(u->base, sizeof(u->base), "%s", base);
	u->dirfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	return u->dirfd < 0 ? -errno : 0;
}

int sock_unixfile_stat(const struct sock_unixfile *u, struct stat *st)
{
	if (u->dirfd < 0)
		return -EBADF;
	return fstatat(u->dirfd, u->base, st, AT_SYMLINK_NOFOLLOW) < 0 ? -errno
								       : 0;
}

int sock_unixfile_claim(struct sock_unixfile *u)
{
	struct stat st;
	int ret = sock_unixfile_stat(u, &st);

	if (ret)
		return ret;
	if (!S_ISSOCK(st.st_mode))
		return -ENOTSOCK;
	u->dev = st.st_dev;
	u->ino = st.st_ino;
	return 0;
}

int sock_unixfile_is_ours(const struct sock_unixfile *u)
{
	struct stat st;

	return u->ino && !sock_unixfile_stat(u, &st) && S_ISSOCK(st.st_mode) &&
	       st.st_dev == u->dev && st.st_ino == u->ino;
}

int sock_unixfile_remove(const struct sock_unixfile *u)
{
	if (!sock_unixfile_is_ours(u))
		return u->dirfd < 0 ? -EBADF : -ESTALE;
	return sock__unlinkat(u->dirfd, u->base, u->path) < 0 ? -errno : 0;
}

int sock_unixfile_via_dir(const struct sock_unixfile *u, char *out, size_t size)
{
	int n = snprintf(out, size, "/proc/self/fd/%d/%s", u->dirfd, u->base);

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

void sock_unixfile_close(struct sock_unixfile *u)
{
	if (u->dirfd >= 0)
		close(u->dirfd);
	u->dirfd = -1;
}
