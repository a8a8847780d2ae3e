#!/usr/bin/env bash
# UDP: datagram boundaries, replies, the idle end of a client, a listener
# answering the last of two peers and receiving after stdin ends; socat,
# nc and python3 as the other end; IPv6.
. "$(dirname "$0")/lib.sh"
need python3
need socat
need nc
plan 12

# udp_port: a UDP port the kernel just gave out
udp_port() { free_port udp; }

# 1-3: connect -> python3: one datagram per stdin read, every reply
# printed, exit 0 about --idle after stdin ends
peer_bg srv 127.0.0.1:0 --type dgram --answer-got --until END
spid=$ppid
port=$at
start=$(date +%s%N)
peer feed 1 700 4000 20000 5 --then END | timeout -k 2 10 "$SOCK" connect --idle 0.5 \
	"udp://127.0.0.1:$port" > "$T/c1.out"
rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
wait_exit $spid 5
check "each stdin read is one datagram (sizes kept)" \
	test "$(sed -n 2p "$T/srv.out")" = "1 700 4000 20000 5 3"
check "every reply printed, exit 0" \
	test "$(tr '\n' ' ' < "$T/c1.out")|$rc" = \
	"got 1 got 700 got 4000 got 20000 got 5 got 3 |0"
# the feed takes 0.5 s, then 0.5 s idle
check "exits after the idle time once stdin ends (${ms} ms)" \
	test "$ms" -ge 900 -a "$ms" -lt 4000

# 4-6: listen: two python3 peers; stdin goes to the peer heard from last;
# after stdin ends the listener still receives, until SIGTERM
cat > "$T/two.py" <<'PY'
import re, socket, sys, time
errf, fifo = sys.argv[1], sys.argv[2]
w = open(fifo, "wb", buffering=0)   # the listener's stdin
port = None
for _ in range(100):
    try:
        m = re.search(r"listening on .*:(\d+) \(", open(errf).read())
    except FileNotFoundError:
        m = None
    if m:
        port = int(m.group(1))
        break
    time.sleep(0.05)
dst = ("127.0.0.1", port)
a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); a.bind(("127.0.0.1", 0))
b = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); b.bind(("127.0.0.1", 0))
def got(s, t=3):
    s.settimeout(t)
    try:
        return s.recv(100).decode().strip()
    except socket.timeout:
        return "-"
res = []
a.sendto(b"a1\n", dst); time.sleep(0.2)
b.sendto(b"b1\n", dst); time.sleep(0.2)
w.write(b"to-last\n")
res += [got(b), got(a, 0.3)]
a.sendto(b"a2\n", dst); time.sleep(0.2)
w.write(b"to-a\n")
res += [got(a), got(b, 0.3)]
w.close()                       # stdin ends
time.sleep(0.2)
a.sendto(b"a3\n", dst); time.sleep(0.1)
b.sendto(b"b3\n", dst)
print("|".join(res), flush=True)
PY
mkfifo "$T/in"
bg python3 "$T/two.py" "$T/l.err" "$T/in" > "$T/two.out"
bg sh -c "exec \"$SOCK\" -v listen udp://127.0.0.1:0 < '$T/in' > '$T/l.out' 2> '$T/l.err'"
lpid=$!
wait_for test -s "$T/two.out"
check "stdin goes to the peer heard from last (and only to it)" \
	test "$(cat "$T/two.out")" = "to-last|-|to-a|-"
wait_for grep -q b3 "$T/l.out"
check "datagrams of both peers printed, also after stdin ended" \
	test "$(tr '\n' ' ' < "$T/l.out")" = "a1 b1 a2 a3 b3 "
alive=$(kill -0 $lpid 2>/dev/null && echo alive)
kill -TERM $lpid
wait_exit $lpid 5
check "listener still running after stdin ended; SIGTERM ends it" \
	test "$alive|$st" = "alive|143"

# 7-8: socat and nc as clients of sock listen udp
# stdin is a file: it is read only once a peer has been heard from
echo from-sock > "$T/l7.in"
bg sh -c "exec \"$SOCK\" -v listen udp://127.0.0.1:0 < '$T/l7.in' > '$T/l7.out' 2> '$T/l7.err'"
port=$(wait_port "$T/l7.err")
out=$(echo from-socat | timeout -k 2 5 socat -t 0.5 - "UDP:127.0.0.1:$port")
echo from-nc | timeout -k 2 5 nc -u -w 1 127.0.0.1 "$port"
wait_for grep -q from-nc "$T/l7.out"
check "listen <- socat: reply to socat" test "$out" = from-sock
check "listen <- socat, nc: both datagrams printed" \
	test "$(tr '\n' ' ' < "$T/l7.out")" = "from-socat from-nc "

# 9-10: socat and nc as servers of sock connect udp
printf 'from-socat\n' > "$T/p9"
bg sh -c "exec socat -d -d UDP-LISTEN:0,bind=127.0.0.1 - < '$T/p9' > '$T/p9.out' 2> '$T/p9.err'"
for _ in $(seq 100); do
	port=$(sed -n 's/.*listening on .*:\([0-9][0-9]*\)$/\1/p' "$T/p9.err")
	[ -n "$port" ] && break
	sleep 0.05
done
connect_to 5 "$T/p9.out" --idle 0.5 "udp://127.0.0.1:$port" < <(echo from-sock)
check "connect -> socat UDP-LISTEN: both directions, exit 0" \
	reached "$T/p9.out" from-socat

port=$(udp_port)
bg sh -c "exec nc -u -l 127.0.0.1 $port < '$T/p9' > '$T/p10.out'"
wait_for sh -c "ss -Hlun 'sport = :$port' | grep -q ."
connect_to 5 "$T/p10.out" --idle 0.5 "udp://127.0.0.1:$port" < <(echo from-sock)
check "connect -> nc -u -l: both directions, exit 0" \
	reached "$T/p10.out" from-socat

# 11: IPv6
peer_bg srv6 '[::1]:0' --type dgram --answer-got --until END
out=$(printf END | timeout -k 2 5 "$SOCK" connect --idle 0.5 \
	"udp://[::1]:$at")
check "IPv6 datagram and reply" test "$out" = "got 3"

# 12: python3 client of sock listen udp6, the reply addressed to it
echo six > "$T/l12.in"
bg sh -c "exec \"$SOCK\" -v listen 'udp://[::1]:0' < '$T/l12.in' > '$T/l12.out' 2> '$T/l12.err'"
port=$(wait_port "$T/l12.err")
out=$(timeout -k 2 5 python3 "$PEER" connect "[::1]:$port" --type dgram --timeout 3 \
	--send 'hello\n' --print one)
check "listen udp6: python3 gets the reply" \
	test "$out|$(cat "$T/l12.out")" = "six|hello"
done_testing
