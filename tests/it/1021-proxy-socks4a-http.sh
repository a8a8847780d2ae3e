#!/usr/bin/env bash
# connect --proxy socks4a:// (Dante) and http:// (tinyproxy's CONNECT):
# the tunnel both ways, tinyproxy's 403 for a port it does not allow, its
# 500 for a target that does not answer, its 407 and Basic login; Dante
# speaks SOCKS4 without the 4a names, so a name gets its reply 91 in
# words.  Every refusal: one line, exit 4 (5 for a login).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/proxy_lib.sh"
need python3
need danted
need tinyproxy
plan 12

echo_bg || exit 1
danted_bg dante
dead=$(free_port tcp)
denied=$(free_port tcp)
tinyproxy_bg tiny "ConnectPort $eport" "ConnectPort $dead"
open=$hport
tinyproxy_bg tinyauth "ConnectPort $eport" "BasicAuth bob pa55word"
auth=$hport

# 1-3: SOCKS4a
through c1 socks4a://127.0.0.1:$dport 127.0.0.1:$eport --trace
check "SOCKS4 through Dante, an IPv4 target: the echo came back (rc $rc)" \
	test "$rc|$out" = "0|from-sock"
check "--trace shows the request and the grant" \
	sh -c "grep -q '^proxy socks4a: CONNECT 127.0.0.1 port $eport$' '$T/c1.err' &&
		grep -q '^proxy socks4a: request granted (90)$' '$T/c1.err'"
refused_by c3 socks4a://127.0.0.1:$dport localhost:$eport
check "a name to Dante (no SOCKS4a): exit 4, reply 91 in words ($err)" \
	sh -c "test $rc = 4 && grep -q 'the proxy rejected the request or could not reach the target (SOCKS4 reply 91)' '$T/c3.err'"

# 4-6: HTTP CONNECT
through c4 http://127.0.0.1:$open localhost:$eport --trace
check "HTTP CONNECT through tinyproxy: the echo came back (rc $rc)" \
	test "$rc|$out" = "0|from-sock"
check "--trace shows the request and the status" \
	sh -c "grep -q '^proxy http: CONNECT localhost:$eport HTTP/1.1$' '$T/c4.err' &&
		grep -q '^proxy http: 200, the tunnel is open$' '$T/c4.err'"
# (tinyproxy closes both ways at a client's half-close: through() holds
# stdin open until the echo is back)
refused_by c6 http://127.0.0.1:$open "[::1]:$dead" --trace
check "an IPv6 target is written in brackets in CONNECT and Host" \
	sh -c "grep -q '^proxy http: CONNECT \[::1\]:$dead HTTP/1.1$' '$T/c6.err'"

# 7-9: tinyproxy's refusals
refused_by c7 http://127.0.0.1:$open 127.0.0.1:$denied --trace
check "a port tinyproxy does not allow: exit 4, 403 in words" \
	sh -c "test $rc = 4 && grep -q 'the proxy forbids this connection: its rules do not allow this host or port (HTTP 403)' '$T/c7.err'"
check "--trace shows the proxy's status line" \
	grep -q '^proxy http: refused (reply: [0-9]* bytes, HTTP/1.[01] 403 ' "$T/c7.err"
refused_by c9 http://127.0.0.1:$open 127.0.0.1:$dead
check "a target that does not answer: exit 4, 500 in words" \
	sh -c "test $rc = 4 && grep -q 'the proxy failed, or could not reach the target (HTTP 500)' '$T/c9.err'"

# 10-12: Basic login
refused_by c10 http://127.0.0.1:$auth 127.0.0.1:$eport
check "no login for a proxy that wants one: exit 5, 407 in words" \
	sh -c "test $rc = 5 && grep -q 'the proxy wants a user name and password (HTTP 407)' '$T/c10.err'"
SOCK_PROXY_PASSWORD=pa55word through c11 http://bob@127.0.0.1:$auth 127.0.0.1:$eport
check "Basic login from SOCK_PROXY_PASSWORD (rc $rc)" test "$rc|$out" = "0|from-sock"
SOCK_PROXY_PASSWORD=wrong refused_by c12 http://bob@127.0.0.1:$auth 127.0.0.1:$eport
check "a wrong password: exit 5, in words ($err)" \
	sh -c "test $rc = 5 && grep -q 'the proxy refused the user name or password (HTTP 40[17])' '$T/c12.err'"

done_testing
