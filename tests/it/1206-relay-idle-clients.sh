#!/usr/bin/env bash
# Issue 14, resource exhaustion: 5000 clients that connect and never send
# (each holds a session: 2 descriptors, no buffer) do not stop others
# from being served: a client after them gets its echo within 5 s, and
# the relay's RSS stays bounded (an idle session holds its two sockets
# and a small struct: under 8 MiB for 5000).
. "$(dirname "$0")/lib.sh"
need python3
[ "$(ulimit -Hn)" = unlimited ] || [ "$(ulimit -Hn)" -ge 11000 ] ||
	skip_all "the descriptor limit ($(ulimit -Hn)) is under the 11000 the relay needs"
plan 3
P=$(dirname "$0")/relaya_peer.py
# (a function: wait_for runs it anew each time, $(...) included)
fds_at_least() { test "$(python3 "$P" fds "$1")" -ge "$2"; }
fds_at_most() { test "$(python3 "$P" fds "$1")" -le "$2"; }
# A sanitizer's allocator keeps freed memory in quarantine and adds its
# own: RSS says nothing about the relay then, and those checks skip.
sanitized=
nm "$SOCK" 2> /dev/null | grep -q __asan_init && sanitized="# SKIP RSS under a sanitizer"
check_rss() { if [ -n "$sanitized" ]; then ok 0 "$1 $sanitized"; else check "$@"; fi; }
N=5000

bg python3 "$P" echo 127.0.0.1:0 > "$T/echo.out"
wait_for test -s "$T/echo.out"
relay_bg r tcp://127.0.0.1:0 "tcp://127.0.0.1:$(head -1 "$T/echo.out")"
base=$(python3 "$P" rss "$rpid")
(ulimit -n $((N + 100)) && exec python3 "$P" hold "127.0.0.1:$rport" $N) > "$T/hold.out" &
PIDS+=($!)
wait_for grep -q "open $N" "$T/hold.out"
wait_for fds_at_least "$rpid" $((2 * N))
fds=$(python3 "$P" fds "$rpid")
t0=$(date +%s%N)
out=$(timeout -k 2 10 python3 "$P" clients "127.0.0.1:$rport" 1 1000 0)
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
rss=$(python3 "$P" rss "$rpid")
diag "$N idle sessions: $fds descriptors, RSS $base -> $rss KiB; a new client: $out in $ms ms"
check "$N idle sessions are open ($fds descriptors)" test "$fds" -ge $((2 * N))
served=no
grep -q '^intact 1/1 ' <<< "$out" && served=yes
check "a client after them is served within 5 s ($ms ms)" \
	test "$served|$((ms < 5000))" = "yes|1"
check_rss "the relay's RSS grows by under 8 MiB ($(( (rss - base) / 1024 )) MiB)" \
	test $((rss - base)) -lt $((8 * 1024))
