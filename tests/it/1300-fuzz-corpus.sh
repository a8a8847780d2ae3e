#!/usr/bin/env bash
# Every fuzz target (tests/fuzz/fuzz_*.c) replays its whole corpus
# (tests/fuzz/corpus/NAME/, past findings included) without a failed
# check, through the replayer every build makes; and no target is
# without a corpus, nor a corpus without its target.
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
FUZZ=$HERE/../fuzz
targets=$(cd "$FUZZ" && ls fuzz_*.c | sed 's/^fuzz_//; s/\.c$//')
[ -n "$targets" ] || skip_all "no fuzz targets"
plan $(($(echo "$targets" | wc -w) + 1))

for t in $targets; do
	r=$BUILD/tests/fuzz/replay_fuzz_$t
	if [ ! -x "$r" ]; then
		ok 0 "fuzz_$t # SKIP no $r (make tests)"
		continue
	fi
	n=$(find "$FUZZ/corpus/$t" -type f 2>/dev/null | wc -l)
	check "fuzz_$t replays its corpus ($n inputs)" \
		eval 'test "$n" -gt 0 && timeout -k 2 60 "$r" "$FUZZ/corpus/$t" 2> "$T/$t.err"'
	# (the tool's parsers print their usage errors: shown on failure)
	[ $_failed = 0 ] || tail -n 5 "$T/$t.err" | sed 's/^/# /'
done
orphans=$(cd "$FUZZ/corpus" && for d in *; do
	[ -e "$FUZZ/fuzz_$d.c" ] || echo "$d"; done)
check "every corpus has its target (orphans: ${orphans:-none})" test -z "$orphans"
done_testing
