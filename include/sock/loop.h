/*
 * sock/loop.h - a small epoll event loop: descriptors and one-shot timers.
 *
 * The loop never owns the descriptors it watches; the caller closes them
 * (after sock_loop_del()).  Callbacks run on the thread that called
 * sock_loop_run().  Descriptors epoll refuses (regular files, /dev/null)
 * are accepted too and reported as always ready, so that "< file" works
 * wherever a pipe does.
 */
#ifndef SOCK_LOOP_H
#define SOCK_LOOP_H

#include <stdint.h>

struct sock_loop;

/* Called with the epoll events (EPOLLIN, EPOLLOUT, EPOLLHUP...) of fd. */
typedef void (*sock_loop_fd_fn)(struct sock_loop *loop, int fd, uint32_t events,
				void *arg);
/* Called once when a timer expires. */
typedef void (*sock_loop_timer_fn)(struct sock_loop *loop, void *arg);

/* A new loop, or NULL when out of memory or descriptors (errno set). */
struct sock_loop *sock_loop_new(void);

/* Free the loop (not the descriptors it watched). NULL is ignored. */
void sock_loop_free(struct sock_loop *loop);

/* Watch fd for events (EPOLLIN and/or EPOLLOUT; 0 = watch nothing for now,
 * but keep the registration).  Returns 0 or -errno. */
int sock_loop_add(struct sock_loop *loop, int fd, uint32_t events,
		  sock_loop_fd_fn fn, void *arg);

/* Change the events watched on fd.  Returns 0 or -errno. */
int sock_loop_mod(struct sock_loop *loop, int fd, uint32_t events);

/* Stop watching fd.  Returns 0 or -errno (-ENOENT if not watched). */
int sock_loop_del(struct sock_loop *loop, int fd);

/* Arm a one-shot timer ms milliseconds from now.  Timers fire in the
 * order they are due (ties: in the order armed), also when one wake-up
 * finds several due.  Returns a timer id (> 0) for
 * sock_loop_timer_cancel(), or -errno. */
int sock_loop_timer(struct sock_loop *loop, long ms, sock_loop_timer_fn fn,
		    void *arg);

/* Cancel a timer that has not fired; unknown ids are ignored. */
void sock_loop_timer_cancel(struct sock_loop *loop, int id);

/* Run until sock_loop_stop() or until nothing is watched and no timer is
 * armed.  Returns 0, or -errno if epoll_wait fails (EINTR is retried). */
int sock_loop_run(struct sock_loop *loop);

/* Make sock_loop_run() return after the current callback. */
void sock_loop_stop(struct sock_loop *loop);

/* Monotonic milliseconds, the clock the timers use. */
long long sock_loop_now_ms(void);

#endif
