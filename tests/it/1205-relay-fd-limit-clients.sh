#!/usr/bin/env bash
# Issue 14, resource exhaustion: a relay under `ulimit -n 128` with 300
# clients at once (each holds its connection for 0.5 s before it sends)
# serves them all as descriptors free up, and never spins: accept at
# EMFILE pauses listening for a moment, and a session whose connect to
# TO meets EMFILE waits for a descriptor instead of being reset.  Its
# CPU time stays under half the run's wall time.
. "$(dirname "$0")/lib.sh"
need python3
plan 3
P=$(dirname "$0")/relaya_peer.py

bg python3 "$P" echo 127.0.0.1:0 > "$T/echo.out"
wait_for test -s "$T/echo.out"
(ulimit -n 128 && exec "$SOCK" -v relay -w 60 tcp://127.0.0.1:0 \
	"tcp://127.0.0.1:$(head -1 "$T/echo.out")" < /dev/null 2> "$T/r.err") &
rpid=$!
PIDS+=($rpid)
rport=$(wait_port "$T/r.err")
c0=$(python3 "$P" cputime "$rpid")
t0=$(date +%s%N)
out=$(timeout -k 2 90 python3 "$P" clients "127.0.0.1:$rport" 300 1000 0.5)
c1=$(python3 "$P" cputime "$rpid")
wall=$(( ($(date +%s%N) - t0) / 1000000 ))
diag "$out; relay CPU $((c1 - c0)) ms in $wall ms"
check "300 clients through 128 descriptors: all served intact" grep -q '^intact 300/300 ' <<< "$out"
check "the relay's CPU stays under half the wall time ($((c1 - c0)) of $wall ms)" \
	test $((c1 - c0)) -lt $((wall / 2))
check "no session was reset for the relay's shortage" \
	sh -c "! grep -q 'ran short\|Too many open files.*reset' '$T/r.err'"
