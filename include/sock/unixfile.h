/*
 * sock/unixfile.h - a Unix socket's file, reached through its directory.
 *
 * A path is resolved anew by every call that names it: between a check
 * (lstat, a probe connect) and an unlink, someone who may rename a
 * directory on the path can swap it for a symlink, and the unlink then
 * removes a same-named file elsewhere.  Here the directory is opened once
 * (O_PATH) and every later step works on that descriptor and the base
 * name; a file is removed only while it is still the socket file that
 * was checked (same device and inode).
 */
#ifndef SOCK_UNIXFILE_H
#define SOCK_UNIXFILE_H

#include <sys/stat.h>
#include <sys/un.h>

struct sock_unixfile {
	int dirfd; /* the directory, O_PATH; -1: none */
	char base[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)]; /* as given */
	dev_t dev; /* the socket file checked (ino 0: none yet) */
	ino_t ino;
};

/* Open path's directory; u->dirfd -1 on failure.  Returns 0 or -errno
 * (-ENAMETOOLONG for a path that does not fit sun_path). */
int sock_unixfile_open(struct sock_unixfile *u, const char *path);

/* lstat() of the file, through the directory: 0 or -errno. */
int sock_unixfile_stat(const struct sock_unixfile *u, struct stat *st);

/* Remember the file now there if it is a socket: 0, -ENOTSOCK, or
 * -errno. */
int sock_unixfile_claim(struct sock_unixfile *u);

/* 1 when the file there is still the socket file claimed or checked. */
int sock_unixfile_is_ours(const struct sock_unixfile *u);

/* Remove the file if it is still the one claimed: 0, -ESTALE when it has
 * been replaced (nothing removed), or -errno.  Async-signal-safe. */
int sock_unixfile_remove(const struct sock_unixfile *u);

/* "/proc/self/fd/N/BASE": the same file through the open directory, for
 * a call that takes only a path (connect, bind).  0, or -ENAMETOOLONG
 * when it does not fit out (the caller then uses u->path). */
int sock_unixfile_via_dir(const struct sock_unixfile *u, char *out,
			  size_t size);

/* Close the directory (u->dirfd becomes -1). */
void sock_unixfile_close(struct sock_unixfile *u);

#endif
