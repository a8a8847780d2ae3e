#!/usr/bin/env bash
# Issue 14, resource exhaustion: datagram sessions are per source address
# (spoofable), so a flood of new sources opens a session and a socket
# each.  20000 peers (127.0.0.0/8 addresses times ports): with -m 4000
# the sessions and descriptors stay under the cap; under ulimit -n 1024
# without -m the relay keeps running, ends the sessions it cannot open
# as its own shortage, not TO's; both reclaim every session after
# --udp-idle and then serve a new peer.
. "$(dirname "$0")/lib.sh"
need python3
plan 6
P=$(dirname "$0")/relaya_peer.py
# (a function: wait_for runs it anew each time, $(...) included)
fds_at_least() { test "$(python3 "$P" fds "$1")" -ge "$2"; }
fds_at_most() { test "$(python3 "$P" fds "$1")" -le "$2"; }
N=20000

rpeer_bg echo udp-serve 127.0.0.1:0 --mode echo
tport=$at

# flood NAME: N peers through the relay (rpid, rport); sets max (the
# most descriptors seen while they arrive), base and after (once idle)
flood() {
	base=$(python3 "$P" fds "$rpid")
	python3 "$P" udp-peers "127.0.0.1:$rport" $N > "$T/$1.peers" &
	local fpid=$! f
	max=0
	while kill -0 $fpid 2> /dev/null; do
		f=$(python3 "$P" fds "$rpid" 2> /dev/null || echo 0)
		[ "$f" -gt "$max" ] && max=$f
		sleep 0.2
	done
	wait $fpid
	f=$(python3 "$P" fds "$rpid")
	[ "$f" -gt "$max" ] && max=$f
	local t0=$SECONDS
	wait_for fds_at_most "$rpid" $((base + 1))
	diag "$1: reclaimed in $((SECONDS - t0)) s"
	after=$(python3 "$P" fds "$rpid")
	diag "$1: $(cat "$T/$1.peers"): descriptors $base, at most $max, $after after --udp-idle"
}

relay_bg m -m 4000 --udp-idle 1 udp://127.0.0.1:0 "udp://127.0.0.1:$tport"
flood capped
check "-m 4000: at most 4000 sessions' descriptors ($max)" test "$max" -le $((base + 4000))
check "-m 4000: every session reclaimed after --udp-idle ($after)" test "$after" -le $((base + 1))
out=$(timeout -k 2 10 python3 "$RPEER" udp-ask "127.0.0.1:$rport" --send after-flood)
check "-m 4000: a new peer is served afterwards ($out)" test "$out" = after-flood
kill "$rpid"

(ulimit -n 1024 && exec "$SOCK" -v relay --udp-idle 1 udp://127.0.0.1:0 \
	"udp://127.0.0.1:$tport" < /dev/null 2> "$T/l.err") &
rpid=$!
PIDS+=($rpid)
rport=$(wait_port "$T/l.err")
flood limited
check "ulimit -n 1024: reclaimed after --udp-idle ($after)" test "$after" -le $((base + 1))
out=$(timeout -k 2 10 python3 "$RPEER" udp-ask "127.0.0.1:$rport" --send after-flood)
check "ulimit -n 1024: a new peer is served afterwards ($out)" test "$out" = after-flood
check "ulimit -n 1024: sessions not opened blame the relay, not TO" \
	sh -c "grep -q 'ran short.*Too many open files' '$T/l.err' &&
		! grep -q 'cannot reach the target: Too many' '$T/l.err'"
