#!/usr/bin/env bash
# sock top --jsonl against known traffic in a private network namespace:
# a client sends 300000 bytes at 100000 bytes/s; its row and the
# server's carry the owner (pid and command), rates within a tolerance
# of the pace, totals equal to the bytes sent (the kernel counts the SYN
# and the FIN as a byte each), the accepted socket's final totals once
# it closed, and a connected UDP socket has null byte counts and rates,
# never 0.  One totals object comes first in every refresh.
. "$(dirname "$0")/lib.sh"
need python3
if [ -z "$SOCK_TOP_NETNS" ]; then
	unshare -rn true 2>/dev/null || skip_all "unshare -rn not permitted"
	exec timeout -k 2 120 unshare -rn env SOCK_TOP_NETNS=1 bash "$0"
fi
plan 10
export LC_ALL=C LANG=C LANGUAGE=
ip link set lo up
TOPPEER="$(cd "$(dirname "$0")" && pwd)/top_peer.py"

mkfifo "$T/p.in" "$T/u.in"
bg sh -c 'exec python3 "$0" pace 20000 15 0.2 < "$1/p.in" > "$1/p.out"' "$TOPPEER" "$T"
exec 3> "$T/p.in"
bg sh -c 'exec python3 "$0" udp < "$1/u.in" > "$1/u.out"' "$TOPPEER" "$T"
exec 4> "$T/u.in"
wait_for grep -q ports "$T/p.out" || { echo "Bail out! peer did not start"; exit 1; }
wait_for grep -q ports "$T/u.out" || { echo "Bail out! udp peer did not start"; exit 1; }
read -r _ LPORT CPORT PEERPID < "$T/p.out"
read -r _ _ UPORT _ < "$T/u.out"

bg sh -c 'exec "$0" top --jsonl -tu -d 0.5 > "$1/top.jsonl" 2> "$1/top.err"' "$SOCK" "$T"
TOP=$!
# it has polled once when its first totals object is out
wait_for grep -q '"type":"totals"' "$T/top.jsonl"
echo go >&3
wait_for grep -q sent "$T/p.out"
# a refresh after the transfer holds the whole total
cat > "$T/seen.py" <<'PY'
import json, sys
want_port, key, least = sys.argv[2], sys.argv[3], int(sys.argv[4])
for line in open(sys.argv[1]):
    o = json.loads(line)
    if o["type"] == "socket" and o["local"].endswith(":" + want_port) \
            and (o[key] or 0) >= least and (len(sys.argv) < 6 or o["closed"]):
        sys.exit(0)
sys.exit(1)
PY
wait_for python3 "$T/seen.py" "$T/top.jsonl" "$CPORT" tx_bytes 300000
echo close >&3
wait_for grep -q closed "$T/p.out"
wait_for python3 "$T/seen.py" "$T/top.jsonl" "$LPORT" rx_bytes 300000 closed
kill "$TOP"
wait_exit "$TOP" 10
check "sock top --jsonl exits 0 on SIGTERM" test "$st" = 0
check "nothing on stderr" test ! -s "$T/top.err"

cat > "$T/judge.py" <<'PY'
import json, statistics, sys
path, lport, cport, pid, uport = sys.argv[1:6]
rows = [json.loads(l) for l in open(path)]
socks = [o for o in rows if o["type"] == "socket"]
client = [o for o in socks if o["local"].endswith(":" + cport)]
server = [o for o in socks if o["local"].endswith(":" + lport)
          and o["remote"].endswith(":" + cport)]
udp = [o for o in socks if o["local"].endswith(":" + uport)]
totals = [o for o in rows if o["type"] == "totals"]

def say(ok, name, detail=""):
    print(("PASS " if ok else "FAIL ") + name + (" (%s)" % detail if detail else ""))

owned = [o for o in client if o["pid"] is not None]
say(owned and all(o["pid"] == int(pid) and o["comm"] == "python3" for o in owned),
    "the client's row names its owner", owned[-1:] if owned else "never")
# samples taken while bytes flowed (not the first and last partial ones)
mid = [o["tx_bytes_per_s"] for o in client
       if o["tx_bytes_per_s"] and 40000 < o["tx_bytes"] < 260000]
med = statistics.mean(mid) if mid else 0
say(60000 <= med <= 140000, "the client's send rate is the pace (100000 B/s)",
    "mean %s of %s" % (med, mid))
rmid = [o["rx_bytes_per_s"] for o in server
        if o["rx_bytes_per_s"] and 40000 < o["rx_bytes"] < 260000]
rmed = statistics.mean(rmid) if rmid else 0
say(60000 <= rmed <= 140000, "the server's receive rate is the pace", rmed)
tx = max(o["tx_bytes"] for o in client)
say(300000 <= tx <= 300002, "the client's total is the bytes sent", tx)
fin = [o for o in server if o["closed"]]
say(fin and 300000 <= fin[-1]["rx_bytes"] <= 300001
    and fin[-1]["closed_by"] in ("destroy", "poll"),
    "the closed server socket keeps its final total", fin[-1:] if fin else "not closed")
say(udp and all(o["tx_bytes"] is None and o["tx_bytes_per_s"] is None
                and o["rx_bytes_per_s"] is None for o in udp),
    "UDP has no byte counts: null, not 0", udp[-1:] if udp else "no row")
say(len(totals) >= 4 and all(t["time"].endswith("Z") and "opened_per_s" in t
                             for t in totals), "a totals object every refresh",
    len(totals))
keys = ["age_s", "recv_q_bytes", "send_q_bytes", "rtt_us", "cookie", "state"]
say(client and all(k in client[-1] for k in keys) and client[-1]["proto"] == "tcp",
    "socket objects carry their keys with units", client[-1:] if client else "")
PY
python3 "$T/judge.py" "$T/top.jsonl" "$LPORT" "$CPORT" "$PEERPID" "$UPORT" > "$T/verdict"
while read -r verdict name; do
	[ "$verdict" = PASS ]
	ok $? "$name"
done < "$T/verdict"
[ "$_failed" = 0 ] || { diag "top.jsonl:"; sed 's/^/# /' "$T/top.jsonl" | head -60; }
exec 3>&- 4>&-
exit $_failed
