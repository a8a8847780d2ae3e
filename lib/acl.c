/*
 * lib/acl.c - allow and deny lists for listeners (include/sock/acl.h):
 * address blocks kept as 16-byte IPv6 prefixes (IPv4 as ::ffff:a.b.c.d,
 * so one comparison serves both families and the mapped form), and Unix
 * user ids.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include <sock/acl.h>

#include "sys.h"

struct acl_block {
	unsigned char addr[16];
	unsigned int bits; /* of the 128 */
};

struct acl_list {
	struct acl_block *v;
	size_t n, cap;
};

struct sock_acl {
	struct acl_list allow, deny;
	uid_t *uids;
	size_t nuids;
};

struct sock_acl *sock_acl_new(void)
{
	return calloc(1, sizeof(struct sock_acl));
}

void sock_acl_free(struct sock_acl *a)
{
	if (!a)
		return;
	free(a->allow.v);
	free(a->deny.v);
	free(a->uids);
	free(a);
}

/* ::ffff:0:0/96, where IPv4 addresses live. */
static const unsigned char mapped[12] = { 0, 0, 0, 0, 0,    0,
					  0, 0, 0, 0, 0xff, 0xff };

static void map_v4(unsigned char out[16], const void *v4)
{
	memcpy(out, mapped, 12);
	memcpy(out + 12, v4, 4);
}

/* "192.0.2.0/24" or "2001:db8::/32" into b; -EINVAL when not one. */
static int parse_block(const char *word, size_t len, struct acl_block *b)
{
	char text[INET6_ADDRSTRLEN + 8];
	unsigned char v4[4];
	char *slash, *end;
	unsigned long bits;
	int six;

	if (!len || len >= sizeof(text))
		return -EINVAL;
	memcpy(text, word, len);
	text[len] = '\0';
	slash = strchr(text, '/');
	if (slash)
		*slash = '\0';
	six = strchr(text, ':') != NULL;
	if (six ? inet_pton(AF_INET6, text, b->addr) != 1
		: inet_pton(AF_INET, text, v4) != 1)
		return -EINVAL;
	if (!six)
		map_v4(b->addr, v4);
	bits = six ? 128 : 32;
	if (slash) {
		if (slash[1] < '0' || slash[1] > '9')
			return -EINVAL;
		bits = strtoul(slash + 1, &end, 10);
		if (*end || bits > (six ? 128u : 32u))
			return -EINVAL;
	}
	b->bits = (unsigned int)bits + (six ? 0 : 96);
	return 0;
}

static int push(struct acl_list *l, const struct acl_block *b)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		struct acl_block *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = *b;
	return 0;
}

int sock_acl_add(struct sock_acl *a, int deny, const char *word)
{
	struct acl_block b;

	if (parse_block(word, strlen(word), &b))
		return -EINVAL;
	return push(deny ? &a->deny : &a->allow, &b);
}

static int separator(char c)
{
	return c == ',' || c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int sock_acl_add_list(struct sock_acl *a, int deny, const char *text,
		      size_t *bad_at, size_t *bad_len)
{
	size_t i = 0;

	while (text[i]) {
		struct acl_block b;
		size_t start, len;
		int ret;

		if (separator(text[i])) {
			i++;
			continue;
		}
		if (text[i] == '#') {
			i += strcspn(text + i, "\n");
			continue;
		}
		start = i;
		while (text[i] && !separator(text[i]) && text[i] != '#')
			i++;
		len = i - start;
		if (parse_block(text + start, len, &b)) {
			*bad_at = start;
			*bad_len = len;
			return -EINVAL;
		}
		ret = push(deny ? &a->deny : &a->allow, &b);
		if (ret)
			return ret;
	}
	return 0;
}

int sock_acl_add_uid(struct sock_acl *a, uid_t uid)
{
	uid_t *v = realloc(a->uids, (a->nuids + 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	a->uids = v;
	a->uids[a->nuids++] = uid;
	return 0;
}

int sock_acl_has_cidrs(const struct sock_acl *a)
{
	return a && (a->allow.n || a->deny.n);
}

int sock_acl_has_uids(const struct sock_acl *a)
{
	return a && a->nuids;
}

/* ---- judging ----------------------------------------------------------- */

static int in_block(const unsigned char addr[16], const struct acl_block *b)
{
	unsigned int whole = b->bits / 8, rest = b->bits % 8;

	if (memcmp(addr, b->addr, whole))
		return 0;
	if (!rest)
		return 1;
	unsigned char mask = (unsigned char)(0xff << (8 - rest));

	return (addr[whole] & mask) == (b->addr[whole] & mask);
}

static int in_list(const unsigned char addr[16], const struct acl_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		if (in_block(addr, &l->v[i]))
			return 1;
	return 0;
}

/* The client's address as 16 bytes (IPv4 mapped); -1 for another
 * family. */
static int as_v6(const struct sockaddr *sa, socklen_t len,
		 unsigned char out[16])
{
	if (sa->sa_family == AF_INET && len >= sizeof(struct sockaddr_in)) {
		map_v4(out, &((const struct sockaddr_in *)sa)->sin_addr);
		return 0;
	}
	if (sa->sa_family == AF_INET6 && len >= sizeof(struct sockaddr_in6)) {
		memcpy(out, &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
		return 0;
	}
	return -1;
}

int sock_acl_check_addr(const struct sock_acl *a, const struct sockaddr *sa,
			socklen_t len)
{
	unsigned char addr[16];

	if (!sock_acl_has_cidrs(a))
		return 1;
	if (as_v6(sa, len, addr))
		return 0;
	if (in_list(addr, &a->deny))
		return 0;
	return !a->allow.n || in_list(addr, &a->allow);
}

static int uid_listed(const struct sock_acl *a, uid_t uid)
{
	for (size_t i = 0; i < a->nuids; i++)
		if (a->uids[i] == uid)
			return 1;
	return 0;
}

int sock_acl_admit(const struct sock_acl *a, int fd, const struct sockaddr *sa,
		   socklen_t len, uid_t *uid)
{
	pid_t pid;
	gid_t gid;

	*uid = (uid_t)-1;
	if (!a)
		return 1;
	if (sa->sa_family != AF_UNIX)
		return sock_acl_check_addr(a, sa, len);
	if (!a->nuids)
		return 1;
	if (sock__getsockopt_peercred(fd, &pid, uid, &gid) < 0)
		return -errno;
	return uid_listed(a, *uid);
}
