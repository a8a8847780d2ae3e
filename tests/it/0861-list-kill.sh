#!/usr/bin/env bash
# sock list -K FILTER in a private network namespace with known sockets
# (tests/data/sumkill-hold.py): the killed end's peer sees a reset, the
# killed socket is gone and the listener stays; --dry-run kills nothing;
# no filter is a usage error; an unconnected UDP socket is skipped with
# a line, a connected one killed; without CAP_NET_ADMIN one clear line
# and exit 1.
. "$(dirname "$0")/lib.sh"
need python3
need setpriv
HERE=$(cd "$(dirname "$0")" && pwd)
if [ -z "$SOCK_SUMKILL_NETNS" ]; then
	unshare -rn true 2>/dev/null || skip_all "unshare -rn not permitted"
	exec timeout -k 2 60 unshare -rn env SOCK_SUMKILL_NETNS=1 bash "$0"
fi
plan 9

ip link set lo up
bg python3 "$HERE/../data/sumkill-hold.py" "$T/hold" reader
wait_for grep -q ready "$T/hold" || { echo "Bail out! holder did not start"; exit 1; }
read -r L U UC C < <(sed -n 2p "$T/hold")
rows() { "$SOCK" list -tuan "$@" | tail -n +3; }

# 1: no filter: refused, exit 2, nothing killed
before=$(rows -a | wc -l)
"$SOCK" list -K -t > "$T/o1" 2> "$T/e1"; st=$?
check "-K without a filter: exit 2, says it needs one, kills nothing" \
	test "$st" = 2 -a -n "$(grep -- '--kill needs a FILTER' "$T/e1")" \
	-a ! -s "$T/o1" -a "$(rows -a | wc -l)" = "$before"

# 2: --dry-run lists the four sockets of the two pairs, kills none
"$SOCK" list -K --dry-run -t port "$L" > "$T/o2"; st=$?
check "--dry-run: a 'would kill' row per matched socket, exit 0" \
	test "$st" = 0 -a "$(grep -c '^would kill  *tcp ' "$T/o2")" = 4
check "--dry-run kills nothing" test "$(rows -a | wc -l)" = "$before"

# 3-5: kill the client end of the first pair
"$SOCK" list -K -t sport "$C" > "$T/o3" 2> "$T/e3"; st=$?
sed 's/^/# /' "$T/o3" "$T/e3"
check "-K sport C: one 'killed' row naming it, exit 0" \
	test "$st" = 0 -a "$(wc -l < "$T/o3")" = 1 \
	-a -n "$(grep "^killed  *tcp  *127.0.0.1:$C  *127.0.0.1:$L  *ESTABLISHED$" "$T/o3")"
check "the peer reading the other end gets a reset" \
	wait_for grep -qx reset "$T/hold"
rows -a > "$T/rows5"
check "the killed socket is gone, the listener and the other pair stay" \
	sh -c '! grep -q ":$1 " "$2" && grep -q "127.0.0.1:$3  *0.0.0.0:\*  *LISTEN" "$2" &&
		test "$(grep -c "^tcp .*ESTABLISHED" "$2")" = 2' _ "$C" \
		"$T/rows5" "$L"

# 6: an unconnected UDP socket is skipped with a line; a connected one goes
"$SOCK" list -K -ua sport "$U" or sport "$UC" > "$T/o6" 2> "$T/e6"; st=$?
sed 's/^/# /' "$T/o6" "$T/e6"
check "-K on UDP: the unconnected one skipped with a line, the connected one killed" \
	test "$st" = 0 \
	-a -n "$(grep "skipped unconnected UDP socket 127.0.0.1:$U " "$T/e6")" \
	-a -n "$(grep "^killed  *udp  *127.0.0.1:$UC  *127.0.0.1:$U " "$T/o6")" \
	-a -n "$(rows -a sport "$U")" -a -z "$(rows -a sport "$UC")"

# 7-8: without CAP_NET_ADMIN (dropped from the bounding set): one line, exit 1
setpriv --bounding-set=-net_admin "$SOCK" list -K -t dport "$L" > "$T/o7" 2> "$T/e7"; st=$?
sed 's/^/# /' "$T/e7"
check "no CAP_NET_ADMIN: exit 1 with one line naming it" \
	test "$st" = 1 -a "$(wc -l < "$T/e7")" = 1 \
	-a -n "$(grep 'needs CAP_NET_ADMIN' "$T/e7")" -a ! -s "$T/o7"
check "no CAP_NET_ADMIN: nothing was killed" \
	test "$(rows dport "$L" | wc -l)" = 1
