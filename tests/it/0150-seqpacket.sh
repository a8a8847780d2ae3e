#!/usr/bin/env bash
# unix-seqpacket: both roles against python3 and socat (type=5), message
# boundaries, EOF both ways, several MB byte-exact, abstract names.
. "$(dirname "$0")/lib.sh"
need python3
need socat
plan 7

abs=sock-it-$$-$RANDOM
printf 'from-sock\n' > "$T/s.in"
printf 'from-peer\n' > "$T/p.in"

# 1-2: listen <- python3: messages from stdin reads keep their sizes;
# EOF both ways
cat > "$T/feed.py" <<'PY'
import os, time
for n in (1, 700, 4000, 20000):
    os.write(1, b"x" * n)
    time.sleep(0.1)
PY
bg sh -c "python3 '$T/feed.py' | exec \"$SOCK\" -v listen 'unix-seqpacket:$T/a.sock' > '$T/s1.out' 2> '$T/s1.err'"
lpid=$!
wait_for test -S "$T/a.sock"
out=$(timeout 10 python3 - "$T/a.sock" <<'PY'
import socket, sys
c = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET); c.connect(sys.argv[1])
for n in (5, 1, 3000):
    c.send(b"y" * n)
c.shutdown(socket.SHUT_WR)
lens = []
while True:
    d = c.recv(70000)
    if not d: break
    lens.append(len(d))
print(" ".join(map(str, lens)))
PY
)
wait_exit $lpid 5
check "listen seqpacket -> python3: one message per stdin read" \
	test "$out" = "1 700 4000 20000"
check "python3's 3006 bytes arrive, listener exits 0" \
	test "$(wc -c < "$T/s1.out")|$st" = "3006|0"

# 3: connect -> python3 on an abstract name, which records message sizes
cat > "$T/srv.py" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.bind("\0" + sys.argv[1]); s.listen(1)
print("ready", flush=True)
c, _ = s.accept()
lens = []
while True:
    d = c.recv(70000)
    if not d: break
    lens.append(len(d))
c.send(b" ".join(b"%d" % n for n in lens) + b"\n")
c.close()
PY
bg python3 "$T/srv.py" "$abs" > "$T/srv.out"
wait_for test -s "$T/srv.out"
out=$(python3 "$T/feed.py" | timeout 10 "$SOCK" connect "unix-seqpacket:@$abs")
check "connect unix-seqpacket:@NAME -> python3: sizes kept, reply read" \
	test "$out" = "1 700 4000 20000"

# 4-5: socat (type=5) as client and as server
bg sh -c "exec \"$SOCK\" -v listen 'unix-seqpacket:$T/b.sock' < '$T/s.in' > '$T/s4.out' 2> '$T/s4.err'"
lpid=$!
wait_for test -S "$T/b.sock"
out=$(timeout 10 socat -t 5 - "UNIX-CONNECT:$T/b.sock,type=5" < "$T/p.in")
wait_exit $lpid 5
check "listen seqpacket <- socat: both directions" \
	test "$out|$(cat "$T/s4.out")|$st" = "from-sock|from-peer|0"

bg sh -c "exec socat -t 5 'UNIX-LISTEN:$T/c.sock,type=5' - < '$T/p.in' > '$T/p5.out'"
wait_for test -S "$T/c.sock"
out=$(timeout 10 "$SOCK" connect "unix-seqpacket:$T/c.sock" < "$T/s.in")
rc=$?
wait_for test -s "$T/p5.out"
check "connect seqpacket -> socat: both directions" \
	test "$out|$(cat "$T/p5.out")|$rc" = "from-peer|from-sock|0"

# 6: 4 MB each way, sock to sock
head -c 4000000 /dev/urandom > "$T/b1"
head -c 4000000 /dev/urandom > "$T/b2"
bg sh -c "exec \"$SOCK\" -v listen 'unix-seqpacket:$T/big.sock' < '$T/b2' > '$T/b1.out' 2> '$T/big.err'"
lpid=$!
wait_for test -S "$T/big.sock"
timeout 30 "$SOCK" connect "unix-seqpacket:$T/big.sock" < "$T/b1" > "$T/b2.out"
rc=$?
wait_exit $lpid 10
diag "rc=$rc st=$st bytes in: $(wc -c < "$T/b1.out") out: $(wc -c < "$T/b2.out")"
check "4 MB each way over seqpacket, byte-exact" \
	test "$(sha256sum < "$T/b1")$(sha256sum < "$T/b2")" = \
	"$(sha256sum < "$T/b1.out")$(sha256sum < "$T/b2.out")"

# 7: the late reply after our half-close
cat > "$T/late.py" <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.bind(sys.argv[1]); s.listen(1)
c, _ = s.accept()
d = b""
while True:
    b = c.recv(65536)
    if not b: break
    d += b
time.sleep(1)
c.send(b"late:" + d); c.close()
PY
bg python3 "$T/late.py" "$T/late.sock"
wait_for test -S "$T/late.sock"
out=$(printf abc | timeout 10 "$SOCK" connect "unix-seqpacket:$T/late.sock")
check "seqpacket: late reply after SHUT_WR is not dropped" \
	test "$out" = "late:abc"
done_testing
