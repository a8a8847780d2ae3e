/*
 * tool/server.c - helpers of the server commands (see server.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "server.h"
#include "i18n.h"
#include "visible.h"

void server_peer_name(enum sock_kind kind, const struct sockaddr *sa,
		      socklen_t len, char *buf, size_t size)
{
	char a[SOCK_ADDR_STR_MAX];

	if (!len || sock_addr_format_sa(sa, len, a, sizeof(a)) < 0)
		snprintf(a, sizeof(a), "?");
	if (kind == SOCK_KIND_TCP || kind == SOCK_KIND_UDP)
		snprintf(buf, size, "%s://%s", sock_addr_kind_name(kind), a);
	else
		snprintf(buf, size, "%s:%s", sock_addr_kind_name(kind), a);
	/* A client names its own Unix path: it must not forge a log line
	 * or a terminal's state (-v lines, SOCK_PEER). */
	tool_visible(buf, size, buf, size);
}

void server_say_listening(const struct sock_global *g, enum sock_kind kind,
			  const struct sock_conn *c)
{
	char local[SOCK_ADDR_STR_MAX];

	if (sock_addr_format_sa((const struct sockaddr *)&c->local,
				c->local_len, local, sizeof(local)) < 0)
		snprintf(local, sizeof(local), "?");
	tool_verbosef(g, _("listening on %s (%s)"), local,
		      sock_addr_kind_name(kind));
}

int server_fail_listen(const struct sock_addr *a, const char *endpoint, int err)
{
	char holders[256], detail[300];

	if (err == -EADDRINUSE &&
	    !tool_port_holders(a->kind, a->host, a->service, holders,
			       sizeof(holders))) {
		snprintf(detail, sizeof(detail), _("held by %s"), holders);
		return tool_fail_detail(N_("listen on"), endpoint, err, detail);
	}
	return tool_fail(N_("listen on"), endpoint, err);
}

/* The file our bind() created, held by its directory (opened once): at
 * exit it is removed only if it is still that socket file, wherever the
 * path leads by then (sock/unixfile.h). */
static struct sock_unixfile file = { .dirfd = -1 };

int server_file_is_ours(void)
{
	return sock_unixfile_is_ours(&file);
}

void server_remove_file(void)
{
	sock_unixfile_remove(&file);
}

void server_forget_file(void)
{
	sock_unixfile_close(&file);
	file.ino = 0;
}

void server_claim_file(const struct sock_addr *a)
{
	static int registered;

	if (a->family != AF_UNIX || !a->path[0])
		return;
	if (sock_unixfile_open(&file, a->path) || sock_unixfile_claim(&file)) {
		server_forget_file();
		return;
	}
	if (!registered++)
		atexit(server_remove_file);
}
