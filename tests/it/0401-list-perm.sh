#!/usr/bin/env bash
# sock list -p run as a user who cannot read other users' processes:
# their sockets show "-" and one line on stderr says why.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || skip_all "needs root to drop to nobody"
setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null ||
	skip_all "setpriv cannot drop to nobody"
plan 2
setpriv --reuid=65534 --regid=65534 --clear-groups \
	timeout -k 2 20 "$SOCK" list -tuxap > "$T/out" 2> "$T/err"
check "exits 0" test $? = 0
check "one line on stderr says why owners are missing" \
	test "$(wc -l < "$T/err")/$(grep -c 'could not be read' "$T/err")" = "1/1"
done_testing
