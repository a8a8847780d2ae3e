#!/usr/bin/env bash
# --trace folding: a summary comes out once the socket has been quiet for
# a second and when a signal ends sock, not only at the end; a datagram
# listener shows the first datagram of every new sender.
. "$(dirname "$0")/lib.sh"
need python3
plan 9

# burst PORT SPEC...: from one UDP socket per SPEC ("N" datagrams "abc\n"
# each), in the order given, to 127.0.0.1:PORT; prints each socket's port
burst() {
	python3 - "$@" <<'PY'
import socket, sys, time
port = int(sys.argv[1])
for n in sys.argv[2:]:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    print(s.getsockname()[1], flush=True)
    for _ in range(int(n)):
        s.sendto(b"abc\n", ("127.0.0.1", port))
    time.sleep(0.05)
PY
}
folded() { grep -c '^\.\.\. [0-9]* more recvfrom(3) calls folded' "$1"; }
# (functions, so that wait_for counts again on every try)
got_n() { [ "$(grep -c abc "$T/u.out")" = "$1" ]; }
folded_n() { [ "$(folded "$T/u.err")" = "$1" ]; }

# 1-3: a datagram listener: 6 datagrams from A, then 1 from B, then 6
# more from A, all in well under a second
hold_stdin "$T/u.in"
bg sh -c "exec \"$SOCK\" --trace -v listen udp://127.0.0.1:0 < '$T/u.in' > '$T/u.out' 2> '$T/u.err'"
upid=$!
uport=$(wait_port "$T/u.err")
burst "$uport" 6 1 > "$T/ports"
aport=$(sed -n 1p "$T/ports")
bport=$(sed -n 2p "$T/ports")
wait_for got_n 7
check "B's datagram is shown although A's are being folded" \
	grep -q "^recvfrom(3, [0-9]*) = 4 from 127\\.0\\.0\\.1:$bport\$" "$T/u.err"
check "A's 3 folded datagrams are summed up before B's line (order kept)" \
	sh -c "grep -A1 '^\\.\\.\\. 3 more recvfrom(3) calls folded, 12 bytes\$' '$T/u.err' | grep -q ':$bport\$'"
# the last datagrams came in a burst: their summary must come out while
# the listener still runs, once the socket has been quiet for a second
python3 -c "
import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(('127.0.0.1', $aport))
for _ in range(6): s.sendto(b'abc\n', ('127.0.0.1', $uport))"
wait_for got_n 13
wait_secs 5 folded_n 2
check "a quiet socket: the summary comes out while sock still runs" \
	sh -c "[ $(folded "$T/u.err") = 2 ] && kill -0 $upid"
diag "$(tail -4 "$T/u.err" | tr '\n' '|')"

# 4: Ctrl-C with calls folded and not yet summed up: the summary comes out
burst "$uport" 8 > /dev/null
wait_for got_n 21
kill -INT $upid
wait_exit $upid 5
check "SIGINT: the folded calls are summed up before sock ends (st=$st)" \
	sh -c "[ $(folded "$T/u.err") = 3 ] && [ '$st' = 130 ]"

# 5-6: TCP, never quiet (a client that keeps sending): SIGTERM to the
# listener prints the summary of its recv calls; SIGTERM to a client
# prints the summary of its send calls
bg sh -c "exec \"$SOCK\" --trace -v listen -d tcp://127.0.0.1:0 > /dev/null 2> '$T/t.err'"
tpid=$!
tport=$(wait_port "$T/t.err")
# (through fifos: a background command's stdin is /dev/null otherwise)
mkfifo "$T/yes1" "$T/yes2"
bg sh -c "exec yes > '$T/yes1'"
bg sh -c "exec \"$SOCK\" connect 127.0.0.1:$tport < '$T/yes1' 2> /dev/null"
wait_for grep -q '^recv(4, [0-9]*) = ' "$T/t.err"
sleep 0.5
kill -TERM $tpid
wait_exit $tpid 5
check "SIGTERM on a busy TCP listener: '... N more recv(4) calls folded' (st=$st)" \
	sh -c "grep -q '^\\.\\.\\. [0-9]* more recv(4) calls folded, [0-9]* bytes\$' '$T/t.err' && [ '$st' = 143 ]"

cat > "$T/sink.py" <<'PY'
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
print(s.getsockname()[1], flush=True)
c, _ = s.accept()
while c.recv(1 << 16): pass
c.close()
PY
bg python3 "$T/sink.py" > "$T/sink1.port"
wait_for test -s "$T/sink1.port"
bg sh -c "exec yes > '$T/yes2'"
bg sh -c "exec \"$SOCK\" --trace connect 127.0.0.1:$(cat "$T/sink1.port") < '$T/yes2' 2> '$T/tc.err'"
cpid=$!
wait_for grep -qs '^send(3, [0-9]*) = ' "$T/tc.err"
sleep 0.5
kill -TERM $cpid
wait_exit $cpid 5
check "SIGTERM on a busy client: '... N more send(3) calls folded' (st=$st)" \
	sh -c "grep -q '^\\.\\.\\. [0-9]* more send(3) calls folded, [0-9]* bytes\$' '$T/tc.err' && [ '$st' = 143 ]"

# 7: TCP, a burst then a pause: the summary comes in the pause, before
# the end of the session
bg python3 "$T/sink.py" > "$T/sink.port"
wait_for test -s "$T/sink.port"
bg sh -c "(head -c 2000000 /dev/zero; sleep 8) | exec \"$SOCK\" --trace connect 127.0.0.1:$(cat "$T/sink.port") > /dev/null 2> '$T/p.err'"
ppid2=$!
wait_secs 6 grep -qs '^\.\.\. [0-9]* more send(3) calls folded' "$T/p.err"
check "a pause in a TCP transfer: the summary comes out before the end" \
	sh -c "grep -q '^\\.\\.\\. [0-9]* more send(3) calls folded' '$T/p.err' && kill -0 $ppid2"

# 8: bulk stays folded: 2 MB took at most 3 send lines
check "bulk still folded: at most 3 send lines" \
	test "$(grep -c '^send(3' "$T/p.err")" -le 3
# 9: the guide's section 2 demo, its command run as printed: the trace
# lines come out as the guide shows them (ports aside)
GUIDE=$(dirname "$0")/../../docs/guide.md
cmd=$(grep -m1 'range(8)' "$GUIDE" | sed 's/^\$ //')
want=$(awk '/^recvfrom\(3, [0-9]+\) = 5 from|^\.\.\. 5 more/' "$GUIDE" | sed 's/:[0-9]*$/:PORT/')
hold_stdin "$T/g.in"
bg sh -c "exec \"$SOCK\" --trace -v listen udp://127.0.0.1:0 < '$T/g.in' > /dev/null 2> '$T/g.err'"
gpid=$!
gport=$(wait_port "$T/g.err")
sh -c "${cmd//5001/$gport}"
wait_secs 5 grep -q '^\.\.\.' "$T/g.err"
got=$(grep -E '^recvfrom|^\.\.\.' "$T/g.err" | sed 's/:[0-9]*$/:PORT/')
diag "$(echo "$got" | tr '\n' '|')"
check "the guide's UDP folding demo matches what sock prints" \
	test -n "$cmd" -a -n "$want" -a "$got" = "$want"
kill $gpid
done_testing
