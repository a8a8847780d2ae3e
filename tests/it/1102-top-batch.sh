#!/usr/bin/env bash
# sock top -b -n COUNT in a private network namespace: COUNT snapshots
# then exit 0; the connection's rows carry the owner; a filter in sock
# list's language (and ss's quoted form) keeps only what it names; UDP
# rates say n/a; a closed connection stays with its final total.
. "$(dirname "$0")/lib.sh"
need python3
if [ -z "$SOCK_TOP_NETNS" ]; then
	unshare -rn true 2>/dev/null || skip_all "unshare -rn not permitted"
	exec timeout -k 2 120 unshare -rn env SOCK_TOP_NETNS=1 bash "$0"
fi
plan 8
export LC_ALL=C LANG=C LANGUAGE=
ip link set lo up
TOPPEER="$(cd "$(dirname "$0")" && pwd)/top_peer.py"

mkfifo "$T/p.in" "$T/q.in" "$T/u.in"
bg sh -c 'exec python3 "$0" pace 100000 1 0.01 < "$1/p.in" > "$1/p.out"' "$TOPPEER" "$T"
exec 3> "$T/p.in"
bg sh -c 'exec python3 "$0" pace 1000 1 0.01 < "$1/q.in" > "$1/q.out"' "$TOPPEER" "$T"
exec 4> "$T/q.in"
bg sh -c 'exec python3 "$0" udp < "$1/u.in" > "$1/u.out"' "$TOPPEER" "$T"
exec 5> "$T/u.in"
for f in p q u; do
	wait_for grep -q ports "$T/$f.out" || { echo "Bail out! peer $f did not start"; exit 1; }
done
read -r _ LPORT CPORT PEERPID < "$T/p.out"
read -r _ QPORT _ _ < "$T/q.out"
echo go >&3
echo go >&4
wait_for grep -q sent "$T/p.out"
wait_for grep -q sent "$T/q.out"

timeout -k 2 20 "$SOCK" top -b -n 3 -d 0.2 -tu > "$T/b.txt" 2> "$T/b.err"
check "-b -n 3: three snapshots, exit 0" \
	test "$?|$(grep -c '^sock top - ' "$T/b.txt")" = "0|3"
check "the client's row names its owner" \
	grep -Eq "^tcp .*:$CPORT .*ESTABLISHED .* $PEERPID/python3\$" "$T/b.txt"
check "the UDP row says n/a for rates, and its drops" \
	grep -Eq "^udp .* n/a +n/a +n/a +n/a .* drops:0 " "$T/b.txt"

timeout -k 2 20 "$SOCK" top -b -n 1 -t --numeric dport = ":$LPORT" > "$T/f.txt"
check "a filter (ss's form) keeps only the connection it names" \
	test "$(grep -c '^tcp ' "$T/f.txt")|$(grep -c ":$LPORT *ESTABLISHED" "$T/f.txt")" = "1|1"
timeout -k 2 20 "$SOCK" top -b -n 1 -ta --numeric "not ( sport = :$LPORT or dport = :$LPORT )" > "$T/g.txt"
check "not ( ... or ... ) leaves the other connection" \
	sh -c "! grep -q ':$LPORT ' '$T/g.txt' && grep -q ':$QPORT ' '$T/g.txt'"

# Close the 100000-byte connection while a batch run watches: its row
# stays, CLOSED, with the final total (97.7K = 100000 + SYN + FIN bytes).
bg sh -c 'exec "$0" top -b -n 30 -d 0.2 -t --numeric sport = ":$2" > "$1/c.txt" 2>&1' "$SOCK" "$T" "$LPORT"
BATCH=$!
wait_for grep -q '^sock top - ' "$T/c.txt"
echo close >&3
wait_for grep -q closed "$T/p.out"
wait_for grep -Eq "^tcp .*:$LPORT .* CLOSED " "$T/c.txt"
check "the closed connection stays, CLOSED, with its final total" \
	grep -Eq "^tcp .*:$LPORT .*:$CPORT +CLOSED .* 97\.7K " "$T/c.txt"
kill "$BATCH"
wait_exit "$BATCH" 10
check "-b ends 0 on SIGTERM" test "$st" = 0
check "nothing on stderr" test ! -s "$T/b.err"
[ "$_failed" = 0 ] || { diag "b.txt, c.txt:"; sed 's/^/# /' "$T/b.txt" "$T/c.txt" | tail -40; }
exec 3>&- 4>&- 5>&-
exit $_failed
