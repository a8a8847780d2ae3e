/*
 * tool/list_kill.c - sock list -K FILTER: destroy the sockets the same
 * listing would show (SOCK_DESTROY), one row per socket killed, or with
 * --dry-run per socket that would be.  Never an unconnected UDP socket:
 * destroying one frees its port and the owner's next send silently
 * goes out from another.  A kernel or a user that cannot destroy is
 * told once, and the command fails.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <sock/diag.h>

#include "cmd.h"
#include "i18n.h"
#include "list.h"

/* A row: what happened, then the socket as netstat names it. */
static int row(FILE *out, const char *what, const struct sock_diag_entry *e)
{
	char local[128], remote[128];

	list_format_endpoint(local, sizeof(local), e, 1, NULL);
	list_format_endpoint(remote, sizeof(remote), e, 0, NULL);
	fprintf(out, "%-10s %-5s %-23s %-23s %s\n", what,
		sock_diag_proto_name(e->family, e->protocol), local, remote,
		sock_diag_state_netstat(e->state));
	return fflush(out) ? -errno : 0;
}

/* A socket whose loss of state would surprise its owner silently. */
static int unconnected_udp(const struct sock_diag_entry *e)
{
	return e->protocol == IPPROTO_UDP && e->state != SOCK_DIAG_ESTABLISHED;
}

/* Errors that stop the whole kill: the same for every socket. */
static int fatal(int err)
{
	if (err == -EPERM || err == -EACCES)
		tool_errorf(_("list: --kill: not permitted: destroying "
			      "sockets needs CAP_NET_ADMIN in their network "
			      "namespace (run as root)"));
	else if (err == -EOPNOTSUPP)
		tool_errorf(_("list: --kill: this kernel cannot destroy "
			      "sockets (it was built without "
			      "CONFIG_INET_DIAG_DESTROY)"));
	else
		return 0;
	return 1;
}

struct kill_count {
	size_t killed, gone, failed, skipped;
};

/* One matched socket; 0 to go on, or an exit status to stop with. */
static int kill_one(FILE *out, const struct sock_diag_entry *e, int dry_run,
		    struct kill_count *n)
{
	char local[128];
	int err;

	if (unconnected_udp(e)) {
		list_format_endpoint(local, sizeof(local), e, 1, NULL);
		tool_errorf(_("list: --kill: skipped unconnected UDP socket "
			      "%s (destroying it would make its owner's next "
			      "send silently use another source port)"),
			    local);
		n->skipped++;
		return 0;
	}
	if (dry_run)
		return row(out, _("would kill"), e) ? EXIT_RUNTIME : 0;
	err = sock_diag_destroy(e);
	if (fatal(err))
		return EXIT_RUNTIME;
	if (err == -ENOENT || err == -ESTALE) {
		list_format_endpoint(local, sizeof(local), e, 1, NULL);
		tool_errorf(_("list: --kill: %s %s was gone already"),
			    sock_diag_proto_name(e->family, e->protocol),
			    local);
		n->gone++;
		return 0;
	}
	if (err) {
		list_format_endpoint(local, sizeof(local), e, 1, NULL);
		tool_errorf(_("list: --kill: cannot destroy %s %s: %s"),
			    sock_diag_proto_name(e->family, e->protocol), local,
			    strerror(-err));
		n->failed++;
		return 0;
	}
	n->killed++;
	return row(out, _("killed"), e) ? EXIT_RUNTIME : 0;
}

int list_kill(FILE *out, const struct sock_diag *d, const struct list_opts *o)
{
	struct kill_count n = { 0 };
	size_t matched = 0;
	int ret = 0;

	for (size_t i = 0; i < sock_diag_count(d) && !ret; i++) {
		const struct sock_diag_entry *e = sock_diag_get(d, i);

		if (e->family == AF_UNIX)
			continue;
		matched++;
		ret = kill_one(out, e, o->dry_run, &n);
	}
	if (ret)
		return ret;
	if (!matched)
		tool_errorf(_("list: --kill: no socket matches the filter"));
	return n.failed ? EXIT_RUNTIME : EXIT_OK;
}

int list_kill_prepare(const struct list_opts *o, struct sock_diag_query *q)
{
	if (o->summary)
		return tool_usage_error("list", _("-s and -K do not go "
						  "together"));
	if (!o->filter)
		return tool_usage_error(
		    "list", _("--kill needs a FILTER (e.g. dport 443): it "
			      "will not destroy every socket"));
	if (q->replay)
		return tool_usage_error(
		    "list", _("--kill destroys live sockets, not the ones of "
			      "SOCK_DIAG_FILE"));
	q->protocols &= ~SOCK_DIAG_UNIX;
	if (!q->protocols)
		return tool_usage_error(
		    "list", _("--kill cannot destroy Unix sockets (only TCP, "
			      "UDP and raw ones)"));
	return 0;
}
