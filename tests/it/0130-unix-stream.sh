#!/usr/bin/env bash
# Unix stream sockets, filesystem path and abstract name: both roles
# against python3, socat and nc; several MB byte-exact; the late reply
# after our half-close; a server that closes first.
. "$(dirname "$0")/lib.sh"
need python3
need socat
need nc
plan 14

abs=sock-it-$$-$RANDOM
printf 'from-sock\n' > "$T/s.in"
printf 'from-peer\n' > "$T/p.in"

# 1: sock listen on a path <- python3 client, both directions
listen_bg s1 "unix:$T/a.sock" < "$T/s.in"
out=$(timeout -k 2 10 python3 "$PEER" connect "$T/a.sock" --send 'from-peer\n' --shut-wr --print data)
wait_exit $lpid 5
check "listen unix:PATH <- python3: both directions, exit 0" served s1

# 2: abstract listen <- python3 (a name with a NUL in front)
listen_bg s2 "unix:@$abs" < "$T/s.in"
out=$(timeout -k 2 10 python3 "$PEER" connect "@$abs" --send 'from-peer\n' --shut-wr --print data)
wait_exit $lpid 5
check "listen unix:@NAME <- python3: both directions, exit 0" served s2

# 3-4: socat and nc as clients
listen_bg s3 "unix:$T/b.sock" < "$T/s.in"
out=$(timeout -k 2 10 socat -t 5 - "UNIX-CONNECT:$T/b.sock" < "$T/p.in")
wait_exit $lpid 5
check "listen unix:PATH <- socat" served s3

listen_bg s4 "unix:$T/c.sock" < "$T/s.in"
out=$(timeout -k 2 10 nc -N -U "$T/c.sock" < "$T/p.in")
wait_exit $lpid 5
check "listen unix:PATH <- nc -U" served s4

# 5-7: sock connect to socat (path and abstract) and nc servers
bg sh -c "exec socat -t 5 'UNIX-LISTEN:$T/d.sock' - < '$T/p.in' > '$T/p5.out'"
wait_for test -S "$T/d.sock"
connect_to 10 "$T/p5.out" "unix:$T/d.sock" < "$T/s.in"
check "connect unix:PATH -> socat" reached "$T/p5.out"

bg sh -c "exec socat -d -d -t 5 'ABSTRACT-LISTEN:$abs-s' - < '$T/p.in' > '$T/p6.out' 2> '$T/p6.err'"
wait_for grep -q listening "$T/p6.err"
connect_to 10 "$T/p6.out" "unix:@$abs-s" < "$T/s.in"
check "connect unix:@NAME -> socat ABSTRACT-LISTEN" reached "$T/p6.out"

bg sh -c "exec nc -N -lU '$T/e.sock' < '$T/p.in' > '$T/p7.out'"
wait_for test -S "$T/e.sock"
connect_to 10 "$T/p7.out" "$T/e.sock" < "$T/s.in"
check "connect /PATH (shorthand) -> nc -lU" reached "$T/p7.out"

# 8-9: 6 MB each way, sock to sock over a path; 6 MB through socat's
# abstract socket
both_ways_big "unix:$T/big.sock" "unix:$T/big.sock" 6000000
check "6 MB each way over unix:PATH, byte-exact" both_ways_arrived

bg sh -c "exec socat 'ABSTRACT-LISTEN:$abs-big' 'SYSTEM:cat'"
wait_secs 20 sh -c "grep -q '@$abs-big' /proc/net/unix"
timeout -k 2 30 "$SOCK" connect "unix:@$abs-big" < "$T/big1" > "$T/b9.out"
check "6 MB echoed by socat over unix:@NAME, byte-exact" \
	cmp -s "$T/big1" "$T/b9.out"

# 10: a late reply 1 s after our half-close is printed
peer_bg late "$T/late.sock" --delay 1 --reply data --prefix late:
out=$(printf 'abc' | timeout -k 2 10 "$SOCK" connect "unix:$T/late.sock")
check "unix: late reply after SHUT_WR is not dropped" test "$out" = "late:abc"

# 11: the server closes first: the client ends although stdin is open (exit 3)
peer_bg first "@$abs-first" --greet 'bye\n' --close-first
hold_stdin "$T/hold"
out=$(timeout -k 2 10 "$SOCK" connect "unix:@$abs-first" < "$T/hold" 2> "$T/first.err"; echo "rc=$?")
check "unix: server closing first ends the client, which says stdin was cut" \
	test "$out|$(cat "$T/first.err")" = "$(printf 'bye\nrc=3|sock: the peer closed first; the rest of standard input was not sent')"

# 12: the client half-closes at once; the listener's stdin comes later
# and still reaches it; the listener then exits 0
bg sh -c "(sleep 0.5; echo late-line) | exec \"$SOCK\" -v listen 'unix:$T/f.sock' > '$T/s12.out' 2> '$T/s12.err'"
lpid=$!
wait_for test -S "$T/f.sock"
out=$(printf 'hello\n' | timeout -k 2 10 "$SOCK" connect "unix:$T/f.sock")
wait_exit $lpid 5
check "listener: stdin that comes after the client's half-close arrives" \
	test "$out|$(cat "$T/s12.out")|$st" = "late-line|hello|0"

# 13: a path listener's client gets "connection refused" once it is gone
"$SOCK" connect "unix:$T/f.sock" < /dev/null 2> "$T/e13"
rc=$?
check "connect to a removed socket path: exit 1, says so" \
	sh -c "test $rc -eq 1 && grep -q 'unix:$T/f.sock' '$T/e13'"

# 14: python3 server on an abstract name, sock connect both ways
peer_bg echo "@$abs-echo" --reply upper
out=$(echo shout | timeout -k 2 10 "$SOCK" connect "unix:@$abs-echo")
check "connect unix:@NAME -> python3" test "$out" = "SHOUT"
done_testing
