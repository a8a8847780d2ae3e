#!/usr/bin/env bash
# The calls between lib/ files go down the layers only (no cycle), as
# read by tests/layers.sh from the object files: the diag files, the
# whole library.  And the checker does see a cycle when there is one.
. "$(dirname "$0")/lib.sh"
need nm
need tsort
need cc
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
LIB=${BUILD:-$ROOT/build}/lib
LAYERS=$ROOT/tests/layers.sh
[ -f "$LIB/diag.o" ] || skip_all "no object files in $LIB (make first)"
plan 4

diag=("$LIB"/diag*.o "$LIB"/proc*.o "$LIB/addr.o")
"$LAYERS" "${diag[@]}" 2>"$T/diag.err"
ok $? "the diag, proc and addr files call each other without a cycle"
[ -s "$T/diag.err" ] && diag "$(cat "$T/diag.err")"

"$LAYERS" -g "${diag[@]}" >"$T/edges" 2>/dev/null
! grep -Eq '^(diag_store|diag_names|diag_filter)\.c (diag|diag_dump|diag_inet|diag_unix|proc_net|proc)\.c$' "$T/edges"
ok $? "the store, the filter and the names call no parser, driver or top"

printf 'int b(void);\nint a(void) { return b(); }\n' >"$T/a.c"
printf 'int a(void);\nint b(void) { return a(); }\n' >"$T/b.c"
cc -c -o "$T/a.o" "$T/a.c" && cc -c -o "$T/b.o" "$T/b.c"
"$LAYERS" "$T/a.o" "$T/b.o" 2>"$T/cycle.err"
[ $? -eq 1 ] && grep -q 'a\.c' "$T/cycle.err"
ok $? "a cycle between two files is reported"

"$LAYERS" 2>"$T/all.err"
ok $? "the whole library is acyclic"
[ -s "$T/all.err" ] && diag "$(cat "$T/all.err")"
done_testing
