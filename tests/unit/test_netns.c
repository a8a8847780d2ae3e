/*
 * test_netns.c - the /proc/PID/cgroup line parser (which container a
 * process is in) on the runtimes' real path shapes, and the labels.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <sock/netns.h>

#define ID "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
/* 52 hex digits: "ffffffffffff" ID2 is a 64-digit id */
#define ID2 "0123456789abcdef0123456789abcdef0123456789abcdef0123"
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static void test_cgroup_lines(void **state)
{
	static const struct {
		const char *line, *runtime, *id;
		int ret;
	} cases[] = {
		{ "0::/system.slice/docker-" ID ".scope\n", "docker",
		  "0123456789ab", 1 },
		{ "12:pids:/docker/" ID, "docker", "0123456789ab", 1 },
		{ "0::/docker/" ID "/docker/ffffffffffff" ID2, "docker",
		  "ffffffffffff", 1 }, /* docker in docker: the inner one */
		{ "0::/docker/" ID "x", NULL, NULL, 0 }, /* 65 characters */
		{ "0::/kubepods.slice/kubepods-besteffort.slice/"
		  "kubepods-besteffort-pod1b2c_3d.slice/cri-containerd-" ID
		  ".scope",
		  "containerd", "0123456789ab", 1 },
		{ "0::/kubepods.slice/crio-" ID ".scope", "crio",
		  "0123456789ab", 1 },
		{ "0::/kubepods/besteffort/pod1b2c-3d/" ID, "kubepods",
		  "0123456789ab", 1 },
		{ "0::/machine.slice/libpod-" ID ".scope/container", "podman",
		  "0123456789ab", 1 },
		{ "0::/machine.slice/libpod-conmon-" ID ".scope", NULL, NULL,
		  0 },
		{ "0::/machine.slice/machine-web1.scope/payload", "nspawn",
		  "web1", 1 },
		{ "0::/user.slice/user-1000.slice/session-2.scope", NULL, NULL,
		  0 },
		{ "0::/", NULL, NULL, 0 },
		{ "0::/" ID, NULL, NULL, 0 }, /* a bare id: no runtime named */
		{ "", NULL, NULL, -EINVAL },
		{ "x::/docker/" ID, NULL, NULL, -EINVAL },
		{ "0:/docker/" ID, NULL, NULL, -EINVAL },
		{ "0::", NULL, NULL, -EINVAL },
		{ ":cpu:/docker/" ID, NULL, NULL, -EINVAL },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct sock_netns_container c;
		int ret = sock_netns_cgroup_parse(cases[i].line,
						  strlen(cases[i].line), &c);

		if (ret != cases[i].ret)
			fail_msg("'%s': %d, want %d", cases[i].line, ret,
				 cases[i].ret);
		if (cases[i].runtime &&
		    (!c.runtime || strcmp(c.runtime, cases[i].runtime) ||
		     strcmp(c.id, cases[i].id)))
			fail_msg("'%s': %s:%s", cases[i].line,
				 c.runtime ? c.runtime : "-", c.id);
		if (!cases[i].runtime && c.runtime)
			fail_msg("'%s': found %s", cases[i].line, c.runtime);
	}
}

static void test_labels(void **state)
{
	struct sock_netns ns = { .ino = 4026532300 };
	char buf[64];

	(void)state;
	assert_string_equal(sock_netns_label(&ns, buf, sizeof(buf)),
			    "net:[4026532300]");
	ns.container.runtime = "docker";
	strcpy(ns.container.id, "0123456789ab");
	assert_string_equal(sock_netns_label(&ns, buf, sizeof(buf)),
			    "docker:0123456789ab");
	ns.name = "blue";
	assert_string_equal(sock_netns_label(&ns, buf, sizeof(buf)), "blue");
}

/* The caller's own namespace, and -N's errors. */
static void test_find(void **state)
{
	struct sock_netns_set *s = NULL;

	(void)state;
	assert_int_equal(sock_netns_self(NULL, &s), 0);
	assert_int_equal(sock_netns_count(s), 1);
	assert_true(sock_netns_get(s, 0)->self);
	assert_null(sock_netns_get(s, 1));
	sock_netns_free(s);
	assert_int_equal(sock_netns_find("no-such-netns-xyz", NULL, &s),
			 -ENOENT);
	assert_null(s);
	assert_int_equal(sock_netns_find("/dev/null", NULL, &s), -EINVAL);
	assert_int_equal(sock_netns_find("/proc/self/ns/mnt", NULL, &s),
			 -EINVAL);
	assert_int_equal(sock_netns_find("999999999", NULL, &s), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cgroup_lines),
		cmocka_unit_test(test_labels),
		cmocka_unit_test(test_find),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
