#!/usr/bin/env bash
# sock list's cgroup PATH filter: in a namespace this test makes, one
# python3 holder moved into a cgroup v2 child of this test's own cgroup
# and one left where it was; `cgroup CHILD` picks exactly the moved
# holder's sockets (TCP and Unix), an ancestor path picks both, a path
# that is only a string prefix of CHILD picks none.
. "$(dirname "$0")/lib.sh"
need python3
need ip
[ "$(id -u)" = 0 ] || skip_all "needs root (ip netns add, cgroup.procs)"

# this process's cgroup v2 directory: the cgroup2 mount + the 0:: path
MNT=$(awk '{ for (i = 7; i < NF; i++) if ($i == "-") { if ($(i + 1) == "cgroup2") { print $5; exit } break } }' /proc/self/mountinfo)
[ -n "$MNT" ] || skip_all "no cgroup v2 mount here"
SELF=$(sed -n 's/^0:://p' /proc/self/cgroup)
[ -n "$SELF" ] || skip_all "no cgroup v2 line in /proc/self/cgroup"
SELF=${SELF%/}
CG=$SELF/sock-it-$$
DIR=$MNT$CG
mkdir "$DIR" 2> /dev/null || skip_all "cgroup v2 is not writable here ($MNT$SELF)"
A=sock-it-$$-cg
if ! ip netns add "$A" 2> /dev/null; then
	rmdir "$DIR"
	skip_all "ip netns add is not available here"
fi
# the holders must be gone (reaped) before their cgroup can be removed
cleanup_cg() {
	for p in "${PIDS[@]}"; do kill "$p" 2> /dev/null; done
	for p in "${PIDS[@]}"; do timeout -k 1 5 tail --pid="$p" -f /dev/null 2> /dev/null; done
	wait 2> /dev/null
	for _ in $(seq 50); do rmdir "$DIR" 2> /dev/null && break; sleep 0.1; done
	ip netns del "$A" 2> /dev/null
	_cleanup
}
trap cleanup_cg EXIT

# a TCP listener with one connection and an abstract Unix listener with
# one connection: 3 + 3 sockets; prints its pid, then holds them 120 s
cat > "$T/holder.py" << 'PY'
import os, socket, sys, time
keep = []
l = socket.create_server(("127.0.0.1", 0))
c = socket.create_connection(l.getsockname())
u = socket.socket(socket.AF_UNIX)
u.bind("\0" + sys.argv[1]); u.listen()
v = socket.socket(socket.AF_UNIX); v.connect("\0" + sys.argv[1])
keep += [l, c, l.accept()[0], u, v, u.accept()[0]]
print("ready", os.getpid(), flush=True)
time.sleep(120)
PY
ip netns exec "$A" ip link set lo up
bg ip netns exec "$A" python3 "$T/holder.py" "sock-it-$$-in" > "$T/in.out"
bg ip netns exec "$A" python3 "$T/holder.py" "sock-it-$$-out" > "$T/out.out"
wait_for grep -q ready "$T/in.out" && wait_for grep -q ready "$T/out.out" ||
	{ echo "Bail out! holders did not start"; exit 1; }
IN=$(awk '{ print $2 }' "$T/in.out")
OUT=$(awk '{ print $2 }' "$T/out.out")
if ! echo "$IN" > "$DIR/cgroup.procs" 2> "$T/err"; then
	echo "1..0 # SKIP cannot move a process into $DIR: $(cat "$T/err")"
	exit 0
fi
grep -qx "0::$CG" "/proc/$IN/cgroup" || { echo "Bail out! $IN is not in $CG"; exit 1; }
plan 11

# rows: "pid local remote" of sock list -p in namespace A, sorted
rows() { "$SOCK" list -p -N "$A" "$@" 2> "$T/err" | tail -n +3 | awk '{ print $NF, $4, $5 }' | sort; }
rows -tan pid "$IN" > "$T/want-in"
rows -tan pid "$OUT" > "$T/want-out"
cat "$T/want-in" "$T/want-out" | sort > "$T/want-all"
diag "holder $IN in $CG, holder $OUT in ${SELF:-/}"
# same DESC FILE ARGS...: the rows of sock list ARGS are FILE's, not none
same() {
	local d=$1 f=$2
	shift 2
	rows "$@" > "$T/got"
	if [ -s "$f" ] && cmp -s "$T/got" "$f"; then ok 0 "$d"; else
		ok 1 "$d"; diag "got: $(cat "$T/got" "$T/err")"; diag "want: $(cat "$f")"; fi
}
check "the moved holder has its 3 TCP rows" test "$(grep -c . "$T/want-in")" = 3
same "cgroup CHILD: exactly the moved holder's TCP sockets" "$T/want-in" -tan cgroup "$CG"
same "cgroup CHILD/ (trailing slash): the same" "$T/want-in" -tan cgroup "$CG/"
same "cgroup without the leading slash: the same" "$T/want-in" -tan cgroup "${CG#/}"
same "not cgroup CHILD: exactly the other holder's" "$T/want-out" -tan not cgroup "$CG"
same "cgroup PARENT (this test's own): both holders" "$T/want-all" -tan cgroup "${SELF:-/}"
rows -tan cgroup "${CG%?}" > "$T/got"
check "cgroup of a string prefix of CHILD (not a component): none" test ! -s "$T/got"
PORT=$(awk '$3 == "0.0.0.0:*" { sub(/.*:/, "", $2); print $2 }' "$T/want-in")
grep " 127.0.0.1:$PORT " "$T/want-in" > "$T/want-port"
same "cgroup CHILD and sport = its listener's port: the listener and the accepted socket" \
	"$T/want-port" -tan cgroup "$CG" and sport = "$PORT"
"$SOCK" list -xap -N "$A" cgroup "$CG" 2>&1 | tail -n +3 > "$T/unix"
check "Unix sockets too: the moved holder's 3 and no other" \
	test "$(grep -c "$IN/python3" "$T/unix")/$(grep -c . "$T/unix")" = 3/3
"$SOCK" list -tanp --all-netns cgroup "$CG" > "$T/all" 2>&1
check "--all-netns with cgroup CHILD: the moved holder's 3 rows, every namespace searched" \
	test "$(tail -n +3 "$T/all" | grep -c "$IN/python3")/$(tail -n +3 "$T/all" | grep -vc "$IN/python3")" = 3/0
"$SOCK" list -tan cgroup "" > /dev/null 2> "$T/err"
check "cgroup with an empty path: usage error (exit 2)" test $? = 2
done_testing
