#!/usr/bin/env bash
# unix-dgram: boundaries, the auto-bound client address, a listener
# answering clients that bound their own address (python3, socat, nc),
# path and abstract names.
. "$(dirname "$0")/lib.sh"
need python3
need socat
need nc
plan 9

abs=sock-it-$$-$RANDOM
cat > "$T/srv.py" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1].replace("@", "\0", 1))
print("ready", flush=True)
s.settimeout(5)
lens, senders = [], set()
try:
    while True:
        d, a = s.recvfrom(70000)
        lens.append(len(d))
        senders.add(a)
        s.sendto(b"got %d\n" % len(d), a)
        if d == b"END":
            break
except socket.timeout:
    pass
print(" ".join(map(str, lens)), flush=True)
# one auto-bound abstract sender ("\0" + 5 hex digits in Python: str)
print("senders=%d abstract=%s" % (len(senders),
      all(isinstance(a, (str, bytes)) and len(a) > 0 and
          (a[0] in ("\0", 0)) for a in senders)), flush=True)
PY
cat > "$T/feed.py" <<'PY'
import os, time
for n in (1, 700, 4000, 20000):
    os.write(1, b"x" * n)
    time.sleep(0.1)
os.write(1, b"END")
PY

# 1-3: connect unix-dgram:PATH -> python3: sizes kept, replies come back
# to the auto-bound address, exit 0 after --idle
bg python3 "$T/srv.py" "$T/s.sock" > "$T/srv.out"
spid=$!
wait_for test -s "$T/srv.out"
python3 "$T/feed.py" | timeout 10 "$SOCK" connect --idle 0.3 \
	"unix-dgram:$T/s.sock" > "$T/c.out"
rc=$?
wait_exit $spid 5
check "each stdin read is one datagram (sizes kept)" \
	test "$(sed -n 2p "$T/srv.out")" = "1 700 4000 20000 3"
check "the client auto-binds one abstract address" \
	test "$(sed -n 3p "$T/srv.out")" = "senders=1 abstract=True"
check "replies printed, exit 0" \
	test "$(tr '\n' ' ' < "$T/c.out")|$rc" = \
	"got 1 got 700 got 4000 got 20000 got 3 |0"

# 4: connect unix-dgram:@NAME -> python3 on an abstract name
bg python3 "$T/srv.py" "@$abs" > "$T/srv4.out"
wait_for test -s "$T/srv4.out"
out=$(printf END | timeout 5 "$SOCK" connect --idle 0.3 "unix-dgram:@$abs")
check "connect unix-dgram:@NAME: reply printed" test "$out" = "got 3"

# 5: listen unix-dgram:PATH <- a python3 client that bound its own
# address; the listener answers it with stdin
printf 'from-sock\n' > "$T/l.in"
bg sh -c "exec \"$SOCK\" -v listen 'unix-dgram:$T/l.sock' < '$T/l.in' > '$T/l.out' 2> '$T/l.err'"
lpid=$!
wait_for test -S "$T/l.sock"
out=$(timeout 5 python3 - "$T/l.sock" "$T/pc.sock" <<'PY'
import socket, sys
c = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
c.bind(sys.argv[2]); c.settimeout(3)
for n in (3, 1, 2):
    c.sendto(b"abcdefgh"[:n] + b"\n", sys.argv[1])
print(c.recv(100).decode(), end="")
PY
)
wait_for test -s "$T/l.out"
check "listen unix-dgram: answers a bound python3 client" \
	test "$out|$(tr '\n' ' ' < "$T/l.out")" = "from-sock|abc a ab "

# 6-7: nc -uU and socat as clients of the same listener, whose stdin
# has ended by now: it must keep receiving
echo from-nc | timeout 5 nc -uU -w 1 "$T/l.sock"
echo from-socat | timeout 5 socat -t 0.3 - "UNIX-SENDTO:$T/l.sock,bind=$T/sc.sock"
wait_for grep -q from-socat "$T/l.out"
check "listener keeps receiving after stdin ended (nc, socat)" \
	test "$(tr '\n' ' ' < "$T/l.out")" = "abc a ab from-nc from-socat "
kill -TERM $lpid
wait_exit $lpid 5
check "SIGTERM ends the listener and removes its socket file" \
	test "$st|$(test -e "$T/l.sock" && echo left)" = "143|"

# 8-9: socat and nc as servers of sock connect unix-dgram
printf 'from-peer\n' > "$T/p.in"
bg sh -c "exec socat UNIX-RECVFROM:'$T/r.sock' - < '$T/p.in' > '$T/r.out'"
wait_for test -S "$T/r.sock"
out=$(echo from-sock | timeout 5 "$SOCK" connect --idle 0.3 "unix-dgram:$T/r.sock")
rc=$?
wait_for test -s "$T/r.out"
check "connect unix-dgram -> socat UNIX-RECVFROM: both directions" \
	test "$out|$(cat "$T/r.out")|$rc" = "from-peer|from-sock|0"

bg sh -c "exec nc -uUl '$T/q.sock' < '$T/p.in' > '$T/q.out'"
wait_for test -S "$T/q.sock"
out=$(echo from-sock | timeout 5 "$SOCK" connect --idle 0.3 "unix-dgram:$T/q.sock")
rc=$?
wait_for test -s "$T/q.out"
check "connect unix-dgram -> nc -uUl: both directions" \
	test "$out|$(cat "$T/q.out")|$rc" = "from-peer|from-sock|0"
done_testing
