#!/usr/bin/env bash
# connect, the peer's EOF first: stdin that has not yet given anything
# when the peer's EOF comes gets the 250 ms of quiet that a paused input
# gets (docs/decisions.md, EOF rules), not none.  "echo x | sock connect"
# lost x whenever the shell ran echo after the peer's EOF had arrived.
. "$(dirname "$0")/lib.sh"
plan 2

# a listener with empty stdin half-closes as soon as it accepts
bg sh -c "exec \"$SOCK\" -v listen tcp://127.0.0.1:0 < /dev/null > '$T/l.out' 2> '$T/l.err'"
lpid=$!
port=$(wait_port "$T/l.err")
# stdin gives its data 50 ms after the client starts: well inside 250 ms
(sleep 0.05; printf late) | timeout -k 2 10 "$SOCK" connect "127.0.0.1:$port" > /dev/null 2> "$T/c.err"
wait_exit $lpid 5
check "stdin that comes 50 ms late after the peer's EOF is still sent" \
	test "$(cat "$T/l.out")|$st" = "late|0"
check "and nothing is said about a cut" test ! -s "$T/c.err"
done_testing
