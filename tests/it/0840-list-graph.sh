#!/usr/bin/env bash
# sock list --graph in a private network namespace: a known set of
# processes and connections (graph_peers.py, a sock listen/connect pair),
# then exactly their edges in the DOT text, listeners marked, a filter
# narrowing the graph, process names escaped, --graph svg well-formed and
# naming the processes, --graph bogus and a missing dot.
. "$(dirname "$0")/lib.sh"
need python3
HERE=$(cd "$(dirname "$0")" && pwd)
if [ -z "$SOCK_GRAPH_NETNS" ]; then
	unshare -rn true 2>/dev/null || skip_all "unshare -rn not permitted"
	exec timeout -k 2 120 unshare -rn env SOCK_GRAPH_NETNS=1 bash "$0"
fi
plan 13

ip link set lo up
GP=$HERE/graph_peers.py
EDGES=$HERE/graph_edges.py
# gp NAME ROLE ARG...: a graph_peers.py process, its output in $T/NAME.out
gp() { local n=$1; shift; bg python3 "$GP" "$@" > "$T/$n.out"; }
ready() { wait_for grep -q ready "$T/$1.out"; }

# TCP: one server, two clients (one with a name full of DOT's specials)
gp tsrv tsrv tcp-server 2
wait_for test -s "$T/tsrv.out" || { echo "Bail out! tcp server"; exit 1; }
tport=$(head -1 "$T/tsrv.out")
gp tc1 tcli1 tcp-client "$tport"
gp tc2 'q"b\s\n2' tcp-client "$tport"
# Unix: a server on a path and its client
gp usrv usrv unix-server "$T/u.sock"
wait_for grep -q listening "$T/usrv.out"
gp ucli ucli unix-client "$T/u.sock"
# UDP: a connected pair
gp dsrv dsrv udp-server
wait_for test -s "$T/dsrv.out" || { echo "Bail out! udp server"; exit 1; }
gp dcli dcli udp-client "$(head -1 "$T/dsrv.out")"
# sock itself: listen and connect (stdin held open on both)
hold_stdin "$T/in1"
hold_stdin "$T/in2"
listen_bg sl tcp://127.0.0.1:0 < "$T/in1"
# (not through bg: a background command's stdin is /dev/null otherwise)
"$SOCK" connect "127.0.0.1:$port" < "$T/in2" > /dev/null &
PIDS+=($!)
for n in tsrv tc1 tc2 usrv ucli dsrv dcli; do
	ready $n || { echo "Bail out! $n not ready"; exit 1; }
done
# the sock pair has connected once the listener says so
wait_for grep -q 'connection from' "$T/sl.err"

same() { # DESCRIPTION EXPECTED-FILE ACTUAL-FILE
	if cmp -s "$2" "$3"; then ok 0 "$1"; else
		ok 1 "$1"; diff "$2" "$3" | sed 's/^/# /'; fi
}

# 1: exactly the edges of the connections we made
"$SOCK" list --graph dot -a > "$T/all.dot"
st=$?
python3 "$EDGES" < "$T/all.dot" > "$T/all.edges"
cat > "$T/want.edges" <<'W'
dcli(udp) -- dsrv(udp) ESTABLISHED
q"b\s\x0a2(tcp) -- tsrv(tcp) ESTABLISHED
sock(tcp) -- sock(tcp) ESTABLISHED
tcli1(tcp) -- tsrv(tcp) ESTABLISHED
ucli(unix) -- usrv(unix) CONNECTED
W
same "--graph dot -a: exactly the peer edges of the connections made" \
	"$T/want.edges" "$T/all.edges"
ok $st "--graph dot exits 0"

# 2: listeners marked (a diamond with their address); sock listen has
# closed its listening socket after the one connection it serves
python3 "$EDGES" --listeners < "$T/all.dot" > "$T/all.listeners"
cat > "$T/want.listeners" <<W
tsrv tcp 127.0.0.1:$tport
usrv unix $T/u.sock
W
same "listeners are diamonds with their address" "$T/want.listeners" "$T/all.listeners"

# 3: the same snapshot twice gives the same text (sorted output)
"$SOCK" list --graph dot -a > "$T/again.dot"
same "the same sockets give the same DOT text" "$T/all.dot" "$T/again.dot"

# 4: a filter narrows the graph: only the TCP server's port
"$SOCK" list --graph dot -t "sport = :$tport" | python3 "$EDGES" > "$T/f.edges"
cat > "$T/want.f" <<W
host(127.0.0.1) -- tsrv(tcp) ESTABLISHED
host(127.0.0.1) -- tsrv(tcp) ESTABLISHED
W
same "a filter narrows the graph (the peers outside it are host leaves)" \
	"$T/want.f" "$T/f.edges"
# 5: protocol flags: -x shows only the Unix pair
"$SOCK" list --graph dot -x | python3 "$EDGES" > "$T/x.edges"
echo "ucli(unix) -- usrv(unix) CONNECTED" > "$T/want.x"
same "-x: only the Unix edges" "$T/want.x" "$T/x.edges"

# 6: the odd name is escaped (a quote, a backslash, a newline)
check "a process name's quote, backslash and newline are escaped" \
	grep -qF '/q\"b\\s\\x0a2"' "$T/all.dot"

# 7-8: --graph bogus and a missing value are usage errors
"$SOCK" list --graph bogus > /dev/null 2> "$T/bogus.err"
st=$?
check "--graph bogus exits 2 naming the format" \
	test "$st" = 2 -a "$(grep -c "bogus: not a graph format" "$T/bogus.err")" = 1
"$SOCK" list --graph > /dev/null 2> "$T/none.err"
check "--graph without a value exits 2" test $? = 2

# 9: without dot on PATH, one clear line and exit 1
mkdir "$T/nodot"
PATH=$T/nodot "$SOCK" list --graph svg -a > "$T/nodot.out" 2> "$T/nodot.err"
st=$?
check "--graph svg without dot: exit 1, one line naming Graphviz" \
	test "$st" = 1 -a "$(wc -l < "$T/nodot.err")" = 1 -a -n \
	"$(grep 'graphviz' "$T/nodot.err")" -a ! -s "$T/nodot.out"

# 10-12: --graph svg is well-formed XML naming the processes
if ! command -v dot > /dev/null; then
	for i in 1 2 3; do echo "ok $((_n + i)) # SKIP Graphviz's dot not installed"; done
	exit 0
fi
"$SOCK" list --graph svg -a > "$T/all.svg"
ok $? "--graph svg exits 0"
if command -v xmllint > /dev/null; then
	check "the SVG is well-formed (xmllint)" xmllint --noout "$T/all.svg"
else
	check "the SVG is well-formed (python3)" python3 -c \
		'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])' "$T/all.svg"
fi
check "the SVG names every process" python3 - "$T/all.svg" <<'PY'
import sys, xml.etree.ElementTree as E
text = " ".join(t.text or "" for t in E.parse(sys.argv[1]).iter()
                if t.tag.endswith("text"))
for name in ("tsrv", "tcli1", 'q"b\\s\\x0a2', "usrv", "ucli", "dsrv", "dcli", "sock"):
    if "/" + name not in text:
        sys.exit("missing " + name)
PY
