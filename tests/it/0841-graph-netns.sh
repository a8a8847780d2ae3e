#!/usr/bin/env bash
# sock list --graph --all-netns joins peers only inside one network
# namespace: two namespaces hold connections with the same four-tuple
# (127.0.0.1:7201 <-> 127.0.0.1:7202), and each edge must join two
# sockets of the same namespace.
. "$(dirname "$0")/lib.sh"
need python3
need ip
[ "$(id -u)" = 0 ] || skip_all "needs root (ip netns add)"
A=sock-it-$$-ga
B=sock-it-$$-gb
ip netns add "$A" 2> /dev/null || skip_all "ip netns add is not available here"
trap 'ip netns del "$A" 2> /dev/null; ip netns del "$B" 2> /dev/null; _cleanup' EXIT
ip netns add "$B" || { echo "Bail out! ip netns add $B"; exit 1; }
plan 2

# the same connection in each namespace, client bound to a fixed port
cat > "$T/pair.py" << 'PY'
import socket, time
a = socket.create_server(("127.0.0.1", 7201))
c = socket.socket()
c.bind(("127.0.0.1", 7202))
c.connect(("127.0.0.1", 7201))
s = a.accept()[0]
print("ready", flush=True)
time.sleep(60)
PY
for ns in "$A" "$B"; do
	ip netns exec "$ns" ip link set lo up
	bg ip netns exec "$ns" python3 "$T/pair.py" > "$T/$ns.out"
done
for ns in "$A" "$B"; do
	wait_for grep -q ready "$T/$ns.out" || { echo "Bail out! pair in $ns did not start"; exit 1; }
done

timeout -k 2 20 "$SOCK" list -t --all-netns --json 'port = :7201' > "$T/rows.json"
timeout -k 2 20 "$SOCK" list -t --all-netns --graph dot 'port = :7201' > "$T/g.dot"
# inode -> namespace, then every socket-to-socket edge checked
python3 - "$T/rows.json" "$T/g.dot" > "$T/edges" << 'PY'
import json, re, sys
ns = {r["inode"]: r["netns"]["inode"] for r in json.load(open(sys.argv[1]))}
for a, b in re.findall(r'"s(\d+)" -- "s(\d+)"', open(sys.argv[2]).read()):
    print("same" if ns.get(int(a)) == ns.get(int(b)) else "crossed", a, b)
PY
diag "$(cat "$T/edges")"
check "two connections, so two edges" test "$(grep -c . "$T/edges")" = 2
check "each edge joins two sockets of one namespace" \
	test "$(grep -c '^same ' "$T/edges")" = 2
done_testing
