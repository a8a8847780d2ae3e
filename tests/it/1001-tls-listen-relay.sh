#!/usr/bin/env bash
# 1001-tls-listen-relay: sock listen tls:// for openssl s_client (mutual
# TLS only with --client-ca), sock relay tls->tcp, tcp->tls, tls->tls and
# tls->unix with 100 MB checksummed each way it carries, curl over https
# through the relay to nginx, garbage to a TLS relay (that session closes,
# the others go on), ncat --ssl and socat OPENSSL as peers.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tls_lib.sh"
need openssl
make_certs "$T" || skip_all "openssl could not make the test certificates"
plan 11
MB=${TLS_TEST_MB:-100}

# answer NAME: a listener's stdin: "from-sock" once the listener has
# printed what its client sent (a client that exits at the listener's
# close_notify must have sent its line first)
answer() { wait_for grep -q from-peer "$T/$1.out"; echo from-sock; }

# s_client to a sock listener
sclient() {
	(echo from-peer; sleep 1) | timeout -k 2 10 openssl s_client -quiet \
		-connect "127.0.0.1:$port" -CAfile "$T/ca.pem" -verify_return_error \
		-verify_hostname localhost "$@" >"$T/sc.out" 2>"$T/sc.err"
}
listen_bg l1 tls://127.0.0.1:0 --cert "$T/srv.pem" --key "$T/srv.key" < <(answer l1)
sclient
wait_exit $lpid 10
check "s_client -> sock listen --cert: verified, data both ways" \
	test "$(cat "$T/sc.out")|$(cat "$T/l1.out")" = "from-sock|from-peer"

listen_bg l2 tls://127.0.0.1:0 --cert "$T/srv.pem" --key "$T/srv.key" --client-ca "$T/ca.pem" < <(answer l2)
sclient -cert "$T/cli.pem" -key "$T/cli.key"
wait_exit $lpid 10
check "--client-ca: a client certificate signed by the CA is accepted" \
	test "$(cat "$T/sc.out")|$(cat "$T/l2.out")" = "from-sock|from-peer"
listen_bg l3 tls://127.0.0.1:0 --cert "$T/srv.pem" --key "$T/srv.key" --client-ca "$T/ca.pem" <<<from-sock
sclient
wait_exit $lpid 10
check "--client-ca: a client without one is refused, in words" \
	grep -q 'no client certificate, and --client-ca asks for one' "$T/l3.err"

listen_bg l4 tls://127.0.0.1:0 --self-signed <<<from-sock
fp=$(sed -n 's/.*--pin sha256:\([0-9A-F:]*\).*/\1/p' "$T/l4.err")
out=$(echo from-peer | timeout -k 2 10 "$SOCK" connect --pin "sha256:$fp" "tls://127.0.0.1:$port" 2>/dev/null)
wait_exit $lpid 10
check "--self-signed prints the fingerprint --pin accepts" test "$out|$(cat "$T/l4.out")" = "from-sock|from-peer"

# ---- relay paths, 100 MB each way they carry ---------------------------
head -c $((MB * 1000000)) /dev/urandom >"$T/big"
sum=$(sha256sum <"$T/big")
# through FROM (connect options CARGS) to a listener on TO_EP (LARGS);
# the listener sends big back
relay_path() {
	local name=$1 from=$2 to_ep=$3; shift 3
	listen_bg "t$name" "$to_ep" "${LARGS[@]}" <"$T/big"
	local target=$to_ep
	[ -n "$port" ] && target=${to_ep%:0}:$port
	[[ $target == tls://127.0.0.1:* ]] && target=tls://localhost:${target##*:}
	relay_bg "r$name" "${RARGS[@]}" "$from" "$target"
	local cep=${from%:0}:$rport
	timeout -k 2 60 "$SOCK" connect "${CARGS[@]}" "$cep" <"$T/big" >"$T/back$name" 2>"$T/c$name.err"
	wait_exit $lpid 20
	stop $rpid
	test "$(sha256sum <"$T/t$name.out")|$(sha256sum <"$T/back$name")" = "$sum|$sum"
}
LARGS=(); RARGS=(--cert "$T/srv.pem" --key "$T/srv.key"); CARGS=(--cafile "$T/ca.pem")
check "relay tls->tcp: $MB MB each way, checksummed" relay_path a tls://127.0.0.1:0 tcp://127.0.0.1:0
LARGS=(--cert "$T/srv.pem" --key "$T/srv.key"); RARGS=(--cafile "$T/ca.pem"); CARGS=()
check "relay tcp->tls: $MB MB each way, checksummed" relay_path b tcp://127.0.0.1:0 tls://127.0.0.1:0
LARGS=(--cert "$T/srv.pem" --key "$T/srv.key"); RARGS=(--self-signed --cafile "$T/ca.pem"); CARGS=(--insecure)
check "relay tls->tls: $MB MB each way, checksummed" relay_path c tls://127.0.0.1:0 tls://127.0.0.1:0
LARGS=(); RARGS=(--cert "$T/srv.pem" --key "$T/srv.key"); CARGS=(--cafile "$T/ca.pem")
check "relay tls->unix: $MB MB each way, checksummed" relay_path d tls://127.0.0.1:0 "unix:$T/u.sock"

# ---- garbage and plain text to a TLS relay ----------------------------
listen_bg g0 tcp://127.0.0.1:0 -k </dev/null
relay_bg g --cert "$T/srv.pem" --key "$T/srv.key" tls://127.0.0.1:0 "tcp://127.0.0.1:$port"
head -c 3000 /dev/urandom | timeout -k 2 5 "$SOCK" connect "tcp://127.0.0.1:$rport" >/dev/null 2>&1
printf 'GET / HTTP/1.0\r\n\r\n' | timeout -k 2 5 "$SOCK" connect "tcp://127.0.0.1:$rport" >/dev/null 2>&1
echo good | timeout -k 2 5 "$SOCK" connect --cafile "$T/ca.pem" "tls://localhost:$rport" >/dev/null 2>&1
rc=$?
wait_for grep -q good "$T/g0.out"
check "garbage and plain text: those sessions close, the next one goes through" \
	test "$rc|$(grep -c "client's side failed" "$T/g.err")|$(cat "$T/g0.out")" = "0|2|good"
stop $lpid
stop $rpid

# ---- curl over https through the relay to nginx -----------------------
if command -v nginx >/dev/null && command -v curl >/dev/null; then
	np=$(free_port tcp)
	nps=$(free_port tcp)
	mkdir -p "$T/ng/logs" "$T/www"
	echo hello-from-nginx >"$T/www/index.html"
	# nginx's workers may run as another user (root starts them as
	# www-data): they must reach the page.
	chmod 755 "$T" "$T/www"
	chmod 644 "$T/www/index.html"
	cat >"$T/ng/nginx.conf" <<CONF
daemon off;
pid $T/ng/nginx.pid;
error_log $T/ng/error.log;
events { worker_connections 64; }
http {
	access_log off;
	client_body_temp_path $T/ng; proxy_temp_path $T/ng;
	fastcgi_temp_path $T/ng; uwsgi_temp_path $T/ng; scgi_temp_path $T/ng;
	server { listen 127.0.0.1:$np; root $T/www; }
	server { listen 127.0.0.1:$nps ssl; root $T/www;
		ssl_certificate $T/srv.pem; ssl_certificate_key $T/srv.key; }
}
CONF
	nginx -p "$T/ng" -c "$T/ng/nginx.conf" 2>"$T/ng/start.err" &
	PIDS+=($!)
	wait_for port_listening "$nps"
	relay_bg n1 --cert "$T/srv.pem" --key "$T/srv.key" tls://127.0.0.1:0 "tcp://127.0.0.1:$np"
	got1=$(timeout -k 2 10 curl -s --cacert "$T/ca.pem" "https://localhost:$rport/")
	relay_bg n2 --cafile "$T/ca.pem" tcp://127.0.0.1:0 "tls://localhost:$nps"
	got2=$(timeout -k 2 10 curl -s "http://127.0.0.1:$rport/")
	check "curl https -> relay tls->tcp -> nginx, and curl http -> relay tcp->tls -> nginx ssl" \
		test "$got1|$got2" = "hello-from-nginx|hello-from-nginx"
else
	ok 0 "# SKIP nginx or curl not installed"
fi

# ---- ncat --ssl and socat OPENSSL as peers ----------------------------
if command -v ncat >/dev/null && command -v socat >/dev/null; then
	listen_bg l5 tls://127.0.0.1:0 --cert "$T/srv.pem" --key "$T/srv.key" < <(answer l5)
	a=$( (echo from-peer; sleep 1) | timeout -k 2 10 ncat --ssl --ssl-verify --ssl-trustfile "$T/ca.pem" localhost "$port" 2>/dev/null)
	wait_exit $lpid 10
	b=$(cat "$T/l5.out")
	sp=$(free_port tcp)
	(echo from-peer; sleep 2) | timeout -k 2 10 socat - "OPENSSL-LISTEN:$sp,bind=127.0.0.1,reuseaddr,cert=$T/srv.pem,key=$T/srv.key,verify=0" >"$T/socat.out" 2>/dev/null &
	PIDS+=($!)
	wait_for port_listening "$sp"
	c=$(echo from-sock | timeout -k 2 10 "$SOCK" connect --cafile "$T/ca.pem" "tls://localhost:$sp" 2>/dev/null)
	wait_for grep -q from-sock "$T/socat.out"
	check "ncat --ssl --ssl-verify -> sock listen, sock connect -> socat OPENSSL-LISTEN" \
		test "$a|$b|$c|$(cat "$T/socat.out")" = "from-sock|from-peer|from-peer|from-sock"
else
	ok 0 "# SKIP ncat or socat not installed"
fi
done_testing
