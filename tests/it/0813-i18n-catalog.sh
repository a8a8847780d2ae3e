#!/usr/bin/env bash
# The Spanish catalog is complete: every message of tool/*.c (extracted
# afresh, as `make po/sock.pot` does) is in po/es.po, translated and not
# fuzzy (`make po-check`), with the same format conversions (msgfmt -c);
# and every reason lib/addr.c gives for a bad endpoint is in the
# catalog too (tool/messages.c lists them for xgettext).
. "$(dirname "$0")/lib.sh"
need xgettext
need msgcmp
need msgfmt
need python3
SRC=$(cd "$(dirname "$0")/../.." && pwd)
plan 4

cd "$SRC" || exit 1
xgettext --keyword=_ --keyword=N_ --from-code=UTF-8 --add-comments=TRANSLATORS \
	-o "$T/sock.pot" tool/*.c tool/*.h 2> "$T/x.err"
check "every message of tool/*.c is in po/es.po (else: make po-update)" \
	msgcmp po/es.po "$T/sock.pot"
LC_ALL=C msgfmt -c --statistics -o /dev/null po/es.po 2> "$T/stat"
check "po/es.po: all translated, none fuzzy, formats match ($(cat "$T/stat"))" \
	grep -qE '^[0-9]+ translated messages\.$' "$T/stat"
po_check() { make -s --no-print-directory po-check > "$T/pc" 2>&1; }
check "make po-check passes" po_check
python3 - po/es.po lib/addr.c > "$T/missing" <<'PY'
import re, sys
po = open(sys.argv[1]).read()
ids = {"".join(re.findall(r'"((?:[^"\\]|\\.)*)"', m))
       for m in re.findall(r'^msgid ((?:".*"\n)+)', po, re.M)}
src = open(sys.argv[2]).read()
for call in re.findall(r'\bfail\(\s*[^,]+,[^,]+,((?:[^;])*?)\);', src):
    for s in re.findall(r'"((?:[^"\\]|\\.)*)"', call):
        if s not in ids:
            print(s)
PY
check "every lib/addr.c reason is in the catalog" test ! -s "$T/missing"
sed 's/^/# missing: /' "$T/missing"
done_testing
