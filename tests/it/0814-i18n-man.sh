#!/usr/bin/env bash
# The Spanish man page: docs/sock.es.1 renders without warnings, covers
# every section of docs/sock.1, and `make install` puts it under
# man/es/man1 (man -L es sock finds it) next to the Spanish catalog.
. "$(dirname "$0")/lib.sh"
need man
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
plan 6

# 1: renders, no groff warnings
(cd "$ROOT" && MANPAGER=cat MANWIDTH=80 timeout -k 2 20 man --warnings -l docs/sock.es.1 \
	> "$T/es" 2> "$T/es.err" < /dev/null)
check "docs/sock.es.1 renders without warnings" \
	sh -c "grep -q 'conectarse, escuchar y listar sockets' '$T/es' && ! test -s '$T/es.err'"
sed 's/^/# /' "$T/es.err"

# 2: as long as the English page, section for section (a faithful
# translation: the same number of sections and subsections; ENTORNO is
# sock.1's ENVIRONMENT)
n_en=$(grep -c '^\.S[HS] ' "$ROOT/docs/sock.1")
n_es=$(grep -c '^\.S[HS] ' "$ROOT/docs/sock.es.1")
check "the same sections as docs/sock.1: $n_en and $n_es" test "$n_en" = "$n_es"

# 3: every option of the English page is in the Spanish one
grep -o '\\-\\-[a-z][a-z\\-]*' "$ROOT/docs/sock.1" | sort -u > "$T/opt.en"
grep -o '\\-\\-[a-z][a-z\\-]*' "$ROOT/docs/sock.es.1" | sort -u > "$T/opt.es"
check "every long option of sock.1 is in sock.es.1" \
	sh -c "test -z \"\$(comm -23 '$T/opt.en' '$T/opt.es')\""
comm -23 "$T/opt.en" "$T/opt.es" | sed 's/^/# missing: /'

# 4-6: make install: man/es/man1/sock.1 and the catalog
make -s -C "$ROOT" install BUILD="$(dirname "$SOCK")" DESTDIR="$T/root" PREFIX=/usr \
	> "$T/inst.out" 2>&1
check "make install puts the Spanish page under share/man/es/man1" \
	cmp -s "$ROOT/docs/sock.es.1" "$T/root/usr/share/man/es/man1/sock.1"
MANPATH="$T/root/usr/share/man" MANPAGER=cat MANWIDTH=80 \
	timeout -k 2 20 man -L es sock > "$T/man" 2> "$T/man.err" < /dev/null
check "man -L es sock renders the installed Spanish page" \
	grep -q 'conectarse, escuchar y listar sockets' "$T/man"
out=$(env -u LC_ALL -u LC_MESSAGES LANG=C.UTF-8 LANGUAGE=es \
	SOCK_LOCALEDIR="$T/root/usr/share/locale" "$T/root/usr/bin/sock" x 2>&1)
check "the installed catalog speaks Spanish" \
	test "$out" = "sock: comando desconocido 'x' (prueben: sock --help)"
done_testing
