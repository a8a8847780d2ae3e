#!/usr/bin/env bash
# sock top --events against connections actually opened and closed, in a
# private network namespace: three short connections that live and die
# between two polls (the kernel's destroy reports bring them, with the
# bytes each client sent) and a long one seen by the polls (opened with
# its owner, closed with its final total); --json objects and text
# lines, flushed as they happen (read through a pipe while sock top
# runs); --count N stops after N events; with -N (another namespace's
# view) closed sockets come from the polls and the first line says so.
. "$(dirname "$0")/lib.sh"
need python3
if [ -z "$SOCK_TOP_NETNS" ]; then
	unshare -rn true 2>/dev/null || skip_all "unshare -rn not permitted"
	exec timeout -k 2 120 unshare -rn env SOCK_TOP_NETNS=1 bash "$0"
fi
plan 16
export LC_ALL=C LANG=C LANGUAGE=
ip link set lo up
TOPPEER="$(cd "$(dirname "$0")" && pwd)/top_peer.py"

# A pipe, not a file: the events must come out while sock top runs.
mkfifo "$T/ev.pipe"
bg sh -c 'exec cat "$0" > "$1/ev.json"' "$T/ev.pipe" "$T"
bg sh -c 'exec "$0" top --events --json -t -d 2 > "$1/ev.pipe" 2> "$1/top.err"' "$SOCK" "$T"
TOP=$!
wait_for grep -q '"event":"start"' "$T/ev.json"
check "the first object says closed sockets come from the destroy reports" \
	grep -q '"closed_from":"destroy"' "$T/ev.json"

mkfifo "$T/s.in" "$T/p.in"
bg sh -c 'exec python3 "$0" short 3 < "$1/s.in" > "$1/s.out"' "$TOPPEER" "$T"
exec 3> "$T/s.in"
wait_for grep -q listen "$T/s.out"
echo go >&3
wait_for grep -q done "$T/s.out"
cat > "$T/closed.py" <<'PY'
import json, sys
ports = sys.argv[2:]
ev = [json.loads(l) for l in open(sys.argv[1])]
got = {e.get("local", "").rsplit(":", 1)[1] for e in ev if e["event"] == "closed"}
sys.exit(0 if set(ports) <= got else 1)
PY
SHORT=$(awk '$1 == "conn" { print $2 }' "$T/s.out" | tr '\n' ' ')
# shellcheck disable=SC2086
wait_for python3 "$T/closed.py" "$T/ev.json" $SHORT
cat > "$T/short.py" <<'PY'
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
conns = [l.split() for l in open(sys.argv[2]) if l.startswith("conn")]
def say(ok, name, detail=""):
    print(("PASS " if ok else "FAIL ") + name + (" (%s)" % detail if detail else ""))
for _, port, sent in conns:
    mine = [e for e in ev if e.get("local", "").endswith(":" + port)]
    kinds = [e["event"] for e in mine]
    closed = [e for e in mine if e["event"] == "closed"]
    say(kinds.count("opened") == 1 and kinds.count("closed") == 1,
        "connection from port %s: opened and closed once each" % port, kinds)
    tx = closed[0]["tx_bytes"] if closed else None
    say(tx is not None and int(sent) <= tx <= int(sent) + 2
        and closed[0]["closed_by"] == "destroy",
        "its close carries the %s bytes sent" % sent, closed)
PY

# A long connection: seen by a poll (with its owner), then closed.
bg sh -c 'exec python3 "$0" pace 10000 5 0.1 < "$1/p.in" > "$1/p.out"' "$TOPPEER" "$T"
exec 4> "$T/p.in"
wait_for grep -q ports "$T/p.out"
read -r _ LPORT CPORT PEERPID < "$T/p.out"
echo go >&4
wait_for grep -q sent "$T/p.out"
wait_for grep -q "\"event\":\"opened\".*\"local\":\"127.0.0.1:$CPORT\".*\"pid\":$PEERPID" "$T/ev.json"
check "the long connection's opening names its owner" \
	grep -q "\"event\":\"opened\".*\"local\":\"127.0.0.1:$CPORT\".*\"comm\":\"python3\"" "$T/ev.json"
# That opening came from a poll, which also saw the short connections'
# clients in TIME-WAIT (a cookie of their own): still one life each.
python3 "$T/short.py" "$T/ev.json" "$T/s.out" > "$T/verdict"
while read -r verdict name; do
	[ "$verdict" = PASS ]
	ok $? "$name"
done < "$T/verdict"
echo close >&4
wait_for grep -q "\"event\":\"closed\".*\"local\":\"127.0.0.1:$CPORT\"" "$T/ev.json"
check "its close carries the 50000 bytes sent and the owner" \
	grep -Eq "\"event\":\"closed\".*\"local\":\"127.0.0.1:$CPORT\".*\"tx_bytes\":5000[0-2],.*\"pid\":$PEERPID" "$T/ev.json"
kill "$TOP"
wait_exit "$TOP" 10
check "sock top --events exits 0 on SIGTERM" test "$st" = 0
check "every event is stamped in UTC" \
	sh -c "! grep -v '^{\"time\":\"20[0-9-]*T[0-9:.]*Z\"' '$T/ev.json'"

# --count: the text form, stopping by itself after two events.
bg sh -c 'exec "$0" top --events -t -n 2 -d 0.3 > "$1/two.txt" 2>&1' "$SOCK" "$T"
TWO=$!
wait_for grep -q watching "$T/two.txt"
mkfifo "$T/s2.in"
bg sh -c 'exec python3 "$0" short 2 < "$1/s2.in" > "$1/s2.out"' "$TOPPEER" "$T"
exec 5> "$T/s2.in"
wait_for grep -q listen "$T/s2.out"
echo go >&5
wait_exit "$TWO" 15; diag "count run: status $st, $(grep -cE "^[^ ]+ (opened|closed|state) " "$T/two.txt") events"
check "--count 2 stops after two events, exit 0" \
	test "$st|$(grep -cE '^[^ ]+ (opened|closed|state) ' "$T/two.txt")" = "0|2"

# What the first poll finds is the starting point: the short
# connections' TIME-WAIT sockets, already there, are not reported (a
# later connection's opening shows that polls went on).
mkfifo "$T/p2.in"
bg sh -c 'exec "$0" top --events --json -t -d 0.3 > "$1/late.json" 2>&1' "$SOCK" "$T"
LATE=$!
wait_for grep -q '"event":"start"' "$T/late.json"
bg sh -c 'exec python3 "$0" pace 1000 1 0.01 < "$1/p2.in" > "$1/p2.out"' "$TOPPEER" "$T"
exec 6> "$T/p2.in"
wait_for grep -q ports "$T/p2.out"
read -r _ _ C2PORT _ < "$T/p2.out"
wait_for grep -q "\"event\":\"opened\".*\"local\":\"127.0.0.1:$C2PORT\"" "$T/late.json"
reported=
for p in $SHORT; do
	grep -q "\"local\":\"127.0.0.1:$p\"" "$T/late.json" && reported="$reported $p"
done
check "sockets there before the start are not reported${reported:+ (reported:$reported)}" \
	test -z "$reported"
kill "$LATE"

# A reader that goes away (| head -1) ends it, even with nothing more
# to write.
timeout -k 2 10 "$SOCK" top --events -t -d 0.2 | head -1 > "$T/h.txt"
rc=${PIPESTATUS[0]}
check "--events ends 0 when its reader goes away" test "$rc|$(wc -l < "$T/h.txt")" = "0|1"

# -N: another namespace's view (here our own, named by a pid) is polled.
bg sh -c 'exec "$0" top --events -t -d 0.3 -N "$2" > "$1/ns.txt" 2>&1' "$SOCK" "$T" "$$"
NS=$!
wait_for grep -q watching "$T/ns.txt"
check "with -N, the first line says closed sockets come from the polls" \
	grep -q "closed ones from the polls" "$T/ns.txt"
mkfifo "$T/p3.in"
bg sh -c 'exec python3 "$0" pace 10000 3 0.05 < "$1/p3.in" > "$1/p3.out"' "$TOPPEER" "$T"
exec 7> "$T/p3.in"
wait_for grep -q ports "$T/p3.out"
read -r _ L3PORT C3PORT _ < "$T/p3.out"
echo go >&7
wait_for grep -q sent "$T/p3.out"
wait_for grep -Eq " opened tcp +127.0.0.1:$C3PORT " "$T/ns.txt"
# a connection made after the transfer, seen opened: a poll has read
# the whole total since; then the close
mkfifo "$T/p4.in"
bg sh -c 'exec python3 "$0" pace 1 1 0.01 < "$1/p4.in" > "$1/p4.out"' "$TOPPEER" "$T"
exec 8> "$T/p4.in"
wait_for grep -q ports "$T/p4.out"
read -r _ _ C4PORT _ < "$T/p4.out"
wait_for grep -Eq " opened tcp +127.0.0.1:$C4PORT " "$T/ns.txt"
echo close >&7
wait_for grep -Eq " closed tcp +127.0.0.1:$L3PORT " "$T/ns.txt"
wait_for grep -Eq " closed tcp +127.0.0.1:$C3PORT " "$T/ns.txt"
check "polled closes carry the last poll's totals, by=poll" \
	sh -c "grep -Eq ' closed tcp +127.0.0.1:$C3PORT .* tx=3000[0-2] .*by=poll' '$T/ns.txt' &&
		grep -Eq ' closed tcp +127.0.0.1:$L3PORT .* rx=3000[01] .*by=poll' '$T/ns.txt'"
kill "$NS"
[ "$_failed" = 0 ] || { diag "two.txt:"; sed "s/^/# /" "$T/two.txt"; }
exec 3>&- 4>&- 5>&- 6>&- 7>&- 8>&-
exit $_failed
