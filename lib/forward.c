/*
 * lib/forward.c - the relay server's public face (include/sock/forward.h),
 * the top layer of the forward files: it checks what it is asked, chooses
 * the variant (forward_stream.c or forward_dgram.c) and the way bytes
 * move, once, and leaves the rest to the core (forward_core.c).
 */
#include <errno.h>

#include <sock/forward.h>

#include "forward_internal.h"

int sock_forward_can_splice(enum sock_kind from, enum sock_kind to)
{
	int a = from == SOCK_KIND_TCP || from == SOCK_KIND_UNIX_STREAM;
	int b = to == SOCK_KIND_TCP || to == SOCK_KIND_UNIX_STREAM;

	return a && b;
}

static int kinds_agree(enum sock_kind from, enum sock_kind to)
{
	if (from == SOCK_KIND_STDIO || to == SOCK_KIND_STDIO ||
	    from == SOCK_KIND_NONE || to == SOCK_KIND_NONE)
		return 0;
	return sock_addr_is_dgram(from) == sock_addr_is_dgram(to);
}

static int pick_splice(enum sock_forward_io io, enum sock_kind from,
		       enum sock_kind to)
{
	if (!sock_forward_can_splice(from, to))
		return 0;
	/* AUTO: the faster way on the machines measured (docs/relay.md). */
	return io != SOCK_FORWARD_IO_COPY;
}

struct sock_forward *sock_forward_new(struct sock_loop *loop, int lfd,
				      enum sock_kind from,
				      const struct sock_target *target,
				      const struct sock_forward_opts *o,
				      sock_forward_event_fn fn, void *arg)
{
	const struct fwd_variant *v;
	int ret;

	if (!kinds_agree(from, target->kind) || !target->n) {
		errno = target->n ? EPROTOTYPE : EINVAL;
		return NULL;
	}
	ret = sock_forward_target_is_self(lfd, target);
	if (ret) {
		errno = ret > 0 ? ELOOP : -ret;
		return NULL;
	}
	v = sock_addr_is_dgram(from) ? &sock__fwd_dgram : &sock__fwd_stream;
	return sock__fwd_create(loop, lfd, from, target, o, v,
				!o->tls_from && !o->tls_to &&
				    pick_splice(o->io, from, target->kind),
				fn, arg);
}

void sock_forward_stop(struct sock_forward *f)
{
	sock__fwd_stop(f);
}

void sock_forward_free(struct sock_forward *f)
{
	if (f)
		sock__fwd_destroy(f);
}

void sock_forward_get_stats(const struct sock_forward *f,
			    struct sock_forward_stats *out)
{
	sock__fwd_stats(f, out);
}
