#!/usr/bin/env bash
# Issue 14, finding 2: seqpacket messages through the relay.  Messages of
# 208-256 KiB, which a direct connection delivers to a client that raised
# its send buffer, get through both ways (the relay sizes SO_SNDBUF on
# its seqpacket sockets); a message larger than the relay's 256 KiB
# buffer is never passed on cut: the session ends and -v says why.
. "$(dirname "$0")/lib.sh"
need python3
plan 5
P=$(dirname "$0")/relaya_peer.py

relay_bg s "unix-seqpacket:$T/front" "unix-seqpacket:$T/tgt"
out=$(timeout -k 2 20 python3 "$P" seq-big "$T/front" "seqpacket:$T/tgt" 240000 250000 2>&1)
diag "$(tr "\n" " " <<< "$out")"
check "a 240000-byte message reaches the target whole" grep -qx 'out 240000' <<< "$out"
check "a 250000-byte reply reaches the client whole" grep -qx 'back 250000' <<< "$out"
kill "$rpid"; wait_exit "$rpid" 5

relay_bg s2 "unix-seqpacket:$T/front2" "unix-seqpacket:$T/tgt2"
out=$(timeout -k 2 20 python3 "$P" seq-big "$T/front2" "seqpacket:$T/tgt2" 262144 1 2>&1)
check "a message of exactly 256 KiB gets through" grep -qx 'out 262144' <<< "$out"
kill "$rpid"; wait_exit "$rpid" 5

port=$(free_port tcp)
relay_bg t "unix-seqpacket:$T/front3" "tcp://127.0.0.1:$port"
out=$(timeout -k 2 20 python3 "$P" seq-big "$T/front3" "tcp:$port" 400000 0 2>&1)
diag "$(tr "\n" " " <<< "$out")"
check "a 400000-byte message is not passed on cut (the target gets none of it)" \
	grep -Eqx 'out (eof|reset)' <<< "$out"
wait_for grep -q 'closed after' "$T/t.err"
check "-v says the message was too long" grep -q 'closed after.*Message too long' "$T/t.err"
