#!/usr/bin/env bash
# sock relay, errors: a stream side with a datagram side, bad endpoints,
# '-', missing or extra arguments, bad option values (exit 2, nothing
# listened on); FROM taken (exit 1); TO refusing or not answering (that
# client's connection is closed, -v says why, the relay keeps serving).
. "$(dirname "$0")/lib.sh"
need python3
plan 25


# relay_rc ARG...: "sock relay ARG..." given 2 s (a relay that wrongly
# starts serving is stopped: 124); prints its exit status, or "nocmd"
# when sock has no relay command at all; its stderr in $T/rc.err
relay_rc() {
	timeout -k 2 2 "$SOCK" relay "$@" < /dev/null > /dev/null 2> "$T/rc.err"
	local r=$?
	grep -q "unknown command" "$T/rc.err" && r=nocmd
	echo $r
}
# all_rc WANT ARGS...: every ARGS (one word each, split on spaces) exits
# WANT; the exceptions are shown
all_rc() {
	local want=$1 args r bad=; shift
	for args in "$@"; do
		# shellcheck disable=SC2086
		r=$(relay_rc $args)
		[ "$r" = "$want" ] || bad+=" [$args]=$r"
	done
	[ -z "$bad" ] || diag "not $want:$bad"
	[ -z "$bad" ]
}

# ---- 1: the control: valid options, and the relay serves until stopped
# (so that the exit statuses 2 below are about what they change)
to=tcp://127.0.0.1:9
ok_ep="tcp://127.0.0.1:0 $to"
(relay_rc --max-sessions 3 --udp-idle 5 --io splice -w 2 --stats $ok_ep > "$T/c1") &
c1=$!
(relay_rc -m 1 --io copy -w 1 -4 $ok_ep > "$T/c2") &
c2=$!
(relay_rc --udp-idle 5 -m 2 udp://127.0.0.1:0 udp://127.0.0.1:9 > "$T/c3") &
c3=$!
wait $c1 $c2 $c3
check "valid options: the relay starts and serves until stopped" \
	test "$(cat "$T/c1" "$T/c2" "$T/c3" | tr '\n' ' ')" = "124 124 124 "

# ---- 2-5: a stream side and a datagram side: refused at start --------
mismatch() { # FROM TO [FILE]: exit 2, one line on stderr, FILE not created
	local r
	r=$(relay_rc "$1" "$2")
	diag "relay $1 $2: exit $r: $(head -3 "$T/rc.err")"
	test "$r|$(wc -l < "$T/rc.err")|$(test -e "${3:-/nonexistent}" && echo created)" = "2|1|"
}
check "tcp FROM, udp TO: exit 2, one line" \
	mismatch tcp://127.0.0.1:0 udp://127.0.0.1:9
check "udp FROM, tcp TO: exit 2, one line" \
	mismatch udp://127.0.0.1:0 tcp://127.0.0.1:9
check "unix FROM, unix-dgram TO: exit 2, one line, no socket file made" \
	mismatch "unix:$T/m1.sock" "unix-dgram:$T/nowhere.sock" "$T/m1.sock"
check "unix-dgram FROM, unix TO: exit 2, one line, no socket file made" \
	mismatch "unix-dgram:$T/m2.sock" "unix:$T/nowhere.sock" "$T/m2.sock"

# ---- 6-8: bad endpoints ---------------------------------------------
check "bad FROM endpoints: exit 2" all_rc 2 \
	"tcp://127.0.0.1:99999 $to" "tcp://1.2.3:4 $to" "tcp:127.0.0.1:80 $to" \
	"bogus://127.0.0.1:1 $to" "tcp://127.0.0.1:1x $to" "tcp://::1:80 $to"
check "bad TO endpoints: exit 2, nothing listened on" all_rc 2 \
	"unix:$T/b.sock tcp://127.0.0.1:99999" "unix:$T/b.sock tcp://1.2.3:4" \
	"unix:$T/b.sock tcp:127.0.0.1:80" "unix:$T/b.sock bogus://127.0.0.1:1" \
	"unix:$T/b.sock tcp://127.0.0.1:" "unix:$T/b.sock unix:$T/$(printf 'p%.0s' $(seq 120))"
# (the last one: a path longer than sun_path)
check "a bad TO does not leave FROM's socket file" test ! -e "$T/b.sock"

# ---- 9-10: '-', missing and extra arguments --------------------------
check "'-' as FROM or as TO: exit 2" all_rc 2 \
	"- $to" "tcp://127.0.0.1:0 -"
check "no endpoint, FROM only, three endpoints: exit 2" all_rc 2 \
	"" "tcp://127.0.0.1:0" "tcp://127.0.0.1:0 $to $to"

# ---- 11-15: bad option values, -4/-6 conflicts, --help ------------
check "bad --max-sessions / -m values: exit 2" all_rc 2 \
	"--max-sessions abc $ok_ep" "--max-sessions -1 $ok_ep" "-m 5x $ok_ep" \
	"-m 99999999999999999999999 $ok_ep" "--max-sessions= $ok_ep"
check "bad --udp-idle values: exit 2" all_rc 2 \
	"--udp-idle abc $ok_ep" "--udp-idle -1 $ok_ep" "--udp-idle 1x $ok_ep" \
	"--udp-idle nan $ok_ep" "--udp-idle= $ok_ep"
check "bad --io, -w values and an unknown option: exit 2" all_rc 2 \
	"--io foo $ok_ep" "--io= $ok_ep" "-w abc $ok_ep" "-w -1 $ok_ep" \
	"-w nan $ok_ep" "--bogus $ok_ep"
check "-6 with an IPv4 endpoint, -4 with an IPv6 one: exit 2" all_rc 2 \
	"-6 $ok_ep" "-4 tcp://127.0.0.1:0 tcp://[::1]:9" "-6 udp://[::1]:0 udp://127.0.0.1:9"
"$SOCK" relay --help > "$T/help.out" 2>&1
rc=$?
check "relay --help: exit 0, shows the usage" \
	eval 'test $rc = 0 && grep -q "relay" "$T/help.out" && grep -q FROM "$T/help.out"'

# ---- 16-17: FROM cannot be had: exit 1 ------------------------------
rpeer_bg busy serve 127.0.0.1:0 --mode echo
r=$(relay_rc "tcp://127.0.0.1:$at" "$to")
diag "$(cat "$T/rc.err")"
check "FROM's port is taken: exit 1 with a message" \
	test "$r|$(test -s "$T/rc.err" && echo said)" = "1|said"
echo keep > "$T/file"
r=$(relay_rc "unix:$T/file" "$to")
check "FROM's path is a regular file: exit 1, the file left alone" \
	test "$r|$(cat "$T/file")" = "1|keep"

# ---- 18-21: TO refuses: each client closed, relay keeps serving -----
down=$(free_port tcp)
relay_bg down --stats tcp://127.0.0.1:0 "tcp://127.0.0.1:$down"
ends=
for i in 1 2 3; do
	ends+="$(rpeer --timeout 5 talk "127.0.0.1:$rport" --send hello | sed 1d | tr '\n' ' ')|"
done
diag "the clients saw: $ends"
check "TO refuses: each of 3 clients' connection is closed or reset, no data" \
	eval '[[ "$ends" =~ ^(data\ 0\ (eof|reset|epipe)\ \|){3}$ ]]'
check "-v: the error says refused" grep -qi refused "$T/down.err"
kill -USR1 $rpid
wait_for grep -Eq '(^|[^0-9])3 unreachable' "$T/down.err"
check "--stats (SIGUSR1) counts the 3 unreachable targets" \
	grep -Eq '(^|[^0-9])3 unreachable' "$T/down.err"
peer_bg up "127.0.0.1:$down" --reply upper
out=$(rpeer --timeout 5 talk "127.0.0.1:$rport" --send abc --shut-wr --print-data | sed 1d | tr '\n' ' ')
check "the relay kept serving: once TO is up, the next client is served" \
	test "$out" = "data ABC eof "
stop $rpid

# ---- 22-23: -w: TO does not answer ----------------------------------
rpeer_bg bh blackhole --hold 30
relay_bg w -w 1 tcp://127.0.0.1:0 "tcp://127.0.0.1:$at"
t0=$(date +%s%N)
out=$(rpeer --timeout 8 talk "127.0.0.1:$rport" --send hello | sed 1d | tr '\n' ' ')
ms=$((($(date +%s%N) - t0) / 1000000))
check "-w 1, TO silent: the client's connection is closed after about 1 s ($ms ms: $out)" \
	eval '[[ "$out" =~ ^data\ 0\ (eof|reset|epipe)\ $ ]] && [ $ms -ge 800 ] && [ $ms -lt 4000 ]'
check "-w 1: -v says it timed out" grep -Eqi 'timed out|timeout|in time' "$T/w.err"
stop $rpid

# ---- 24-25: a UDP TO where nothing listens --------------------------
udown=$(free_port udp)
relay_bg udown udp://127.0.0.1:0 "udp://127.0.0.1:$udown"
out=$(rpeer --timeout 1 udp-ask "127.0.0.1:$rport" --send one)
wait_for grep -q closed "$T/udown.err"
diag "$(grep closed "$T/udown.err")"
check "UDP TO refusing (ICMP): no reply, the session ends, -v says refused" \
	eval 'test "$out" = none && grep closed "$T/udown.err" | grep -qi refused'
rpeer_bg uup udp-serve "127.0.0.1:$udown" --mode echo
out=$(rpeer --timeout 3 udp-ask "127.0.0.1:$rport" --send two)
check "the UDP relay kept serving: once TO is up, a datagram gets its reply" \
	test "$out" = two
stop $rpid
done_testing
