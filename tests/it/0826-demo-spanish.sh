#!/usr/bin/env bash
# sock demo in Spanish: headers, states and notes from the catalog, the
# calls themselves (machine syntax) unchanged, and 100 columns at most
# counted in characters (Ú is one column).  The states are spelled as
# po/es.po spells them for sock list (CLOSE_WAIT is ESPERA_CIERRE), in the
# columns and in the notes alike.  Skipped when the build has no Spanish
# catalog (SOCK_LOCALEDIR, else the build tree's locale/).
. "$(dirname "$0")/lib.sh"
[ -n "${SOCK_LOCALEDIR:-}" ] || SOCK_LOCALEDIR=$(dirname "$SOCK")/locale
export SOCK_LOCALEDIR
LANG=es_CL.UTF-8 "$SOCK" demo --help 2>/dev/null | grep -q '^uso: sock demo' ||
	skip_all "no Spanish catalog for sock demo in $SOCK_LOCALEDIR"
plan 5

LANG=es_CL.UTF-8 timeout -k 2 20 "$SOCK" demo tcp > "$T/es" 2>&1
check "Spanish headers: CLIENTE, estado, SERVIDOR" \
	grep -qE '^ +t\(ms\) CLIENTE +estado +estado +SERVIDOR$' "$T/es"
check "Spanish states: ESCUCHAR, ESTABLECIDO, ESPERA_CIERRE" \
	test -n "$(grep ESCUCHAR "$T/es")" -a -n "$(grep ESTABLECIDO "$T/es")" -a -n "$(grep ESPERA_CIERRE "$T/es")"
check "the TIME_WAIT note names the state as the columns do (ESPERA_TIEMPO)" \
	sh -c "grep -q 'sigue en ESPERA_TIEMPO' '$T/es' && ! grep -q 'TIME_WAIT' '$T/es'"
LC_ALL=C timeout -k 2 20 "$SOCK" demo tcp > "$T/en" 2>&1
strip() { grep -oE '(socket|connect|listen|accept4|send|recv|close)\([A-Z0-9_]*' "$1"; }
check "the calls are the same in both languages" test "$(strip "$T/es")" = "$(strip "$T/en")"
check "at most 100 columns in Spanish" \
	test "$(LC_ALL=C.UTF-8 awk '{ if (length($0) > m) m = length($0) } END { print m + 0 <= 100 }' "$T/es")" = 1
