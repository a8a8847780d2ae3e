#!/usr/bin/env bash
# -k keeps listening for sequential connections (no --exec); stdin from
# a regular file and from /dev/null (descriptors epoll refuses).
. "$(dirname "$0")/lib.sh"
need python3
plan 9

# 1-3: -k over TCP: three clients in turn; the first one gets the
# listener's stdin (a regular file), the later ones its EOF
printf 'from-file\n' > "$T/s.in"
bg sh -c "exec \"$SOCK\" -v listen -k tcp://127.0.0.1:0 < '$T/s.in' > '$T/k.out' 2> '$T/k.err'"
lpid=$!
port=$(wait_port "$T/k.err")
res=
for i in 1 2 3; do
	out=$(echo "c$i" | timeout -k 2 5 "$SOCK" connect "127.0.0.1:$port")
	res="$res$?:$out;"
done
check "-k: three sequential clients, each exit 0" \
	test "$res" = "0:from-file;0:;0:;"
wait_for grep -q c3 "$T/k.out"
check "-k: what each client sent is printed, in order" \
	test "$(tr '\n' ' ' < "$T/k.out")" = "c1 c2 c3 "
check "-k: still listening afterwards" kill -0 $lpid

# 4: -k over a Unix path with python3 clients
bg sh -c "exec \"$SOCK\" listen -k 'unix:$T/k.sock' < /dev/null > '$T/u.out'"
wait_for test -S "$T/k.sock"
timeout -k 2 10 python3 - "$T/k.sock" <<'PY'
import socket, sys
for i in range(4):
    c = socket.socket(socket.AF_UNIX); c.connect(sys.argv[1])
    c.sendall(b"u%d\n" % i); c.shutdown(socket.SHUT_WR)
    assert c.recv(10) == b""
    c.close()
PY
wait_for grep -q u3 "$T/u.out"
check "-k unix: four python3 clients in turn" \
	test "$(tr '\n' ' ' < "$T/u.out")" = "u0 u1 u2 u3 "

# 5-6: connect with stdin from /dev/null and from a regular file
cat > "$T/srv.py" <<'PY'
import socket, hashlib
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(2)
print(s.getsockname()[1], flush=True)
for _ in range(2):
    c, _ = s.accept()
    c.sendall(b"hello\n")
    h, n = hashlib.sha256(), 0
    while True:
        b = c.recv(65536)
        if not b: break
        h.update(b); n += len(b)
    c.sendall(b"%d %s\n" % (n, h.hexdigest().encode()))
    c.close()
PY
bg python3 "$T/srv.py" > "$T/srv.port"
wait_for test -s "$T/srv.port"
port=$(cat "$T/srv.port")
out=$(timeout -k 2 10 "$SOCK" connect "127.0.0.1:$port" < /dev/null)
check "stdin /dev/null: EOF sent at once, reply read" \
	test "$out" = "$(printf 'hello\n0 %s' "$(sha256sum < /dev/null | cut -d' ' -f1)")"
head -c 3000000 /dev/urandom > "$T/file"
out=$(timeout -k 2 10 "$SOCK" connect "127.0.0.1:$port" < "$T/file")
check "stdin a 3 MB regular file: all of it sent" \
	test "$out" = "$(printf 'hello\n3000000 %s' "$(sha256sum < "$T/file" | cut -d' ' -f1)")"

# 7: UDP with stdin a regular file: each read is one datagram, at most
# the largest UDP payload
cat > "$T/udp.py" <<'PY'
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0))
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
print(s.getsockname()[1], flush=True)
s.settimeout(3)
lens = []
try:
    while True:
        lens.append(len(s.recv(70000)))
except socket.timeout:
    pass
print(" ".join(map(str, lens)), flush=True)
PY
bg python3 "$T/udp.py" > "$T/udp.out"
upid=$!
wait_for test -s "$T/udp.out"
head -c 100000 /dev/zero > "$T/z"
timeout -k 2 5 "$SOCK" connect --idle 0.2 "udp://127.0.0.1:$(head -1 "$T/udp.out")" < "$T/z"
rc=$?
wait_exit $upid 6
check "udp, stdin a 100000-byte file: datagrams of 65507 and 34493, exit 0" \
	test "$(sed -n 2p "$T/udp.out")|$rc" = "65507 34493|0"

# 8: listen with stdin /dev/null answers EOF and exits 0 once the
# client is done
bg sh -c "exec \"$SOCK\" -v listen tcp://127.0.0.1:0 < /dev/null > '$T/n.out' 2> '$T/n.err'"
lpid=$!
port=$(wait_port "$T/n.err")
out=$(echo ping | timeout -k 2 5 "$SOCK" connect "127.0.0.1:$port")
wait_exit $lpid 5
check "listen < /dev/null: client gets EOF, both exit 0" \
	test "$out|$(cat "$T/n.out")|$st" = "|ping|0"

# 9: the server half-closes first and then reads: connect still sends
# the whole of a stdin that is ready (a 3 MB file), then exits 0
cat > "$T/hc.py" <<'PY'
import hashlib, socket, sys
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
print(s.getsockname()[1], flush=True)
c, _ = s.accept()
c.sendall(b"early\n"); c.shutdown(socket.SHUT_WR)
h, n = hashlib.sha256(), 0
while True:
    b = c.recv(65536)
    if not b: break
    h.update(b); n += len(b)
open(sys.argv[1], "w").write("%d %s\n" % (n, h.hexdigest()))
PY
bg python3 "$T/hc.py" "$T/hc.res" > "$T/hc.port"
hpid=$!
wait_for test -s "$T/hc.port"
out=$(timeout -k 2 10 "$SOCK" connect "127.0.0.1:$(cat "$T/hc.port")" < "$T/file")
rc=$?
wait_exit $hpid 5
check "server half-closes first: all 3 MB of stdin still arrive, exit 0" \
	test "$out|$rc|$(cat "$T/hc.res")" = \
	"early|0|3000000 $(sha256sum < "$T/file" | cut -d' ' -f1)"
done_testing
