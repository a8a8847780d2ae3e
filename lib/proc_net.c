/*
 * lib/proc_net.c - the fallback when sock_diag is missing: the text
 * tables in /proc/net (tcp, tcp6, udp, udp6, raw, raw6, unix), the same
 * files netstat reads.  They carry no Unix peer, queue or uid.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "diag_internal.h"

#define SO_ACCEPTCON_FLAG 0x10000 /* __SO_ACCEPTCON in /proc/net/unix */

/* The kernel prints each 32-bit word of an address in host order. */
static int hex_addr(const char *hex, uint8_t *out, size_t len)
{
	char word[9];

	if (strlen(hex) != len * 2)
		return -EINVAL;
	for (size_t i = 0; i < len / 4; i++) {
		uint32_t v;

		memcpy(word, hex + 8 * i, 8);
		word[8] = '\0';
		v = (uint32_t)strtoul(word, NULL, 16);
		memcpy(out + 4 * i, &v, 4);
	}
	return 0;
}

static int inet_line(struct sock_diag *d, const char *line, int family,
		     int protocol)
{
	char la[65], ra[65];
	unsigned int lp, rp, st, tx, rx, uid, ino;
	struct sock_diag_entry e = { 0 };
	size_t alen = family == AF_INET ? 4 : 16;

	if (sscanf(line,
		   " %*d: %64[0-9A-Fa-f]:%X %64[0-9A-Fa-f]:%X %X %X:%X "
		   "%*X:%*X %*X %u %*d %u",
		   la, &lp, ra, &rp, &st, &tx, &rx, &uid, &ino) != 9)
		return 0;
	if (hex_addr(la, e.in.local, alen) || hex_addr(ra, e.in.remote, alen))
		return 0;
	e.family = (uint8_t)family;
	e.protocol = (uint8_t)protocol;
	e.type = sock__diag_proto_type(protocol);
	e.state = (uint8_t)st;
	e.in.local_port = (uint16_t)lp;
	e.in.remote_port = (uint16_t)rp;
	e.rqueue = rx;
	e.wqueue = tx;
	e.uid = uid;
	e.inode = ino;
	return sock__diag_add(d, &e);
}

static uint8_t unix_state(unsigned int flags, unsigned int st)
{
	if (flags & SO_ACCEPTCON_FLAG)
		return SOCK_DIAG_LISTEN;
	if (st == 3) /* SS_CONNECTED */
		return SOCK_DIAG_ESTABLISHED;
	if (st == 2) /* SS_CONNECTING */
		return SOCK_DIAG_SYN_SENT;
	return SOCK_DIAG_CLOSE;
}

static int unix_line(struct sock_diag *d, char *line)
{
	unsigned int ref, flags, type, st, ino;
	struct sock_diag_entry e = { 0 };
	char *path;
	int pos = 0, ret;

	if (sscanf(line, "%*x: %X %*X %X %X %X %u%n", &ref, &flags, &type, &st,
		   &ino, &pos) != 5)
		return 0;
	e.family = AF_UNIX;
	e.type = (uint8_t)type;
	e.state = unix_state(flags, st);
	e.inode = ino;
	e.uid = SOCK_DIAG_NO_UID;
	e.un.refcnt = ref;
	path = line + pos;
	path += strspn(path, " ");
	path[strcspn(path, "\n")] = '\0';
	if (*path) {
		if (*path == '@')
			*path = '\0';
		ret = sock__diag_add_name(d, &e, path, strlen(path + 1) + 1);
		if (ret)
			return ret;
	}
	return sock__diag_add(d, &e);
}

int sock__proc_net_line(struct sock_diag *d, char *line, int family,
			int protocol)
{
	return family == AF_UNIX ? unix_line(d, line)
				 : inet_line(d, line, family, protocol);
}

int sock__proc_net_read(struct sock_diag *d, const char *root, int family,
			int protocol)
{
	char path[4096], *line = NULL;
	size_t cap = 0;
	FILE *f;
	int ret = 0;

	snprintf(path, sizeof(path), "%s/net/%s", root,
		 sock_diag_proto_name(family, protocol));
	f = fopen(path, "re");
	if (!f)
		return errno == ENOENT ? 0 : -errno; /* no IPv6: nothing */
	if (getline(&line, &cap, f) < 0)	     /* the title line */
		goto out;
	while (!ret && getline(&line, &cap, f) > 0)
		ret = sock__proc_net_line(d, line, family, protocol);
out:
	free(line);
	fclose(f);
	return ret;
}
