#!/usr/bin/env bash
# Unix stream sockets, filesystem path and abstract name: both roles
# against python3, socat and nc; several MB byte-exact; the late reply
# after our half-close; a server that closes first.
. "$(dirname "$0")/lib.sh"
need python3
need socat
need nc
plan 14

abs=sock-it-$$-$RANDOM
printf 'from-sock\n' > "$T/s.in"
printf 'from-peer\n' > "$T/p.in"

# 1: sock listen on a path <- python3 client, both directions
bg sh -c "exec \"$SOCK\" -v listen 'unix:$T/a.sock' < '$T/s.in' > '$T/s1.out' 2> '$T/s1.err'"
lpid=$!
wait_for test -S "$T/a.sock"
out=$(timeout 10 python3 - "$T/a.sock" <<'PY'
import socket, sys
c = socket.socket(socket.AF_UNIX); c.connect(sys.argv[1])
c.sendall(b"from-peer\n"); c.shutdown(socket.SHUT_WR)
d = b""
while True:
    b = c.recv(100)
    if not b: break
    d += b
print(d.decode(), end="")
PY
)
wait_exit $lpid 5
check "listen unix:PATH <- python3: both directions, exit 0" \
	test "$out|$(cat "$T/s1.out")|$st" = "from-sock|from-peer|0"

# 2: abstract listen <- python3 (a name with a NUL in front)
bg sh -c "exec \"$SOCK\" -v listen 'unix:@$abs' < '$T/s.in' > '$T/s2.out' 2> '$T/s2.err'"
lpid=$!
wait_for grep -q listening "$T/s2.err"
out=$(timeout 10 python3 - "$abs" <<'PY'
import socket, sys
c = socket.socket(socket.AF_UNIX); c.connect("\0" + sys.argv[1])
c.sendall(b"from-peer\n"); c.shutdown(socket.SHUT_WR)
print(c.makefile().read(), end="")
PY
)
wait_exit $lpid 5
check "listen unix:@NAME <- python3: both directions, exit 0" \
	test "$out|$(cat "$T/s2.out")|$st" = "from-sock|from-peer|0"

# 3-4: socat and nc as clients
bg sh -c "exec \"$SOCK\" -v listen 'unix:$T/b.sock' < '$T/s.in' > '$T/s3.out' 2> '$T/s3.err'"
lpid=$!
wait_for test -S "$T/b.sock"
out=$(timeout 10 socat -t 5 - "UNIX-CONNECT:$T/b.sock" < "$T/p.in")
wait_exit $lpid 5
check "listen unix:PATH <- socat" \
	test "$out|$(cat "$T/s3.out")|$st" = "from-sock|from-peer|0"

bg sh -c "exec \"$SOCK\" -v listen 'unix:$T/c.sock' < '$T/s.in' > '$T/s4.out' 2> '$T/s4.err'"
lpid=$!
wait_for test -S "$T/c.sock"
out=$(timeout 10 nc -N -U "$T/c.sock" < "$T/p.in")
wait_exit $lpid 5
check "listen unix:PATH <- nc -U" \
	test "$out|$(cat "$T/s4.out")|$st" = "from-sock|from-peer|0"

# 5-7: sock connect to socat (path and abstract) and nc servers
bg sh -c "exec socat -t 5 'UNIX-LISTEN:$T/d.sock' - < '$T/p.in' > '$T/p5.out'"
wait_for test -S "$T/d.sock"
out=$(timeout 10 "$SOCK" connect "unix:$T/d.sock" < "$T/s.in")
rc=$?
wait_for test -s "$T/p5.out"
check "connect unix:PATH -> socat" \
	test "$out|$(cat "$T/p5.out")|$rc" = "from-peer|from-sock|0"

bg sh -c "exec socat -d -d -t 5 'ABSTRACT-LISTEN:$abs-s' - < '$T/p.in' > '$T/p6.out' 2> '$T/p6.err'"
wait_for grep -q listening "$T/p6.err"
out=$(timeout 10 "$SOCK" connect "unix:@$abs-s" < "$T/s.in")
rc=$?
wait_for test -s "$T/p6.out"
check "connect unix:@NAME -> socat ABSTRACT-LISTEN" \
	test "$out|$(cat "$T/p6.out")|$rc" = "from-peer|from-sock|0"

bg sh -c "exec nc -N -lU '$T/e.sock' < '$T/p.in' > '$T/p7.out'"
wait_for test -S "$T/e.sock"
out=$(timeout 10 "$SOCK" connect "$T/e.sock" < "$T/s.in")
rc=$?
wait_for test -s "$T/p7.out"
check "connect /PATH (shorthand) -> nc -lU" \
	test "$out|$(cat "$T/p7.out")|$rc" = "from-peer|from-sock|0"

# 8-9: 6 MB each way, sock to sock over a path; 6 MB through socat's
# abstract socket
head -c 6000000 /dev/urandom > "$T/b1"
head -c 6000000 /dev/urandom > "$T/b2"
bg sh -c "exec \"$SOCK\" -v listen 'unix:$T/big.sock' < '$T/b2' > '$T/b1.out' 2> '$T/big.err'"
lpid=$!
wait_for test -S "$T/big.sock"
timeout 30 "$SOCK" connect "unix:$T/big.sock" < "$T/b1" > "$T/b2.out"
wait_exit $lpid 10
check "6 MB each way over unix:PATH, byte-exact" \
	test "$(sha256sum < "$T/b1")$(sha256sum < "$T/b2")" = \
	"$(sha256sum < "$T/b1.out")$(sha256sum < "$T/b2.out")"

bg sh -c "exec socat 'ABSTRACT-LISTEN:$abs-big' 'SYSTEM:cat'"
wait_for sh -c "grep -q '@$abs-big' /proc/net/unix"
timeout 30 "$SOCK" connect "unix:@$abs-big" < "$T/b1" > "$T/b9.out"
check "6 MB echoed by socat over unix:@NAME, byte-exact" \
	cmp -s "$T/b1" "$T/b9.out"

# 10: a late reply 1 s after our half-close is printed
cat > "$T/late.py" <<'PY'
import os, socket, sys, time
s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(1)
c, _ = s.accept()
data = b""
while True:
    b = c.recv(65536)
    if not b: break
    data += b
time.sleep(1)
c.sendall(b"late:" + data)
c.close()
PY
bg python3 "$T/late.py" "$T/late.sock"
wait_for test -S "$T/late.sock"
out=$(printf 'abc' | timeout 10 "$SOCK" connect "unix:$T/late.sock")
check "unix: late reply after SHUT_WR is not dropped" test "$out" = "late:abc"

# 11: the server closes first: the client ends although stdin is open
cat > "$T/first.py" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX); s.bind("\0" + sys.argv[1]); s.listen(1)
print("ready", flush=True)
c, _ = s.accept(); c.sendall(b"bye\n"); c.close()
PY
bg python3 "$T/first.py" "$abs-first" > "$T/first.out"
wait_for test -s "$T/first.out"
hold_stdin "$T/hold"
out=$(timeout 10 "$SOCK" connect "unix:@$abs-first" < "$T/hold"; echo "rc=$?")
check "unix: server closing first ends the client" \
	test "$out" = "$(printf 'bye\nrc=0')"

# 12: the client half-closes at once; the listener's stdin comes later
# and still reaches it; the listener then exits 0
bg sh -c "(sleep 0.5; echo late-line) | exec \"$SOCK\" -v listen 'unix:$T/f.sock' > '$T/s12.out' 2> '$T/s12.err'"
lpid=$!
wait_for test -S "$T/f.sock"
out=$(printf 'hello\n' | timeout 10 "$SOCK" connect "unix:$T/f.sock")
wait_exit $lpid 5
check "listener: stdin that comes after the client's half-close arrives" \
	test "$out|$(cat "$T/s12.out")|$st" = "late-line|hello|0"

# 13: a path listener's client gets "connection refused" once it is gone
"$SOCK" connect "unix:$T/f.sock" < /dev/null 2> "$T/e13"
rc=$?
check "connect to a removed socket path: exit 1, says so" \
	sh -c "test $rc -eq 1 && grep -q 'unix:$T/f.sock' '$T/e13'"

# 14: python3 server on an abstract name, sock connect both ways
cat > "$T/echo.py" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX); s.bind("\0" + sys.argv[1]); s.listen(1)
print("ready", flush=True)
c, _ = s.accept()
d = b""
while True:
    b = c.recv(65536)
    if not b: break
    d += b
c.sendall(d.upper()); c.close()
PY
bg python3 "$T/echo.py" "$abs-echo" > "$T/echo.out"
wait_for test -s "$T/echo.out"
out=$(echo shout | timeout 10 "$SOCK" connect "unix:@$abs-echo")
check "connect unix:@NAME -> python3" test "$out" = "SHOUT"
done_testing
