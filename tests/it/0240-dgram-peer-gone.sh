#!/usr/bin/env bash
# A datagram listener outlives its peers: when the peer heard from last
# has gone (a Unix client that exited and took its address along), the
# reply meant for it is dropped and the listener goes on serving others.
. "$(dirname "$0")/lib.sh"
need python3
plan 2

mkfifo "$T/in"
exec 3<> "$T/in"
bg sh -c "exec \"$SOCK\" -v listen 'unix-dgram:$T/d.sock' < '$T/in' > '$T/out' 2> '$T/err'"
lpid=$!
wait_for test -S "$T/d.sock"
# a client says hello and leaves at once
python3 - "$T/d.sock" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("\0sock-test-gone-%d" % __import__("os").getpid())
s.sendto(b"first\n", sys.argv[1])
PY
wait_for grep -q first "$T/out"
echo "to the gone one" >&3
sleep 0.3
# a second client is still served, and gets the next reply
cat > "$T/second.py" <<'PY'
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("\0sock-test-second-%d" % os.getpid())
s.sendto(b"second\n", sys.argv[1])
s.settimeout(5)
open(sys.argv[2], "w").write(s.recv(100).decode())
PY
bg python3 "$T/second.py" "$T/d.sock" "$T/reply"
wait_for grep -q second "$T/out"
echo "to the second" >&3
wait_for test -s "$T/reply"
check "the listener is still alive after a reply to a gone peer" kill -0 $lpid
check "the next peer gets its reply" test "$(cat "$T/reply")" = "to the second"
done_testing
