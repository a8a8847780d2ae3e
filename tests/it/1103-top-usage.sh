#!/usr/bin/env bash
# sock top's bad options: each gets one line naming what was wrong and
# exit status 2 before anything is polled; the full-screen view without
# a terminal says what to use instead; --help lists every option.
. "$(dirname "$0")/lib.sh"
plan 15
export LC_ALL=C LANG=C LANGUAGE=

bad() {
	local want=$1
	shift
	timeout -k 2 10 "$SOCK" top "$@" < /dev/null > "$T/out" 2> "$T/err"
	local rc=$?
	if [ "$rc" = 2 ] && [ ! -s "$T/out" ] && [ "$(wc -l < "$T/err")" = 1 ] &&
		grep -q -- "$want" "$T/err"; then
		ok 0 "sock top $* -> exit 2: $want"
	else
		ok 1 "sock top $* -> exit 2: $want (got $rc: $(cat "$T/err"))"
	fi
}

bad "-d needs a positive number of seconds, not '0'" -b -d 0
bad "-d needs a positive number of seconds, not 'soon'" -b -d soon
bad "-d needs a positive number of seconds, not ''" -b -d
bad "-n needs a positive number, not '0'" -b -n 0
bad "-n needs a positive number, not '2x'" -b --count=2x
bad "bad option '--bogus'" -b --bogus
bad "unknown flag 'Z' in '-tZ'" -b -tZ
bad "--json goes with --events" -b --json
bad "-b, --jsonl and --events exclude each other" -b --jsonl
bad "bad filter word 'sideways'" -b state sideways
bad "filter ends too early after 'dport'" --jsonl dport
bad "-N and --all-netns exclude each other" --events -N 1 --all-netns
bad "the full-screen view needs a terminal" -t

"$SOCK" top --help > "$T/help"
check "--help exits 0" test $? = 0
missing=
for o in --delay --count --batch --jsonl --events --json --numeric \
	--no-owners --no-color --all-netns; do
	grep -q -- "$o" "$T/help" || missing="$missing $o"
done
check "--help names every long option${missing:+ (missing:$missing)}" test -z "$missing"
exit $_failed
