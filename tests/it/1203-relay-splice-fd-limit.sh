#!/usr/bin/env bash
# Issue 14, finding 4: in splice mode a direction borrows a pipe when
# bytes arrive; near the descriptor limit pipe2() fails (EMFILE).  The
# sessions already open must go on (through a copy buffer), and a session
# the relay ends for its own shortage must say so, never blame a side.
# Before the fix about half the sessions were reset, "the client's side
# failed: Cannot allocate memory".
. "$(dirname "$0")/lib.sh"
need python3
plan 3

rpeer_bg echo serve 127.0.0.1:0 --mode echo
eport=$at
# 45 sessions hold 90 descriptors of 100: few are left for pipes.
(ulimit -n 100 && exec "$SOCK" -v relay tcp://127.0.0.1:0 "tcp://127.0.0.1:$eport" \
	< /dev/null 2> "$T/r.err") &
rpid=$!
PIDS+=($rpid)
rport=$(wait_port "$T/r.err")
out=$(timeout -k 2 60 python3 "$RPEER" many "127.0.0.1:$rport" 45 --size 2000000)
diag "$(tr "\n" " " <<< "$out")"
check "45 sessions of 2 MB each way at the descriptor limit: all intact" \
	grep -qx 'intact 45/45' <<< "$out"
check "no session blamed a side for the relay's shortage" \
	sh -c "! grep -q 'side failed: \(Cannot allocate memory\|Too many open files\)' '$T/r.err'"
check "the relay is still serving" \
	sh -c "timeout -k 2 10 python3 '$RPEER' many 127.0.0.1:$rport 3 --size 1000 | grep -qx 'intact 3/3'"
