#!/usr/bin/env bash
# unix-dgram: boundaries, the auto-bound client address, a listener
# answering clients that bound their own address (python3, socat, nc),
# path and abstract names.
. "$(dirname "$0")/lib.sh"
need python3
need socat
need nc
plan 9

abs=sock-it-$$-$RANDOM

# 1-3: connect unix-dgram:PATH -> python3: sizes kept, replies come back
# to the auto-bound address, exit 0 after --idle
peer_bg srv "$T/s.sock" --type dgram --answer-got --until END --senders
spid=$ppid
peer feed 1 700 4000 20000 --then END | timeout -k 2 10 "$SOCK" connect --idle 0.3 \
	"unix-dgram:$T/s.sock" > "$T/c.out"
rc=$?
wait_exit $spid 5
check "each stdin read is one datagram (sizes kept)" \
	test "$(sed -n 2p "$T/srv.out")" = "1 700 4000 20000 3"
check "the client auto-binds one abstract address" \
	test "$(sed -n 3p "$T/srv.out")" = "senders=1 abstract=True"
check "replies printed, exit 0" \
	test "$(tr '\n' ' ' < "$T/c.out")|$rc" = \
	"got 1 got 700 got 4000 got 20000 got 3 |0"

# 4: connect unix-dgram:@NAME -> python3 on an abstract name
peer_bg srv4 "@$abs" --type dgram --answer-got --until END --senders
out=$(printf END | timeout -k 2 5 "$SOCK" connect --idle 0.3 "unix-dgram:@$abs")
check "connect unix-dgram:@NAME: reply printed" test "$out" = "got 3"

# 5: listen unix-dgram:PATH <- a python3 client that bound its own
# address; the listener answers it with stdin
printf 'from-sock\n' > "$T/l.in"
bg sh -c "exec \"$SOCK\" -v listen 'unix-dgram:$T/l.sock' < '$T/l.in' > '$T/l.out' 2> '$T/l.err'"
lpid=$!
wait_for test -S "$T/l.sock"
out=$(timeout -k 2 5 python3 "$PEER" connect "$T/l.sock" --type dgram --bind "$T/pc.sock" \
	--timeout 3 --send 'abc\n' --send 'a\n' --send 'ab\n' --print one)
wait_for test -s "$T/l.out"
check "listen unix-dgram: answers a bound python3 client" \
	test "$out|$(tr '\n' ' ' < "$T/l.out")" = "from-sock|abc a ab "

# 6-7: nc -uU and socat as clients of the same listener, whose stdin
# has ended by now: it must keep receiving
echo from-nc | timeout -k 2 5 nc -uU -w 1 "$T/l.sock"
echo from-socat | timeout -k 2 5 socat -t 0.3 - "UNIX-SENDTO:$T/l.sock,bind=$T/sc.sock"
wait_for grep -q from-socat "$T/l.out"
check "listener keeps receiving after stdin ended (nc, socat)" \
	test "$(tr '\n' ' ' < "$T/l.out")" = "abc a ab from-nc from-socat "
kill -TERM $lpid
wait_exit $lpid 5
check "SIGTERM ends the listener and removes its socket file" \
	test "$st|$(test -e "$T/l.sock" && echo left)" = "143|"

# 8-9: socat and nc as servers of sock connect unix-dgram
printf 'from-peer\n' > "$T/p.in"
bg sh -c "exec socat UNIX-RECVFROM:'$T/r.sock' - < '$T/p.in' > '$T/r.out'"
wait_for test -S "$T/r.sock"
connect_to 5 "$T/r.out" --idle 0.3 "unix-dgram:$T/r.sock" < <(echo from-sock)
check "connect unix-dgram -> socat UNIX-RECVFROM: both directions" reached "$T/r.out"

bg sh -c "exec nc -uUl '$T/q.sock' < '$T/p.in' > '$T/q.out'"
wait_for test -S "$T/q.sock"
connect_to 5 "$T/q.out" --idle 0.3 "unix-dgram:$T/q.sock" < <(echo from-sock)
check "connect unix-dgram -> nc -uUl: both directions" reached "$T/q.out"
done_testing
