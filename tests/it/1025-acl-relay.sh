#!/usr/bin/env bash
# relay --allow/--deny/--deny-file: a refused client is closed at once,
# logged with -v, and never reaches TO (the target counts its
# connections); the others are relayed as usual.
. "$(dirname "$0")/lib.sh"
need python3
plan 8

rpeer_bg tgt serve 127.0.0.1:0 --mode echo || exit 1
tport=$at
# client NAME FROM: a client bound to FROM sends "hi", prints the echo
client() {
	timeout -k 2 10 python3 "$PEER" connect "127.0.0.1:$rport" --bind "$2:0" \
		--send hi --shut-wr --print data --timeout 5 > "$T/$1.out" 2> "$T/$1.cerr"
}
opens() { grep -c '^open' "$T/tgt.out"; }

# 1-5: an allow list
relay_bg r1 --allow 127.0.0.1 127.0.0.1:0 127.0.0.1:$tport
client c1 127.0.0.2
check "127.0.0.2 is refused: closed at once, nothing back" test ! -s "$T/c1.out"
check "-v logs the refusal" \
	wait_for grep -q 'refused tcp://127.0.0.2:[0-9]*: not allowed by --allow/--deny' "$T/r1.err"
client c2 127.0.0.1
check "127.0.0.1 is relayed" test "$(cat "$T/c2.out")" = hi
check "the refused client never reached TO (one connection there)" \
	test "$(opens)" = 1
check "no session was opened for the refused client" \
	test "$(grep -c 'session [0-9]* from tcp://127.0.0.2' "$T/r1.err")" = 0
stop $rpid

# 6-7: deny wins; a deny file
printf '# no\n127.0.0.2/32\n' > "$T/deny.txt"
relay_bg r2 --allow 127.0.0.0/8 --deny-file "$T/deny.txt" 127.0.0.1:0 127.0.0.1:$tport
client c3 127.0.0.2
client c4 127.0.0.3
check "--deny-file wins over --allow" test ! -s "$T/c3.out"
check "127.0.0.3 is relayed" test "$(cat "$T/c4.out")" = hi
stop $rpid

# 8: bad input
"$SOCK" relay --deny 300.1.1.1 127.0.0.1:0 127.0.0.1:$tport 2> "$T/u.err"
check "a bad address: exit 2, named" \
	sh -c "test $? = 2 && grep -q \"bad address '300.1.1.1' in --deny\" '$T/u.err'"

done_testing
