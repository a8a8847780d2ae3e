#!/usr/bin/env bash
# sock demo tcp: both ends' calls in order, each in its own column, with
# the kernel's states: LISTEN, ESTABLISHED (or SYN_SENT) after connect,
# CLOSE_WAIT after the client's FIN, TIME_WAIT after the server's close.
. "$(dirname "$0")/lib.sh"
plan 7

timeout -k 2 20 "$SOCK" demo tcp > "$T/out" 2> "$T/err"
ok $? "sock demo tcp: exit 0"
python3 "$(dirname "$0")/demo_check.py" rows "$T/out" > "$T/rows"
diag "$(cat "$T/rows")"

# the calls of one side, their names only, in order
calls() { awk -F'\t' -v s="$1" '$1 == s { sub(/\(.*/, "", $2); printf "%s ", $2 }' "$T/rows"; }
check "the server's calls in order" \
	test "$(calls server)" = "getaddrinfo socket setsockopt bind listen getsockname accept4 getsockname recv send recv close close "
check "the client's calls in order" \
	test "$(calls client)" = "getaddrinfo socket connect getsockname getpeername send recv close "

# the state a side shows on the row of a call (by its text's start)
state_at() { awk -F'\t' -v s="$1" -v c="$2" -v col="$3" \
	'$1 == s && index($2, c) == 1 { print $col; exit }' "$T/rows"; }
check "LISTEN after listen()" test "$(state_at server 'listen(' 4)" = LISTEN
st=$(state_at client 'connect(' 3)
check "SYN_SENT or ESTABLISHED after connect() ($st)" \
	grep -qxE 'SYN_SENT|ESTABLISHED' <<< "$st"
check "CLOSE_WAIT on the server after the client's close()" \
	test "$(awk -F'\t' '$1 == "client" && $2 ~ /^close\(/ { print $4 }' "$T/rows")" = CLOSE_WAIT
check "TIME_WAIT on the client after the server's close(), with its timer" \
	test "$(awk -F'\t' '$1 == "server" && $2 ~ /^close\(/ { print $3; exit }' "$T/rows")" = TIME_WAIT -a \
	-n "$(grep -E "stays in TIME_WAIT [0-9]+ s more" "$T/out")"
