#!/usr/bin/env bash
# sock list -s in a private network namespace with known sockets
# (tests/data/sumkill-hold.py): the counts ss -s also prints are equal
# (estab, timewait, the Transport table's TCP, UDP and RAW by family),
# the JSON has every counter as an integer, -t narrows it, and the
# snmp parser's fuzz corpus replays cleanly.
. "$(dirname "$0")/lib.sh"
need python3
need ss
HERE=$(cd "$(dirname "$0")" && pwd)
if [ -z "$SOCK_SUMKILL_NETNS" ]; then
	unshare -rn true 2>/dev/null || skip_all "unshare -rn not permitted"
	exec timeout -k 2 60 unshare -rn env SOCK_SUMKILL_NETNS=1 bash "$0"
fi
plan 7

ip link set lo up
bg python3 "$HERE/../data/sumkill-hold.py" "$T/hold"
wait_for grep -q ready "$T/hold" || { echo "Bail out! holder did not start"; exit 1; }

ss -s > "$T/ss"
"$SOCK" list -s --json > "$T/j"
"$SOCK" list -s > "$T/text"
sed "s/^/# /" "$T/text"

# ss -s's figures, and ours in ss's terms: its Transport TCP leaves
# time-wait out (all the holder's are IPv4), its estab is CurrEstab
python3 - "$T/ss" "$T/j" > "$T/cmp" <<'PY'
import json, re, sys
ss = open(sys.argv[1]).read()
j = json.load(open(sys.argv[2]))
s = j["sockets"]
m = re.search(r"estab (\d+),.*timewait (\d+)\)", ss)
print("estab", m.group(1), s["tcp"]["states"].get("established", 0))
print("timewait", m.group(2), s["tcp"]["states"].get("time-wait", 0))
tw = s["tcp"]["states"].get("time-wait", 0)
for proto in ("TCP", "UDP", "RAW"):
    t, ip, ip6 = re.search(r"^%s\s+(\d+)\s+(\d+)\s+(\d+)" % proto, ss, re.M).groups()
    o = s[proto.lower()]
    less = tw if proto == "TCP" else 0
    print(proto, "%s/%s/%s" % (t, ip, ip6),
          "%d/%d/%d" % (o["total"] - less, o["ipv4"] - less, o["ipv6"]))
PY
sed "s/^/# /" "$T/cmp"
check "-s: TCP established and time-wait equal ss -s's estab and timewait" \
	awk '$1 == "estab" || $1 == "timewait" { if ($2 != $3) exit 1; n++ } END { exit n != 2 }' "$T/cmp"
check "-s: TCP, UDP and RAW by family equal ss -s's Transport table" \
	awk '$1 ~ /^(TCP|UDP|RAW)$/ { if ($2 != $3) exit 1; n++ } END { exit n != 3 }' "$T/cmp"
check "-s --json: the holder's sockets by state" python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))["sockets"]
assert s["tcp"]["states"] == {"established": 4, "time-wait": 2, "listen": 3}, s
assert (s["tcp"]["ipv4"], s["tcp"]["ipv6"]) == (8, 1), s
assert s["udp"]["states"] == {"connected": 1, "unconnected": 3}, s
assert s["unix"]["total"] == 0 and "stream" in s["unix"]["types"], s
' "$T/j"
check "-s --json: every counter an integer, CurrEstab = the established count" python3 -c '
import json, sys
c = json.load(open(sys.argv[1]))["counters"]
want = {"Tcp": ["ActiveOpens", "PassiveOpens", "AttemptFails", "EstabResets",
                "CurrEstab", "RetransSegs", "InErrs", "OutRsts"],
        "TcpExt": ["ListenOverflows", "ListenDrops", "TCPTimeouts"],
        "Udp": ["InErrors", "RcvbufErrors", "SndbufErrors", "NoPorts"]}
for g, names in want.items():
    for n in names:
        assert type(c[g][n]) is int, (g, n, c[g].get(n))
assert c["Tcp"]["CurrEstab"] == 4 and c["Tcp"]["ActiveOpens"] == 4, c["Tcp"]
' "$T/j"
check "-s text: a row per protocol and the counters, each explained" \
	sh -c 'grep -q "^TCP  *9  *8  *1  established 4, time-wait 2, listen 3$" "$1" &&
		grep -q "^UDP  *4  *3  *1  connected 1, unconnected 3$" "$1" &&
		grep -q "^  TcpExt ListenOverflows  *0  handshakes dropped" "$1"' _ "$T/text"
"$SOCK" list -s -t --json > "$T/jt"
check "-s -t: only TCP is counted" python3 -c '
import json, sys
assert list(json.load(open(sys.argv[1]))["sockets"]) == ["tcp"]' "$T/jt"
BUILD=${BUILD:-$(dirname "$SOCK")}
if [ -x "$BUILD/tests/fuzz/replay_fuzz_snmp" ]; then
	check "the snmp parser's fuzz corpus replays" \
		"$BUILD/tests/fuzz/replay_fuzz_snmp" "$HERE/../fuzz/corpus/snmp"
else
	echo "ok 7 # SKIP no $BUILD/tests/fuzz/replay_fuzz_snmp (make tests)"
fi
