#!/usr/bin/env bash
# sock list's filters on owners and namespaces (pid, comm, uid, netns) and
# ss's port comparisons and address prefixes, in a namespace this test
# makes: each narrows to the rows ss's own filter gives (where ss has one)
# or to the rows expected.
. "$(dirname "$0")/lib.sh"
need python3
need ip
need ss
[ "$(id -u)" = 0 ] || skip_all "needs root (ip netns add)"
A=sock-it-$$-f
ip netns add "$A" 2> /dev/null || skip_all "ip netns add is not available here"
trap 'ip netns del "$A" 2> /dev/null; _cleanup' EXIT
plan 15

# listeners on 127.0.0.1:1022, 127.0.0.1:7201 and [::1]:7201, each with
# one connection to it, for at most 120 s
cat > "$T/holder.py" << 'PY'
import socket, time
keep = []
for fam, host, p in ((socket.AF_INET, "127.0.0.1", 1022),
                     (socket.AF_INET, "127.0.0.1", 7201),
                     (socket.AF_INET6, "::1", 7201)):
    a = socket.create_server((host, p), family=fam)
    c = socket.create_connection((host, p))
    keep += [a, c, a.accept()[0]]
print("ready", flush=True)
time.sleep(120)
PY
ip netns exec "$A" ip link set lo up
bg ip netns exec "$A" python3 "$T/holder.py" > "$T/h.out"
PH=$!
wait_for grep -q ready "$T/h.out" || { echo "Bail out! holder did not start"; exit 1; }

# rows: "local remote" pairs, sorted, from sock list or from ss
sock_rows() { "$SOCK" list -tan -N "$A" "$@" | tail -n +3 | awk '{ print $4, $5 }' | sort; }
ss_rows() { ip netns exec "$A" ss -tanH "$@" | awk '{ print $4, $5 }' | sort; }
# like_ss DESC SOCK_FILTER SS_FILTER: same rows, and at least one
like_ss() {
	sock_rows "$2" > "$T/s" 2> "$T/err"; ss_rows "$3" > "$T/r"
	if [ -s "$T/r" ] && cmp -s "$T/s" "$T/r"; then ok 0 "$1"; else
		ok 1 "$1"; diag "sock: $(cat "$T/s" "$T/err")"; diag "ss: $(cat "$T/r")"; fi
}
like_ss "sport > 1024 as ss" "sport > 1024" "sport > :1024"
like_ss "sport gt 1024 (ss's spelling)" "sport gt 1024" "sport > :1024"
like_ss "dport <= 1023 as ss" "dport <= 1023" "dport <= :1023"
like_ss "'sport>=7201' glued as ss" "sport>=7201" "sport >= :7201"
like_ss "sport != 7201 as ss" "sport != 7201" "sport != :7201"
like_ss "dport lt 7201 and dport ge 1 as ss" "dport lt 7201 and dport ge 1" "dport < :7201 and dport >= :1"
like_ss "src 127.0.0.0/8 as ss" "src 127.0.0.0/8" "src 127.0.0.0/8"
like_ss "dst [::1]/128 as ss's dst ::1/128" "dst [::1]/128" "dst ::1/128"
like_ss "dst ::1/128 as ss" "dst ::1/128" "dst ::1/128"

count() { sock_rows "$@" | grep -c .; }
check "pid N: the holder's 9 sockets" test "$(count pid "$PH")" = 9
check "pid N of another process: none" test "$(count pid 1)" = 0
check "comm python3 and sport = 7201: 4 rows (2 listeners, 2 accepted)" \
	test "$(count comm python3 and sport = 7201)" = 4
check "uid 0: all 9; uid 4242: none" test "$(count uid 0)/$(count uid 4242)" = 9/0
check "not comm python3: none (TIME-WAIT-free, all held)" test "$(count not comm python3)" = 0
"$SOCK" list -tan --all-netns netns "$A" > "$T/out"
check "--all-netns with netns NAME: only that namespace's 9 rows" \
	test "$(tail -n +3 "$T/out" | grep -c "$A\$")/$(tail -n +3 "$T/out" | wc -l)" = 9/9
done_testing
