/*
 * lib/keepalive.c - TCP keepalive and the user timeout that goes with it
 * (see sock/keepalive.h).
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <sock/keepalive.h>

#include "sys.h"

static int or_default(int v, int def)
{
	return v > 0 ? v : def;
}

long sock_keepalive_timeout_ms(const struct sock_keepalive *k)
{
	struct sock_keepalive d = { 0 };

	if (!k)
		k = &d;
	if (k->off)
		return 0;
	return 1000L * (or_default(k->idle_s, SOCK_KEEPALIVE_IDLE) +
			(long)or_default(k->intvl_s, SOCK_KEEPALIVE_INTVL) *
			    or_default(k->count, SOCK_KEEPALIVE_COUNT));
}

int sock_keepalive_set(int fd, const struct sock_keepalive *k)
{
	struct sock_keepalive d = { 0 };
	int ret;

	if (!k)
		k = &d;
	if (k->off)
		return 0;
	ret = sock__setsockopt_int(fd, SOL_SOCKET, SO_KEEPALIVE, 1);
	if (!ret)
		ret = sock__setsockopt_int(
		    fd, IPPROTO_TCP, TCP_KEEPIDLE,
		    or_default(k->idle_s, SOCK_KEEPALIVE_IDLE));
	if (!ret)
		ret = sock__setsockopt_int(
		    fd, IPPROTO_TCP, TCP_KEEPINTVL,
		    or_default(k->intvl_s, SOCK_KEEPALIVE_INTVL));
	if (!ret)
		ret = sock__setsockopt_int(
		    fd, IPPROTO_TCP, TCP_KEEPCNT,
		    or_default(k->count, SOCK_KEEPALIVE_COUNT));
	if (!ret)
		ret = sock__setsockopt_int(fd, IPPROTO_TCP, TCP_USER_TIMEOUT,
					   (int)sock_keepalive_timeout_ms(k));
	return ret < 0 ? -errno : 0;
}
