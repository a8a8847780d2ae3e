/*
 * replay_main.c - run a fuzz target over files, without libFuzzer, so that
 * every build (gcc included) replays the corpus and past crashes.
 *
 * Usage: replay_fuzz_X FILE|DIR...  A directory means each regular file in
 * it, in the order readdir() gives.  Silent on success; a failed check
 * aborts inside the target.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int read_all(FILE *f, uint8_t **data, size_t *size)
{
	size_t cap = 4096, n = 0;
	uint8_t *buf = malloc(cap), *bigger;

	while (buf) {
		n += fread(buf + n, 1, cap - n, f);
		if (n < cap)
			break;
		cap *= 2;
		bigger = realloc(buf, cap);
		if (!bigger)
			free(buf);
		buf = bigger;
	}
	if (!buf)
		return -ENOMEM;
	if (ferror(f)) {
		free(buf);
		return -EIO;
	}
	*data = buf;
	*size = n;
	return 0;
}

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *data;
	size_t size;
	int ret;

	if (!f) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	ret = read_all(f, &data, &size);
	fclose(f);
	if (ret < 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(-ret));
		return -1;
	}
	LLVMFuzzerTestOneInput(data, size);
	free(data);
	return 0;
}

static int replay_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	struct stat st;
	char path[4096];
	int ret = 0;

	if (!d) {
		fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(d))) {
		if (snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >=
		    (int)sizeof(path))
			continue;
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
		    replay_file(path) < 0)
			ret = -1;
	}
	closedir(d);
	return ret;
}

int main(int argc, char **argv)
{
	struct stat st;
	int status = 0;

	for (int i = 1; i < argc; i++) {
		int ret;

		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
			ret = replay_dir(argv[i]);
		else
			ret = replay_file(argv[i]);
		if (ret < 0)
			status = 1;
	}
	return status;
}
