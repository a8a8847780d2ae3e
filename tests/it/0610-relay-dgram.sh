#!/usr/bin/env bash
# sock relay, datagram kinds: one session (and one socket towards TO) per
# client address, replies to the right client from the FROM socket,
# datagram boundaries, --udp-idle expiry, --max-sessions for UDP,
# unix-dgram FROM to udp and to unix-dgram, SIGTERM.
. "$(dirname "$0")/lib.sh"
need python3
plan 18

# ---- 1-2: several UDP clients, each gets only its own replies --------
rpeer_bg tag udp-serve 127.0.0.1:0 --mode tag
tagport=$at
relay_bg u udp://127.0.0.1:0 "udp://127.0.0.1:$tagport"
out=$(timeout -k 2 20 python3 "$RPEER" udp-clients "127.0.0.1:$rport" 5 20)
rc=$?
diag "$(echo "$out" | head -4)"
check "5 UDP clients x 20 datagrams: each gets its 20 replies, only its own, from its own socket towards TO, all from the relay's port" \
	test "$rc" = 0
check "-v: one opened line per client address (5)" \
	test "$(grep -c opened "$T/u.err")" = 5
stop $rpid

# ---- 3-4: datagram boundaries, both ways -----------------------------
rpeer_bg echo udp-serve 127.0.0.1:0 --mode echo
relay_bg ue udp://127.0.0.1:0 "udp://127.0.0.1:$at"
out=$(timeout -k 2 10 python3 "$RPEER" udp-sizes "127.0.0.1:$rport" 1 1000 60000 2 | tr '\n' ' ')
check "UDP: replies of 1, 1000, 60000, 2 bytes come back as such (got: $out)" \
	test "$out" = "1 1000 60000 2 "
check "UDP: the server got the same four datagrams" \
	test "$(awk '$1 == "got" { printf "%s ", $2 }' "$T/echo.out")" = "1 1000 60000 2 "
stop $rpid

# ---- 5-7: --udp-idle: kept while active, then expired, then anew -----
relay_bg idle --udp-idle 2 udp://127.0.0.1:0 "udp://127.0.0.1:$tagport"
cport=$(free_port udp)
ask() { timeout -k 2 5 python3 "$RPEER" --timeout 2 udp-ask "127.0.0.1:$rport" --bind "127.0.0.1:$1" --send "$2"; }
# one datagram every 0.7 s for 2.1 s, from one socket
tags=$(timeout -k 2 10 python3 "$RPEER" --timeout 2 udp-ask "127.0.0.1:$rport" \
	--bind "127.0.0.1:$cport" --send p --repeat 4 --gap 0.7 | tr '\n' ' ')
tag1=${tags%%|*}
diag "replies while active: $tags"
check "--udp-idle 2: a client active every 0.7 s keeps its session (one socket towards TO)" \
	test "$tags|$(count_with "$T/idle.err" closed "$cport")" = \
	"$tag1|p0 $tag1|p1 $tag1|p2 $tag1|p3 |0"
t0=$SECONDS
check "--udp-idle 2: the session expires once idle, -v says closed" \
	wait_secs 8 line_with "$T/idle.err" closed "$cport"
diag "closed within $((SECONDS - t0)) s"
r=$(ask $cport p4)
check "after expiry the same client gets a new session (a new socket, a second opened line)" \
	test "${r#*|}|$(count_with "$T/idle.err" opened "$cport")" = "p4|2" -a "${r%%|*}" != "$tag1"
stop $rpid

# ---- 8-9: --max-sessions 1: another peer's datagrams are dropped -----
relay_bg m1 -m 1 --udp-idle 3 udp://127.0.0.1:0 "udp://127.0.0.1:$tagport"
aport=$(free_port udp)
bport=$(free_port udp)
a1=$(ask $aport a1)
b1=$(timeout -k 2 5 python3 "$RPEER" --timeout 0.5 udp-ask "127.0.0.1:$rport" --bind "127.0.0.1:$bport" --send b1)
a2=$(ask $aport a2)
diag "a1=$a1 b1=$b1 a2=$a2"
check "-m 1: a second peer gets nothing while the first session lives; the first is still served" \
	test "${a1#*|}|$b1|${a2#*|}" = "a1|none|a2"
wait_secs 8 line_with "$T/m1.err" closed "$aport"
b2=$(ask $bport b2)
check "-m 1: once the first session expired, the second peer is served" \
	test "${b2#*|}" = b2
stop $rpid

# ---- 10-11: unix-dgram FROM, udp TO ---------------------------------
relay_bg ud "unix-dgram:$T/ud.sock" "udp://127.0.0.1:$tagport"
out=$(timeout -k 2 20 python3 "$RPEER" udp-clients "$T/ud.sock" 3 10)
rc=$?
diag "$(echo "$out" | head -4)"
check "unix-dgram -> udp: 3 auto-bound clients get their own replies only" test "$rc" = 0
stop $rpid
relay_bg ud2 "unix-dgram:$T/ud2.sock" "udp://127.0.0.1:$(head -1 "$T/echo.out")"
out=$(timeout -k 2 10 python3 "$RPEER" udp-sizes "$T/ud2.sock" 1 1000 60000 | tr '\n' ' ')
check "unix-dgram -> udp: boundaries kept (got: $out)" test "$out" = "1 1000 60000 "
stop $rpid

# ---- 12-17: unix-dgram FROM, unix-dgram TO --------------------------
rpeer_bg utag udp-serve "$T/utag.sock" --mode tag
relay_bg ud3 "unix-dgram:$T/ud3.sock" "unix-dgram:$T/utag.sock"
out=$(timeout -k 2 20 python3 "$RPEER" udp-clients "$T/ud3.sock" 3 3)
rc=$?
diag "$(echo "$out" | head -4)"
check "unix-dgram -> unix-dgram: 3 clients, own replies only, one (bound) relay socket each" \
	test "$rc" = 0
# Unix datagram sockets do not lose datagrams: a sender waits while the
# receiver's queue (net.unix.max_dgram_qlen datagrams) is full.  TO here
# reads a datagram every 10 ms; a relay that drops what TO's queue
# refuses at once loses most of a burst.
rpeer_bg slow udp-serve "$T/slow.sock" --mode tag --delay 0.01
relay_bg ud5 "unix-dgram:$T/ud5.sock" "unix-dgram:$T/slow.sock"
out=$(timeout -k 2 20 python3 "$RPEER" --timeout 4 udp-clients "$T/ud5.sock" 3 10)
rc=$?
diag "$(echo "$out" | head -2); TO got $(grep -c '^got' "$T/slow.out") of 30;" \
	"max_dgram_qlen $(cat /proc/sys/net/unix/max_dgram_qlen 2> /dev/null)"
check "unix-dgram -> unix-dgram, a slow TO: a burst of 3 x 10 datagrams all arrive, all replies come back" \
	test "$rc" = 0
stop $rpid
python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.sendto(b"from-nobody", sys.argv[1])' "$T/ud3.sock"
out=$(timeout -k 2 5 python3 "$RPEER" --timeout 3 udp-ask "$T/ud3.sock" --send after)
check "a datagram from an unbound sender does not disturb the relay" \
	test "${out#*|}" = after -a -n "${out%%|*}"
rpeer_bg uecho udp-serve "$T/uecho.sock" --mode echo
relay_bg ud4 "unix-dgram:$T/ud4.sock" "unix-dgram:$T/uecho.sock"
out=$(timeout -k 2 10 python3 "$RPEER" udp-sizes "$T/ud4.sock" 1 1000 60000 | tr '\n' ' ')
check "unix-dgram -> unix-dgram: boundaries kept (got: $out)" test "$out" = "1 1000 60000 "
was=$(test -S "$T/ud4.sock" && echo socket)
kill -TERM $rpid
wait_exit $rpid 5
check "SIGTERM: a unix-dgram relay exits 0 (got: $st)" test "$st" = 0
check "SIGTERM: its socket file (there before) is removed" \
	test "$was|$(test -e "$T/ud4.sock" && echo left)" = "socket|"

# ---- 18: IPv6 UDP FROM ----------------------------------------------
if rpeer ipv6; then
	relay_bg u6 'udp://[::1]:0' "udp://127.0.0.1:$tagport"
	out=$(timeout -k 2 20 python3 "$RPEER" udp-clients "[::1]:$rport" 3 5)
	rc=$?
	diag "$(echo "$out" | head -4)"
	check "udp://[::1] FROM, IPv4 TO: 3 clients, own replies only" test "$rc" = 0
	stop $rpid
else
	_n=$((_n + 1)); echo "ok $_n # SKIP ::1 cannot be bound here"
fi
done_testing
