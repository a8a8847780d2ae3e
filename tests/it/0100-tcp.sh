#!/usr/bin/env bash
# TCP: sock against itself and python3, both directions, half-close,
# a late reply, a server that closes first, large transfers.
. "$(dirname "$0")/lib.sh"
need python3
plan 9

# 1-2: listen <-> connect, both directions at once
printf 'from-server\n' > "$T/s.in"
bg sh -c "exec \"$SOCK\" -v listen tcp://127.0.0.1:0 < '$T/s.in' > '$T/s.out' 2> '$T/s.err'"
lpid=$!
port=$(wait_port "$T/s.err")
printf 'from-client\n' | timeout 10 "$SOCK" connect "127.0.0.1:$port" > "$T/c.out"
ok $? "connect exits 0 after a full exchange"
wait_exit $lpid 5
check "both directions arrive, listener exits 0" \
	test "$(cat "$T/c.out")|$(cat "$T/s.out")|$st" = "from-server|from-client|0"

# 3: a reply that comes 2 s after our half-close is printed
cat > "$T/late.py" <<'PY'
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
print(s.getsockname()[1], flush=True)
c, _ = s.accept()
data = b""
while True:
    b = c.recv(65536)
    if not b: break
    data += b
time.sleep(2)
c.sendall(b"late:" + data)
c.close()
PY
bg python3 "$T/late.py" > "$T/late.port"
wait_for test -s "$T/late.port"
out=$(printf 'abc' | timeout 10 "$SOCK" connect "127.0.0.1:$(cat "$T/late.port")")
check "late reply after SHUT_WR is not dropped" test "$out" = "late:abc"

# 4: the server closes first: connect stops reading stdin and exits 0
cat > "$T/first.py" <<'PY'
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
print(s.getsockname()[1], flush=True)
c, _ = s.accept(); c.sendall(b"bye\n"); c.close()
PY
bg python3 "$T/first.py" > "$T/first.port"
wait_for test -s "$T/first.port"
# stdin never ends (a fifo held open): only the peer's close ends us
hold_stdin "$T/hold"
out=$(timeout 10 "$SOCK" connect "127.0.0.1:$(cat "$T/first.port")" < "$T/hold" 2> "$T/first.err"; echo "rc=$?")
check "server closing first ends the client, which says stdin was cut" \
	test "$out|$(cat "$T/first.err")" = "$(printf 'bye\nrc=0|sock: the peer closed first; the rest of standard input was not sent')"

# 5-6: 8 MB each way through sock listen / sock connect, byte-exact
head -c 8000000 /dev/urandom > "$T/big1"
head -c 8000000 /dev/urandom > "$T/big2"
bg sh -c "exec \"$SOCK\" -v listen tcp://127.0.0.1:0 < '$T/big2' > '$T/big1.out' 2> '$T/big.err'"
lpid=$!
port=$(wait_port "$T/big.err")
timeout 30 "$SOCK" connect "127.0.0.1:$port" < "$T/big1" > "$T/big2.out"
wait_exit $lpid 10
check "8 MB client -> server byte-exact" cmp -s "$T/big1" "$T/big1.out"
check "8 MB server -> client byte-exact" cmp -s "$T/big2" "$T/big2.out"

# 7: python3 as the server, echoing 4 MB back
cat > "$T/echo.py" <<'PY'
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
print(s.getsockname()[1], flush=True)
c, _ = s.accept()
while True:
    b = c.recv(65536)
    if not b: break
    c.sendall(b)
c.close()
PY
bg python3 "$T/echo.py" > "$T/echo.port"
wait_for test -s "$T/echo.port"
head -c 4000000 /dev/urandom > "$T/mid"
timeout 30 "$SOCK" connect "127.0.0.1:$(cat "$T/echo.port")" < "$T/mid" > "$T/mid.out"
check "4 MB echoed by python3 byte-exact" cmp -s "$T/mid" "$T/mid.out"

# 8: python3 as the client of sock listen
bg sh -c "exec \"$SOCK\" -v listen tcp://127.0.0.1:0 < /dev/null > '$T/py.out' 2> '$T/py.err'"
lpid=$!
port=$(wait_port "$T/py.err")
python3 - "$port" <<'PY'
import socket, sys
c = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
c.sendall(b"x" * 100000); c.shutdown(socket.SHUT_WR)
assert c.recv(10) == b""
PY
wait_exit $lpid 5
check "python3 client: 100000 bytes, EOF both ways, exit 0" \
	test "$(wc -c < "$T/py.out")|$st" = "100000|0"

# 9: IPv6 loopback
bg sh -c "echo six | exec \"$SOCK\" -v listen 'tcp://[::1]:0' > /dev/null 2> '$T/v6.err'"
port=$(wait_port "$T/v6.err")
out=$(timeout 5 "$SOCK" connect "tcp://[::1]:$port" < /dev/null)
check "IPv6 loopback" test "$out" = "six"
done_testing
