#!/usr/bin/env bash
# --sandbox with tls://: the trust store (here SSL_CERT_FILE, which
# OpenSSL reads in place of the system bundle) is loaded when the TLS
# context is made, before the sandbox closes, so a confined client still
# verifies the server at the handshake, when Landlock no longer lets it
# open files; a certificate the store does not vouch for is still refused.
# Fails if the context is ever made after tool_sandbox_enter().
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tls_lib.sh"
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
need openssl
make_certs "$T" || skip_all "openssl could not make the test certificates"
echo x | timeout -k 2 10 "$SOCK" --sandbox listen 127.0.0.1:0 \
	> /dev/null 2> "$T/probe" &
ppid_=$!
wait_for grep -q 'listening on\|Landlock' "$T/probe"
kill $ppid_ 2> /dev/null
wait $ppid_ 2> /dev/null
grep -q 'does not offer' "$T/probe" && skip_all "no Landlock here: $(head -1 "$T/probe")"
plan 2

serve() {
	S_PORT=$(free_port tcp)
	(echo from-peer; sleep 4) | openssl s_server -accept "127.0.0.1:$S_PORT" \
		-quiet -naccept 1 -cert "$T/$1.pem" -key "$T/$1.key" \
		> "$T/s.out" 2> "$T/s.err" &
	S_PID=$!
	PIDS+=($S_PID)
	wait_for port_listening "$S_PORT"
}
conn() {
	out=$(echo from-sock | SSL_CERT_FILE="$T/ca.pem" timeout -k 2 10 \
		"$SOCK" --sandbox connect "tls://127.0.0.1:$S_PORT" 2> "$T/c.err")
	rc=$?
}

serve srv
conn
check "confined client verifies against the store read at start (rc $rc: $(head -c 200 "$T/c.err"))" \
	test "$out|$rc" = "from-peer|0"
stop "$S_PID"
serve evil
conn
check "confined client still refuses an unknown authority (rc $rc)" \
	test "$rc|$out" = "1|" -a -n "$(grep 'unknown authority' "$T/c.err")"
stop "$S_PID"
