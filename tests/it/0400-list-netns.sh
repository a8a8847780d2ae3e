#!/usr/bin/env bash
# sock list against netstat and ss on the same sockets, in a private
# network namespace: a known set of sockets (tests/data/list-hold.py),
# then the same rows for -tuan, -tulpn and -xa, --json read back, the
# replay and /proc/net paths, filters and usage errors.
. "$(dirname "$0")/lib.sh"
need python3
need netstat
need ss
HERE=$(cd "$(dirname "$0")" && pwd)
if [ -z "$SOCK_LIST_NETNS" ]; then
	unshare -rn true 2>/dev/null || skip_all "unshare -rn not permitted"
	exec timeout -k 2 120 unshare -rn env SOCK_LIST_NETNS=1 bash "$0"
fi
plan 16

ip link set lo up
ip addr add fd00:1234:5678:9abc:def0:1234:5678:9abc/64 dev lo nodad
mkfifo "$T/hold.in"
# (the fifo is opened by the child: the holder's stdin ends when we close fd 3)
bg sh -c 'exec python3 "$0" "$1" < "$1/hold.in" > "$1/hold.out"' \
	"$HERE/../data/list-hold.py" "$T"
holder=$!
exec 3> "$T/hold.in"
wait_for grep -q ready "$T/hold.out" || { echo "Bail out! holder did not start"; exit 1; }

# netstat's rows, and ours in netstat's spelling: IPv6 without brackets,
# a listener's Send-Q as 0 (netstat reads /proc/net/tcp, which has no
# backlog); then whitespace squeezed and sorted.
rows_netstat() { tail -n +3 | tr -s ' ' | sed 's/ $//' | sort; }
rows_sock() {
	tail -n +3 | sed -E 's/\[([0-9a-f:.]*)\]:/\1:/g' |
		awk '$6 == "LISTEN" { $3 = 0 } { print }' | tr -s ' ' |
		sed 's/ $//' | sort
}
same() { # DESCRIPTION FILE1 FILE2
	if cmp -s "$2" "$3"; then ok 0 "$1"; else
		ok 1 "$1"; diff "$2" "$3" | sed 's/^/# /'; fi
}

# 1-3: the classic invocations give netstat's rows
netstat -tuanW | rows_netstat > "$T/n1"
"$SOCK" list -tuan | rows_sock > "$T/s1"
same "-tuan: the same rows as netstat" "$T/n1" "$T/s1"
netstat -tulpnW 2>/dev/null | rows_netstat > "$T/n2"
"$SOCK" list -tulpn | rows_sock > "$T/s2"
same "-tulpn: the same rows and PIDs as netstat" "$T/n2" "$T/s2"
netstat -xa | rows_netstat > "$T/n3"
"$SOCK" list -xa | rows_netstat > "$T/s3"
same "-xa: the same Unix rows as netstat" "$T/n3" "$T/s3"

# 4: titles and the header
"$SOCK" list -tl sport 8080 | head -2 > "$T/h4"
netstat -tl | head -2 > "$T/nh4"
same "title and header as netstat's" "$T/nh4" "$T/h4"

# 5: the same sockets as ss (by inode)
ss -tuanHe | grep -o 'ino:[0-9]*' | cut -d: -f2 | grep -v '^0$' | sort > "$T/ss5"
"$SOCK" list -tuae | awk 'NR > 2 { print $(NF) }' | grep -v '^0$' | sort > "$T/s5"
same "-tuae: the same inodes as ss -tuae" "$T/ss5" "$T/s5"

# 6: no address is cut, the long one is whole and bracketed
check "long IPv6 address printed whole" \
	grep -q '\[fd00:1234:5678:9abc:def0:1234:5678:9abc\]:18082 ' \
	<("$SOCK" list -tln)

# 7-8: --json read back gives the same rows; owners are the holder
"$SOCK" list -tuanp --json > "$T/j"
python3 - "$T/j" > "$T/s7" <<'PY'
import json, sys
for o in json.load(open(sys.argv[1])):
    def ep(e):
        return "%s:%s" % (e["address"], e["port"] or "*")
    proto = o["proto"] + ("6" if o["family"] == "inet6" else "")
    st = {"listen": "LISTEN", "established": "ESTABLISHED",
          "unconnected": ""}.get(o["state"], o["state"])
    sq = 0 if st == "LISTEN" else o["send_q"]
    print(" ".join(str(x) for x in (proto, o["recv_q"], sq, ep(o["local"]),
                                   ep(o["remote"]), st) if x != ""))
PY
sort -o "$T/s7" "$T/s7"
same "--json: the same rows as netstat" "$T/n1" "$T/s7"
check "--json: every socket owned by the holder, with fds" python3 -c '
import json, sys
objs = json.load(open(sys.argv[1]))
assert objs and all(o["owners"] and o["owners"][0]["pid"] == int(sys.argv[2])
                    and o["owners"][0]["command"] == "python3"
                    and o["owners"][0]["fd"] > 2 for o in objs)
assert all(isinstance(o["inode"], int) and isinstance(o["uid"], int) for o in objs)
' "$T/j" "$holder"

# 9: recorded replies replay to the same listing
"$SOCK" list -tuxan --dump "$T/dump" > "$T/live9"
SOCK_DIAG_FILE="$T/dump" "$SOCK" list -tuxan > "$T/replay9"
same "--dump then SOCK_DIAG_FILE replays the same listing" "$T/live9" "$T/replay9"

# 10: the /proc/net fallback gives netstat's rows too
SOCK_DIAG_PROCFS=1 "$SOCK" list -tuan | rows_sock > "$T/s10"
same "/proc/net fallback: the same rows as netstat" "$T/n1" "$T/s10"

# 11-14: filters
netstat -tlnW | rows_netstat > "$T/n11"
"$SOCK" list -tan state listen | rows_sock > "$T/s11"
same "state listen = netstat -tln" "$T/n11" "$T/s11"
n=$("$SOCK" list -tan sport 8080 | tail -n +3 | wc -l)
check "sport 8080: the listener and the accepted socket" test "$n" = 2
out=$("$SOCK" list -tan src ::1 or dst 127.0.0.1 and dport 8080 | tail -n +3 |
	awk '{ print $4 }' | sort | tr '\n' ' ')
check "src/dst/dport with and/or" test "$out" = "127.0.0.1:$(
	"$SOCK" list -tn dport 8080 | awk 'NR == 3 { split($4, a, ":"); print a[2] }') [::1]:8082 "
n=$("$SOCK" list -xa state connected | tail -n +3 | wc -l)
check "state connected on Unix sockets" test "$n" = 4

# 15: usage errors name the bad word and exit 2
"$SOCK" list -tz 2> "$T/e1"; st1=$?
"$SOCK" list -t state nosuch 2> "$T/e2"; st2=$?
check "bad flag and bad filter word: exit 2, word named" \
	test "$st1/$st2" = "2/2" -a -n "$(grep "'z'" "$T/e1")" -a \
	-n "$(grep "'nosuch'" "$T/e2")"

# 16: sockets without a process (an orphan closing) get "-" with -p
python3 -c 'import socket
c = socket.create_connection(("127.0.0.1", 8081)); c.close()' 2>/dev/null
check "-p: a socket without owner shows '-'" \
	grep -Eq '(FIN_WAIT2|TIME_WAIT) +-' <("$SOCK" list -tnp state closing)
exec 3>&-
done_testing
