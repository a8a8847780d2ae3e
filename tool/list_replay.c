/*
 * tool/list_replay.c - what sock list says about a SOCK_DIAG_FILE
 * replay beyond its rows: where a cut or damaged file stopped, and a
 * pipe that never gave a byte.
 */
#include <errno.h>

#include "cmd.h"
#include "i18n.h"
#include "list.h"

int list_replay_report(const struct sock_diag *d, const char *path)
{
	uint64_t off = 0;

	switch (sock_diag_replay_stop(d, &off)) {
	case SOCK_DIAG_REPLAY_CUT:
		tool_errorf(
		    _("list: SOCK_DIAG_FILE=%s: cut short at byte %llu; "
		      "the sockets before it are listed"),
		    path, (unsigned long long)off);
		return EXIT_RUNTIME;
	case SOCK_DIAG_REPLAY_BAD:
		tool_errorf(_("list: SOCK_DIAG_FILE=%s: no dump record at byte "
			      "%llu (damaged?); the sockets before it are "
			      "listed"),
			    path, (unsigned long long)off);
		return EXIT_RUNTIME;
	case SOCK_DIAG_REPLAY_LARGE:
		tool_errorf(_("list: SOCK_DIAG_FILE=%s: more than %u sockets; "
			      "the first ones, up to byte %llu, are listed"),
			    path, SOCK_DIAG_REPLAY_ROWS_MAX,
			    (unsigned long long)off);
		return EXIT_RUNTIME;
	}
	return EXIT_OK;
}

int list_replay_failed(const char *path, int err)
{
	if (err != -ETIMEDOUT)
		return 0;
	tool_errorf(_("list: SOCK_DIAG_FILE=%s: nothing came to read in 10 s "
		      "(a pipe no one writes to?)"),
		    path);
	return 1;
}
