#!/usr/bin/env bash
# --exec with a program that never reads its input: when it ends, the
# listener half-closes, drains what the client still sends, then closes,
# so the client gets the whole reply and no reset (README's tiny HTTP
# server, the man page's --exec 'cat /etc/motd').
. "$(dirname "$0")/lib.sh"
need curl
plan 9

# the README's reply.sh: prints a response, never reads the request
cat > "$T/reply.sh" <<'SH'
#!/bin/sh
printf 'HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nhello from reply.sh\n'
SH
chmod +x "$T/reply.sh"

# 1-2: with -k, ten curls in a row, then five at once: all answered
listen_bg k tcp://127.0.0.1:0 -k --exec "$T/reply.sh" < /dev/null
good=0
for i in $(seq 10); do
	body=$(timeout -k 2 10 curl -sS "http://127.0.0.1:$port/r$i" 2>> "$T/curl.err") &&
		[ "$body" = "hello from reply.sh" ] && good=$((good + 1))
done
diag "$good of 10; $(sort -u "$T/curl.err" | head -2)"
check "-k: 10 of 10 sequential curls get the reply, no reset" test "$good" = 10
cpids=()
for i in 1 2 3 4 5; do
	timeout -k 2 10 curl -sS "http://127.0.0.1:$port/c$i" > "$T/par$i" 2>> "$T/curl.err" &
	cpids+=($!)
done
good=0
for i in 0 1 2 3 4; do wait "${cpids[$i]}" && good=$((good + 1)); done
check "-k: 5 of 5 concurrent curls get the reply" test "$good" = 5
check "-k: the listener is still up" kill -0 "$lpid"

# 4: the programs' ends are still reported with -v
ended_n() { [ "$(grep -c 'ended (status 0)' "$T/k.err")" -ge "$1" ]; }
wait_for ended_n 15
check "-v reports each program's end (status 0)" \
	test "$(grep -c 'program [0-9]* ended (status 0)' "$T/k.err")" = 15

# 5-6: without -k: sock connect sends stdin the program never reads (all
# of it before the program answers), gets every byte of the file, exits 0;
# the listener exits 0
head -c 100000 /dev/urandom > "$T/motd"
head -c 50000 /dev/urandom > "$T/req"
printf '#!/bin/sh\nsleep 0.5\nexec cat "$1"\n' > "$T/late.sh"
chmod +x "$T/late.sh"
listen_bg one tcp://127.0.0.1:0 --exec "$T/late.sh $T/motd" < /dev/null
timeout -k 2 10 "$SOCK" connect "127.0.0.1:$port" < "$T/req" > "$T/got" 2> "$T/c.err"
rc=$?
diag "connect: $(cat "$T/c.err")"
check "connect: exit 0 and all bytes of the file (rc=$rc)" \
	sh -c "[ $rc = 0 ] && cmp -s '$T/motd' '$T/got'"
wait_exit "$lpid" 10
check "listener without -k exits 0 after the close (st=$st)" test "$st" = 0

# 7: the man page's --exec 'cat /etc/motd', the client still typing after
# the program ended: the file arrives and there is no reset
printf 'message of the day\n' > "$T/motd2"
listen_bg motd tcp://127.0.0.1:0 --exec "cat $T/motd2" < /dev/null
(echo hello; sleep 0.3; echo more) |
	timeout -k 2 10 "$SOCK" connect "127.0.0.1:$port" > "$T/got2" 2> "$T/c2.err"
diag "connect: $(cat "$T/c2.err")"
check "cat FILE: the file arrives, no reset" \
	sh -c "cmp -s '$T/motd2' '$T/got2' && ! grep -qi reset '$T/c2.err'"

# 8: the program's status is the listener's exit status without -k
listen_bg fail tcp://127.0.0.1:0 --exec "sh -c 'echo no; exit 3'" < /dev/null
out=$(timeout -k 2 10 "$SOCK" connect "127.0.0.1:$port" < "$T/req" 2> /dev/null)
rc=$?
wait_exit "$lpid" 10
check "failing program: client gets its words, listener exits 1, -v says 3" \
	sh -c "[ '$out|$rc|$st' = 'no|0|1' ] && grep -q 'ended (status 3)' '$T/fail.err'"

# 9: a client that never stops sending is cut off within a bounded time
listen_bg flood tcp://127.0.0.1:0 --exec "echo bye" < /dev/null
timeout -k 2 20 sh -c "yes | \"$SOCK\" connect 127.0.0.1:$port" > /dev/null 2>&1 &
fpid=$!
wait_exit "$lpid" 10
check "a client that never stops sending: the listener ends anyway (st=$st)" \
	test "$st" != timeout
kill "$fpid" 2> /dev/null
done_testing
