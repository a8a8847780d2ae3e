#!/usr/bin/env bash
# Time limits of a session, nc's -w and -q: -w is the connect timeout and
# the idle time of a stream or datagram session; --idle the quiet time
# after stdin ends (TCP too); -q ends the session a while after stdin ends.  A time
# limit that ends a session is a normal end: exit 0, as with nc.
. "$(dirname "$0")/lib.sh"
need python3
plan 8

# a TCP server that accepts and then neither sends nor closes
peer_bg mute 127.0.0.1:0 --delay 30 --reply data
hold_stdin "$T/hold"

# elapsed COMMAND...: run it; sets rc and ms (its wall time)
elapsed() {
	local t0=$(date +%s%N)
	"$@"
	rc=$?
	ms=$((($(date +%s%N) - t0) / 1000000))
}

# 1: -w 1 on a stream with nothing moving either way: ends, exit 0
elapsed timeout -k 2 10 "$SOCK" -v connect -w 1 "127.0.0.1:$at" < "$T/hold" 2> "$T/1.err"
check "connect -w 1, idle TCP session: exit 0 after about 1 s (${ms} ms)" \
	test "$rc" = 0 -a "$ms" -ge 900 -a "$ms" -lt 5000
check "-v says a time limit ended it" grep -q 'time limit reached' "$T/1.err"

# 3: --idle on TCP is no longer ignored: once stdin has ended, a peer
# that sends nothing for that long ends the session
elapsed sh -c "echo hi | timeout -k 2 10 \"$SOCK\" connect --idle 0.5 127.0.0.1:$at"
check "connect --idle 0.5 on TCP, stdin ended, peer mute: exit 0 after about 0.5 s (${ms} ms)" \
	test "$rc" = 0 -a "$ms" -ge 400 -a "$ms" -lt 5000

# 4: data that keeps moving keeps the session alive past the idle time
peer_bg echo 127.0.0.1:0 --echo
out=$( (for i in 1 2 3 4; do echo $i; sleep 0.3; done) |
	timeout -k 2 10 "$SOCK" connect -w 0.6 "127.0.0.1:$at" | tr -d '\n')
check "-w 0.6 with a line every 0.3 s: all 4 echoed" test "$out" = 1234

# 5: listen -w: the listener ends its connection once idle
bg sh -c "exec \"$SOCK\" -v listen -w 0.5 127.0.0.1:0 < '$T/hold' > /dev/null 2> '$T/5.err'"
lpid5=$!
port=$(wait_port "$T/5.err")
elapsed timeout -k 2 10 "$SOCK" connect -d "127.0.0.1:$port" > /dev/null
wait_exit $lpid5 5
check "listen -w 0.5: the idle connection is closed, both exit 0 (${ms} ms)" \
	test "$rc|$st" = "0|0" -a "$ms" -lt 5000

# 6: -w on a datagram client counts from the start, not only after stdin
peer_bg udp udp://127.0.0.1:0 --delay 30 --reply data
elapsed timeout -k 2 10 "$SOCK" connect -w 0.5 "udp://127.0.0.1:$at" < "$T/hold"
check "connect -w 0.5 udp, stdin open and no reply: exit 0 (${ms} ms)" \
	test "$rc" = 0 -a "$ms" -lt 5000

# 7: -q SECS: SECS after the end of stdin the session ends, though the
# peer has not closed (it answers only after 30 s)
peer_bg late 127.0.0.1:0 --delay 30 --reply data
elapsed sh -c "echo hi | timeout -k 2 10 \"$SOCK\" connect -N -q 0.5 127.0.0.1:$at"
check "connect -N -q 0.5: exit 0 about 0.5 s after stdin ends (${ms} ms)" \
	test "$rc" = 0 -a "$ms" -ge 400 -a "$ms" -lt 5000

# 8: nc -w agrees: an idle session that times out is exit 0
if command -v nc > /dev/null && nc -h 2>&1 | grep -q OpenBSD; then
	peer_bg mute2 127.0.0.1:0 --delay 30 --reply data
	timeout -k 2 10 nc -w 1 127.0.0.1 "$at" < "$T/hold"
	ncrc=$?
	timeout -k 2 10 "$SOCK" connect -w 1 127.0.0.1 "$at" < "$T/hold"
	check "nc -w 1 and sock connect -w 1 both exit 0 on idle" test "$ncrc|$?" = "0|0"
else
	ok 0 "# SKIP netcat-openbsd not installed"
fi
done_testing
