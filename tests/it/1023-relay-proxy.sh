#!/usr/bin/env bash
# sock relay FROM TO --proxy URL: every session runs its own proxy
# handshake inside the one event loop; many clients at once through Dante
# (SOCKS5 and SOCKS4) and tinyproxy (HTTP CONNECT) come back intact; a
# refusal ends only its session, in words, and the client gets a reset;
# handshakes with a proxy that never answers wait side by side until -w.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/proxy_lib.sh"
need python3
need danted
need tinyproxy
need microsocks
plan 13

echo_bg || exit 1
closed=$(free_port tcp)
danted_bg dante
tinyproxy_bg tiny "ConnectPort $eport"

# 1-2: 30 clients at once through SOCKS5, the target's name resolved by
# the proxy
relay_bg r1 --proxy socks5://127.0.0.1:$dport 127.0.0.1:0 localhost:$eport
timeout -k 2 30 python3 "$RPEER" many 127.0.0.1:$rport 30 > "$T/m1.out"
check "SOCKS5: 30 sessions at once, all intact ($(head -1 "$T/m1.out"))" \
	grep -q '^intact 30/30$' "$T/m1.out"
check "the relay's process ran them all (one pid, 30 sessions)" \
	test "$(count_with "$T/r1.err" session closed both sides finished)" = 30

# 3: SOCKS4 (an IPv4 target)
relay_bg r3 --proxy socks4a://127.0.0.1:$dport 127.0.0.1:0 127.0.0.1:$eport
timeout -k 2 30 python3 "$RPEER" many 127.0.0.1:$rport 10 > "$T/m3.out"
check "SOCKS4: 10 sessions at once, all intact" grep -q '^intact 10/10$' "$T/m3.out"

# 4: HTTP CONNECT (tinyproxy closes both ways at a half-close, so each
# client reads its echo before it half-closes: talk --read-until)
relay_bg r4 --proxy http://127.0.0.1:$hport 127.0.0.1:0 127.0.0.1:$eport
for i in 1 2 3 4 5 6 7 8; do
	bg timeout -k 2 20 python3 "$RPEER" talk 127.0.0.1:$rport --send "hello-$i" \
		--read-until "hello-$i" > "$T/t4.$i"
done
all_ready() { for i in 1 2 3 4 5 6 7 8; do grep -q ready "$T/t4.$i" || return 1; done; }
check "HTTP CONNECT: 8 clients at once, each got its own echo" wait_for all_ready

# 5-7: a refusal ends its session only, in words
relay_bg r5 --proxy socks5://127.0.0.1:$dport 127.0.0.1:0 127.0.0.1:$closed
timeout -k 2 10 python3 "$RPEER" talk 127.0.0.1:$rport --send x --read-eof > "$T/t5.out"
check "the client of a refused session gets a reset" grep -q '^reset$' "$T/t5.out"
wait_for grep -q 'session 1 .* closed' "$T/r5.err"
check "-v says why, in the proxy's words" \
	grep -q "session 1 from .* closed after .*cannot reach the target: the target refused the proxy's connection: nothing listens on that port (SOCKS5 reply 5)" "$T/r5.err"
check "the relay goes on" kill -0 $rpid

# 8-9: handshakes wait side by side: a proxy that takes connections and
# never answers, 10 sessions at once, each given up after -w 2; one
# after the other they would take 20 s
hold_stdin "$T/hold"
listen_bg mute 127.0.0.1:0 -k < "$T/hold"
relay_bg r8 -w 2 --proxy socks5://127.0.0.1:$port 127.0.0.1:0 127.0.0.1:$eport
start=$(date +%s%N)
for i in $(seq 10); do
	bg timeout -k 2 30 python3 "$RPEER" talk 127.0.0.1:$rport --send x --read-eof > "$T/t8.$i"
done
ten_closed() { test "$(grep -c 'session [0-9]* .* closed' "$T/r8.err")" = 10; }
wait_secs 25 ten_closed
ms=$((($(date +%s%N) - start) / 1000000))
check "10 silent handshakes all given up together (${ms} ms, not 20 s)" \
	test "$ms" -lt 12000
check "each said: the proxy did not answer in time" \
	test "$(grep -c "session [0-9]* .* closed .*cannot reach the target: the proxy took the connection but did not answer in time" "$T/r8.err")" = 10

# 10-11: --trace in the relay shows each handshake
"$SOCK" --trace relay --proxy socks5://127.0.0.1:$dport 127.0.0.1:0 127.0.0.1:$eport \
	< /dev/null 2> "$T/r10.err" &
tpid=$!
PIDS+=($tpid)
wait_for grep -q 'listen(' "$T/r10.err"
tport=$(sed -n 's/^getsockname([0-9]*) = 127.0.0.1:\([0-9]*\)$/\1/p' "$T/r10.err" | head -1)
out=$(printf 'from-sock' | timeout -k 2 10 "$SOCK" connect 127.0.0.1:$tport)
check "--trace relay: the tunnel works (got '$out')" test "$out" = from-sock
check "--trace relay: the handshake's steps are shown" \
	sh -c "grep -q '^proxy socks5: greeting, methods: no-auth$' '$T/r10.err' &&
		grep -q '^proxy socks5: CONNECT 127.0.0.1 port $eport$' '$T/r10.err' &&
		grep -q '^proxy socks5: connected' '$T/r10.err'"

# 12-13: a login from SOCK_PROXY_PASSWORD, once for every session
microsocks_bg auth alice s3cret
SOCK_PROXY_PASSWORD=s3cret relay_bg r12 --proxy socks5://alice@127.0.0.1:$mport \
	127.0.0.1:0 127.0.0.1:$eport
for i in 1 2 3 4; do
	bg timeout -k 2 20 python3 "$RPEER" talk 127.0.0.1:$rport --send "login-$i" \
		--read-until "login-$i" > "$T/t12.$i"
done
logged_in() { for i in 1 2 3 4; do grep -q ready "$T/t12.$i" || return 1; done; }
check "SOCKS5 with a login: 4 clients at once, each got its echo" wait_for logged_in
SOCK_PROXY_PASSWORD=wrong relay_bg r13 --proxy socks5://alice@127.0.0.1:$mport \
	127.0.0.1:0 127.0.0.1:$eport
timeout -k 2 10 python3 "$RPEER" talk 127.0.0.1:$rport --send x --read-eof > /dev/null
check "a wrong password: the session ends in the proxy's words" \
	wait_for grep -q "closed after .*cannot reach the target: the proxy refused the user name or password" "$T/r13.err"

done_testing
