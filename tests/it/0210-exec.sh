#!/usr/bin/env bash
# --exec with -k: a tiny HTTP responder answering curl several times,
# in sequence and concurrently; SOCK_PEER set; children reaped.
. "$(dirname "$0")/lib.sh"
need curl
plan 9

cat > "$T/http.sh" <<'SH'
#!/bin/sh
# read the request up to its blank line, so that closing sends no reset
cr=$(printf '\r')
while IFS= read -r line; do
	case $line in "$cr" | "") break ;; esac
done
sleep "${DELAY:-0}"
printf 'HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n'
printf 'hi %s arg=%s\n' "$SOCK_PEER" "$1"
SH
chmod +x "$T/http.sh"

bg sh -c "DELAY=0.5 exec \"$SOCK\" -v listen -k --exec '$T/http.sh \"two words\"' tcp://127.0.0.1:0 2> '$T/l.err'"
lpid=$!
port=$(wait_port "$T/l.err")

# 1-3: three requests in sequence
for i in 1 2 3; do
	timeout -k 2 10 curl -s "http://127.0.0.1:$port/" > "$T/seq$i"
	echo "rc=$?" >> "$T/seq$i"
done
body='^hi tcp://127\.0\.0\.1:[0-9]\+ arg=two words$'
check "3 sequential requests answered" \
	sh -c "for i in 1 2 3; do grep -q 'rc=0' '$T/seq'\$i || exit 1; done"
check "each body has SOCK_PEER (tcp://127.0.0.1:PORT) and the quoted arg" \
	sh -c "for i in 1 2 3; do grep -q '$body' '$T/seq'\$i || exit 1; done"
check "SOCK_PEER is the client's own port (they differ)" \
	test "$(cat "$T"/seq? | grep -o ':[0-9]* ' | sort -u | wc -l)" = 3

# 4-5: five at once; each program sleeps 0.5 s, so serial service
# would take 2.5 s
start=$(date +%s%N)
cpids=()
for i in 1 2 3 4 5; do
	timeout -k 2 10 curl -s "http://127.0.0.1:$port/c$i" > "$T/par$i" &
	cpids+=($!)
done
wait "${cpids[@]}"
ms=$((($(date +%s%N) - start) / 1000000))
check "5 concurrent requests answered" \
	sh -c "for i in 1 2 3 4 5; do grep -q '$body' '$T/par'\$i || exit 1; done"
check "served concurrently (${ms} ms for 5 x 0.5 s)" test "$ms" -lt 2000

# 6: no zombie children left behind
zombies() {
	local n=0 s
	for s in /proc/[0-9]*/stat; do
		# fields: pid (comm) state ppid
		read -r _ _ state ppid _ 2> /dev/null < "$s" || continue
		[ "$ppid" = "$lpid" ] && [ "$state" = Z ] && n=$((n + 1))
	done
	echo $n
}
sleep 0.3
wait_for test "$(zombies)" = 0
check "children reaped (no Z-state children of the listener)" \
	test "$(zombies)" = 0

# 7: the listener is still up after all that
check "listener still running" kill -0 $lpid

# 8: a program that cannot be run: the client sees the connection
# close, the listener goes on
bg sh -c "exec \"$SOCK\" -v listen -k --exec '$T/no-such-program' tcp://127.0.0.1:0 2> '$T/l8.err'"
lpid8=$!
port=$(wait_port "$T/l8.err")
timeout -k 2 5 curl -s "http://127.0.0.1:$port/" > /dev/null
timeout -k 2 5 curl -s "http://127.0.0.1:$port/" > /dev/null
check "missing program: listener survives two clients" \
	sh -c "kill -0 $lpid8 && test \$(grep -c 'connection from' '$T/l8.err') -eq 2"

# 9: the program starts with SIGPIPE at its default and SIGCHLD not
# blocked (sock ignores the one and blocks the other for itself)
bg sh -c "exec \"$SOCK\" -v listen --exec 'grep -E ^Sig(Ign|Blk): /proc/self/status' tcp://127.0.0.1:0 2> '$T/l9.err'"
port=$(wait_port "$T/l9.err")
out=$(timeout -k 2 5 "$SOCK" connect "127.0.0.1:$port" < /dev/null)
diag "$(echo $out)"
sig_clear() {
	# SIGPIPE is signal 13 (mask bit 0x1000), SIGCHLD 17 (0x10000)
	local ign blk
	ign=$(printf '%s\n' "$out" | sed -n 's/^SigIgn:[[:space:]]*//p')
	blk=$(printf '%s\n' "$out" | sed -n 's/^SigBlk:[[:space:]]*//p')
	[ -n "$ign" ] && [ -n "$blk" ] &&
		[ $((0x$ign & 0x1000)) -eq 0 ] && [ $((0x$blk & 0x10000)) -eq 0 ]
}
check "program: SIGPIPE not ignored, SIGCHLD not blocked" sig_clear
done_testing
