#!/usr/bin/env bash
# sock list -N and --all-netns over namespaces this test makes: two named
# ones (ip netns add) and an unnamed one (unshare -n), each with known
# listeners and a connection; every row is tagged with its namespace (the
# ip netns name, or net:[INODE]:PID/COMMAND), -N takes a name, a path or
# a pid, a bad -N says so, and without CAP_SYS_ADMIN a closing line
# counts the namespaces that could not be entered.
. "$(dirname "$0")/lib.sh"
need python3
need ip
[ "$(id -u)" = 0 ] || skip_all "needs root (ip netns add)"
A=sock-it-$$-a
B=sock-it-$$-b
ip netns add "$A" 2> /dev/null || skip_all "ip netns add is not available here"
trap 'ip netns del "$A" 2> /dev/null; ip netns del "$B" 2> /dev/null; _cleanup' EXIT
ip netns add "$B" || { echo "Bail out! ip netns add $B"; exit 1; }
plan 11

# holder PORT...: listeners on 127.0.0.1:PORT, each with one connection
# to it (both ends held), for at most 120 s; prints ready.
cat > "$T/holder.py" << 'PY'
import socket, sys, time
keep = []
for p in sys.argv[1:]:
    a = socket.create_server(("127.0.0.1", int(p)))
    c = socket.create_connection(("127.0.0.1", int(p)))
    keep += [a, c, a.accept()[0]]
print("ready", flush=True)
time.sleep(120)
PY
ip netns exec "$A" ip link set lo up
ip netns exec "$B" ip link set lo up
bg ip netns exec "$A" python3 "$T/holder.py" 7101 > "$T/a.out"
PA=$!
bg ip netns exec "$B" python3 "$T/holder.py" 7102 > "$T/b.out"
bg unshare -n sh -c 'ip link set lo up && exec python3 "$1" 7103' sh "$T/holder.py" > "$T/c.out"
PC=$!
for f in a b c; do
	wait_for grep -q ready "$T/$f.out" || { echo "Bail out! holder $f did not start"; exit 1; }
done
INO_C=$(stat -L -c %i "/proc/$PC/ns/net")

# tag PORT: the NetNS column of the rows whose local or remote port is PORT
tag() { awk -v p=":$1" '$4 ~ p"$" || $5 ~ p"$" { print $NF }' "$T/all" | sort -u; }
"$SOCK" list -tan --all-netns > "$T/all" 2> "$T/all.err"
rc=$?
check "--all-netns lists with a NetNS column" \
	test "$rc" = 0 -a "$(sed -n 2p "$T/all" | awk '{ print $NF }')" = NetNS
check "rows of the named namespace $A are tagged $A (3 rows)" \
	test "$(tag 7101)" = "$A" -a "$(grep -c ':7101 ' "$T/all")" = 3
check "rows of the named namespace $B are tagged $B" test "$(tag 7102)" = "$B"
check "rows of the unnamed namespace are tagged net:[$INO_C]:$PC/python3" \
	test "$(tag 7103)" = "net:[$INO_C]:$PC/python3"

"$SOCK" list -ta --json --all-netns > "$T/all.json"
check "--json: each row's netns has the right inode and name" python3 -c '
import json, os, sys
rows = json.load(open(sys.argv[1]))
want = {7101: sys.argv[2], 7102: sys.argv[3], 7103: None}
ino = {p: os.stat("/run/netns/" + n).st_ino if n else int(sys.argv[4]) for p, n in want.items()}
seen = 0
for r in rows:
    for p in want:
        if p in (r["local"]["port"], r["remote"]["port"]):
            assert r["netns"]["name"] == want[p] and r["netns"]["inode"] == ino[p], r
            seen += 1
assert seen == 9, seen
' "$T/all.json" "$A" "$B" "$INO_C"

only() { # only PORT ARGS...: the listing of ARGS has 3 rows, all on PORT, no NetNS column
	"$SOCK" list -tan "${@:2}" > "$T/one" 2>&1 &&
		test "$(tail -n +3 "$T/one" | wc -l)" = 3 &&
		test "$(tail -n +3 "$T/one" | grep -c ":$1 ")" = 3 &&
		! grep -q NetNS "$T/one"
}
check "-N NAME lists that namespace only" only 7101 -N "$A"
check "-N /run/netns/NAME lists that namespace only" only 7102 --netns "/run/netns/$B"
check "-N PID lists the namespace of that process" only 7103 --netns="$PC"
check "-N PID of a process in a named namespace" only 7101 -N "$PA"

"$SOCK" list -N "nosuch-$$" > "$T/out" 2> "$T/err"
rc=$?
check "a bad -N exits 2 with one line naming it" \
	test "$rc" = 2 -a "$(wc -l < "$T/err")" = 1 -a -n "$(grep "nosuch-$$" "$T/err")"

if nobody_sock; then
	"${AS_NOBODY[@]}" "$NOBODY_SOCK" list -tan --all-netns > "$T/out" 2> "$T/err"
	rc=$?
	diag "$(cat "$T/err")"
	check "without CAP_SYS_ADMIN: a closing line counts what could not be entered, exit 0" \
		test "$rc" = 0 -a -n "$(grep 'could not be entered (no CAP_SYS_ADMIN' "$T/err")" \
		-a "$(grep -c ':710[123] ' "$T/out")" = 0
else
	echo "ok $((_n += 1)) # SKIP $why"
fi
done_testing
