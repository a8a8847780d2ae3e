/*
 * tool/i18n.c - set up the message catalog.
 */
#include <locale.h>
#include <stdlib.h>

#include "i18n.h"

#ifndef LOCALEDIR
#define LOCALEDIR "/usr/local/share/locale"
#endif

void tool_i18n_init(void)
{
	const char *dir = getenv("SOCK_LOCALEDIR");

	setlocale(LC_ALL, "");
	/* "1.113 s" and JSON numbers keep their decimal point whatever
	 * the locale: LC_NUMERIC stays C. */
	setlocale(LC_NUMERIC, "C");
	bindtextdomain("sock", dir && *dir ? dir : LOCALEDIR);
	/* The catalog's UTF-8, not converted to an ASCII LC_CTYPE. */
	bind_textdomain_codeset("sock", "UTF-8");
	textdomain("sock");
}
