#!/usr/bin/env bash
# The peer closed before all of stdin was sent: exit 3 (EXIT STATUS in
# sock.1), so that a script can tell; all sent: still 0.
. "$(dirname "$0")/lib.sh"
need python3
plan 3

# 1: a listener that half-closes at once (its stdin is empty); our stdin
# pauses for a second after its first line, so the second is never sent
bg sh -c "exec \"$SOCK\" -v listen tcp://127.0.0.1:0 < /dev/null > '$T/l.out' 2> '$T/l.err'"
port=$(wait_port "$T/l.err")
(echo one; sleep 1; echo two) | timeout -k 2 10 "$SOCK" connect "127.0.0.1:$port" > "$T/1.out" 2> "$T/1.err"
check "stdin cut by the peer's close: exit 3, with the note" \
	test "$?|$(cat "$T/1.out")|$(grep -c 'rest of standard input was not sent' "$T/1.err")" = "3||1"

# 2: everything sent, then the peer answers and closes: exit 0
peer_bg all 127.0.0.1:0 --reply data
echo whole | timeout -k 2 10 "$SOCK" connect "127.0.0.1:$at" > "$T/2.out"
check "all of stdin sent: exit 0" test "$?|$(cat "$T/2.out")" = "0|whole"

# 3: the man page and the README list status 3
root=$(cd "$(dirname "$0")/../.." && pwd)
check "sock.1 EXIT STATUS and README list 3" \
	sh -c "sed -n '/^.SH EXIT STATUS/,/^.SH /p' '$root/docs/sock.1' | grep -q '^.B 3' && grep -q '3 the peer closed before all of' '$root/README.md'"
done_testing
