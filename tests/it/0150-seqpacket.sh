#!/usr/bin/env bash
# unix-seqpacket: both roles against python3 and socat (type=5), message
# boundaries, EOF both ways, several MB byte-exact, abstract names.
. "$(dirname "$0")/lib.sh"
need python3
need socat
plan 7

abs=sock-it-$$-$RANDOM
printf 'from-sock\n' > "$T/s.in"
printf 'from-peer\n' > "$T/p.in"

# 1-2: listen <- python3: messages from stdin reads keep their sizes;
# EOF both ways
listen_bg s1 "unix-seqpacket:$T/a.sock" < <(peer feed --after "$T/s1.err" "connection from" 1 700 4000 20000)
out=$(timeout -k 2 10 python3 "$PEER" connect "$T/a.sock" --type seqpacket \
	--send 'y*5' --send 'y*1' --send 'y*3000' --shut-wr --print sizes)
wait_exit $lpid 5
check "listen seqpacket -> python3: one message per stdin read" \
	test "$out" = "1 700 4000 20000"
check "python3's 3006 bytes arrive, listener exits 0" \
	test "$(wc -c < "$T/s1.out")|$st" = "3006|0"

# 3: connect -> python3 on an abstract name, which records message sizes
peer_bg srv "@$abs" --type seqpacket --reply sizes
out=$(peer feed 1 700 4000 20000 | timeout -k 2 10 "$SOCK" connect "unix-seqpacket:@$abs")
check "connect unix-seqpacket:@NAME -> python3: sizes kept, reply read" \
	test "$out" = "1 700 4000 20000"

# 4-5: socat (type=5) as client and as server
listen_bg s4 "unix-seqpacket:$T/b.sock" < "$T/s.in"
out=$(timeout -k 2 10 socat -t 5 - "UNIX-CONNECT:$T/b.sock,type=5" < "$T/p.in")
wait_exit $lpid 5
check "listen seqpacket <- socat: both directions" served s4

bg sh -c "exec socat -t 5 'UNIX-LISTEN:$T/c.sock,type=5' - < '$T/p.in' > '$T/p5.out'"
wait_for test -S "$T/c.sock"
connect_to 10 "$T/p5.out" "unix-seqpacket:$T/c.sock" < "$T/s.in"
check "connect seqpacket -> socat: both directions" reached "$T/p5.out"

# 6: 4 MB each way, sock to sock
both_ways_big "unix-seqpacket:$T/big.sock" "unix-seqpacket:$T/big.sock" 4000000
diag "rc=$rc st=$st bytes in: $(wc -c < "$T/big1.out") out: $(wc -c < "$T/big2.out")"
check "4 MB each way over seqpacket, byte-exact" both_ways_arrived

# 7: the late reply after our half-close
peer_bg late "$T/late.sock" --type seqpacket --delay 1 --reply data --prefix late:
out=$(printf abc | timeout -k 2 10 "$SOCK" connect "unix-seqpacket:$T/late.sock")
check "seqpacket: late reply after SHUT_WR is not dropped" \
	test "$out" = "late:abc"
done_testing
