#!/usr/bin/env bash
# sock demo udp (and the stream-vs-dgram scenario on tcp, udp and the
# Unix kinds): the calls in order on each side; no state on UDP; three
# sends arrive as one read on a stream and as three on datagrams.
. "$(dirname "$0")/lib.sh"
plan 7

rows() { python3 "$(dirname "$0")/demo_check.py" rows "$1"; }
calls() { awk -F'\t' -v s="$1" '$1 == s { sub(/\(.*/, "", $2); printf "%s ", $2 }' "$2"; }

timeout -k 2 20 "$SOCK" demo udp > "$T/udp" 2>&1
ok $? "sock demo udp: exit 0"
rows "$T/udp" > "$T/udp.rows"
check "udp: the server binds, receives with recvfrom and answers with sendto" \
	test "$(calls server "$T/udp.rows")" = "getaddrinfo socket bind getsockname recvfrom sendto close "
check "udp: the client connects, sends, receives, closes" \
	test "$(calls client "$T/udp.rows")" = "getaddrinfo socket connect getsockname getpeername send recv close "
check "udp: no TCP state shown" \
	test -z "$(awk -F'\t' '$3 != "" || $4 != ""' "$T/udp.rows")"

timeout -k 2 20 "$SOCK" demo tcp stream-vs-dgram > "$T/tcp" 2>&1
rows "$T/tcp" > "$T/tcp.rows"
check "tcp stream-vs-dgram: three sends, then one recv of their 11 bytes" \
	test "$(awk -F'\t' '$2 ~ /^(send|recv)\(/ { print $1 ":" $2 }' "$T/tcp.rows" | tr '\n' ' ')" = \
	"client:send(4, 3) = 3 client:send(4, 3) = 3 client:send(4, 5) = 5 server:recv(5, 256) = 11 "

timeout -k 2 20 "$SOCK" demo udp stream-vs-dgram > "$T/u3" 2>&1
rows "$T/u3" > "$T/u3.rows"
check "udp stream-vs-dgram: three recvfrom of 3, 3 and 5 bytes" \
	test "$(awk -F'\t' '$1 == "server" && $2 ~ /^recvfrom/ { sub(/ from.*/, "", $2); print $2 }' "$T/u3.rows" | tr '\n' ' ')" = \
	"recvfrom(3, 64) = 3 recvfrom(3, 64) = 3 recvfrom(3, 64) = 5 "

bad=0
for k in unix unix-dgram seqpacket; do
	timeout -k 2 20 "$SOCK" demo $k stream-vs-dgram > "$T/$k" 2>&1 || { diag "$k: exit $?"; bad=1; }
	n=$(rows "$T/$k" | awk -F'\t' '$1 == "server" && $2 ~ /^recv/' | wc -l)
	want=3; [ $k = unix ] && want=1
	[ "$n" = $want ] || { diag "$k: $n reads"; bad=1; }
done
ok $bad "unix: one read; unix-dgram and seqpacket: three"
