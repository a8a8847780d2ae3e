#!/usr/bin/env bash
# sock list -i, -m, -o and -e against ss and netstat on the same idle
# sockets, in a private network namespace: after a known transfer the
# tcp_info values that do not move (bytes acked and received, mss, the
# congestion algorithm) equal ss -tni's, skmem's stable fields equal
# ss -tnm's, the Timer column is netstat -o's for a keepalive and a
# time-wait socket, and the JSON reads back with units and nulls.
. "$(dirname "$0")/lib.sh"
need python3
need netstat
need ss
if [ -z "$SOCK_LIST_NETNS" ]; then
	unshare -rn true 2>/dev/null || skip_all "unshare -rn not permitted"
	exec timeout -k 2 120 unshare -rn env SOCK_LIST_NETNS=1 bash "$0"
fi
plan 15
export LC_ALL=C LANG=C LANGUAGE=

ip link set lo up
# The holder: a listener, a keepalive client that sent 100000 bytes and
# got 5000 back, a time-wait socket, a bound UDP socket and a Unix
# datagram socket; it prints its ports and waits for stdin to close.
cat > "$T/hold.py" <<'PY'
import socket, sys
l = socket.socket(); l.bind(("127.0.0.1", 0)); l.listen(4)
c = socket.socket()
c.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
c.connect(l.getsockname())
a, _ = l.accept()
c.sendall(b"x" * 100000)
n = 0
while n < 100000:
    n += len(a.recv(65536))
a.sendall(b"y" * 5000)
n = 0
while n < 5000:
    n += len(c.recv(65536))
t = socket.socket(); t.connect(l.getsockname()); tport = t.getsockname()[1]
t2, _ = l.accept(); t.close(); t2.close()
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("127.0.0.1", 0))
x = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
x.bind("\0sock-info-test")
print(l.getsockname()[1], c.getsockname()[1], tport,
      u.getsockname()[1], flush=True)
print("ready", flush=True)
sys.stdin.read()
PY
mkfifo "$T/hold.in"
bg sh -c 'exec python3 "$0" < "$1/hold.in" > "$1/hold.out"' "$T/hold.py" "$T"
exec 3> "$T/hold.in"
wait_for grep -q ready "$T/hold.out" || { echo "Bail out! holder did not start"; exit 1; }
read -r LPORT CPORT TPORT UPORT < "$T/hold.out"
sleep 0.2 # let the last acks land: the values below must be still

# ---- -i against ss -tni ------------------------------------------------
"$SOCK" list -tani --json > "$T/i.json"
ss -tniH > "$T/ss-i"
cat > "$T/cmp_info.py" <<'PY'
import json, re, sys
rows = json.load(open(sys.argv[1]))
ss = open(sys.argv[2]).read()
cong = sys.argv[3]
# ss: a row line then its indented info line
blocks = re.findall(r"^\S+\s+\d+\s+\d+\s+\S+:(\d+)\s+\S+:(\d+)\s*\n\s+(.*)$", ss, re.M)
bad = 0
for lport, rport, info in blocks:
    tok = dict(t.split(":", 1) for t in info.split() if ":" in t)
    words = [t for t in info.split() if ":" not in t]
    mine = [r for r in rows if r["state"] == "established"
            and r["local"]["port"] == int(lport)
            and r["remote"]["port"] == int(rport)]
    if len(mine) != 1:
        print("# no row for", lport, rport); bad += 1; continue
    i = mine[0]["info"]
    for key, sskey in (("bytes_acked", "bytes_acked"),
                       ("bytes_received", "bytes_received"),
                       ("mss_bytes", "mss")):
        want = int(tok.get(sskey, 0))  # ss leaves zeros out
        if i[key] != want:
            print("#", lport, key, i[key], "ss", want); bad += 1
    if i["congestion"] != cong or cong not in words:
        print("#", lport, "congestion", i["congestion"], "ss", words); bad += 1
print("# compared", len(blocks), "sockets")
sys.exit(1 if bad or len(blocks) != 2 else 0)
PY
cong=$(cat /proc/sys/net/ipv4/tcp_congestion_control)
check "-i: bytes acked/received, mss and congestion equal ss -tni's" \
	python3 "$T/cmp_info.py" "$T/i.json" "$T/ss-i" "$cong"
check "-i: the client's transfer is what was sent (100000 acked, 5000 received)" \
	python3 -c '
import json, sys
r = [r for r in json.load(open(sys.argv[1])) if r["local"]["port"] == int(sys.argv[2])]
i = r[0]["info"]
sys.exit(not (i["bytes_acked"] >= 100000 and i["bytes_received"] == 5000 and i["bytes_sent"] == 100000))
' "$T/i.json" "$CPORT"

# ---- -i text: one line per socket, human units --------------------------
"$SOCK" list -tani > "$T/i.txt"
check "-i text: exactly one indented line after each established row" \
	python3 -c '
import sys
lines = open(sys.argv[1]).read().splitlines()[2:]
bad = 0
for n, l in enumerate(lines):
    if "ESTABLISHED" in l:
        nxt = lines[n + 1] if n + 1 < len(lines) else ""
        after = lines[n + 2] if n + 2 < len(lines) else "tcp"
        if not (nxt.startswith("     ") and " rtt:" in nxt and "ms" in nxt
                and "limited by:" in nxt and after.startswith("tcp")):
            bad += 1
sys.exit(bad)
' "$T/i.txt"
grep -q ' limited by:\(application\|idle\) ' "$T/i.txt" ||
	grep -q ' limited by:\(application\|idle\)$' "$T/i.txt"
ok $? "-i text: an idle connection is limited by the application (or idle)"

# ---- JSON: units and nulls ---------------------------------------------
check "--json -i: typed keys with units, nulls where nothing was reported" \
	python3 -c '
import json, sys
rows = json.load(open(sys.argv[1]))
est = [r for r in rows if r["state"] == "established"]
tw = [r for r in rows if r["state"] == "time-wait"]
keys = ("rtt_us", "rttvar_us", "min_rtt_us", "rto_us", "mss_bytes",
        "cwnd_segments", "bytes_sent", "bytes_acked", "bytes_received",
        "bytes_retrans", "delivery_rate_bps", "pacing_rate_bps",
        "notsent_bytes", "busy_us", "rwnd_limited_us", "sndbuf_limited_us",
        "snd_wnd_bytes", "last_send_ms", "last_recv_ms", "last_ack_ms",
        "sndbuf_bytes")
ok = len(est) == 2 and len(tw) == 1
for r in est:
    ok = ok and all(isinstance(r["info"][k], int) for k in keys)
    ok = ok and r["limited_by"] in ("application", "idle")
ok = ok and tw[0]["info"] is None and tw[0]["limited_by"] is None
sys.exit(not ok)
' "$T/i.json"

# ---- -m against ss -tnm / -uanm / -xam: the fields an idle socket keeps ---
cat > "$T/cmp_mem.py" <<'PY'
import json, re, sys
rows = json.load(open(sys.argv[1]))
ss = open(sys.argv[2]).read()
proto = sys.argv[3]
key = {"r": "rmem_alloc_bytes", "rb": "rcvbuf_bytes", "t": "wmem_alloc_bytes",
       "tb": "sndbuf_bytes", "d": "drops"}
bad = n = 0
if proto == "unix":
    pat = r"^u_dgr\s+\S+\s+\d+\s+\d+\s+@sock-info-test\s+(\d+).*?skmem:\(([^)]*)\)"
else:
    pat = r"^\S+\s+\d+\s+\d+\s+\S+:(\d+\s+\S+:(?:\d+|\*))\s*\n?\s*skmem:\(([^)]*)\)"
for ident, sk in re.findall(pat, ss, re.M | re.S):
    f = dict(re.match(r"([a-z]+)(\d+)", t).groups() for t in sk.split(","))
    if proto == "unix":
        mine = [r for r in rows if r["inode"] == int(ident)]
    else:
        lport, rport = ident.split()
        rport = rport.rsplit(":", 1)[1]
        mine = [r for r in rows if r["local"]["port"] == int(lport)
                and r["remote"]["port"] == (0 if rport == "*" else int(rport))
                and r["state"] != "time-wait"]
    for r in mine:
        n += 1
        for k, j in key.items():
            if r["memory"][j] != int(f[k]):
                print("#", ident, j, r["memory"][j], "ss", f[k]); bad += 1
print("# compared", n)
sys.exit(1 if bad or not n else 0)
PY
"$SOCK" list -tanm --json > "$T/m.json"
ss -tanmH > "$T/ss-m"
check "-m: r, rb, t, tb and drops equal ss -tnm's skmem" \
	python3 "$T/cmp_mem.py" "$T/m.json" "$T/ss-m" tcp
"$SOCK" list -uanm --json > "$T/mu.json"
ss -uanmH > "$T/ss-mu"
check "-m: the UDP socket's memory equals ss -uanm's" \
	python3 "$T/cmp_mem.py" "$T/mu.json" "$T/ss-mu" udp
"$SOCK" list -xam --json > "$T/mx.json"
ss -xamH > "$T/ss-mx"
check "-m: the Unix socket's memory equals ss -xam's" \
	python3 "$T/cmp_mem.py" "$T/mx.json" "$T/ss-mx" unix

# ---- -o and -e against netstat -o and -e ---------------------------------
# expiry seconds move between the two runs: compare them apart
mask() { tail -n +3 | awk '$6 == "LISTEN" { $3 = 0 } { print }' | tr -s ' ' |
	sed -E 's/ $//; s/\(([0-9]+)\.[0-9]+\//(S\//' | sort; }
netstat -tanoW | mask > "$T/n-o"
"$SOCK" list -tano | mask > "$T/s-o"
if cmp -s "$T/n-o" "$T/s-o"; then ok 0 "-o: the same rows and Timer column as netstat -tano"
else ok 1 "-o: the same rows and Timer column as netstat -tano"; diff "$T/n-o" "$T/s-o" | sed 's/^/# /'; fi
grep -q ":$CPORT .*keepalive (S/0/0)" "$T/s-o" &&
	grep -q ":$TPORT .*timewait (S/0/0)" "$T/s-o"
ok $? "-o: a keepalive and a time-wait timer, as netstat names them"
secs() { grep ":$2 .*$3 (" "$1" | sed -E "s/.*$3 \(([0-9.]+)\/.*/\1/"; }
a=$(netstat -tanoW | secs /dev/stdin "$CPORT" keepalive)
b=$("$SOCK" list -tano | secs /dev/stdin "$CPORT" keepalive)
check "-o: the keepalive expiry is netstat's within a second ($a, $b)" \
	python3 -c 'import sys; sys.exit(abs(float(sys.argv[1]) - float(sys.argv[2])) > 1)' "$a" "$b"
netstat -tanoe | head -2 > "$T/n-e"
"$SOCK" list -tanoe | head -2 > "$T/s-e"
if cmp -s "$T/n-e" "$T/s-e"; then ok 0 "-oe: netstat's title and header (User, Inode, Timer)"
else ok 1 "-oe: netstat's title and header (User, Inode, Timer)"; diff "$T/n-e" "$T/s-e" | sed 's/^/# /'; fi
netstat -tanoeW | mask > "$T/n-oe"
"$SOCK" list -tanoe | mask > "$T/s-oe"
check "-oe: the same rows with User, Inode and Timer as netstat -tanoe" \
	cmp -s "$T/n-oe" "$T/s-oe"

# ---- -e JSON: the cookie is ss's sk:, shutdown and cgroup ---------------
"$SOCK" list -tane --json > "$T/e.json"
ss -taneH > "$T/ss-e"
check "--json -e: cookies equal ss's sk:, shutdown and cgroup are typed" \
	python3 -c '
import json, re, sys
rows = json.load(open(sys.argv[1]))
ss = open(sys.argv[2]).read()
want = {}
for lport, rport, sk in re.findall(r"^\S+\s+\d+\s+\d+\s+\S+:(\d+)\s+\S+:(\d+|\*).*?sk:([0-9a-f]+)", ss, re.M):
    want[(int(lport), 0 if rport == "*" else int(rport))] = sk
ok = len(want) == len(rows) == 4
for r in rows:
    ok = ok and r["cookie"] == want.get((r["local"]["port"], r["remote"]["port"]))
    if r["state"] == "established":
        ok = ok and r["shutdown"] == "none" and isinstance(r["cgroup_id"], int)
        ok = ok and (r["cgroup"] is None or r["cgroup"].startswith("/"))
sys.exit(not ok)
' "$T/e.json" "$T/ss-e"

# ---- no cost when not asked: a plain dump carries no tcp_info -----------
"$SOCK" list -tan --dump "$T/plain.bin" > /dev/null
"$SOCK" list -tani --dump "$T/info.bin" > /dev/null
p=$(stat -c %s "$T/plain.bin") i=$(stat -c %s "$T/info.bin")
check "-tan asks for no extension (dump $p bytes, with -i $i)" \
	test $((i - p)) -gt $((2 * 200))

exec 3>&-
done_testing
