/*
 * lib/forward_proxy.h - internal: a relay session's way through a proxy
 * (lib/forward_proxy.c), for the stream variant.  Not installed.
 */
#ifndef SOCK_LIB_FORWARD_PROXY_H
#define SOCK_LIB_FORWARD_PROXY_H

#include <sock/proxy.h>

#include "forward_internal.h"

/*
 * Move session s's proxy handshake on, over its target socket s->fd[1]
 * (connected to the proxy): the first call sets *hs up and arms s->timer
 * for the connect timeout (which ends the session as UNREACHABLE with
 * the SOCK_PROXY_E_SILENT failure).
 * Returns 0 once the tunnel is open (*hs freed, the timer left for the
 * caller to cancel), -EAGAIN while it waits for the socket, or the
 * failure (a proxy's refusal, -errno).
 */
int sock__fwd_proxy_step(struct fwd_session *s, struct sock_proxy_hs **hs);

#endif
