#!/usr/bin/env bash
# Found by trying to break sock: closed standard descriptors, absurd
# timeouts, oversized datagrams, a replaced socket file, uploads through
# a pipe after the peer's half-close, stdout errors, family conflicts.
. "$(dirname "$0")/lib.sh"
need python3
plan 17

greeter() { # a python3 server that greets, then reads to the end
	peer_bg greet 127.0.0.1:0 --greet 'hello\n' --shut-wr
}

# 1: stdin closed: the socket must not become fd 0 and talk to itself
greeter
out=$(timeout -k 2 5 "$SOCK" connect "127.0.0.1:$at" <&-)
check "connect with stdin closed prints the greeting" test "$out" = hello

# 2: stdout closed: the greeting goes nowhere, but not back to the peer
greeter
timeout -k 2 5 "$SOCK" --trace connect "127.0.0.1:$at" < /dev/null >&- 2> "$T/c2.err"
check "connect with stdout closed does not get a socket as fd 1" \
	grep -q '^socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_TCP) = 3$' "$T/c2.err"

# 3-5: timeouts that do not fit, are not numbers, or are zero
rc=""
for w in 3000000 nan 0; do
	timeout -k 2 5 "$SOCK" connect -w "$w" 127.0.0.1:9 < /dev/null 2> /dev/null
	rc+="$?,"
done
check "-w 3000000, -w nan, -w 0 are usage errors (exit 2)" test "$rc" = "2,2,2,"
timeout -k 2 5 "$SOCK" connect --idle inf udp://127.0.0.1:9 < /dev/null 2> /dev/null
ok $([ $? -eq 2 ]; echo $?) "--idle inf is a usage error"
timeout -k 2 5 "$SOCK" -6 connect 127.0.0.1:9 < /dev/null 2> "$T/fam.err"
rc=$?
check "-6 with an IPv4 address: exit 2, says so" \
	eval '[ $rc -eq 2 ] && grep -q "asks for IPv6, but 127.0.0.1:9 is IPv4" "$T/fam.err"'

# 6-7: an oversized datagram does not end a datagram listener
mkfifo "$T/in"; exec 3<> "$T/in"
bg sh -c "exec \"$SOCK\" listen 'unix-dgram:$T/d.sock' < '$T/in' > '$T/d.out' 2> /dev/null"
dpid=$!
wait_for test -S "$T/d.sock"
python3 - "$T/d.sock" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 20)
for m in (b"small\n", b"x" * 300000, b"after\n"):
    s.sendto(m, sys.argv[1])
PY
wait_for grep -q after "$T/d.out"
check "datagram listener still alive after a 300000-byte datagram" kill -0 $dpid
check "the datagrams around it arrive, the oversized one is dropped" \
	test "$(cat "$T/d.out")" = "$(printf 'small\nafter')"

# 8: a 200000-byte unix-dgram message arrives whole
python3 - "$T/d.sock" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 20)
s.sendto(b"y" * 200000 + b"\n", sys.argv[1])
PY
wait_for test "$(tr -cd y < "$T/d.out" | wc -c)" -eq 200000
ok $? "a 200000-byte Unix datagram arrives whole"

# 9: a listener does not remove a socket file that another one replaced
bg sh -c "exec \"$SOCK\" listen -k 'unix:$T/r.sock' < /dev/null > /dev/null 2>&1"
apid=$!
wait_for test -S "$T/r.sock"
rm "$T/r.sock"
bg sh -c "exec \"$SOCK\" listen -k 'unix:$T/r.sock' < /dev/null > /dev/null 2>&1"
wait_for test -S "$T/r.sock"
kill $apid; wait_exit $apid 5
check "the second listener's socket file survives the first one's exit" test -S "$T/r.sock"

# 10: an upload through a pipe to a listener that half-closes at once
# (empty stdin) arrives whole: the client keeps sending while its pipe
# keeps delivering
head -c 20000000 /dev/urandom > "$T/up"
bg sh -c "exec \"$SOCK\" -v listen tcp://127.0.0.1:0 < /dev/null > '$T/up.out' 2> '$T/up.err'"
upid=$!
port=$(wait_port "$T/up.err")
cat "$T/up" | timeout -k 2 30 "$SOCK" connect "127.0.0.1:$port" > /dev/null 2> "$T/upc.err"
wait_exit $upid 10
check "20 MB through a pipe after the listener's half-close, byte-exact" cmp -s "$T/up" "$T/up.out"

# 11: input that pauses after the peer closed is cut, and the client says
# so.  "one" waits in a fifo before the client starts, and the pause lasts
# until the client has ended (we hold the fifo open), so nothing depends
# on how soon the scheduler runs a writer.
bg sh -c "exec \"$SOCK\" -v listen tcp://127.0.0.1:0 < /dev/null > '$T/p.out' 2> '$T/p.err'"
ppid2=$!
port=$(wait_port "$T/p.err")
mkfifo "$T/p.in"
exec 7<> "$T/p.in"
echo one >&7
timeout -k 2 10 "$SOCK" connect "127.0.0.1:$port" < "$T/p.in" 2> "$T/pc.err"
exec 7>&-
wait_exit $ppid2 5
check "a pause after the peer closed ends the upload, with a note" \
	test "$(cat "$T/p.out")|$(cat "$T/pc.err")" = "one|sock: the peer closed first; the rest of standard input was not sent"

# 12-13: stdout errors are ours, not the peer's
greeter
timeout -k 2 5 "$SOCK" connect "127.0.0.1:$at" < /dev/null > /dev/full 2> "$T/full.err"
rc=$?
check "stdout full: exit 1, 'writing standard output: No space left on device'" \
	eval '[ $rc -eq 1 ] && [ "$(cat "$T/full.err")" = "sock: writing standard output: No space left on device" ]'
head -c 3000000 /dev/zero > "$T/z"
bg sh -c "exec \"$SOCK\" -v listen tcp://127.0.0.1:0 < '$T/z' > /dev/null 2> '$T/h.err'"
port=$(wait_port "$T/h.err")
timeout -k 2 10 "$SOCK" connect "127.0.0.1:$port" < /dev/null 2> "$T/head.err" | head -c 1 > /dev/null
check "a reader that goes away (| head -c 1) gets no complaint" test ! -s "$T/head.err"

# 14: "held by" names only the process in the way
bg sh -c "exec \"$SOCK\" -v listen tcp://127.0.0.2:0 < /dev/null > /dev/null 2> '$T/a2.err'"
p2=$!
port=$(wait_port "$T/a2.err")
bg sh -c "exec \"$SOCK\" listen tcp://127.0.0.1:$port < /dev/null > /dev/null 2>&1"
p1=$!
wait_for sh -c "ss -Htln 'sport = :$port' | grep -q 127.0.0.1"
timeout -k 2 5 "$SOCK" listen "127.0.0.1:$port" < /dev/null 2> "$T/held.err"
check "address in use names the holder of that address only" \
	grep -q "(held by $p1/sock)$" "$T/held.err"

# 15-17: error messages stay one readable line
timeout -k 2 5 "$SOCK" connect "tcp://h:1$(head -c 100000 /dev/zero | tr '\0' a)" < /dev/null 2> "$T/long.err"
check "a 100 KB endpoint is echoed as a short window around the caret" \
	test "$(awk '{ if (length($0) > m) m = length($0) } END { print m }' "$T/long.err")" -lt 200
timeout -k 2 5 "$SOCK" connect "unix:$T/a
b" < /dev/null 2> "$T/nl.err"
check "a newline in an endpoint does not split the error line" test "$(wc -l < "$T/nl.err")" -eq 1
timeout -k 2 5 "$SOCK" listen "unix:$T/no/such/dir/s" < /dev/null 2> "$T/dir.err"
check "listening in a missing directory says the directory is missing" \
	grep -q "a directory in that path does not exist" "$T/dir.err"
done_testing
