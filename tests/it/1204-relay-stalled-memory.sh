#!/usr/bin/env bash
# Issue 14, finding 8, and "a target that accepts and never reads": each
# stalled direction holds what it read until its destination takes it.
# What all stalled sessions hold is bounded (docs/relay.md): 64 MiB of
# buffers, 256 KiB ones while under 16 MiB and 16 KiB ones beyond, and
# 128 pipes.  300 stalled directions thus hold at most 16 MiB + 236 x
# 16 KiB, about 20 MiB: 300 clients that never read from a target that
# never stops sending, and 300 clients that send without end to a target
# that never reads, keep the relay's RSS growth under 40 MiB (copy mode),
# and its descriptors under sessions + pipes (splice mode).  Before the
# fix 300 stalled directions held 62-76 MiB (copy) or 300 pipes (splice).
. "$(dirname "$0")/lib.sh"
need python3
plan 5
P=$(dirname "$0")/relaya_peer.py
# A sanitizer's allocator keeps freed memory in quarantine and adds its
# own: RSS says nothing about the relay then, and those checks skip.
sanitized=
nm "$SOCK" 2> /dev/null | grep -q __asan_init && sanitized="# SKIP RSS under a sanitizer"
check_rss() { if [ -n "$sanitized" ]; then ok 0 "$1 $sanitized"; else check "$@"; fi; }
N=300

# settled PID: the relay's RSS (KiB) once two samples 0.5 s apart agree
# within 1 MiB (at most 15 s)
settled() {
	local a b
	a=$(python3 "$P" rss "$1")
	for _ in $(seq 30); do
		sleep 0.5
		b=$(python3 "$P" rss "$1")
		[ $((b - a)) -lt 1024 ] && [ $((a - b)) -lt 1024 ] && break
		a=$b
	done
	echo "$b"
}

# stall NAME IO WHO: a relay (--io IO) between N clients and a target,
# where WHO (target or clients) sends without end and the other side
# never reads; sets base (RSS before, KiB), rss (after), fds (after)
stall() {
	local name=$1 io=$2 who=$3 quiet=
	[ "$who" = clients ] && quiet=--quiet
	bg python3 "$P" flood 127.0.0.1:0 $quiet > "$T/$name.tgt"
	wait_for test -s "$T/$name.tgt"
	relay_bg "$name" --io "$io" tcp://127.0.0.1:0 "tcp://127.0.0.1:$(head -1 "$T/$name.tgt")"
	base=$(python3 "$P" rss "$rpid")
	bg python3 "$P" hold "127.0.0.1:$rport" $N ${quiet:+--flood} > "$T/$name.hold"
	wait_for grep -q open "$T/$name.hold"
	rss=$(settled "$rpid")
	fds=$(python3 "$P" fds "$rpid")
	diag "$name: $N stalled sessions: RSS $base -> $rss KiB, $fds descriptors"
}

stall copy-back copy target
check_rss "copy mode, target floods, clients never read: RSS grows by under 40 MiB ($(( (rss - base) / 1024 )) MiB)" \
	test $((rss - base)) -lt $((40 * 1024))
check "the relay still serves a new client" \
	test "$(timeout -k 2 10 "$SOCK" connect "tcp://127.0.0.1:$rport" < /dev/null 2> /dev/null | head -c 100000 | wc -c)" = 100000
kill "$rpid"
stall splice-back splice target
# 2 per session, 2 per pipe lent (at most 128) or pooled (16), and a few
check "splice mode: descriptors stay under 2 x sessions + 2 x 144 + 16 ($fds)" \
	test "$fds" -lt $((2 * N + 2 * 144 + 16))
check_rss "splice mode: RSS grows by under 40 MiB ($(( (rss - base) / 1024 )) MiB)" \
	test $((rss - base)) -lt $((40 * 1024))
kill "$rpid"
stall copy-out copy clients
check_rss "copy mode, clients flood, target never reads: RSS grows by under 40 MiB ($(( (rss - base) / 1024 )) MiB)" \
	test $((rss - base)) -lt $((40 * 1024))
