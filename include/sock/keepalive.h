/*
 * sock/keepalive.h - TCP keepalive for connections that may go quiet for
 * long: a peer that vanished (a cable pulled, a NAT that forgot it) is
 * found out by probes after idle_s of silence, and the connection gets
 * an error instead of living forever.
 */
#ifndef SOCK_KEEPALIVE_H
#define SOCK_KEEPALIVE_H

/* The defaults: the first probe after 60 s of silence, then one every
 * 15 s; 4 unanswered end the connection (after 120 s in all).  Data
 * sent and unacknowledged for as long (TCP_USER_TIMEOUT) ends it too. */
#define SOCK_KEEPALIVE_IDLE 60
#define SOCK_KEEPALIVE_INTVL 15
#define SOCK_KEEPALIVE_COUNT 4

struct sock_keepalive {
	int off;     /* 1: no keepalive (and no user timeout) */
	int idle_s;  /* silence before the first probe; 0: the default */
	int intvl_s; /* between probes; 0: the default */
	int count;   /* unanswered probes that end it; 0: the default */
};

/* The largest idle_s and intvl_s the kernel takes, and count. */
#define SOCK_KEEPALIVE_SECS_MAX 32767
#define SOCK_KEEPALIVE_COUNT_MAX 127

/* Turn keepalive on for TCP socket fd as k says (NULL: the defaults),
 * with TCP_USER_TIMEOUT at idle + intvl * count; nothing when k->off.
 * Returns 0 or -errno. */
int sock_keepalive_set(int fd, const struct sock_keepalive *k);

/* The user timeout in milliseconds k gives (0 when off). */
long sock_keepalive_timeout_ms(const struct sock_keepalive *k);

#endif
