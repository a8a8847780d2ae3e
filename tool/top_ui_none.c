/*
 * tool/top_ui_none.c - stands in for the full-screen view of sock top
 * until tool/top_ui.c exists (the Makefile leaves this file out then;
 * delete it when merging top_ui.c).
 */
#include "cmd.h"
#include "i18n.h"
#include "top_model.h"

int tool_top_ui_run(struct top_model *m, const struct top_opts *o)
{
	(void)m;
	(void)o;
	tool_errorf(_("top: this build has no full-screen view; use -b, "
		      "--jsonl or --events"));
	return EXIT_RUNTIME;
}
