#!/usr/bin/env bash
# connect tries every address a name resolves to, in order, until one
# answers: localhost is [::1] then 127.0.0.1 here (our own /etc/hosts in
# a private mount namespace), and only 127.0.0.1 listens.
. "$(dirname "$0")/lib.sh"
need python3
printf '::1 localhost\n127.0.0.1 localhost\n' > "$T/hosts"
timeout -k 2 5 unshare -rm sh -c "mount --bind '$T/hosts' /etc/hosts" 2>/dev/null ||
	skip_all "unshare -rm (private mount namespace) not permitted"
plan 3

bg sh -c "echo four | exec \"$SOCK\" -v listen tcp://127.0.0.1:0 > '$T/l.out' 2> '$T/l.err'"
port=$(wait_port "$T/l.err")
out=$(printf 'hi' | timeout -k 2 10 unshare -rm sh -c "mount --bind '$T/hosts' /etc/hosts &&
	exec \"$SOCK\" --trace connect tcp://localhost:$port" 2> "$T/c.err")
check "the exchange goes through the second address" test "$out" = four
check "getaddrinfo lists [::1] before 127.0.0.1" \
	grep -qx "getaddrinfo(\"localhost\", \"$port\") = \[::1\]:$port, 127.0.0.1:$port" "$T/c.err"
check "[::1] is refused and closed, then 127.0.0.1 connects" \
	sh -c "grep -E '^(connect|close)\(' '$T/c.err' | head -3 | tr '\n' '|' |
		grep -qx 'connect(3, \[::1\]:$port) = -1 ECONNREFUSED (nothing is listening at that address and port)|close(3) = 0|connect(3, 127.0.0.1:$port) = 0|'"
done_testing
