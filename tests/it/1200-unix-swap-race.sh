#!/usr/bin/env bash
# Issue 14, finding 1: replacing a stale Unix socket file (and removing
# the listener's own at exit) must not delete a regular file elsewhere
# when a directory on the path is swapped for a symlink between sock's
# steps (renameat2 RENAME_EXCHANGE in a loop, unix_swap_race.py).  Each
# run is bounded in tries and time; before the fix the victim file was
# lost in about one try in five.
. "$(dirname "$0")/lib.sh"
need python3
python3 -c 'import ctypes; ctypes.CDLL(None).renameat2' 2> /dev/null ||
	skip_all "libc has no renameat2"
test -d /proc/self/fd || skip_all "no /proc"
plan 3
RACE=$(dirname "$0")/unix_swap_race.py

for mode in listen relay; do
	mkdir "$T/$mode"
	out=$(timeout -k 2 40 python3 "$RACE" "$SOCK" "$mode" "$T/$mode" 150 20)
	rc=$?
	diag "$mode: $out"
	check "$mode: the victim file survives every race ($out)" test "$rc" = 0
done

# A normal run still replaces a stale socket and removes its own at exit.
python3 -c 'import socket, sys
socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$T/stale"
relay_bg r "unix:$T/stale" "unix:@sock-1200-$$"
kill "$rpid"
wait_exit "$rpid" 5
check "stale socket replaced, own file removed at exit" \
	sh -c "test '$st' = 0 && grep -q 'listening on' '$T/r.err' && ! test -e '$T/stale'"
