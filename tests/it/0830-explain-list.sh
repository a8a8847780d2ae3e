#!/usr/bin/env bash
# sock list --explain: the sentence under each row, for every TCP state
# that loopback can produce in a private network namespace (LISTEN on a
# wildcard, loopback, dual-stack and one address, ESTABLISHED with
# unread bytes, CLOSE_WAIT and FIN_WAIT2, TIME_WAIT, SYN_SENT behind a
# full accept queue), UDP with and without a default peer, Unix sockets
# named by a path, an abstract name or nothing; and --json --explain.
. "$(dirname "$0")/lib.sh"
need python3
if [ -z "$SOCK_EXPLAIN_NETNS" ]; then
	unshare -rn true 2>/dev/null || skip_all "unshare -rn not permitted"
	exec timeout -k 2 60 unshare -rn env SOCK_EXPLAIN_NETNS=1 bash "$0"
fi
plan 18

ip link set lo up
ip addr add 192.0.2.1/32 dev lo

# The sockets, held until stdin closes.
cat > "$T/hold.py" <<'PY'
import socket, sys, os
S, T = socket.socket, sys.argv[1]
keep = []
def lst(fam, addr, port, backlog=8):
    s = S(fam, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if fam == socket.AF_INET6:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.bind((addr, port)); s.listen(backlog); keep.append(s); return s
def pair(l, port):
    c = S(); c.connect(("127.0.0.1", port)); a, _ = l.accept(); return c, a
wild = lst(socket.AF_INET, "0.0.0.0", 7001)
lo = lst(socket.AF_INET, "127.0.0.1", 7002)
lst(socket.AF_INET6, "::", 7003)
lst(socket.AF_INET, "192.0.2.1", 7004)
c, a = pair(wild, 7001); keep += [c, a]; c.sendall(b"hello")   # ESTABLISHED, 5 unread
c, a = pair(lo, 7002); keep.append(a); c.close()               # CLOSE_WAIT / FIN_WAIT2
c, a = pair(wild, 7001); c.close()                              # TIME_WAIT on c's side
import time; time.sleep(0.1); a.close()
full = lst(socket.AF_INET, "127.0.0.1", 7005, 0)                # accept queue of one
for _ in range(3):
    c = S(); c.setblocking(False); c.connect_ex(("127.0.0.1", 7005)); keep.append(c)
u = S(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("0.0.0.0", 7006)); keep.append(u)
v = S(socket.AF_INET, socket.SOCK_DGRAM); v.connect(("127.0.0.1", 7006)); keep.append(v)
x = S(socket.AF_UNIX); x.bind(T + "/explain.sock"); x.listen(4); keep.append(x)
y = S(socket.AF_UNIX); y.bind("\0sock-explain-test"); y.listen(4); keep.append(y)
keep += list(socket.socketpair())
print("ready", flush=True)
sys.stdin.read()
PY
mkfifo "$T/hold.in"
bg sh -c 'exec python3 "$0" "$1" < "$1/hold.in" > "$1/hold.out"' "$T/hold.py" "$T"
exec 3> "$T/hold.in"
wait_for grep -q ready "$T/hold.out" || { echo "Bail out! holder did not start"; exit 1; }
sleep 0.3 # the SYNs behind the full queue are dropped, not answered

"$SOCK" --explain list -tuanx > "$T/all" 2>&1
# The line under the first row matching an ERE.
under() { awk -v re="$1" 'f { print; exit } $0 ~ re { f = 1 }' "$T/all"; }
says() { # DESCRIPTION ROW-ERE TEXT
	local got
	got=$(under "$2")
	case $got in
	*"$3"*) ok 0 "$1" ;;
	*) ok 1 "$1"; diag "under /$2/: $got" ;;
	esac
}

says "LISTEN on 0.0.0.0: every IPv4 address" ' 0\.0\.0\.0:7001 .*LISTEN' \
	"every IPv4 address of this machine (0.0.0.0), so other hosts too"
says "LISTEN on 127.0.0.1: this machine only" ' 127\.0\.0\.1:7002 .*LISTEN' \
	"127.0.0.1, the loopback address, so only programs on this machine"
says "LISTEN on [::]: dual stack" '\[::\]:7003 .*LISTEN' \
	"IPv6, and IPv4 too unless the program made it IPv6-only"
says "LISTEN on one address: only that one" ' 192\.0\.2\.1:7004 .*LISTEN' \
	"only the address 192.0.2.1"
says "ESTABLISHED, with 5 unread bytes" '^tcp +5 .*:7001 .*ESTABLISHED' \
	"ESTABLISHED: the connection is open"
says "Recv-Q of a connection: bytes the program has not read" '^tcp +5 .*ESTABLISHED' \
	"Recv-Q: 5 bytes arrived that the program has not read yet"
says "CLOSE_WAIT: the program has not closed yet" 'CLOSE_WAIT' \
	"the peer closed its side; this program has not closed the socket yet"
says "FIN_WAIT2: waiting for the peer to close" 'FIN_WAIT2' \
	"this side closed and the peer acknowledged"
says "TIME_WAIT: why it lingers" 'TIME_WAIT' \
	"about 60 s so that late segments of the old connection are not taken"
says "SYN_SENT behind a full accept queue" 'SYN_SENT' \
	"connect() sent a SYN and waits for the server's SYN+ACK"
"$SOCK" --explain list -tln 'sport = :7005' > "$T/all"
says "a listener's Recv-Q: connections waiting to be accepted" ':7005 .*LISTEN' \
	"1 connection waits to be accepted (backlog 0)"
"$SOCK" --explain list -uan > "$T/all"
says "UDP without a peer: no state" '0\.0\.0\.0:7006 ' \
	"UDP has no connections and so no state"
says "connected UDP: a default peer" '127\.0\.0\.1:7006 +ESTABLISHED' \
	"only a default peer (127.0.0.1 port 7006)"
"$SOCK" --explain list -xa > "$T/all"
says "Unix path: a file" "$T/explain.sock" "at the file $T/explain.sock"
says "Unix abstract name: no file" '@sock-explain-test' \
	"with the abstract name @sock-explain-test: no file exists"
says "unnamed Unix socket" 'STREAM +CONNECTED +[0-9]+ *$' \
	"Unix socket without a name (connected)"

# --json --explain: one "explain" key per object; plain --json has none
"$SOCK" --explain list -tln --json > "$T/j"
check "--json --explain: every object has an explain string" python3 -c '
import json, sys
a = json.load(open(sys.argv[1]))
assert a and all(isinstance(o["explain"], str) and o["explain"] for o in a)' "$T/j"
"$SOCK" list -tln --json > "$T/j2"
check "--json alone: no explain key" python3 -c '
import json, sys
assert all("explain" not in o for o in json.load(open(sys.argv[1])))' "$T/j2"

exec 3>&-
exit $_failed
