/*
 * lib/forward_proxy.c - relay sessions through a proxy: each session
 * runs its own handshake (lib/proxy.c's state machine) on the one loop,
 * woken by its socket like any other, so a slow proxy holds up only the
 * sessions that wait for it.
 */
#include <errno.h>
#include <stdlib.h>

#include "forward_proxy.h"

static void on_timeout(struct sock_loop *loop, void *arg)
{
	struct fwd_session *s = arg;

	(void)loop;
	s->timer = 0;
	sock__fwd_session_end(s, SOCK_FORWARD_END_UNREACHABLE,
			      -(SOCK_ERR_PROXY_BASE + SOCK_PROXY_E_SILENT));
}

/* The handshake's state (8 KiB for a reply) lives only while it runs. */
static int begin(struct fwd_session *s, struct sock_proxy_hs **hs)
{
	const struct sock_forward_opts *o = &s->f->o;
	int ret;

	*hs = malloc(sizeof(**hs));
	if (!*hs)
		return -ENOMEM;
	ret = sock_proxy_hs_init(*hs, o->proxy, o->proxy_host, o->proxy_port);
	if (ret)
		return ret;
	if (o->connect_timeout_ms > 0) {
		s->timer = sock_loop_timer(s->f->loop, o->connect_timeout_ms,
					   on_timeout, s);
		if (s->timer < 0)
			s->timer = 0;
	}
	return 0;
}

int sock__fwd_proxy_step(struct fwd_session *s, struct sock_proxy_hs **hs)
{
	int ret = *hs ? 0 : begin(s, hs);

	if (!ret)
		ret = sock_proxy_hs_step(*hs, s->fd[1]);
	if (ret != -EAGAIN) {
		free(*hs);
		*hs = NULL;
	}
	return ret;
}
