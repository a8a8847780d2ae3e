#!/usr/bin/env bash
# Issue 14, finding 3: a datagram session whose client stopped reading
# (its replies wait in a stash, the session's socket is not watched for
# input) and whose UDP target then died (ICMP port unreachable: EPOLLERR
# on the session's socket) must not spin the relay: its CPU time over
# 2 s in that state stays low (half of it or more before the fix), and
# the replies held for the client all reach it once it reads.
. "$(dirname "$0")/lib.sh"
need python3
plan 3
P=$(dirname "$0")/relaya_peer.py

mkfifo "$T/go"
python3 "$P" dgram-stall "$T/relay.sock" < "$T/go" > "$T/peer.out" &
ppid=$!
PIDS+=($ppid)
exec 7> "$T/go"
wait_for grep -q target-port "$T/peer.out"
tport=$(sed -n 's/target-port //p' "$T/peer.out")
relay_bg r "unix-dgram:$T/relay.sock" "udp://127.0.0.1:$tport"
echo "$rpid" >&7
exec 7>&-
wait_exit "$ppid" 20
out=$(sed -n 's/^cpu-ms //p' "$T/peer.out")
diag "relay CPU over the interval: ${out:-none} ms"
cpu=${out%% *}
wall=${out##* }
check "the helper reached the stalled state and measured" test -n "$cpu"
# 25% of the interval: a spinning relay takes all of it
check "relay CPU stays low while the session socket has an error (${cpu:-?} ms of ${wall:-?})" \
	test "${cpu:-99999}" -lt $(( ${wall:-0} / 4 ))
check "the replies held for the client all reach it afterwards" \
	grep -qx 'replies 40' "$T/peer.out"
