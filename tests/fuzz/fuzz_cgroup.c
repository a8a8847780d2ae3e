/*
 * fuzz_cgroup.c - the /proc/PID/cgroup line parser on arbitrary bytes.
 *
 * The parser is given exactly size bytes (ASan sees a heap copy with no
 * NUL after it), so it must never read past len; it returns -EINVAL, 0
 * or 1, and when it finds a container, the runtime is one of the known
 * names and the id is a NUL-terminated string of bytes from the input.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sock/netns.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int known(const char *runtime)
{
	static const char *const names[] = {
		"docker", "containerd", "crio", "podman", "nspawn", "kubepods"
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(runtime, names[i]))
			return 1;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sock_netns_container c;
	char *copy = malloc(size ? size : 1);
	int ret;

	if (!copy)
		return 0;
	if (size)
		memcpy(copy, data, size);
	ret = sock_netns_cgroup_parse(copy, size, &c);
	if (ret != -EINVAL && ret != 0 && ret != 1)
		abort();
	if ((ret == 1) != (c.runtime != NULL))
		abort();
	if (ret == 1 && (!known(c.runtime) || !c.id[0] ||
			 memchr(c.id, '\0', sizeof(c.id)) == NULL ||
			 !memmem(data, size, c.id, strlen(c.id))))
		abort();
	free(copy);
	return 0;
}
