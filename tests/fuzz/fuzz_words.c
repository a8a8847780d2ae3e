/*
 * fuzz_words.c - the tool's option and word parsers on arbitrary text:
 * durations (-w, -i, --udp-idle), counts (--max-sessions), port ranges
 * (connect -z), nc's HOST PORT words (tool/words.c) and socat's address
 * hints.  The input is split at its first two newlines into three words.
 * What a parser accepts must be what the text says (checked against an
 * independent reading); every endpoint it builds must fit its buffer and
 * be a string.  Usage errors go to stderr: run it with -close_fd_mask=2
 * (make fuzz-smoke does).
 */
#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../tool/cmd.h"
#include "../../tool/scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int digits(const char *s)
{
	return *s && strspn(s, "0123456789") == strlen(s);
}

static void numbers(const char *w)
{
	unsigned long lo, hi;
	unsigned int n;
	long ms = tool_parse_seconds(w);

	if (ms < -1 || ms > (long)TOOL_SECONDS_MAX * 1000 + 1)
		abort();
	if (!tool_parse_count(w, &n) &&
	    (!digits(w) || n < 1 || n > 10000000 || strtoul(w, NULL, 10) != n))
		abort();
	if (!tool_scan_range(w, &lo, &hi) &&
	    (lo < 1 || hi > 65535 || lo > hi || !isdigit((unsigned char)*w)))
		abort();
}

static void endpoint(char **words, int n, const struct tool_nc *nc)
{
	char buf[64];

	memset(buf, 0x5a, sizeof(buf));
	if (!tool_endpoint_words("connect", words, n, nc, buf, sizeof(buf)) &&
	    !memchr(buf, '\0', sizeof(buf)))
		abort();
	if (!tool_endpoint_words("listen", words, n, nc, buf, sizeof(buf)) &&
	    !memchr(buf, '\0', sizeof(buf)))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), *w[3] = { "", "", "" }, hint[96];
	int n = 0;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	for (char *p = text; p && n < 3; n++) {
		char *nl = strchr(p, '\n');

		if (nl)
			*nl = '\0';
		w[n] = p;
		p = nl ? nl + 1 : NULL;
	}
	numbers(w[0]);
	for (int k = 0; k < 4; k++) {
		struct tool_nc nc = { k & 1, k == 2, k == 3 ? w[2] : NULL };

		endpoint(w, n < 2 ? n : 2, &nc);
	}
	memset(hint, 0x5a, sizeof(hint));
	if (!tool_socat_hint(w[0], hint, sizeof(hint)) &&
	    !memchr(hint, '\0', sizeof(hint)))
		abort();
	free(text);
	return 0;
}
