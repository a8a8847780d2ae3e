/*
 * tool/list_netns.c - sock list -N / --all-netns: which namespaces to
 * list, the NetNS column and JSON key, and the closing line about the
 * namespaces that could not be entered.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <sock/diag.h>
#include <sock/netns.h>

#include "cmd.h"
#include "i18n.h"
#include "list.h"

static int find_failed(const char *spec, int err)
{
	if (err == -ENOENT)
		tool_errorf(_("list: no network namespace '%s' (not a name "
			      "under /run/netns, a path or a process id)"),
			    spec);
	else if (err == -EINVAL)
		tool_errorf(_("list: '%s' is not a network namespace"), spec);
	else
		tool_errorf(_("list: network namespace '%s': %s"), spec,
			    strerror(-err));
	return err == -ENOMEM ? EXIT_RUNTIME : EXIT_USAGE;
}

int list_netns_open(const struct list_opts *o, struct sock_netns_set **set)
{
	int ret;

	*set = NULL;
	if (o->netns && o->all_netns)
		return tool_usage_error("list", _("-N and --all-netns exclude "
						  "each other"));
	if (o->all_netns) {
		ret = sock_netns_all(NULL, set);
		if (ret) {
			tool_errorf(_("list: finding the network namespaces: "
				      "%s"),
				    strerror(-ret));
			return EXIT_RUNTIME;
		}
		return 0;
	}
	if (!o->netns)
		return 0;
	ret = sock_netns_find(o->netns, NULL, set);
	return ret ? find_failed(o->netns, ret) : 0;
}

const char *list_netns_text(const struct sock_diag *d,
			    const struct sock_diag_entry *e, char *buf,
			    size_t size)
{
	const struct sock_netns *ns = sock_diag_netns(d, e);
	size_t n;

	if (!ns)
		return "-";
	sock_netns_label(ns, buf, size);
	n = strlen(buf);
	if (!ns->name && !ns->container.runtime && ns->pid && n < size)
		snprintf(buf + n, size - n, ":%d/%s", ns->pid, ns->comm);
	return buf;
}

void list_netns_json(FILE *out, const struct sock_diag *d,
		     const struct sock_diag_entry *e)
{
	const struct sock_netns *ns = sock_diag_netns(d, e);

	if (!ns) {
		fputs(",\"netns\":null", out);
		return;
	}
	fprintf(out, ",\"netns\":{\"inode\":%llu,\"name\":",
		(unsigned long long)ns->ino);
	if (ns->name)
		tool_json_string(out, ns->name, strlen(ns->name));
	else
		fputs("null", out);
	if (ns->container.runtime) {
		fprintf(out, ",\"container\":{\"runtime\":\"%s\",\"id\":",
			ns->container.runtime);
		tool_json_string(out, ns->container.id,
				 strlen(ns->container.id));
		putc('}', out);
	} else {
		fputs(",\"container\":null", out);
	}
	if (ns->pid) {
		fprintf(out, ",\"pid\":%d,\"command\":", ns->pid);
		tool_json_string(out, ns->comm, strlen(ns->comm));
	} else {
		fputs(",\"pid\":null,\"command\":null", out);
	}
	putc('}', out);
}

void list_netns_report(const struct sock_diag *d)
{
	int err;
	unsigned int n = sock_diag_netns_failed(d, &err);

	if (!n)
		return;
	if (err == -EPERM)
		tool_errorf(ngettext("list: %u of %zu network namespaces could "
				     "not be entered (no CAP_SYS_ADMIN: run "
				     "as root); the others are listed",
				     "list: %u of %zu network namespaces could "
				     "not be entered (no CAP_SYS_ADMIN: run "
				     "as root); the others are listed",
				     n),
			    n, sock_diag_netns_count(d));
	else
		tool_errorf(ngettext("list: %u of %zu network namespaces could "
				     "not be entered (%s); the others are "
				     "listed",
				     "list: %u of %zu network namespaces could "
				     "not be entered (%s); the others are "
				     "listed",
				     n),
			    n, sock_diag_netns_count(d), strerror(-err));
}
