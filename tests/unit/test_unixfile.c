/*
 * tests/unit/test_unixfile.c - a Unix socket's file through its directory
 * (lib/unixfile.c): the path split once, a file that is not a socket
 * never claimed, and nothing removed but the very socket file claimed.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>

#include <sock/unixfile.h>

static char dir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/sock-unixfile.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* A socket file at dir/name, left behind as a stale one. */
static void make_socket(const char *name)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/%s", dir, name);
	assert_int_equal(bind(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	close(fd);
}

static void path_of(const char *name, char *out, size_t size)
{
	snprintf(out, size, "%s/%s", dir, name);
}

static void test_split(void **state)
{
	struct sock_unixfile u;
	char longer[200];

	(void)state;
	assert_int_equal(sock_unixfile_open(&u, "/tmp"), 0);
	assert_string_equal(u.base, "tmp");
	sock_unixfile_close(&u);
	assert_int_equal(u.dirfd, -1);
	assert_int_equal(sock_unixfile_open(&u, "relative.sock"), 0);
	assert_string_equal(u.base, "relative.sock");
	sock_unixfile_close(&u);
	assert_int_equal(sock_unixfile_open(&u, "/tmp/"), -EINVAL);
	memset(longer, 'a', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	assert_int_equal(sock_unixfile_open(&u, longer), -ENAMETOOLONG);
	assert_int_equal(u.dirfd, -1);
}

static void test_regular_file_never_claimed(void **state)
{
	struct sock_unixfile u;
	char p[128];
	FILE *f;

	(void)state;
	path_of("file", p, sizeof(p));
	f = fopen(p, "w");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(sock_unixfile_open(&u, p), 0);
	assert_int_equal(sock_unixfile_claim(&u), -ENOTSOCK);
	assert_false(sock_unixfile_is_ours(&u));
	assert_int_equal(sock_unixfile_remove(&u), -ESTALE);
	assert_int_equal(access(p, F_OK), 0);
	sock_unixfile_close(&u);
}

static void test_only_the_claimed_socket_removed(void **state)
{
	struct sock_unixfile u;
	char p[128], via[108], want[108];

	(void)state;
	make_socket("s");
	path_of("s", p, sizeof(p));
	assert_int_equal(sock_unixfile_open(&u, p), 0);
	assert_int_equal(sock_unixfile_claim(&u), 0);
	assert_true(sock_unixfile_is_ours(&u));
	assert_int_equal(sock_unixfile_via_dir(&u, via, sizeof(via)), 0);
	snprintf(want, sizeof(want), "/proc/self/fd/%d/s", u.dirfd);
	assert_string_equal(via, want);
	/* Replaced by another socket of the same name (made while the
	 * first still exists: a freed inode number may come back): not
	 * ours. */
	make_socket("s2");
	path_of("s2", via, sizeof(via));
	assert_int_equal(rename(via, p), 0);
	assert_false(sock_unixfile_is_ours(&u));
	assert_int_equal(sock_unixfile_remove(&u), -ESTALE);
	assert_int_equal(access(p, F_OK), 0);
	/* Claimed again, it goes. */
	assert_int_equal(sock_unixfile_claim(&u), 0);
	assert_int_equal(sock_unixfile_remove(&u), 0);
	assert_int_equal(access(p, F_OK), -1);
	sock_unixfile_close(&u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split),
		cmocka_unit_test_setup_teardown(test_regular_file_never_claimed,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_only_the_claimed_socket_removed, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
