#!/usr/bin/env bash
# The built binary has the hardening the Makefile asks for by default:
# full RELRO (a GNU_RELRO segment and BIND_NOW), PIE (ELF type DYN with
# the PIE flag), -fstack-protector-strong (__stack_chk_fail) and
# _FORTIFY_SOURCE's checked calls (__*_chk; not under ASan, which
# replaces them); and a fortified call really stops an overflow.
. "$(dirname "$0")/lib.sh"
need readelf
need nm
plan 6

readelf -lhdW "$SOCK" > "$T/elf" 2>&1
nm -D "$SOCK" > "$T/syms" 2>&1
check "ELF type DYN (position-independent executable)" \
	grep -Eq 'Type: +DYN \(Position-Independent Executable' "$T/elf"
check "a GNU_RELRO segment" grep -q 'GNU_RELRO' "$T/elf"
check "BIND_NOW: relocations done at start, so all of RELRO is read-only" \
	grep -Eq '\(FLAGS\) +BIND_NOW|\(FLAGS_1\) +Flags:.*NOW' "$T/elf"
check "stack protector (__stack_chk_fail)" grep -q ' __stack_chk_fail' "$T/syms"
if grep -q ' __asan_init' "$T/syms" || grep -q '__asan_' "$T/syms"; then
	ok 0 "fortified calls # SKIP ASan build (FORTIFY is off under ASan)"
	ok 0 "fortify stops an overflow # SKIP ASan build"
	done_testing
fi
n=$(grep -c ' U __[a-z_]*_chk@' "$T/syms")
diag "fortified calls: $(grep -o '__[a-z_]*_chk' "$T/syms" | sort -u | tr '\n' ' ')"
check "fortified calls (__*_chk: $n, at least 4)" test "$n" -ge 4

# The same flags on a small program: FORTIFY=3 knows a malloc'd
# buffer's size, so an overflowing memcpy aborts instead of writing.
CFLAGS=$(make -s -C "$(dirname "$0")/../.." --no-print-directory \
	-f - print-flags <<'MK' 2>/dev/null
include Makefile
print-flags:
	@echo $(CPPFLAGS) $(CFLAGS) $(LDFLAGS)
MK
)
cat > "$T/o.c" <<'C'
#include <stdlib.h>
#include <string.h>
int main(int argc, char **argv)
{
	char *p = malloc(4);
	memcpy(p, argv[0], strlen(argv[0]) + (size_t)argc);
	return p[0] == 0;
}
C
if [ -z "$CFLAGS" ] || ! ${CC:-cc} ${CFLAGS//-MMD -MP/} -o "$T/o" "$T/o.c" 2> "$T/cc"; then
	ok 0 "fortify stops an overflow # SKIP cannot build the probe: $(head -c 200 "$T/cc")"
else
	# in a shell of its own, whose "Aborted" report goes to o.err, not
	# to prove's output
	sh -c 'timeout -k 2 10 "$1" > "$2" 2>&1; echo $?' sh "$T/o" "$T/o.out" \
		> "$T/o.rc" 2> "$T/o.err"
	rc=$(cat "$T/o.rc")
	diag "probe: rc $rc, $(head -n 1 "$T/o.out")"
	check "fortify stops an overflow (SIGABRT, 'buffer overflow detected')" \
		eval 'test $rc -eq 134 && grep -q "buffer overflow detected" "$T/o.out"'
fi
done_testing
