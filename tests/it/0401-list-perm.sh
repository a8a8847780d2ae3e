#!/usr/bin/env bash
# sock list -p run as a user who cannot read other users' processes:
# their sockets show "-" and one line on stderr says why.
. "$(dirname "$0")/lib.sh"
nobody_sock || skip_all "$why"
plan 2
"${AS_NOBODY[@]}" timeout -k 2 20 "$NOBODY_SOCK" list -tuxap > "$T/out" 2> "$T/err"
check "exits 0" test $? = 0
check "one line on stderr says why owners are missing" \
	test "$(wc -l < "$T/err")/$(grep -c 'could not be read' "$T/err")" = "1/1"
done_testing
