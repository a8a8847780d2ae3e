#!/usr/bin/env bash
# sock list with ss's habits, in a private network namespace: the filter
# quoted as one word ('sport = :5000', '( sport = :5022 or dport = :5022 )',
# operators and parentheses glued) lists what the separate words list, and
# a filter that names a state picks the states itself (state listening
# without -l shows the listeners); -l with states no server has says why
# the table is empty.
. "$(dirname "$0")/lib.sh"
need python3
if [ -z "$SOCK_LIST_NETNS" ]; then
	unshare -rn true 2>/dev/null || skip_all "unshare -rn not permitted"
	exec timeout -k 5 60 unshare -rn env SOCK_LIST_NETNS=1 bash "$0"
fi
plan 10
ip link set lo up 2>/dev/null || ifconfig lo up 2>/dev/null

# listeners on 5000 and 5022, and one connection to 5022 (both ends held)
mkfifo "$T/hold.in"
bg sh -c 'exec python3 -c "
import socket, sys
a = socket.create_server((\"127.0.0.1\", 5000))
b = socket.create_server((\"127.0.0.1\", 5022))
c = socket.create_connection((\"127.0.0.1\", 5022))
d = b.accept()[0]
print(\"ready\", flush=True)
sys.stdin.read()
" < "$1/hold.in" > "$1/hold.out"' sh "$T"
exec 3> "$T/hold.in"
wait_for grep -q ready "$T/hold.out" || { echo "Bail out! holder did not start"; exit 1; }

rows() { tail -n +3 | tr -s ' ' | sort; }
# same DESCRIPTION EXPECTED_ROWS ARGS...: sock list ARGS... exits 0 with
# exactly the rows of the listing in the file EXPECTED_ROWS (non-empty)
same() {
	local d=$1 want=$2; shift 2
	"$SOCK" list "$@" > "$T/got" 2> "$T/err"
	local rc=$?
	rows < "$T/got" > "$T/got.rows"
	if [ $rc -eq 0 ] && [ -s "$want" ] && cmp -s "$want" "$T/got.rows"; then
		ok 0 "$d"
	else
		ok 1 "$d"
		diag "exit $rc; $(cat "$T/err")"
		diff "$want" "$T/got.rows" | sed 's/^/# /'
	fi
}

# 1: one word, as ss users type it
"$SOCK" list -tln sport = :5000 | rows > "$T/l5000"
check "the unquoted words list the 5000 listener alone" \
	test "$(wc -l < "$T/l5000")" = 1 -a -n "$(grep -F ':5000 ' "$T/l5000")"
same "-tln 'sport = :5000' as the separate words" "$T/l5000" -tln 'sport = :5000'
same "-tln 'sport == :5000'" "$T/l5000" -tln 'sport == :5000'
same "-tln sport=:5000 (one word, no blanks)" "$T/l5000" -tln sport=:5000

# 2: parentheses and or inside one word, spaced and glued
"$SOCK" list -tan '(' sport = :5022 or dport = :5022 ')' | rows > "$T/a5022"
check "the unquoted words list the 5022 listener and both ends" \
	test "$(wc -l < "$T/a5022")" = 3
same "-tan '( sport = :5022 or dport = :5022 )'" "$T/a5022" \
	-tan '( sport = :5022 or dport = :5022 )'
same "-tan '(sport eq :5022||dport==:5022)' glued" "$T/a5022" \
	-tan '(sport eq :5022||dport==:5022)'

# 3: a bad token inside a quoted word is named alone, exit 2
"$SOCK" list -tln 'sport = :99999' > /dev/null 2> "$T/e3"
st=$?
check "a bad port in a quoted filter: exit 2, the token named" \
	test "$st|$(cat "$T/e3")" = "2|sock list: bad filter word ':99999' (try: sock list --help)"

# 4: a state filter picks the states without -l, as in ss
"$SOCK" list -tln | rows > "$T/listeners"
same "state listening without -l lists the listeners" "$T/listeners" \
	-tn state listening

# 5: -l and states no server has: one line says why nothing is listed
out=$("$SOCK" list -tln state established 2> "$T/e5")
st=$?
check "-l state established: exit 0, empty table, one line on stderr" \
	test "$st|$(echo "$out" | tail -n +3 | wc -l)|$(wc -l < "$T/e5")|$(grep -c -- '-l shows only listening' "$T/e5")" = "0|0|1|1"
done_testing
