#!/usr/bin/env bash
# A listener at a terminal ends when its client closes (nobody will type
# to a peer that has gone); with a pipe or file it waits for stdin to end
# so that it can answer after the client's half-close; -d only receives.
. "$(dirname "$0")/lib.sh"
need python3
plan 4

# 1: stdin is a pseudo-terminal: the client's close ends the listener
cat > "$T/listen_tty.py" <<'PY'
import os, pty, subprocess, sys, time
master, slave = pty.openpty()
p = subprocess.Popen([sys.argv[1], "-v", "listen", "tcp://127.0.0.1:0"],
                     stdin=slave, stdout=subprocess.DEVNULL,
                     stderr=open(sys.argv[2], "w"))
os.close(slave)
try:
    sys.exit(p.wait(timeout=10))
except subprocess.TimeoutExpired:
    p.kill(); sys.exit(99)
PY
bg python3 "$T/listen_tty.py" "$SOCK" "$T/pty.err"
ppid=$!
port=$(wait_port "$T/pty.err")
printf 'bye' | timeout -k 2 5 "$SOCK" connect "127.0.0.1:$port" > /dev/null
wait_exit $ppid 10
check "listener on a terminal exits 0 when the client closes" test "$st" = 0

# 2: stdin is a pipe that ends later: the listener answers after the
# client's half-close
bg sh -c "{ sleep 1; echo late; } | exec \"$SOCK\" -v listen tcp://127.0.0.1:0 > '$T/p.out' 2> '$T/p.err'"
port=$(wait_port "$T/p.err")
out=$(printf 'req' | timeout -k 2 10 "$SOCK" connect "127.0.0.1:$port")
check "listener with a pipe answers after the client's half-close" \
	test "$out|$(cat "$T/p.out")" = "late|req"

# 3-4: -d with an empty stdin receives a whole file from a client that
# keeps sending after the listener's side is quiet
head -c 5000000 /dev/urandom > "$T/big"
bg sh -c "exec \"$SOCK\" -v listen -d tcp://127.0.0.1:0 < /dev/null > '$T/d.out' 2> '$T/d.err'"
dpid=$!
port=$(wait_port "$T/d.err")
cat "$T/big" | timeout -k 2 20 "$SOCK" connect "127.0.0.1:$port" > /dev/null 2> "$T/c.err"
wait_exit $dpid 10
check "listen -d < /dev/null receives 5 MB byte-exact and exits 0" \
	eval 'cmp -s "$T/big" "$T/d.out" && [ "$st" = 0 ]'
check "the client had nothing to complain about" test ! -s "$T/c.err"
done_testing
