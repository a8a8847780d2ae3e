/*
 * lib/diag_store.c - the snapshot's storage, the bottom of the diag
 * layers: the rows, the Unix name pool, what the query selects, and the
 * owner table (inode -> the processes holding it).  Every other diag
 * file reads and writes a snapshot only through the functions here.
 *
 * Sockets are kept as fixed-size records in one growing array (no
 * allocation per socket); Unix names go into one byte pool.  Or, for
 * sock_diag_stream(), each goes to a callback (with its extras) as it is added and
 * nothing is kept.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <sock/netns.h>

#include "diag_internal.h"

#define DIAG_POOLS_MAX 4

/* One hash slot: an inode and where its owners are in d->owners. */
struct diag_slot {
	uint32_t inode;
	uint32_t first;
	uint32_t count;
};

struct sock_diag {
	struct sock_diag_entry *ent;
	size_t n, cap;
	/* with query.extras: ext[i] belongs to ent[i] (same capacity) */
	unsigned int extras;
	struct sock_diag_extra *ext;
	char *names; /* Unix names, back to back */
	size_t names_len, names_cap;
	/* inode -> owners, open addressing, nslots a power of two */
	struct diag_slot *slots;
	size_t nslots;
	struct sock_diag_owner *owners;
	size_t nowners;
	char *pools[DIAG_POOLS_MAX]; /* the owners' command names */
	unsigned int hidden;
	int source;
	int replay_stop; /* enum sock_diag_replay_stop */
	uint64_t replay_off;
	/* what the caller asked for, applied to every added socket */
	unsigned int protocols;
	int family;
	uint32_t states;
	int role;
	const struct sock_diag_filter *filter;
	/* sock_diag_stream(): sockets go to emit instead of ent */
	sock_diag_emit_fn *emit;
	void *emit_arg;
	size_t emitted;
	int emit_err;
	/* the namespaces listed, the current one, those not entered */
	const struct sock_netns_set *netns;
	struct sock_netns_set *own_netns;
	uint32_t cur_netns;
	unsigned int netns_failed;
	int netns_err;
};

struct sock_diag *sock__diag_new(const struct sock_diag_query *q)
{
	struct sock_diag *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->protocols = q->protocols ? q->protocols : SOCK_DIAG_ALL;
	d->family = q->family;
	d->states = q->states ? q->states : SOCK_DIAG_STATES_ALL;
	d->filter = q->filter;
	d->role = q->role;
	d->extras = q->extras;
	d->states &= sock__diag_filter_states(q->filter);
	d->netns = q->netns;
	return d;
}

void sock_diag_free(struct sock_diag *d)
{
	if (!d)
		return;
	free(d->ent);
	free(d->ext);
	free(d->names);
	free(d->slots);
	free(d->owners);
	for (int i = 0; i < DIAG_POOLS_MAX; i++)
		free(d->pools[i]);
	sock_netns_free(d->own_netns);
	free(d);
}

void sock__diag_set_emit(struct sock_diag *d, sock_diag_emit_fn *fn, void *arg)
{
	d->emit = fn;
	d->emit_arg = arg;
}

int sock__diag_emit_err(const struct sock_diag *d)
{
	return d->emit_err;
}

size_t sock__diag_emitted(const struct sock_diag *d)
{
	return d->emitted;
}

void sock__diag_clear(struct sock_diag *d)
{
	d->n = 0;
	d->names_len = 0;
}

void sock__diag_set_source(struct sock_diag *d, int source)
{
	d->source = source;
}

const struct sock_diag_filter *sock__diag_filter(const struct sock_diag *d)
{
	return d->filter;
}

unsigned int sock__diag_protocols(const struct sock_diag *d)
{
	return d->protocols;
}

int sock__diag_wants(const struct sock_diag *d, int family, int protocol)
{
	if (!(d->protocols & sock__diag_proto_bit(family, protocol)))
		return 0;
	return family == AF_UNIX || d->family == AF_UNSPEC ||
	       d->family == family;
}

uint32_t sock__diag_mask(const struct sock_diag *d, int family, int protocol)
{
	/* "Servers" are listeners, or for datagrams the unconnected. */
	uint32_t server = 1u << SOCK_DIAG_LISTEN;

	if (family != AF_UNIX && protocol != IPPROTO_TCP)
		server = 1u << SOCK_DIAG_CLOSE;
	if (d->role == SOCK_DIAG_SERVERS)
		return d->states & server;
	if (d->role == SOCK_DIAG_CLIENTS)
		return d->states & ~server;
	return d->states;
}

/* The kernel filters too, but replayed and /proc data are not. */
static int selected(const struct sock_diag *d, const struct sock_diag_entry *e)
{
	if (!sock__diag_wants(d, e->family, e->protocol))
		return 0;
	if (e->state >= 32 ||
	    !(sock__diag_mask(d, e->family, e->protocol) & (1u << e->state)))
		return 0;
	if (!d->filter)
		return 1;
	return sock__diag_filter_eval(
		   d->filter, e,
		   &(struct diag_filter_ctx){
		       .ns = sock_netns_get(d->netns, d->cur_netns) }) != 0;
}

unsigned int sock__diag_extras(const struct sock_diag *d)
{
	return d->extras;
}

static int grow(struct sock_diag *d)
{
	size_t cap = d->cap ? d->cap * 2 : 256;
	void *p = realloc(d->ent, cap * sizeof(*d->ent));

	if (!p)
		return -ENOMEM;
	d->ent = p;
	if (d->extras) {
		p = realloc(d->ext, cap * sizeof(*d->ext));
		if (!p)
			return -ENOMEM; /* d->cap unchanged: ent is just big */
		d->ext = p;
	}
	d->cap = cap;
	return 0;
}

int sock__diag_add_extra(struct sock_diag *d, const struct sock_diag_entry *e,
			 const struct sock_diag_extra *x)
{
	static const struct sock_diag_extra none;

	if (!selected(d, e))
		return 0;
	if (d->emit) {
		if (d->extras && !x)
			x = &none; /* from /proc/net: nothing known */
		d->emitted++;
		d->emit_err = d->emit(e, d->extras ? x : NULL, d->emit_arg);
		return d->emit_err;
	}
	if (d->n == d->cap && grow(d))
		return -ENOMEM;
	if (d->extras && x)
		d->ext[d->n] = *x;
	else if (d->extras)
		memset(&d->ext[d->n], 0, sizeof(d->ext[d->n]));
	d->ent[d->n] = *e;
	d->ent[d->n++].netns = d->cur_netns;
	return 0;
}

int sock__diag_add(struct sock_diag *d, const struct sock_diag_entry *e)
{
	return sock__diag_add_extra(d, e, NULL);
}

const struct sock_diag_extra *sock_diag_extra(const struct sock_diag *d,
					      const struct sock_diag_entry *e)
{
	if (!d->ext || e < d->ent || e >= d->ent + d->n)
		return NULL;
	return &d->ext[e - d->ent];
}

void sock__diag_set_netns(struct sock_diag *d, uint32_t i)
{
	d->cur_netns = i;
}

void sock__diag_netns_fail(struct sock_diag *d, int err)
{
	if (!d->netns_failed++)
		d->netns_err = err;
}

const struct sock_netns_set *sock__diag_netns_set(const struct sock_diag *d)
{
	return d->netns;
}

void sock__diag_own_netns(struct sock_diag *d, struct sock_netns_set *s)
{
	d->own_netns = s;
	d->netns = s;
}

const struct sock_netns *sock_diag_netns(const struct sock_diag *d,
					 const struct sock_diag_entry *e)
{
	return sock_netns_get(d->netns, e->netns);
}

size_t sock_diag_netns_count(const struct sock_diag *d)
{
	return sock_netns_count(d->netns);
}

unsigned int sock_diag_netns_failed(const struct sock_diag *d, int *err)
{
	if (err)
		*err = d->netns_err;
	return d->netns_failed;
}

void sock__diag_refilter(struct sock_diag *d)
{
	struct diag_filter_ctx c = { .owners_known = 1 };
	size_t kept = 0;

	if (!sock__diag_filter_needs_owners(d->filter))
		return;
	for (size_t i = 0; i < d->n; i++) {
		c.ns = sock_netns_get(d->netns, d->ent[i].netns);
		c.owners = sock_diag_owners(d, d->ent[i].inode, &c.nowners);
		if (sock__diag_filter_eval(d->filter, &d->ent[i], &c) != 1)
			continue;
		/* the extras stand beside the rows, index for index */
		if (d->ext)
			d->ext[kept] = d->ext[i];
		d->ent[kept++] = d->ent[i];
	}
	d->n = kept;
}

int sock__diag_add_name(struct sock_diag *d, struct sock_diag_entry *e,
			const void *name, size_t len)
{
	if (len > UINT16_MAX)
		return -EINVAL;
	if (!len)
		return 0; /* an empty name is no name */
	if (d->names_len + len > d->names_cap) {
		size_t cap = d->names_cap ? d->names_cap : 4096;
		void *p;

		while (cap < d->names_len + len)
			cap *= 2;
		p = realloc(d->names, cap);
		if (!p)
			return -ENOMEM;
		d->names = p;
		d->names_cap = cap;
	}
	memcpy(d->names + d->names_len, name, len);
	e->un.name_off = (uint32_t)d->names_len;
	e->un.name_len = (uint16_t)len;
	d->names_len += len;
	return 0;
}

const struct sock_diag_entry *sock__diag_rows(const struct sock_diag *d,
					      size_t *n)
{
	*n = d->n;
	return d->ent;
}

void sock__diag_set_refcnt(struct sock_diag *d, size_t i, uint32_t refcnt)
{
	if (i < d->n && d->ent[i].family == AF_UNIX)
		d->ent[i].un.refcnt = refcnt;
}

size_t sock_diag_count(const struct sock_diag *d)
{
	return d->n;
}

const struct sock_diag_entry *sock_diag_get(const struct sock_diag *d, size_t i)
{
	return i < d->n ? &d->ent[i] : NULL;
}

size_t sock_diag_unix_name(const struct sock_diag *d,
			   const struct sock_diag_entry *e, const char **name)
{
	if (e->family != AF_UNIX || !e->un.name_len) {
		*name = "";
		return 0;
	}
	*name = d->names + e->un.name_off;
	return e->un.name_len;
}

unsigned int sock_diag_hidden(const struct sock_diag *d)
{
	return d->hidden;
}

void sock__diag_set_hidden(struct sock_diag *d, unsigned int hidden)
{
	d->hidden = hidden;
}

int sock_diag_source(const struct sock_diag *d)
{
	return d->source;
}

void sock__diag_set_replay_stop(struct sock_diag *d, int why, uint64_t off)
{
	d->replay_stop = why;
	d->replay_off = off;
}

int sock_diag_replay_stop(const struct sock_diag *d, uint64_t *offset)
{
	if (d->replay_stop && offset)
		*offset = d->replay_off;
	return d->replay_stop;
}

/* ---- the owner table ---------------------------------------------- */

static uint32_t hash32(uint32_t x)
{
	/* Inodes are nearly sequential: mix before masking. */
	x ^= x >> 16;
	x *= 0x45d9f3bu;
	x ^= x >> 16;
	return x;
}

static struct diag_slot *slot_find(const struct sock_diag *d, uint32_t inode)
{
	size_t mask = d->nslots - 1;
	size_t i = hash32(inode) & mask;

	while (d->slots[i].inode && d->slots[i].inode != inode)
		i = (i + 1) & mask;
	return &d->slots[i];
}

int sock__diag_owner_index(struct sock_diag *d)
{
	size_t want = 64;

	while (want < d->n * 2)
		want *= 2;
	d->slots = calloc(want, sizeof(*d->slots));
	if (!d->slots)
		return -ENOMEM;
	d->nslots = want;
	for (size_t i = 0; i < d->n; i++)
		if (d->ent[i].inode)
			slot_find(d, d->ent[i].inode)->inode = d->ent[i].inode;
	return 0;
}

uint32_t sock__diag_owner_count(struct sock_diag *d, uint32_t inode)
{
	struct diag_slot *s = slot_find(d, inode);

	if (!s->inode)
		return DIAG_NO_SLOT;
	s->count++;
	d->nowners++;
	return (uint32_t)(s - d->slots);
}

int sock__diag_owner_layout(struct sock_diag *d)
{
	size_t at = 0;

	d->owners = malloc((d->nowners ? d->nowners : 1) * sizeof(*d->owners));
	if (!d->owners)
		return -ENOMEM;
	for (size_t i = 0; i < d->nslots; i++) {
		d->slots[i].first = (uint32_t)at;
		at += d->slots[i].count;
		d->slots[i].count = 0;
	}
	return 0;
}

void sock__diag_owner_put(struct sock_diag *d, uint32_t slot,
			  const struct sock_diag_owner *o)
{
	struct diag_slot *s = &d->slots[slot];

	d->owners[s->first + s->count++] = *o;
}

int sock__diag_owner_pool(struct sock_diag *d, char *pool)
{
	for (int i = 0; i < DIAG_POOLS_MAX; i++)
		if (!d->pools[i]) {
			d->pools[i] = pool;
			return 0;
		}
	return -ENOBUFS;
}

const struct sock_diag_owner *sock_diag_owners(const struct sock_diag *d,
					       uint32_t inode, size_t *n)
{
	const struct diag_slot *s;

	*n = 0;
	if (!d->nslots || !inode)
		return NULL;
	s = slot_find(d, inode);
	if (!s->inode || !s->count)
		return NULL;
	*n = s->count;
	return d->owners + s->first;
}
