#!/usr/bin/env bash
# Small things that were inconsistent: seconds are read by the same
# digits-only reader as ports (-w 0x10, ' 1', 1e3, inf refused; 0.5
# taken); -4 and -6 together are refused (sock list: both families, as
# -46); a reader of our output that goes away (| head -c 10) ends
# connect and listen with status 0, as it does list; a unix-dgram relay
# carries datagrams up to its 256 KiB buffer both ways (208 KiB was the
# kernel's default send buffer).
. "$(dirname "$0")/lib.sh"
need python3
plan 19

usage_rc() { timeout -k 2 10 "$SOCK" "$@" > /dev/null 2>&1; test $? -eq 2; }
for w in 0x10 ' 1' 1e3 inf; do
	check "-w '$w' refused (exit 2), as a port '$w' is" usage_rc connect -w "$w" -z 127.0.0.1 1
done
check "relay --timeout 1e1 refused" usage_rc relay --timeout 1e1 :0 :1
port=$(free_port tcp)
"$SOCK" connect -w 0.5 -z 127.0.0.1 "$port" 2> "$T/w.err"
check "-w 0.5 still taken (a refusal, exit 1)" test $? -eq 1

# (localhost has both families: neither -4 nor -6 alone is refused)
check "connect -4 -6: refused (exit 2)" usage_rc connect -4 -6 "localhost:$port"
check "-4 before the command, -6 after: refused" usage_rc -4 connect -6 "localhost:$port"
check "relay -4 -6: refused" usage_rc relay -4 -6 tcp://localhost:0 "tcp://localhost:$port"
"$SOCK" connect -4 -6 "localhost:$port" 2> "$T/f.err"
check "the error names both" grep -q -- '-4 and -6' "$T/f.err"
"$SOCK" list -tan -4 -6 > "$T/l46" 2>&1
"$SOCK" list -tan46 > "$T/l46b" 2>&1
check "list -4 -6 lists both families, as -46 does (same header, exit 0)" \
	eval 'test "$(head -1 "$T/l46")" = "$(head -1 "$T/l46b")"'

# | head -c 10
bg python3 "$PEER" listen 127.0.0.1:0 --greet 'g*4000000' > "$T/big.out" 2> /dev/null
wait_for test -s "$T/big.out"
bport=$(head -1 "$T/big.out")
timeout -k 2 20 "$SOCK" connect "127.0.0.1:$bport" < /dev/null 2> "$T/c.err" | head -c 10 > /dev/null
rc=${PIPESTATUS[0]}
check "connect ... | head -c 10: exit 0, nothing said (rc=$rc)" \
	eval 'test $rc -eq 0 && ! test -s "$T/c.err"'
bg bash -c '"$0" -v listen tcp://127.0.0.1:0 < /dev/null 2> "$1/l.err" |
	head -c 10 > /dev/null; echo "${PIPESTATUS[0]}" > "$1/l.rc"' "$SOCK" "$T"
lport=$(wait_port "$T/l.err")
bg python3 -c '
import socket, sys
c = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
try:
    c.sendall(b"y" * 4000000)
except OSError:
    pass' "$lport"
wait_for test -s "$T/l.rc"
check "listen ... | head -c 10: exit 0 ($(cat "$T/l.rc" 2> /dev/null))" \
	test "$(cat "$T/l.rc" 2> /dev/null)" = 0
"$SOCK" list -tan | head -1 > /dev/null
check "list | head -1: exit 0" test "${PIPESTATUS[0]}" -eq 0

# unix-dgram sizes, both ways
cat > "$T/dg.py" <<'PY'
import socket, sys, time
target, relay, client = sys.argv[1:4]
sizes = [int(x) for x in sys.argv[4:]]
t = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
t.bind(target)
print("up", flush=True)
while True:
    try:
        socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM).sendto(b"", relay)
        break
    except OSError:
        time.sleep(0.05)
t.recv(16)
c = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
c.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4 << 20)
c.bind(client)
t.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4 << 20)
t.settimeout(2.0)
c.settimeout(2.0)
for n in sizes:
    c.sendto(b"x" * n, relay)
    try:
        d, back = t.recvfrom(1 << 20)
        t.sendto(b"y" * len(d), back)
        r = c.recv(1 << 20)
        print("ok", n, len(d), len(r), flush=True)
    except socket.timeout:
        print("lost", n, flush=True)
PY
bg python3 "$T/dg.py" "$T/t.s" "$T/r.s" "$T/c.s" 1000 220000 262144 > "$T/dg.out"
wait_for grep -q up "$T/dg.out"
relay_bg dg "unix-dgram:$T/r.s" "unix-dgram:$T/t.s"
wait_secs 20 grep -q 262144 "$T/dg.out"
check "unix-dgram relay: 220000 bytes each way" grep -qx 'ok 220000 220000 220000' "$T/dg.out"
check "unix-dgram relay: 262144 bytes (its buffer) each way" grep -qx 'ok 262144 262144 262144' "$T/dg.out"

# -m bounds datagram sessions, one per source address and port
bg python3 "$PEER" listen 127.0.0.1:0 --type dgram --echo > "$T/u.out" 2> /dev/null
wait_for test -s "$T/u.out"
uport=$(head -1 "$T/u.out")
relay_bg m -m 5 --stats udp://127.0.0.1:0 "udp://127.0.0.1:$uport"
m0=$(ls /proc/$rpid/fd | wc -l)
python3 -c '
import socket, sys
for i in range(40):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.sendto(b"x", ("127.0.0.1", int(sys.argv[1])))' "$rport"
# the totals (SIGUSR1) once all 40 are counted: 5 sessions, 35 dropped
all_counted() {
	kill -USR1 $rpid
	grep -q 'stats: 5 sessions (5 open).* 35 dropped' "$T/m.err"
}
check "-m 5: 40 source ports give 5 sessions, 35 datagrams dropped" wait_for all_counted
m1=$(ls /proc/$rpid/fd | wc -l)
check "-m 5: 5 sockets more ($m0 -> $m1)" test $((m1 - m0)) -eq 5
check "relay --help says datagram sessions are per (forgeable) source" \
	eval '"$SOCK" relay --help | grep -q "per source address and port"'
done_testing
