/*
 * sock/diag_watch.h - the kernel's reports of sockets as they are
 * destroyed (sock_diag's destroy multicast groups, the source of ss -E):
 * each TCP or UDP socket of the caller's network namespace that goes
 * away, with its final tcp_info.  Joining the groups takes CAP_NET_ADMIN
 * in that namespace.  Nothing here prints; failures are negative errnos.
 */
#ifndef SOCK_DIAG_WATCH_H
#define SOCK_DIAG_WATCH_H

#include <sock/diag.h>

struct sock_diag_watch;

/*
 * Join the destroy groups of the protocols asked (SOCK_DIAG_TCP and
 * SOCK_DIAG_UDP; others are ignored) for both IP families.  Returns 0
 * and sets *out, or -EPERM (no CAP_NET_ADMIN), -EPROTONOSUPPORT (no
 * sock_diag), -EINVAL (neither TCP nor UDP asked), -ENOMEM.
 */
int sock_diag_watch_open(unsigned int protocols, struct sock_diag_watch **out);

/* The descriptor to wait on (non-blocking, CLOEXEC); owned by w. */
int sock_diag_watch_fd(const struct sock_diag_watch *w);

/*
 * Read every report waiting, without blocking: fn gets each socket as
 * it was destroyed (its state then, its final tcp_info in x->info for
 * TCP, skmeminfo), both borrowed for the call.  A non-zero return from
 * fn stops and is returned.  Returns 0 or a negative errno; -ENOBUFS
 * means the kernel dropped reports because they came faster than they
 * were read (sock_diag_watch_lost() counts such overruns; reading goes
 * on after it).
 */
int sock_diag_watch_read(struct sock_diag_watch *w, sock_diag_emit_fn *fn,
			 void *arg);

/* How many times reports were lost (-ENOBUFS) since the watch began. */
unsigned long sock_diag_watch_lost(const struct sock_diag_watch *w);

/* Leave the groups and free w.  NULL is ignored. */
void sock_diag_watch_free(struct sock_diag_watch *w);

#endif
