#!/usr/bin/env bash
# sock relay: SIGTERM, SIGINT and SIGHUP with sessions open (exit 0,
# sessions closed, socket file removed), --stats at exit and on SIGUSR1,
# --max-sessions 1 for streams (the next client waits, then is served).
. "$(dirname "$0")/lib.sh"
need python3
plan 17

# ---- 1-4, 5-8: a signal with a session open --------------------------
# stop_with NAME SIGNAL: a relay on unix:$T/NAME.sock to an echo server,
# one client holding a session open; SIGNAL it; sets st (the relay's
# exit), was (the socket file before), cend (how the client's connection
# ended), sclosed (whether the server saw its connection closed)
stop_with() {
	local name=$1 sig=$2
	rpeer_bg "$name.srv" serve 127.0.0.1:0 --mode echo
	relay_bg "$name" "unix:$T/$name.sock" "tcp://127.0.0.1:$at"
	bg python3 "$RPEER" --timeout 20 talk "$T/$name.sock" --send hi \
		--read-until hi --hold 20 > "$T/$name.c"
	local cpid=$!
	wait_for grep -q ready "$T/$name.c"
	was=$(test -S "$T/$name.sock" && echo socket)
	kill -"$sig" $rpid
	wait_exit $rpid 5
	local rst=$st
	wait_exit $cpid 5
	cend=$(sed 1d "$T/$name.c" | tr '\n' ' ')
	wait_for grep -q '^close 0' "$T/$name.srv.out"
	sclosed=$(grep -c '^close 0' "$T/$name.srv.out")
	st=$rst
}
for sig in TERM INT; do
	[ $sig = INT ] && WRAP=(env --default-signal=INT) # (a background job ignores SIGINT otherwise)
	stop_with "s$sig" $sig
	diag "SIG$sig: exit $st, the client saw: $cend"
	check "SIG$sig with a session open: exit 0 (got: $st)" test "$st" = 0
	check "SIG$sig: the socket file (there before) is removed" \
		test "$was|$(test -e "$T/s$sig.sock" && echo left)" = "socket|"
	check "SIG$sig: the client's connection is closed (EOF or reset), not left hanging" \
		eval '[[ "$cend" =~ ^data\ 2\ (eof|reset)\ $ ]]'
	check "SIG$sig: the connection towards TO is closed too" test "$sclosed" = 1
	WRAP=()
done

# ---- 9: SIGHUP likewise ---------------------------------------------
rpeer_bg hup.srv serve 127.0.0.1:0 --mode echo
relay_bg hup "unix:$T/hup.sock" "tcp://127.0.0.1:$at"
kill -HUP $rpid
wait_exit $rpid 5
check "SIGHUP: exit 0, socket file removed" \
	test "$st|$(test -e "$T/hup.sock" && echo left)" = "0|"

# ---- 10-13: --stats, SIGUSR1 ----------------------------------------
# the server sends 7777 bytes and reads to the end; each client sends
# 12345 bytes
rpeer_bg sf serve 127.0.0.1:0 --mode shutfirst --greet 'g*7777'
"$SOCK" relay --stats "unix:$T/st.sock" "tcp://127.0.0.1:$at" < /dev/null 2> "$T/st.err" &
spid=$!
PIDS+=($spid)
wait_for test -S "$T/st.sock"
client() { rpeer --timeout 5 talk "$T/st.sock" --send 'x*12345' --shut-wr | tr '\n' ' '; }
c1=$(client)
sleep 0.2
kill -USR1 $spid
wait_for line_with "$T/st.err" 12345 7777
diag "after SIGUSR1: $(cat "$T/st.err")"
check "SIGUSR1: totals on stderr, 12345 bytes out and 7777 back (one session)" \
	test "$c1|$(line_with "$T/st.err" 12345 7777 && echo said)" = "data 7777 eof |said"
sleep 0.2
c2=$(client)
check "after SIGUSR1 the relay still runs and serves" \
	eval 'kill -0 $spid && test "$c2" = "data 7777 eof "'
kill -TERM $spid
wait_exit $spid 5
diag "at exit: $(tail -1 "$T/st.err")"
check "--stats: at exit (status 0), totals of both sessions: 24690 out, 15554 back" \
	test "$st|$(line_with "$T/st.err" 24690 15554 && echo said)" = "0|said"

"$SOCK" relay "unix:$T/q.sock" "tcp://127.0.0.1:$at" < /dev/null 2> "$T/q.err" &
qpid=$!
PIDS+=($qpid)
wait_for test -S "$T/q.sock"
c3=$(rpeer --timeout 5 talk "$T/q.sock" --send 'x*12345' --shut-wr | tr '\n' ' ')
kill -TERM $qpid
wait_exit $qpid 5
check "without --stats or -v: a session and SIGTERM print nothing" \
	test "$c3|$st|$(wc -c < "$T/q.err")" = "data 7777 eof |0|0"

# ---- 14-17: --max-sessions 1: the next stream client waits ----------
rpeer_bg m1.srv serve 127.0.0.1:0 --mode echo
relay_bg m1 -m 1 tcp://127.0.0.1:0 "tcp://127.0.0.1:$at"
# A holds its session 4 s (after its echo came back), then half-closes:
# B's 1 s of quiet must fall inside that hold even when B starts late
bg python3 "$RPEER" talk "127.0.0.1:$rport" --send a --read-until a --hold 4 \
	--shut-wr --print-data > "$T/m1a.c"
apid=$!
wait_for grep -q ready "$T/m1a.c"
# B comes while A's session is open: nothing for 1 s, then its echo
b=$(rpeer --timeout 10 talk "127.0.0.1:$rport" --send b --quiet 1 --shut-wr --print-data | sed 1d | tr '\n' ' ')
wait_exit $apid 8
a=$(sed 1d "$T/m1a.c" | tr '\n' ' ')
diag "A: $a B: $b"
check "-m 1: a second client waits while the first session is open (not refused)" \
	eval '[[ "$b" == quiet\ * ]]'
check "-m 1: it is served once the first session ends" test "$b" = "quiet data b eof "
check "-m 1: the first client was served whole" test "$a" = "ready held data a eof "
diag "TO saw: $(tr "\n" " " < "$T/m1.srv.out")"
check "-m 1: TO never had two connections from the relay at once (two in all)" \
	test "$(max_open "$T/m1.srv.out")|$(grep -c '^open' "$T/m1.srv.out")" = "1|2"
stop $rpid
done_testing
