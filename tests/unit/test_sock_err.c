/*
 * tests/unit/test_sock_err.c - lib/sock.c's error paths, with the libc
 * calls it makes (through lib/sys.h) wrapped at link time
 * (-Wl,--wrap=socket,... in the Makefile): each wrapper either fails
 * with the next errno scripted for it or calls the real function.  The
 * wrappers also count the descriptors socket() and accept4() open and
 * close() closes, so every test checks that nothing leaked on the way
 * out.  A fake getaddrinfo() gives a name two addresses.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include <sock/sock.h>

/* ---- the mocks ------------------------------------------------------ */

enum call {
	C_SOCKET,
	C_CONNECT,
	C_ACCEPT4,
	C_BIND,
	C_LISTEN,
	C_SETSOCKOPT,
	C_GETSOCKNAME,
	C_POLL,
	C_MAX
};

/* A scripted errno of 0 lets that call through; FAKE_ZERO makes poll()
 * return 0 (timed out) without waiting; IN_PROGRESS makes the real
 * connect() and reports a success as EINPROGRESS, as a non-blocking
 * connect that has not finished yet would. */
#define FAKE_ZERO (-1)
#define IN_PROGRESS (-2)

static struct {
	int err[8];
	int n, pos;
	int calls;
} script[C_MAX];

static unsigned char tracked[4096]; /* fds opened and not yet closed */
static int opened, closed;

static void fail_next(enum call c, int err)
{
	assert_true(script[c].n < 8);
	script[c].err[script[c].n++] = err;
}

/* The scripted errno for this call of c, or 0 to make the real call. */
static int scripted(enum call c)
{
	script[c].calls++;
	if (script[c].pos == script[c].n)
		return 0;
	return script[c].err[script[c].pos++];
}

static int fail_with(int err)
{
	errno = err;
	return -1;
}

static void track(int fd)
{
	if (fd < 0)
		return;
	assert_true(fd < (int)sizeof(tracked));
	tracked[fd] = 1;
	opened++;
}

int __real_socket(int domain, int type, int protocol);
int __real_connect(int fd, const struct sockaddr *sa, socklen_t len);
int __real_accept4(int fd, struct sockaddr *sa, socklen_t *len, int flags);
int __real_bind(int fd, const struct sockaddr *sa, socklen_t len);
int __real_listen(int fd, int backlog);
int __real_setsockopt(int fd, int level, int name, const void *v,
		      socklen_t len);
int __real_getsockname(int fd, struct sockaddr *sa, socklen_t *len);
int __real_poll(struct pollfd *p, nfds_t n, int timeout);
int __real_close(int fd);
int __real_getaddrinfo(const char *host, const char *service,
		       const struct addrinfo *hints, struct addrinfo **res);
void __real_freeaddrinfo(struct addrinfo *res);

int __wrap_socket(int domain, int type, int protocol);
int __wrap_connect(int fd, const struct sockaddr *sa, socklen_t len);
int __wrap_accept4(int fd, struct sockaddr *sa, socklen_t *len, int flags);
int __wrap_bind(int fd, const struct sockaddr *sa, socklen_t len);
int __wrap_listen(int fd, int backlog);
int __wrap_setsockopt(int fd, int level, int name, const void *v,
		      socklen_t len);
int __wrap_getsockname(int fd, struct sockaddr *sa, socklen_t *len);
int __wrap_poll(struct pollfd *p, nfds_t n, int timeout);
int __wrap_close(int fd);
int __wrap_getaddrinfo(const char *host, const char *service,
		       const struct addrinfo *hints, struct addrinfo **res);
void __wrap_freeaddrinfo(struct addrinfo *res);

int __wrap_socket(int domain, int type, int protocol)
{
	int err = scripted(C_SOCKET), fd;

	if (err)
		return fail_with(err);
	fd = __real_socket(domain, type, protocol);
	track(fd);
	return fd;
}

/* Where each connect() went, to see the addresses tried in order. */
static struct sockaddr_in connected_to[8];

int __wrap_connect(int fd, const struct sockaddr *sa, socklen_t len)
{
	int err;

	if (script[C_CONNECT].calls < 8 && sa->sa_family == AF_INET)
		memcpy(&connected_to[script[C_CONNECT].calls], sa,
		       sizeof(struct sockaddr_in));
	err = scripted(C_CONNECT);
	if (err == IN_PROGRESS)
		return __real_connect(fd, sa, len) < 0 ? -1
						       : fail_with(EINPROGRESS);
	return err ? fail_with(err) : __real_connect(fd, sa, len);
}

int __wrap_accept4(int fd, struct sockaddr *sa, socklen_t *len, int flags)
{
	int err = scripted(C_ACCEPT4), c;

	if (err)
		return fail_with(err);
	c = __real_accept4(fd, sa, len, flags);
	track(c);
	return c;
}

int __wrap_bind(int fd, const struct sockaddr *sa, socklen_t len)
{
	int err = scripted(C_BIND);

	return err ? fail_with(err) : __real_bind(fd, sa, len);
}

int __wrap_listen(int fd, int backlog)
{
	int err = scripted(C_LISTEN);

	return err ? fail_with(err) : __real_listen(fd, backlog);
}

int __wrap_setsockopt(int fd, int level, int name, const void *v, socklen_t len)
{
	int err = scripted(C_SETSOCKOPT);

	return err ? fail_with(err)
		   : __real_setsockopt(fd, level, name, v, len);
}

int __wrap_getsockname(int fd, struct sockaddr *sa, socklen_t *len)
{
	int err = scripted(C_GETSOCKNAME);

	return err ? fail_with(err) : __real_getsockname(fd, sa, len);
}

int __wrap_poll(struct pollfd *p, nfds_t n, int timeout)
{
	int err = scripted(C_POLL);

	if (err == FAKE_ZERO)
		return 0;
	return err ? fail_with(err) : __real_poll(p, n, timeout);
}

int __wrap_close(int fd)
{
	if (fd >= 0 && fd < (int)sizeof(tracked) && tracked[fd]) {
		tracked[fd] = 0;
		closed++;
	}
	return __real_close(fd);
}

/* Ports the fake resolver answers with (0: the real resolver), all on
 * 127.0.0.1, in this order. */
static int fake_ports[4], nfake;
static struct addrinfo *fake_list;

int __wrap_getaddrinfo(const char *host, const char *service,
		       const struct addrinfo *hints, struct addrinfo **res)
{
	struct addrinfo **tail = res;

	if (!nfake)
		return __real_getaddrinfo(host, service, hints, res);
	for (int i = 0; i < nfake; i++) {
		struct addrinfo *ai = calloc(1, sizeof(*ai));
		struct sockaddr_in *in = calloc(1, sizeof(*in));

		assert_non_null(ai);
		assert_non_null(in);
		in->sin_family = AF_INET;
		in->sin_port = htons((uint16_t)fake_ports[i]);
		in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		*ai = (struct addrinfo){ .ai_family = AF_INET,
					 .ai_socktype = hints->ai_socktype,
					 .ai_protocol = hints->ai_protocol,
					 .ai_addrlen = sizeof(*in),
					 .ai_addr = (struct sockaddr *)in };
		*tail = ai;
		tail = &ai->ai_next;
	}
	fake_list = *res;
	return 0;
}

void __wrap_freeaddrinfo(struct addrinfo *res)
{
	if (res != fake_list) {
		__real_freeaddrinfo(res);
		return;
	}
	while (res) {
		struct addrinfo *next = res->ai_next;

		free(res->ai_addr);
		free(res);
		res = next;
	}
	fake_list = NULL;
}

static int reset(void **state)
{
	(void)state;
	memset(script, 0, sizeof(script));
	memset(tracked, 0, sizeof(tracked));
	memset(connected_to, 0, sizeof(connected_to));
	opened = closed = 0;
	nfake = 0;
	return 0;
}

/* Every descriptor sock.c opened has been closed again. */
static void assert_none_open(void)
{
	assert_int_equal(opened, closed);
	assert_null(fake_list);
}

/* ---- helpers -------------------------------------------------------- */

static struct sock_addr parse(const char *text)
{
	struct sock_addr a;

	assert_int_equal(sock_addr_parse(text, &a, NULL), 0);
	return a;
}

/* A TCP listener on 127.0.0.1 (port 0: the kernel's choice), opened
 * outside the counted calls; returns its fd and sets *port. */
static int listener(int *port)
{
	struct sockaddr_in in = { .sin_family = AF_INET };
	socklen_t len = sizeof(in);
	int fd = __real_socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(__real_bind(fd, (struct sockaddr *)&in, len), 0);
	assert_int_equal(__real_listen(fd, 8), 0);
	assert_int_equal(__real_getsockname(fd, (struct sockaddr *)&in, &len),
			 0);
	*port = ntohs(in.sin_port);
	return fd;
}

static void close_conn(struct sock_conn *c)
{
	assert_int_equal(sock_close(c->fd), 0);
}

/* ---- descriptors exhausted ------------------------------------------ */

/* EMFILE/ENFILE from socket() come back as -errno from every entry,
 * after the other addresses were tried (the last error is returned). */
static void test_socket_exhausted(void **state)
{
	struct sock_addr a = parse("tcp://localhost:80");
	struct sock_addr l = parse("tcp://127.0.0.1:0");
	struct sock_conn c;
	struct sock_target t;
	int pending;

	(void)state;
	nfake = 2;
	fake_ports[0] = fake_ports[1] = 1;
	fail_next(C_SOCKET, EMFILE);
	fail_next(C_SOCKET, ENFILE);
	assert_int_equal(sock_connect(&a, NULL, &c), -ENFILE);
	assert_int_equal(script[C_SOCKET].calls, 2);
	assert_int_equal(script[C_CONNECT].calls, 0);
	nfake = 0; /* 127.0.0.1: one address */
	fail_next(C_SOCKET, EMFILE);
	assert_int_equal(sock_listen(&l, NULL, &c), -EMFILE);
	nfake = 2;
	assert_int_equal(sock_resolve(&a, NULL, &t), 0);
	fail_next(C_SOCKET, ENFILE);
	assert_int_equal(sock_connect_start(&t, 0, &pending), -ENFILE);
	assert_int_equal(pending, 0);
	sock_target_free(&t);
	assert_int_equal(opened, 0);
	assert_none_open();
}

/* ENOBUFS at each step after socket(): returned, and the socket closed. */
static void test_enobufs_closes(void **state)
{
	struct sock_addr l = parse("tcp://127.0.0.1:0");
	enum call steps[] = { C_SETSOCKOPT, C_BIND, C_LISTEN, C_GETSOCKNAME };
	struct sock_conn c;

	(void)state;
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		reset(NULL);
		fail_next(steps[i], ENOBUFS);
		assert_int_equal(sock_listen(&l, NULL, &c), -ENOBUFS);
		assert_int_equal(script[steps[i]].calls, 1);
		assert_int_equal(opened, 1);
		assert_none_open();
	}
	/* and with nothing scripted the same calls succeed */
	reset(NULL);
	assert_int_equal(sock_listen(&l, NULL, &c), 0);
	close_conn(&c);
	assert_none_open();
}

static void test_connect_enobufs(void **state)
{
	struct sock_addr a = parse("tcp://localhost:80");
	struct sock_conn c;
	int lfd, port;

	(void)state;
	lfd = listener(&port);
	nfake = 1;
	fake_ports[0] = port;
	fail_next(C_CONNECT, ENOBUFS);
	assert_int_equal(sock_connect(&a, NULL, &c), -ENOBUFS);
	assert_int_equal(opened, 1);
	assert_none_open();
	fail_next(C_GETSOCKNAME, ENOBUFS);
	assert_int_equal(sock_connect(&a, NULL, &c), -ENOBUFS);
	assert_int_equal(script[C_CONNECT].calls, 2);
	assert_int_equal(opened, 2);
	assert_none_open();
	__real_close(lfd);
}

/* ---- the next address ----------------------------------------------- */

/* The first address refuses (a bound port nobody listens on, for real,
 * and then a scripted ECONNREFUSED): the second is tried and kept; the
 * failed socket is closed.  With no timeout and with one (the
 * non-blocking path reads the refusal from SO_ERROR). */
static void check_next_address(int timeout_ms, int scripted_refusal)
{
	struct sock_addr a = parse("tcp://localhost:80");
	struct sock_opts o = { .timeout_ms = timeout_ms };
	struct sockaddr_in *peer;
	struct sock_conn c;
	int lfd, port, dead, dead_port;

	lfd = listener(&port);
	dead = __real_socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(dead >= 0);
	{
		struct sockaddr_in in = { .sin_family = AF_INET };
		socklen_t len = sizeof(in);

		in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		assert_int_equal(__real_bind(dead, (struct sockaddr *)&in, len),
				 0);
		assert_int_equal(
		    __real_getsockname(dead, (struct sockaddr *)&in, &len), 0);
		dead_port = ntohs(in.sin_port);
	}
	nfake = 2;
	fake_ports[0] = scripted_refusal ? port : dead_port;
	fake_ports[1] = port;
	if (scripted_refusal)
		fail_next(C_CONNECT, ECONNREFUSED);
	assert_int_equal(sock_connect(&a, &o, &c), 0);
	assert_int_equal(script[C_CONNECT].calls, 2);
	assert_int_equal(ntohs(connected_to[0].sin_port), fake_ports[0]);
	assert_int_equal(ntohs(connected_to[1].sin_port), port);
	peer = (struct sockaddr_in *)&c.peer;
	assert_int_equal(ntohs(peer->sin_port), port);
	assert_int_equal(opened, 2);
	assert_int_equal(closed, 1);
	close_conn(&c);
	assert_none_open();
	__real_close(dead);
	__real_close(lfd);
}

static void test_next_address(void **state)
{
	(void)state;
	check_next_address(0, 0);
	reset(NULL);
	check_next_address(0, 1);
	reset(NULL);
	check_next_address(2000, 0);
	reset(NULL);
	check_next_address(2000, 1);
}

/* Every address failing: the last attempt's error, every socket closed. */
static void test_all_addresses_fail(void **state)
{
	struct sock_addr a = parse("tcp://localhost:80");
	struct sock_conn c;

	(void)state;
	nfake = 3;
	fake_ports[0] = fake_ports[1] = fake_ports[2] = 1;
	fail_next(C_CONNECT, ECONNREFUSED);
	fail_next(C_CONNECT, ENETUNREACH);
	fail_next(C_CONNECT, EHOSTUNREACH);
	assert_int_equal(sock_connect(&a, NULL, &c), -EHOSTUNREACH);
	assert_int_equal(opened, 3);
	assert_none_open();
}

/* ---- EINTR and EAGAIN ----------------------------------------------- */

/* The wait for a timed connect is retried after EINTR (a signal must not
 * fail the connect); a timeout closes the socket. */
static void test_poll_eintr_retried(void **state)
{
	struct sock_addr a = parse("tcp://localhost:80");
	struct sock_opts o = { .timeout_ms = 2000 };
	struct sock_conn c;
	int lfd, port;

	(void)state;
	lfd = listener(&port);
	nfake = 1;
	fake_ports[0] = port;
	/* a non-blocking connect that is still in progress */
	fail_next(C_CONNECT, EINPROGRESS);
	fail_next(C_POLL, EINTR);
	fail_next(C_POLL, EINTR);
	fail_next(C_POLL, FAKE_ZERO);
	assert_int_equal(sock_connect(&a, &o, &c), -ETIMEDOUT);
	assert_int_equal(script[C_POLL].calls, 3);
	assert_int_equal(opened, 1);
	assert_none_open();

	reset(NULL);
	nfake = 1;
	fake_ports[0] = port;
	fail_next(C_CONNECT, IN_PROGRESS);
	fail_next(C_POLL, EINTR);
	assert_int_equal(sock_connect(&a, &o, &c), 0);
	assert_int_equal(script[C_POLL].calls, 2);
	close_conn(&c);
	assert_none_open();
	__real_close(lfd);
}

/* A blocking connect() interrupted is not retried here (the socket's
 * connect goes on in the kernel; a retry would give EALREADY): the
 * caller gets -EINTR and the socket is closed.  accept4() is not
 * retried either: -EINTR for the caller's loop, nothing opened. */
static void test_eintr_returned(void **state)
{
	struct sock_addr a = parse("tcp://localhost:80");
	struct sock_conn c;

	(void)state;
	nfake = 1;
	fake_ports[0] = 1;
	fail_next(C_CONNECT, EINTR);
	assert_int_equal(sock_connect(&a, NULL, &c), -EINTR);
	assert_int_equal(script[C_CONNECT].calls, 1);
	assert_int_equal(opened, 1);
	assert_none_open();
	fail_next(C_ACCEPT4, EINTR);
	assert_int_equal(sock_accept(3, &c), -EINTR);
	assert_none_open();
}

/* accept4() errors come back as -errno and open nothing; on a
 * non-blocking listener with nobody waiting that is -EAGAIN, for real. */
static void test_accept_errors(void **state)
{
	struct sock_addr l = parse("tcp://127.0.0.1:0");
	int errs[] = { EMFILE, ENFILE, ENOBUFS, ECONNABORTED };
	struct sock_conn c, got;
	int flags;

	(void)state;
	assert_int_equal(sock_listen(&l, NULL, &c), 0);
	for (size_t i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
		fail_next(C_ACCEPT4, errs[i]);
		assert_int_equal(sock_accept(c.fd, &got), -errs[i]);
	}
	flags = fcntl(c.fd, F_GETFL);
	assert_int_equal(fcntl(c.fd, F_SETFL, flags | O_NONBLOCK), 0);
	assert_int_equal(sock_accept(c.fd, &got), -EAGAIN);
	assert_int_equal(opened, 1);
	close_conn(&c);
	assert_none_open();
}

/* A non-blocking connect: EINPROGRESS gives the socket back, pending;
 * EAGAIN (a Unix listener's backlog is full) and other errors close it
 * and return -errno, for sock_connect_start() and for a timed connect. */
static void test_nonblocking_connect(void **state)
{
	struct sock_addr a = parse("tcp://localhost:80");
	struct sock_opts o = { .timeout_ms = 1000 };
	struct sock_target t;
	struct sock_conn c;
	int fd, pending;

	(void)state;
	nfake = 1;
	fake_ports[0] = 1;
	assert_int_equal(sock_resolve(&a, NULL, &t), 0);
	fail_next(C_CONNECT, EINPROGRESS);
	fd = sock_connect_start(&t, 0, &pending);
	assert_true(fd >= 0);
	assert_int_equal(pending, 1);
	assert_int_equal(opened, 1);
	assert_int_equal(closed, 0);
	assert_int_equal(sock_close(fd), 0);
	fail_next(C_CONNECT, EAGAIN);
	assert_int_equal(sock_connect_start(&t, 0, &pending), -EAGAIN);
	assert_int_equal(pending, 0);
	fail_next(C_CONNECT, ENOBUFS);
	assert_int_equal(sock_connect_start(&t, 0, &pending), -ENOBUFS);
	assert_int_equal(opened, 3);
	assert_none_open();
	sock_target_free(&t);

	fail_next(C_CONNECT, EAGAIN);
	assert_int_equal(sock_connect(&a, &o, &c), -EAGAIN);
	assert_int_equal(script[C_POLL].calls, 0);
	assert_int_equal(opened, 4);
	assert_none_open();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_socket_exhausted, reset),
		cmocka_unit_test_setup(test_enobufs_closes, reset),
		cmocka_unit_test_setup(test_connect_enobufs, reset),
		cmocka_unit_test_setup(test_next_address, reset),
		cmocka_unit_test_setup(test_all_addresses_fail, reset),
		cmocka_unit_test_setup(test_poll_eintr_retried, reset),
		cmocka_unit_test_setup(test_eintr_returned, reset),
		cmocka_unit_test_setup(test_accept_errors, reset),
		cmocka_unit_test_setup(test_nonblocking_connect, reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
