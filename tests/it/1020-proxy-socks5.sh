#!/usr/bin/env bash
# connect --proxy socks5:// against real SOCKS5 servers on loopback:
# microsocks without and with user/password (from SOCK_PROXY_PASSWORD or
# --proxy-auth-file), Dante with a rule that blocks a port; the target's
# name goes to the proxy; every refusal is one plain line with its own
# exit status (4 refused, 5 login); --trace shows the handshake.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/proxy_lib.sh"
need python3
need microsocks
need danted
plan 18

echo_bg || exit 1
microsocks_bg open
open=$mport
microsocks_bg auth alice s3cret
auth=$mport
closed=$(free_port tcp)
danted_bg dante "socks block { from: 0.0.0.0/0 to: 0.0.0.0/0 port = $closed command: connect }"

# 1-2: no authentication; "localhost" is resolved by the proxy
through c1 socks5://127.0.0.1:$open localhost:$eport -v --trace
check "through microsocks: the echo came back (rc $rc)" test "$rc|$out" = "0|from-sock"
check "--trace shows the greeting, the name sent to the proxy, the tunnel" \
	sh -c "grep -q '^proxy socks5: greeting, methods: no-auth$' '$T/c1.err' &&
		grep -q '^proxy socks5: CONNECT localhost port $eport (the proxy resolves the name)$' '$T/c1.err' &&
		grep -q '^proxy socks5: connected' '$T/c1.err' &&
		grep -q 'connected to localhost:$eport through the proxy' '$T/c1.err'"

# 3-4: --proxy-dns local: sock resolves the name, the proxy gets an address
through c2 socks5://127.0.0.1:$open localhost:$eport -4 --trace --proxy-dns local
check "--proxy-dns local: the address goes to the proxy (rc $rc)" \
	sh -c "test '$rc|$out' = '0|from-sock' &&
		grep -q '^proxy socks5: CONNECT 127.0.0.1 port $eport$' '$T/c2.err'"
"$SOCK" connect --proxy socks5://127.0.0.1:$open --proxy-dns nearby 127.0.0.1:9 < /dev/null 2> "$T/c2b.err"
check "--proxy-dns takes local or remote: exit 2" \
	sh -c "test $? = 2 && grep -q \"bad --proxy-dns 'nearby' (local or remote)\" '$T/c2b.err'"

# 5-7: user/password from the environment, then from a file
SOCK_PROXY_PASSWORD=s3cret through c3 socks5://alice@127.0.0.1:$auth 127.0.0.1:$eport --trace
check "user/password from SOCK_PROXY_PASSWORD (rc $rc)" test "$rc|$out" = "0|from-sock"
check "--trace names the user, never the password" \
	sh -c "grep -q 'user \"alice\", password (6 bytes)' '$T/c3.err' && ! grep -q s3cret '$T/c3.err'"
printf 's3cret\n' > "$T/pw"
SOCK_PROXY_PASSWORD=wrong through c4 socks5://alice@127.0.0.1:$auth 127.0.0.1:$eport --proxy-auth-file "$T/pw"
check "--proxy-auth-file's first line (over the environment) (rc $rc)" test "$rc|$out" = "0|from-sock"

# 8-10: logins that fail
SOCK_PROXY_PASSWORD=nope refused_by c6 socks5://alice@127.0.0.1:$auth 127.0.0.1:$eport
check "wrong password: exit 5, one line ($err)" \
	sh -c "test $rc = 5 && test \"\$(wc -l < '$T/c6.err')\" = 1"
check "wrong password: said in plain words" line_with "$T/c6.err" refused the user name or password
refused_by c7 socks5://127.0.0.1:$auth 127.0.0.1:$eport
check "no user for a proxy that demands one: exit 5 ($err)" \
	sh -c "test $rc = 5 && grep -q 'accepts none of our ways to log in' '$T/c7.err'"

# 11-12: a user but no password; a password on the command line
env -u SOCK_PROXY_PASSWORD "$SOCK" connect --proxy socks5://alice@127.0.0.1:$auth 127.0.0.1:$eport < /dev/null 2> "$T/c9.err"
check "a user without a password: exit 2, says where it goes" \
	sh -c "test $? = 2 && grep -q \"names user 'alice' but no password\" '$T/c9.err'"
"$SOCK" connect --proxy socks5://alice:s3cret@127.0.0.1:$auth 127.0.0.1:$eport < /dev/null 2> "$T/c10.err"
check "a password in --proxy is refused: exit 2 (ps shows it)" \
	sh -c "test $? = 2 && grep -q 'would show in ps' '$T/c10.err'"

# 13-17: Dante's refusals, each its own words, exit 4
through c11 socks5://127.0.0.1:$dport 127.0.0.1:$eport
check "through Dante: the echo came back (rc $rc)" test "$rc|$out" = "0|from-sock"
refused_by c12 socks5://127.0.0.1:$dport 127.0.0.1:$closed
check "Dante's rule blocks the port: exit 4, reply 2 in words" \
	sh -c "test $rc = 4 && grep -q \"the proxy's rules do not allow this connection (SOCKS5 reply 2)\" '$T/c12.err'"
check "the refusal is one line naming the target and the proxy" \
	sh -c "test \"\$(wc -l < '$T/c12.err')\" = 1 &&
		grep -q 'connect to 127.0.0.1:$closed through socks5 proxy 127.0.0.1:$dport: ' '$T/c12.err'"
free=$(free_port tcp)
refused_by c13 socks5://127.0.0.1:$dport 127.0.0.1:$free
check "nothing listens at the target: exit 4, reply 5 in words" \
	sh -c "test $rc = 4 && grep -q 'the target refused the proxy.s connection: nothing listens on that port (SOCKS5 reply 5)' '$T/c13.err'"
refused_by c14 socks5://127.0.0.1:$dport no-such-host.invalid:80
check "a name the proxy cannot resolve: exit 4, reply 4 in words" \
	sh -c "test $rc = 4 && grep -q 'the proxy cannot reach the target host (SOCKS5 reply 4' '$T/c14.err'"

# 18: the half-close goes through (Dante keeps the other direction open)
out=$(printf 'from-sock' | timeout -k 2 10 "$SOCK" connect --proxy socks5://127.0.0.1:$dport 127.0.0.1:$eport)
check "a plain pipe: stdin's end travels as a half-close, the echo comes back" \
	test "$out" = from-sock

done_testing
