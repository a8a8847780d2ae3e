/*
 * tool/list_names.c - names for sock list without -n.  Every distinct
 * address is looked up once, after the dump, by one worker thread; the
 * listing waits for it at most NAMES_BUDGET_MS and prints whatever was
 * not resolved by then as numbers.  Services come from one read of the
 * services database into a table, not one search per socket.
 */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "list.h"

#define NAMES_BUDGET_MS 1500

struct list_host {
	uint8_t family;
	uint8_t addr[16];
	char *name; /* NULL: none (yet) */
};

struct list_names {
	struct list_host *hosts;
	size_t total;  /* distinct addresses */
	size_t nhosts; /* of which the listing may read */
	char **svc[2]; /* [0] tcp, [1] udp: 65536 names each */
	/* shared with the worker, under lock */
	pthread_mutex_t lock;
	pthread_cond_t done_cond;
	size_t done;
	int stop;     /* deadline passed: worker writes nothing more */
	int finished; /* worker returned (or never ran) */
	int orphan;   /* list_names_free() was called */
};

static int host_cmp(const void *a, const void *b)
{
	const struct list_host *x = a, *y = b;

	if (x->family != y->family)
		return x->family - y->family;
	return memcmp(x->addr, y->addr, 16);
}

static int wildcard(const uint8_t *addr, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (addr[i])
			return 0;
	return 1;
}

/* The i-th of count sockets of a snapshot, or of an array of them. */
typedef const struct sock_diag_entry *entry_at_fn(const void *src, size_t i);

static const struct sock_diag_entry *snapshot_at(const void *src, size_t i)
{
	return sock_diag_get(src, i);
}

static const struct sock_diag_entry *array_at(const void *src, size_t i)
{
	return ((const struct sock_diag_entry *const *)src)[i];
}

static int collect_hosts(struct list_names *n, const void *src, size_t count,
			 entry_at_fn *at)
{
	size_t k = 0;

	n->hosts = calloc(count * 2 + 1, sizeof(*n->hosts));
	if (!n->hosts)
		return -ENOMEM;
	for (size_t i = 0; i < count; i++) {
		const struct sock_diag_entry *e = at(src, i);
		size_t len = e->family == AF_INET ? 4 : 16;

		if (e->family == AF_UNIX)
			continue;
		for (int end = 0; end < 2; end++) {
			const uint8_t *a = end ? e->in.remote : e->in.local;

			if (wildcard(a, len))
				continue;
			n->hosts[k].family = e->family;
			memcpy(n->hosts[k++].addr, a, len);
		}
	}
	qsort(n->hosts, k, sizeof(*n->hosts), host_cmp);
	n->total = 0;
	for (size_t i = 0; i < k; i++)
		if (!n->total ||
		    host_cmp(&n->hosts[i], &n->hosts[n->total - 1]))
			n->hosts[n->total++] = n->hosts[i];
	return 0;
}

static char *lookup(const struct list_host *h)
{
	struct sockaddr_storage ss = { 0 };
	struct sockaddr_in *in = (void *)&ss;
	struct sockaddr_in6 *in6 = (void *)&ss;
	char name[NI_MAXHOST];
	socklen_t len = sizeof(*in);

	ss.ss_family = h->family;
	if (h->family == AF_INET) {
		memcpy(&in->sin_addr, h->addr, 4);
	} else {
		memcpy(&in6->sin6_addr, h->addr, 16);
		len = sizeof(*in6);
	}
	if (getnameinfo((void *)&ss, len, name, sizeof(name), NULL, 0,
			NI_NAMEREQD))
		return NULL;
	return strdup(name);
}

static void destroy(struct list_names *n)
{
	for (int k = 0; k < 2; k++) {
		for (size_t p = 0; n->svc[k] && p < 65536; p++)
			free(n->svc[k][p]);
		free(n->svc[k]);
	}
	for (size_t i = 0; i < n->total; i++)
		free(n->hosts[i].name);
	free(n->hosts);
	pthread_mutex_destroy(&n->lock);
	pthread_cond_destroy(&n->done_cond);
	free(n);
}

/* Stops at the deadline; whichever of the worker and list_names_free()
 * comes last frees the structure. */
static void *worker(void *arg)
{
	struct list_names *n = arg;
	int orphan;

	for (size_t i = 0; i < n->total; i++) {
		char *name = lookup(&n->hosts[i]);

		pthread_mutex_lock(&n->lock);
		if (n->stop) {
			pthread_mutex_unlock(&n->lock);
			free(name);
			break;
		}
		n->hosts[i].name = name;
		n->done = i + 1;
		pthread_cond_signal(&n->done_cond);
		pthread_mutex_unlock(&n->lock);
	}
	pthread_mutex_lock(&n->lock);
	n->finished = 1;
	orphan = n->orphan;
	pthread_mutex_unlock(&n->lock);
	if (orphan)
		destroy(n);
	return NULL;
}

/* Wait for the worker until it is done or the budget is spent; after
 * that only hosts[0..done) are read and the worker writes no more. */
static void wait_worker(struct list_names *n)
{
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += NAMES_BUDGET_MS / 1000;
	until.tv_nsec += (NAMES_BUDGET_MS % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&n->lock);
	while (n->done < n->total &&
	       pthread_cond_timedwait(&n->done_cond, &n->lock, &until) == 0)
		;
	n->nhosts = n->done;
	n->stop = 1;
	pthread_mutex_unlock(&n->lock);
}

static void load_services(struct list_names *n)
{
	struct servent *se;

	n->svc[0] = calloc(65536, sizeof(char *));
	n->svc[1] = calloc(65536, sizeof(char *));
	if (!n->svc[0] || !n->svc[1])
		return;
	setservent(1);
	while ((se = getservent())) {
		int port = ntohs((uint16_t)se->s_port);
		int k = !strcmp(se->s_proto, "tcp")   ? 0
			: !strcmp(se->s_proto, "udp") ? 1
						      : -1;

		if (k >= 0 && !n->svc[k][port])
			n->svc[k][port] = strdup(se->s_name);
	}
	endservent();
}

static struct list_names *names_new(const void *src, size_t count,
				    entry_at_fn *at)
{
	struct list_names *n = calloc(1, sizeof(*n));
	pthread_t t;

	if (!n)
		return NULL;
	pthread_mutex_init(&n->lock, NULL);
	pthread_cond_init(&n->done_cond, NULL);
	load_services(n);
	n->finished = 1;
	if (collect_hosts(n, src, count, at) == 0 && n->total) {
		n->finished = 0;
		if (pthread_create(&t, NULL, worker, n) == 0) {
			pthread_detach(t);
			wait_worker(n);
		} else {
			n->finished = 1;
		}
	}
	return n;
}

struct list_names *list_names_new(const struct sock_diag *d)
{
	return names_new(d, sock_diag_count(d), snapshot_at);
}

struct list_names *list_names_for(const struct sock_diag_entry *const *e,
				  size_t count)
{
	return names_new(e, count, array_at);
}

void list_names_free(struct list_names *n)
{
	int finished;

	if (!n)
		return;
	pthread_mutex_lock(&n->lock);
	finished = n->finished;
	n->orphan = 1;
	pthread_mutex_unlock(&n->lock);
	if (finished)
		destroy(n);
}

const char *list_names_host(const struct list_names *n, int family,
			    const uint8_t *addr)
{
	struct list_host key = { .family = (uint8_t)family };
	const struct list_host *h;

	if (!n || !n->nhosts)
		return NULL;
	memcpy(key.addr, addr, family == AF_INET ? 4 : 16);
	h = bsearch(&key, n->hosts, n->nhosts, sizeof(key), host_cmp);
	return h ? h->name : NULL;
}

const char *list_names_service(const struct list_names *n, int protocol,
			       int port)
{
	struct protoent *pe;

	if (!n || port <= 0 || port > 65535)
		return NULL;
	if (protocol == IPPROTO_RAW) {
		pe = getprotobynumber(port);
		return pe ? pe->p_name : NULL;
	}
	if (!n->svc[0] || !n->svc[1])
		return NULL;
	return n->svc[protocol == IPPROTO_UDP][port];
}
