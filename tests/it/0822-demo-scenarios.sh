#!/usr/bin/env bash
# sock demo's other scenarios: refused (tcp, udp, unix), half-close, and
# a full accept queue; every one ends within its bounded waits.
. "$(dirname "$0")/lib.sh"
plan 7

rows() { python3 "$(dirname "$0")/demo_check.py" rows "$1"; }

timeout -k 2 20 "$SOCK" demo tcp refused > "$T/r" 2>&1
ok $? "tcp refused: exit 0"
check "tcp refused: connect() = -1 ECONNREFUSED, no server call" \
	test "$(rows "$T/r" | awk -F'\t' '$2 ~ /^connect/ { print $2 } $1 == "server" { print "server!" }')" != "" -a \
	-z "$(rows "$T/r" | awk -F'\t' '$1 == "server"')" -a \
	-n "$(rows "$T/r" | awk -F'\t' '$2 ~ /^connect\(.*= -1 ECONNREFUSED$/')"

timeout -k 2 20 "$SOCK" demo udp refused > "$T/u" 2>&1
check "udp refused: connect succeeds, the recv() after a send gets ECONNREFUSED" \
	test -n "$(rows "$T/u" | awk -F'\t' '$2 ~ /^connect\(.* = 0$/')" -a \
	-n "$(rows "$T/u" | awk -F'\t' '$2 ~ /^recv\(.*= -1 ECONNREFUSED$/')"

timeout -k 2 20 "$SOCK" demo unix refused > "$T/x" 2>&1
check "unix refused: connect() to an abstract name nobody holds: ECONNREFUSED" \
	test -n "$(rows "$T/x" | awk -F'\t' '$2 ~ /^connect\(3, @sock-demo-[0-9]+\) = -1 ECONNREFUSED$/')"

timeout -k 2 20 "$SOCK" demo tcp half-close > "$T/h" 2>&1
rows "$T/h" > "$T/h.rows"
diag "$(cat "$T/h.rows")"
check "half-close: shutdown(SHUT_WR) leaves the server in CLOSE_WAIT; the late answer still arrives" \
	test "$(awk -F'\t' '$2 ~ /^shutdown/ { print $4 }' "$T/h.rows")" = CLOSE_WAIT -a \
	-n "$(awk -F'\t' '$1 == "client" && $2 ~ /^recv\(4, 256\) = 7$/' "$T/h.rows")"
check "half-close: the client reaches TIME_WAIT when the server closes" \
	test "$(awk -F'\t' '$1 == "server" && $2 ~ /^close\(5\)/ { print $3 }' "$T/h.rows")" = TIME_WAIT

timeout -k 2 20 "$SOCK" demo tcp backlog > "$T/b" 2>&1
rows "$T/b" > "$T/b.rows"
diag "$(cat "$T/b.rows")"
check "backlog: listen(3, 1); the third connect waits in SYN_SENT until an accept" \
	test -n "$(awk -F'\t' '$2 ~ /^listen\(3, 1\) = 0/' "$T/b.rows")" -a \
	"$(awk -F'\t' '$2 ~ /^connect\(6.*EINPROGRESS/ { print $3 }' "$T/b.rows")" = SYN_SENT -a \
	-n "$(awk -F'\t' '/accept4/ { a = 1 } a && $2 ~ /^poll\(6, POLLOUT, 3000 ms\) = 1$/' "$T/b.rows")"
