/*
 * lib/diag.c - the top of the diag layers: a snapshot (the dump, then
 * netstat's RefCnt, joined to the owners found in /proc at the same
 * time) and a stream of sockets that keeps nothing.
 */
#include <errno.h>

#include <sock/netns.h>

#include "diag_internal.h"

/* Without a set, the caller's namespace, named (for --json); a replay
 * has none: its sockets' namespace is not known. */
static int own_netns(struct sock_diag *d, const struct sock_diag_query *q)
{
	struct sock_netns_set *s = NULL;
	int ret;

	if (q->netns || q->replay)
		return 0;
	ret = sock_netns_self(q->proc_root, &s);
	if (ret == -ENOMEM)
		return ret;
	sock__diag_own_netns(d, s); /* NULL if /proc is not there */
	return 0;
}

int sock_diag_snapshot(const struct sock_diag_query *q, struct sock_diag **out)
{
	static const struct sock_diag_query all;
	struct proc_pass *pass = NULL;
	const char *root;
	struct sock_diag *d;
	int ret = 0, ret2;

	if (!q)
		q = &all;
	root = q->proc_root ? q->proc_root : "/proc";
	d = sock__diag_new(q);
	if (!d)
		return -ENOMEM;
	ret = own_netns(d, q);
	if (!ret && ((q->flags & SOCK_DIAG_OWNERS) ||
		     sock__diag_filter_needs_owners(q->filter)))
		ret = sock__proc_start(
		    root, sock__diag_filter_needs_cgroups(q->filter), &pass);
	if (!ret)
		ret = sock__diag_collect(d, q, root);
	if (!ret)
		ret = sock__diag_unix_refcnt(d);
	if (pass) {
		ret2 = sock__proc_finish(d, pass, !ret);
		ret = ret ? ret : ret2;
	}
	if (!ret)
		sock__diag_refilter(d);
	if (ret) {
		sock_diag_free(d);
		return ret;
	}
	*out = d;
	return 0;
}

int sock_diag_stream_extra(const struct sock_diag_query *q,
			   sock_diag_emit_fn *fn, void *arg, int *source)
{
	struct sock_diag *d;
	int ret;

	if (!q || !fn || (q->flags & SOCK_DIAG_OWNERS) || q->netns ||
	    !sock_diag_filter_streamable(q->filter))
		return -EINVAL;
	d = sock__diag_new(q);
	if (!d)
		return -ENOMEM;
	if (sock__diag_protocols(d) & SOCK_DIAG_UNIX) {
		sock_diag_free(d);
		return -EINVAL;
	}
	sock__diag_set_emit(d, fn, arg);
	ret = sock__diag_collect(d, q, q->proc_root ? q->proc_root : "/proc");
	if (!ret)
		*source = sock_diag_source(d);
	sock_diag_free(d);
	return ret;
}

/* sock_diag_stream()'s callback, called by sock_diag_stream_extra(). */
struct plain_emit {
	int (*fn)(const struct sock_diag_entry *e, void *arg);
	void *arg;
};

static int plain_emit(const struct sock_diag_entry *e,
		      const struct sock_diag_extra *x, void *arg)
{
	const struct plain_emit *p = arg;

	(void)x;
	return p->fn(e, p->arg);
}

int sock_diag_stream(const struct sock_diag_query *q,
		     int (*fn)(const struct sock_diag_entry *e, void *arg),
		     void *arg, int *source)
{
	struct plain_emit p = { fn, arg };

	if (!fn)
		return -EINVAL;
	return sock_diag_stream_extra(q, plain_emit, &p, source);
}
