#!/usr/bin/env bash
# 1000-tls-connect: sock connect tls:// against openssl s_server with
# certificates made here: verified by default (chain and name), each
# failure in plain words, --pin, --insecure, --trace's TLS steps, and the
# start-up errors (exit 2).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tls_lib.sh"
need openssl
make_certs "$T" || skip_all "openssl could not make the test certificates"
plan 18

# conn ARG...: sock connect, stdin from-sock, within 10 s; out, err, rc
conn() {
	out=$(echo from-sock | timeout -k 2 10 "$SOCK" connect "$@" 2>"$T/c.err")
	rc=$?
	err=$(cat "$T/c.err")
}

# serve CERT [ARG...]: s_server with CERT, its stdin "from-peer" then
# held open a while; one client
serve() {
	local cert=$1; shift
	S_PORT=$(free_port tcp)
	(echo from-peer; sleep 4) | openssl s_server -accept "127.0.0.1:$S_PORT" \
		-quiet -naccept 1 -cert "$T/$cert.pem" -key "$T/$cert.key" "$@" \
		>"$T/s.out" 2>"$T/s.err" &
	S_PID=$!
	PIDS+=($S_PID)
	wait_for port_listening "$S_PORT"
}

serve srv
conn --cafile "$T/ca.pem" "tls://127.0.0.1:$S_PORT"
wait_for grep -q from-sock "$T/s.out"
check "verified by IP address: data both ways" test "$out|$rc|$(cat "$T/s.out")" = "from-peer|0|from-sock"
stop "$S_PID"

serve srv
conn --cafile "$T/ca.pem" "tls://localhost:$S_PORT"
check "verified by DNS name" test "$out|$rc" = "from-peer|0"
stop "$S_PID"

serve srv
conn "tls://127.0.0.1:$S_PORT"
check "not in the system store: refused, unknown authority named" \
	test "$rc|$out" = "1|" -a -n "$(echo "$err" | grep 'signed by an unknown authority (CN = sock test CA)')"
stop "$S_PID"

serve other
conn --cafile "$T/ca.pem" "tls://127.0.0.1:$S_PORT"
check "name mismatch names both sides" \
	grep -q 'certificate is for good.example, you asked for 127.0.0.1' "$T/c.err"
ok $([ "$rc" = 1 ] && [ -z "$out" ]; echo $?) "... exit 1, nothing received"
stop "$S_PID"

serve other
conn --cafile "$T/ca.pem" --servername good.example "tls://127.0.0.1:$S_PORT"
check "--servername good.example accepts it" test "$out|$rc" = "from-peer|0"
stop "$S_PID"

serve old
conn --cafile "$T/ca.pem" "tls://localhost:$S_PORT"
check "expired certificate: its date" grep -q 'certificate expired on 2020-01-02 00:00:00 UTC' "$T/c.err"
stop "$S_PID"

serve evil
conn --pin "sha256:$(cert_sha256 "$T/evil.pem")" "tls://127.0.0.1:$S_PORT"
check "--pin of the certificate accepts an untrusted one" test "$out|$rc" = "from-peer|0"
stop "$S_PID"

serve evil
conn --pin "sha256:$(cert_sha256 "$T/srv.pem")" "tls://127.0.0.1:$S_PORT"
check "another --pin is refused" grep -q 'does not match --pin' "$T/c.err"
stop "$S_PID"

serve evil
conn --insecure "tls://127.0.0.1:$S_PORT"
check "--insecure connects, warns once and prints the fingerprint" \
	test "$out|$rc|$(grep -c 'NOT verified' "$T/c.err")" = "from-peer|0|1" -a \
	-n "$(grep -F "$(cert_sha256 "$T/evil.pem")" "$T/c.err")"
stop "$S_PID"

# a plain-text server
S_PORT=$(free_port tcp)
python3 -c 'import socket,sys
s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(4)
for _ in range(2):
    c,_=s.accept(); c.sendall(b"HTTP/1.0 400 Bad Request\r\n\r\nplain text\n"); c.close()' "$S_PORT" &
PIDS+=($!)
wait_for port_listening "$S_PORT"
conn --cafile "$T/ca.pem" "tls://127.0.0.1:$S_PORT"
check "a plain-text server: the peer does not speak TLS" grep -q 'the peer does not speak TLS' "$T/c.err"

serve srv
echo from-sock | timeout -k 2 10 "$SOCK" --trace connect --cafile "$T/ca.pem" "tls://localhost:$S_PORT" >/dev/null 2>"$T/trace"
check "--trace: handshake start and end, version, cipher, names, fingerprint, verification" \
	bash -c "grep -q 'tls_handshake(.*start: client for localhost' '$T/trace' &&
		grep -q 'tls_handshake(.*= done TLSv1.3 TLS_' '$T/trace' &&
		grep -q 'names localhost, 127.0.0.1' '$T/trace' &&
		grep -qF '$(cert_sha256 "$T/srv.pem")' '$T/trace' &&
		grep -q 'verification: chain and name verified' '$T/trace' &&
		grep -q 'close_notify sent' '$T/trace'"
stop "$S_PID"

serve srv -Verify 1 -CAfile "$T/ca.pem"
conn --cafile "$T/ca.pem" "tls://localhost:$S_PORT"
check "a server that demands a client certificate: refused without --cert, said" \
	test "$rc|$out|$(grep -c 'the server asks for a client certificate' "$T/c.err")" = "1||1"
stop "$S_PID"
serve srv -alpn h2 -Verify 1 -CAfile "$T/ca.pem"
conn -v --cafile "$T/ca.pem" --alpn http/1.1,h2 --cert "$T/cli.pem" --key "$T/cli.key" "tls://localhost:$S_PORT"
check "--alpn: the server's choice shown with -v" \
	test "$out|$rc|$(grep -c 'ALPN h2' "$T/c.err")" = "from-peer|0|1"
wait_for grep -q from-sock "$T/s.out"
check "... and with --cert/--key, accepted and the data arrives" grep -q from-sock "$T/s.out"
stop "$S_PID"

if [ -n "$(ip -6 addr show lo 2>/dev/null | grep '::1')" ]; then
	listen_bg l6 'tls6://[::1]:0' --self-signed <<<from-sock
	fp=$(sed -n 's/.*--pin sha256:\([0-9A-F:]*\).*/\1/p' "$T/l6.err")
	conn --pin "sha256:$fp" "tls6://[::1]:$port"
	wait_exit $lpid 10
	check "tls6:// over ::1, pinned" test "$out|$rc|$(cat "$T/l6.out")" = "from-sock|0|from-sock"
else
	ok 0 "# SKIP no IPv6 loopback"
fi

# start-up errors: exit 2
timeout -k 2 5 "$SOCK" connect --cafile "$T/missing.pem" tls://127.0.0.1:1 </dev/null 2>"$T/e1"
st1=$?
timeout -k 2 5 "$SOCK" connect --pin sha256:abcd tls://127.0.0.1:1 </dev/null 2>"$T/e2"
st2=$?
timeout -k 2 5 "$SOCK" connect --cafile "$T/ca.pem" tcp://127.0.0.1:1 </dev/null 2>"$T/e3"
st3=$?
check "unreadable --cafile, short --pin, a TLS option on tcp://: exit 2, said" \
	test "$st1$st2$st3" = 222 -a -n "$(grep 'missing.pem: cannot read trusted' "$T/e1")" \
	-a -n "$(grep 'fewer than 64' "$T/e2")" -a -n "$(grep 'tls://' "$T/e3")"
openssl pkey -in "$T/srv.key" -aes128 -passout pass:right -out "$T/enc.key" 2>/dev/null
SOCK_TLS_KEY_PASSWORD=wrong timeout -k 2 5 "$SOCK" listen --cert "$T/srv.pem" --key "$T/enc.key" tls://127.0.0.1:0 </dev/null 2>"$T/e4"
st4=$?
timeout -k 2 5 "$SOCK" listen --cert "$T/srv.pem" --key "$T/other.key" tls://127.0.0.1:0 </dev/null 2>"$T/e5"
st5=$?
check "wrong key password and mismatched key: exit 2, said" \
	test "$st4$st5" = 22 -a -n "$(grep 'encrypted' "$T/e4")" -a -n "$(grep 'does not belong' "$T/e5")"
done_testing
