#!/usr/bin/env bash
# sock relay, stream kinds: big transfers both ways in both --io modes,
# half-close each way, a server that closes first, resets each way, 200
# sessions at once, a stuck client that stalls nobody, IPv4 -> IPv6, an
# abstract FROM, seqpacket boundaries (and seqpacket joined to tcp),
# sessions in parallel, the -v session lines.  The peers that peer.py
# does not offer are in relay_peer.py.
. "$(dirname "$0")/lib.sh"
need python3
plan 33

# ---- 1-6: big transfers, both ways at once, byte-exact ---------------
head -c 200000000 /dev/urandom > "$T/A"
head -c 100000000 /dev/urandom > "$T/B"
head -c 32000000 /dev/urandom > "$T/C"
# big NAME IO FROM CLIENT_EP UPFILE DOWNFILE: sock connect CLIENT_EP sends
# UPFILE while sock listen (TO) sends DOWNFILE back, through "sock relay
# --io IO FROM tcp://127.0.0.1:PORT" (IO "-": no --io); ok when both
# arrive byte-exact
big() {
	local name=$1 io=$2 from=$3 cep=$4 up=$5 down=$6 t0=$SECONDS
	local opt=(--io "$io")
	[ "$io" = - ] && opt=()
	listen_bg "$name.srv" tcp://127.0.0.1:0 < "$T/$down"
	relay_bg "$name" "${opt[@]}" "$from" "tcp://127.0.0.1:$port" ||
		{ stop $lpid; return 1; }
	timeout -k 2 40 "$SOCK" connect "${cep//\{port\}/$rport}" < "$T/$up" > "$T/$name.down"
	rc=$?
	wait_exit $lpid 10
	diag "$name: client rc=$rc server st=$st, $((SECONDS - t0)) s," \
		"up $(wc -c < "$T/$name.srv.out") down $(wc -c < "$T/$name.down")"
	cmp -s "$T/$up" "$T/$name.srv.out" && cmp -s "$T/$down" "$T/$name.down" &&
		test "$rc|$st" = "0|0"
}
check "tcp -> tcp, --io splice: 200 MB up and 100 MB down at once, byte-exact" \
	big ts splice tcp://127.0.0.1:0 'tcp://127.0.0.1:{port}' A B
check "-v: the session's closed line counts 200000000 and 100000000 bytes" \
	wait_for line_with "$T/ts.err" closed 200000000 100000000
stop $rpid
check "tcp -> tcp, --io copy: 100 MB up and 200 MB down at once, byte-exact" \
	big tc copy tcp://127.0.0.1:0 'tcp://127.0.0.1:{port}' B A
stop $rpid
check "unix -> tcp, --io splice: 100 MB up and 32 MB down at once, byte-exact" \
	big us splice "unix:$T/us.sock" "unix:$T/us.sock" B C
stop $rpid
check "unix -> tcp, --io copy: 32 MB up and 100 MB down at once, byte-exact" \
	big uc copy "unix:$T/uc.sock" "unix:$T/uc.sock" C B
stop $rpid
check "unix -> tcp, default --io: 32 MB up and 32 MB down at once, byte-exact" \
	big ud - "unix:$T/ud.sock" "unix:$T/ud.sock" C C
stop $rpid
rm -f "$T"/[ABC] "$T"/*.down "$T"/*.srv.out

# ---- 7-8: a late reply after the client's half-close ------------------
for io in splice copy; do
	peer_bg "late$io" 127.0.0.1:0 --delay 1 --reply data --prefix late:
	relay_bg "late$io" --io $io tcp://127.0.0.1:0 "tcp://127.0.0.1:$at"
	out=$(timeout -k 2 10 python3 "$PEER" connect "127.0.0.1:$rport" --send abc --shut-wr --print data)
	check "--io $io: a reply 1 s after the client's SHUT_WR still arrives" test "$out" = "late:abc"
	stop $rpid
done

# ---- 9-12: the server half-closes first, the client sends after its
# EOF; the -v session lines
rpeer_bg sf serve 127.0.0.1:0 --mode shutfirst --greet hello
relay_bg sf tcp://127.0.0.1:0 "tcp://127.0.0.1:$at"
rpeer talk "127.0.0.1:$rport" --read-eof --then-send 'x*50000' --shut-wr \
	--print-data > "$T/sf.c"
cport=$(sed -n 's/^local //p' "$T/sf.c")
sum=$(head -c 50000 /dev/zero | tr '\0' x | sha256sum | cut -c1-16)
wait_for grep -q '^got' "$T/sf.out"
check "server's SHUT_WR reaches the client as EOF; the client's data after it still arrives" \
	test "$(sed 1d "$T/sf.c" | tr '\n' ' ')|$(grep '^got' "$T/sf.out")" = \
	"first-eof data hello eof |got 50000 $sum"
check "-v: a line says the session from the client's port opened" \
	line_with "$T/sf.err" opened "$cport"
check "-v: a line says it closed, with 50000 bytes one way and 5 the other" \
	wait_for line_with "$T/sf.err" closed "$cport" 50000 5
check "-v: one opened and one closed line for one session" \
	test "$(grep -c opened "$T/sf.err")|$(grep -c closed "$T/sf.err")" = "1|1"
stop $rpid

# ---- 13-14: the server sends 1 MB and closes first ------------------
peer_bg first 127.0.0.1:0 --greet 'g*1000000' --close-first
relay_bg first tcp://127.0.0.1:0 "tcp://127.0.0.1:$at"
rpeer talk "127.0.0.1:$rport" > "$T/first.c"
cport=$(sed -n 's/^local //p' "$T/first.c")
check "server closing first: the client gets all 1000000 bytes, then EOF" \
	test "$(sed 1d "$T/first.c" | tr '\n' ' ')" = "data 1000000 eof "
check "server closing first: the relay ends the session" \
	wait_for line_with "$T/first.err" closed "$cport"
stop $rpid

# ---- 15-20: resets each way, in both --io modes ----------------------
rpeer_bg watch serve 127.0.0.1:0 --mode watch
rpeer_bg rs serve 127.0.0.1:0 --mode reset
rsport=$at
for io in splice copy; do
	relay_bg "rst$io" --io $io tcp://127.0.0.1:0 "tcp://127.0.0.1:$(head -1 "$T/watch.out")"
	n0=$(grep -c '^peer-' "$T/watch.out")
	rpeer talk "127.0.0.1:$rport" --send hello --read-until ack --reset > "$T/rst.c"
	cport=$(sed -n 's/^local //p' "$T/rst.c")
	wait_for test "$(grep -c '^peer-' "$T/watch.out")" -gt "$n0"
	seen=$(grep '^peer-' "$T/watch.out" | tail -1)
	diag "--io $io: the server saw: $seen"
	if [ $io = splice ]; then
		check "client resets: the server's connection ends (reset or EOF), after the 5 bytes" \
			eval '[[ "$seen" =~ ^peer-(reset|eof)\ 5$ ]]'
	fi
	check "--io $io: client resets, the server sees a reset (ECONNRESET)" \
		test "$seen" = "peer-reset 5"
	if [ $io = splice ]; then
		check "client resets: the -v closed line says reset" \
			eval 'wait_for line_with "$T/rst$io.err" closed "$cport" &&
				grep closed "$T/rst$io.err" | grep -qi reset'
	fi
	stop $rpid

	relay_bg "rs$io" --io $io tcp://127.0.0.1:0 "tcp://127.0.0.1:$rsport"
	out=$(rpeer --timeout 5 talk "127.0.0.1:$rport" --send hello | tail -1)
	check "--io $io: server resets, the client gets ECONNRESET (got: $out)" test "$out" = reset
	stop $rpid
done

# ---- 21-22: 200 sessions at once, distinct data each -----------------
rpeer_bg many serve 127.0.0.1:0 --mode echo
relay_bg many tcp://127.0.0.1:0 "tcp://127.0.0.1:$at"
timeout -k 2 50 python3 "$RPEER" --timeout 30 many "127.0.0.1:$rport" 200 --size 20000 > "$T/many.c"
rc=$?
diag "$(head -5 "$T/many.c")"
diag "relay: $(grep -v 'opened\|both sides' "$T/many.err" | sed -n '3,8p')"
diag "server: $(grep -v '^open\|^close' "$T/many.out" | sed -n '2,6p' | tr '\n' ' ')"
check "200 sessions at once: each client gets back exactly its own data" \
	test "$(head -1 "$T/many.c")|$rc" = "intact 200/200|0"
check "200 sessions at once: the server had 200 connections open together" \
	test "$(max_open "$T/many.out")" -eq 200

# ---- 23-24: a client that never reads stalls nobody else ----------------
# (sends at most 300 MB: a relay that buffered without bound would take
# them all)
bg python3 "$RPEER" sink "127.0.0.1:$rport" --bytes 300000000 --hold 30 > "$T/sink.c"
sinkpid=$!
wait_secs 15 test -s "$T/sink.c"
diag "sink: $(cat "$T/sink.c")"
check "a client that sends but never reads is pushed back (its sends block)" \
	grep -q '^stuck' "$T/sink.c"
timeout -k 2 15 python3 "$RPEER" --timeout 10 many "127.0.0.1:$rport" 10 --size 100000 > "$T/many2.c"
check "while that client is stuck, 10 others are served" \
	test "$(head -1 "$T/many2.c")" = "intact 10/10"
stop $sinkpid
stop $rpid

# ---- 25: IPv4 clients to an IPv6 service ----------------------------
if rpeer ipv6; then
	peer_bg v6 '[::1]:0' --reply upper --prefix v6:
	relay_bg v6 tcp://127.0.0.1:0 "tcp://[::1]:$at"
	out=$(timeout -k 2 10 python3 "$PEER" connect "127.0.0.1:$rport" --send abc --shut-wr --print data)
	check "an IPv4 client reaches an IPv6 server through the relay" test "$out" = "v6:ABC"
	stop $rpid
else
	_n=$((_n + 1)); echo "ok $_n # SKIP ::1 cannot be bound here"
fi

# ---- 26-27: an abstract FROM ----------------------------------------
abs=sock-it-relay-$$-$RANDOM
peer_bg abs 127.0.0.1:0 --reply upper
relay_bg abs "unix:@$abs" "tcp://127.0.0.1:$at"
out=$(timeout -k 2 10 python3 "$PEER" connect "@$abs" --send abc --shut-wr --print data)
check "FROM unix:@NAME: a client of the abstract name is relayed" test "$out" = ABC
check "FROM unix:@NAME: -v names it in the listening line" grep -q "listening on @$abs" "$T/abs.err"
stop $rpid

# ---- 28-29: seqpacket to seqpacket keeps message boundaries ---------
peer_bg sq "$T/sq.sock" --type seqpacket --reply sizes
relay_bg sq "unix-seqpacket:$T/rsq.sock" "unix-seqpacket:$T/sq.sock"
out=$(timeout -k 2 10 python3 "$PEER" connect "$T/rsq.sock" --type seqpacket \
	--send 'a*1' --send 'b*1000' --send 'c*60000' --send 'd*7' --shut-wr --print data)
check "seqpacket -> seqpacket: the server gets 4 messages of 1, 1000, 60000, 7 bytes" \
	test "$out" = "1 1000 60000 7"
stop $rpid
peer_bg sq2 "$T/sq2.sock" --type seqpacket --echo
relay_bg sq2 "unix-seqpacket:$T/rsq2.sock" "unix-seqpacket:$T/sq2.sock"
out=$(timeout -k 2 10 python3 "$PEER" connect "$T/rsq2.sock" --type seqpacket \
	--send 'a*1' --send 'b*1000' --send 'c*60000' --send 'd*7' --shut-wr --print sizes)
check "seqpacket -> seqpacket: the echoes come back as 4 messages too" \
	test "$out" = "1 1000 60000 7"
stop $rpid

# ---- 30-31: a seqpacket end joined to a byte stream ------------------
peer_bg sqt 127.0.0.1:0 --reply upper
relay_bg sqt "unix-seqpacket:$T/rsqt.sock" "tcp://127.0.0.1:$at"
out=$(timeout -k 2 10 python3 "$PEER" connect "$T/rsqt.sock" --type seqpacket \
	--send abc --send def --shut-wr --print data)
check "seqpacket FROM, tcp TO: messages become bytes, the reply a message" \
	test "$out" = ABCDEF
stop $rpid
peer_bg tsq "$T/tsq.sock" --type seqpacket --reply sizes
relay_bg tsq tcp://127.0.0.1:0 "unix-seqpacket:$T/tsq.sock"
out=$(timeout -k 2 10 python3 "$PEER" connect "127.0.0.1:$rport" --send 'x*300000' \
	--shut-wr --print data)
diag "300000 bytes arrived as messages of: $(echo "$out" | cut -c1-120)"
check "tcp FROM, seqpacket TO: 300000 bytes arrive whole, as messages of at most 64 KiB" \
	test "$(echo "$out" | awk '{ for (i = 1; i <= NF; i++) { t += $i; if ($i > 65536) big++ } }
		END { print t + 0, big + 0 }')" = "300000 0"
stop $rpid

# ---- 32-33: the relay's stream sessions run in parallel, not in turn -
# (a slow session, 2 s to its late reply, does not delay a quick one)
rpeer_bg par serve 127.0.0.1:0 --mode upper
relay_bg par tcp://127.0.0.1:0 "tcp://127.0.0.1:$at"
rpeer talk "127.0.0.1:$rport" --send slow --hold 2 --shut-wr --print-data > "$T/slow.c" &
slowpid=$!
PIDS+=($slowpid)
wait_for test -s "$T/slow.c"
t0=$(date +%s%N)
out=$(rpeer --timeout 5 talk "127.0.0.1:$rport" --send quick --shut-wr --print-data | sed 1d | tr '\n' ' ')
ms=$((($(date +%s%N) - t0) / 1000000))
check "a quick session ends while a slow one is open (${ms} ms)" \
	test "$out" = "data QUICK eof " -a "$ms" -lt 1500
wait_exit $slowpid 10
check "the slow one still gets its answer" \
	test "$(sed 1d "$T/slow.c" | tr '\n' ' ')" = "held data SLOW eof "
stop $rpid
done_testing
