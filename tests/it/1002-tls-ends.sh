#!/usr/bin/env bash
# 1002-tls-ends: the end of a TLS session (stdin's end sends close_notify
# and the reply still comes; a peer that closes TCP without close_notify
# is reported as truncation with -v), many TLS sessions at once in one
# relay loop each way (tcp->tls->tcp through two relays), and a relay's
# --trace showing the TLS steps.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tls_lib.sh"
need openssl
make_certs "$T" || skip_all "openssl could not make the test certificates"
plan 6

# half-close: the client's stdin ends first; the listener answers later
listen_bg h tls://127.0.0.1:0 --cert "$T/srv.pem" --key "$T/srv.key" < <(sleep 1; echo late-reply)
out=$(echo early | timeout -k 2 10 "$SOCK" --trace connect --cafile "$T/ca.pem" "tls://localhost:$port" 2>"$T/h.trace")
rc=$?
wait_exit $lpid 10
check "stdin's end sends close_notify; the reply after it still arrives" \
	test "$out|$rc|$(cat "$T/h.out")" = "late-reply|0|early"
check "... the trace shows close_notify sent, then received as the end of data" \
	bash -c "grep -q 'close_notify sent' '$T/h.trace' && grep -q 'close_notify received: end of data' '$T/h.trace'"

# a TLS server that closes TCP without close_notify (Python's close()
# sends none)
tport=$(free_port tcp)
python3 - "$tport" "$T/srv.pem" "$T/srv.key" <<'PY' &
import socket, ssl, sys
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(sys.argv[2], sys.argv[3])
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(1); s.settimeout(10)
c, _ = s.accept()
t = ctx.wrap_socket(c, server_side=True)
t.sendall(b"cut-short\n")
t.close()
PY
PIDS+=($!)
wait_for port_listening "$tport"
out=$(timeout -k 2 10 "$SOCK" -v connect -d --cafile "$T/ca.pem" "tls://localhost:$tport" 2>"$T/t.err")
check "TCP closed without close_notify: the data, then truncation reported with -v" \
	test "$out|$(grep -c 'without close_notify' "$T/t.err")" = "cut-short|1"

# many sessions at once: plain clients -> relay tcp->tls -> relay tls->tcp -> echo
rpeer_bg echo serve 127.0.0.1:0 --mode echo
relay_bg b --cert "$T/srv.pem" --key "$T/srv.key" tls://127.0.0.1:0 "tcp://127.0.0.1:$at"
bport=$rport
relay_bg a --cafile "$T/ca.pem" tcp://127.0.0.1:0 "tls://localhost:$bport"
res=$(timeout -k 2 60 python3 "$RPEER" many "127.0.0.1:$rport" 40 --size 200000)
check "40 TLS sessions at once through both relays: every byte back" test "$res" = "intact 40/40"
check "... the echo server had them all open at once" test "$(max_open "$T/echo.out")" -ge 40
stop $rpid

# the relay's trace: the TLS steps of its sessions
"$SOCK" --trace relay --cafile "$T/ca.pem" tcp://127.0.0.1:0 "tls://localhost:$bport" </dev/null 2>"$T/rt.err" &
tpid=$!
PIDS+=($tpid)
wait_for grep -q 'listen(' "$T/rt.err"
tp=$(sed -n 's/^getsockname([0-9]*) = 127.0.0.1:\([0-9]*\)$/\1/p' "$T/rt.err" | head -1)
echo hi | timeout -k 2 10 "$SOCK" connect "tcp://127.0.0.1:$tp" >/dev/null 2>&1
wait_for grep -q 'close_notify' "$T/rt.err"
stop $tpid
check "relay --trace: handshake start and end, verification, close_notify" \
	bash -c "grep -q 'start: client for localhost, verifying chain and name' '$T/rt.err' &&
		grep -q 'verification: chain and name verified' '$T/rt.err' && grep -q close_notify '$T/rt.err'"
done_testing
