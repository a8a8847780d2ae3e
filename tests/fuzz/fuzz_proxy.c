/*
 * tests/fuzz/fuzz_proxy.c - the proxy reply parsers (lib/proxy_parse.c)
 * on arbitrary bytes, as a proxy that is not one, or a hostile one,
 * might send them: every prefix must be judged without reading past it,
 * a whole reply's length must lie within what was given, and a "need"
 * must ask for more than was given (else a reader would spin).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sock/proxy.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One parser on b[0..n): the invariants every caller relies on. */
static void judge(int which, const unsigned char *b, size_t n)
{
	char bound[300];
	size_t need = 0;
	int v = -1, ret;

	switch (which) {
	case 0:
		ret = sock_proxy_parse_socks5_method(b, n, &need, &v);
		break;
	case 1:
		ret = sock_proxy_parse_socks5_auth(b, n, &need);
		break;
	case 2:
		ret = sock_proxy_parse_socks5_reply(b, n, &need, bound,
						    sizeof(bound));
		if (ret > 0 && !memchr(bound, '\0', sizeof(bound)))
			abort();
		break;
	case 3:
		ret = sock_proxy_parse_socks4_reply(b, n, &need);
		break;
	default:
		ret = sock_proxy_parse_http_reply(b, n, &need, &v);
		if (ret > 0 && (v < 200 || v > 299))
			abort();
		break;
	}
	if (ret > 0 && (size_t)ret > n)
		abort();
	if (ret == 0 && (need <= n || need > SOCK_PROXY_REPLY_MAX))
		abort();
	if (ret < 0 && !sock_proxy_err_is(ret))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *copy;

	if (!size)
		return 0;
	/* An exact-size copy: reading a byte past the reply is an ASan
	 * error, not a lucky read of the next input byte. */
	size--;
	copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data + 1, size);
	for (size_t n = 0; n <= size; n++)
		judge(data[0] % 5, copy, n);
	free(copy);
	return 0;
}
