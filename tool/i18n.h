/*
 * tool/i18n.h - message catalogs (GNU gettext): every human-facing string
 * of the tool goes through _() (or N_() in a table, translated where it
 * is printed).  Machine output (--json, the trace's call syntax, errno
 * names, numbers) never does.
 */
#ifndef SOCK_TOOL_I18N_H
#define SOCK_TOOL_I18N_H

#include <libintl.h>

#define _(s) gettext(s)
#define N_(s) (s)

/* Follow the locale's messages and character type (LANG, LC_ALL,
 * LC_MESSAGES, LANGUAGE), never its number format; bind the "sock"
 * catalog (SOCK_LOCALEDIR overrides the installed directory, for the
 * build tree's catalog) in UTF-8. */
void tool_i18n_init(void);

#endif
