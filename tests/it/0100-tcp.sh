#!/usr/bin/env bash
# TCP: sock against itself and python3, both directions, half-close,
# a late reply, a server that closes first, large transfers.
. "$(dirname "$0")/lib.sh"
need python3
plan 9

# 1-2: listen <-> connect, both directions at once
printf 'from-server\n' > "$T/s.in"
listen_bg s tcp://127.0.0.1:0 < "$T/s.in"
printf 'from-client\n' | timeout -k 2 10 "$SOCK" connect "127.0.0.1:$port" > "$T/c.out"
ok $? "connect exits 0 after a full exchange"
wait_exit $lpid 5
check "both directions arrive, listener exits 0" \
	test "$(cat "$T/c.out")|$(cat "$T/s.out")|$st" = "from-server|from-client|0"

# 3: a reply that comes 2 s after our half-close is printed
peer_bg late 127.0.0.1:0 --delay 2 --reply data --prefix late:
out=$(printf 'abc' | timeout -k 2 10 "$SOCK" connect "127.0.0.1:$at")
check "late reply after SHUT_WR is not dropped" test "$out" = "late:abc"

# 4: the server closes first: connect stops reading stdin and exits 3
peer_bg first 127.0.0.1:0 --greet 'bye\n' --close-first
# stdin never ends (a fifo held open): only the peer's close ends us
hold_stdin "$T/hold"
out=$(timeout -k 2 10 "$SOCK" connect "127.0.0.1:$at" < "$T/hold" 2> "$T/first.err"; echo "rc=$?")
check "server closing first ends the client, which says stdin was cut" \
	test "$out|$(cat "$T/first.err")" = "$(printf 'bye\nrc=3|sock: the peer closed first; the rest of standard input was not sent')"

# 5-6: 8 MB each way through sock listen / sock connect, byte-exact
both_ways_big tcp://127.0.0.1:0 '127.0.0.1:{port}' 8000000
check "8 MB client -> server byte-exact" cmp -s "$T/big1" "$T/big1.out"
check "8 MB server -> client byte-exact" cmp -s "$T/big2" "$T/big2.out"

# 7: python3 as the server, echoing 4 MB back
peer_bg echo 127.0.0.1:0 --echo
head -c 4000000 /dev/urandom > "$T/mid"
timeout -k 2 30 "$SOCK" connect "127.0.0.1:$at" < "$T/mid" > "$T/mid.out"
check "4 MB echoed by python3 byte-exact" cmp -s "$T/mid" "$T/mid.out"

# 8: python3 as the client of sock listen
listen_bg py tcp://127.0.0.1:0 < /dev/null
peer connect "127.0.0.1:$port" --send 'x*100000' --shut-wr --print eof
wait_exit $lpid 5
check "python3 client: 100000 bytes, EOF both ways, exit 0" \
	test "$(wc -c < "$T/py.out")|$st" = "100000|0"

# 9: IPv6 loopback
listen_bg v6 'tcp://[::1]:0' < <(echo six)
out=$(timeout -k 2 5 "$SOCK" connect "tcp://[::1]:$port" < /dev/null)
check "IPv6 loopback" test "$out" = "six"
done_testing
