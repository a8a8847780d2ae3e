#!/usr/bin/env bash
# sock demo's command line: --help, bad words and scenarios that do not
# fit a kind are usage errors (exit 2, one line).
. "$(dirname "$0")/lib.sh"
plan 5

check "sock demo --help: exit 0, the usage and the scenarios" \
	test -n "$("$SOCK" demo --help | grep -E '^usage: sock demo ')" -a \
	-n "$("$SOCK" help demo | grep -E '^  backlog ')"
check "sock --help lists demo" test -n "$("$SOCK" --help | grep -E '^  demo ')"
for args in "tcp nope" "udp half-close" "udp backlog" "--svg" "--bogus"; do
	"$SOCK" demo $args > "$T/o" 2> "$T/e"
	echo "$?|$(wc -l < "$T/e")" >> "$T/st"
done
check "bad word, half-close/backlog on udp, --svg without a file, bad option: exit 2, one line each" \
	test "$(sort -u "$T/st")" = "2|1"
"$SOCK" demo tcp nope 2>&1 | grep -q "'nope' is neither a kind"
ok $? "the bad word is named"
"$SOCK" demo udp half-close 2>&1 | grep -q "half-close needs a stream"
ok $? "half-close on udp says why"
