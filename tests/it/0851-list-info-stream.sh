#!/usr/bin/env bash
# sock list -tani and -tanm print each socket as the kernel sends it,
# like -tan: the same text as the snapshot path (-tani --dump F, which
# holds the table), and a peak memory that does not grow with the
# table (the snapshot kept ~400 bytes of extras per socket).  Only 3
# and 4 failed before streaming; 1 and 2 say the text did not change.
. "$(dirname "$0")/lib.sh"
need python3
[ -x /usr/bin/time ] || skip_all "/usr/bin/time (GNU time) not installed"
if [ -z "$SOCK_LIST_NETNS" ]; then
	unshare -rn true 2>/dev/null || skip_all "unshare -rn not permitted"
	exec timeout -k 2 120 unshare -rn env SOCK_LIST_NETNS=1 bash "$0"
fi
plan 4
export LC_ALL=C LANG=C LANGUAGE=

ip link set lo up
# The holder: N idle loopback connections (2N sockets), a few with
# unread data, and an IPv6 one (IPv6 rows come from a small
# snapshot slotted between the streamed IPv4 rows).
cat > "$T/hold.py" <<'PY'
import socket, sys
n = int(sys.argv[1])
keep = []
l = socket.socket(); l.bind(("127.0.0.1", 0)); l.listen(4096); keep.append(l)
for i in range(n):
    c = socket.socket(); c.connect(l.getsockname()); a, _ = l.accept()
    keep += [c, a]
    if i < 20:  # unread, within the window: nothing left to probe
        c.sendall(b"x" * (1000 * i + 1))
        a.sendall(b"y" * (100 * i + 1))
try:
    l6 = socket.socket(socket.AF_INET6); l6.bind(("::1", 0)); l6.listen(1)
    c6 = socket.create_connection(l6.getsockname()[:2]); keep += [l6, c6]
except OSError:
    pass
print("ready", flush=True)
sys.stdin.read()
PY
mkfifo "$T/hold.in"
bg sh -c 'exec python3 "$0" 8000 < "$1/hold.in" > "$1/hold.out"' "$T/hold.py" "$T"
exec 3> "$T/hold.in"
wait_for_long() {
	local i
	for i in $(seq 1 300); do "$@" && return 0; sleep 0.1; done
	return 1
}
wait_for_long grep -q ready "$T/hold.out" || { echo "Bail out! holder did not start"; exit 1; }
sleep 0.2

# the values that move between two listings: times since, timers
still() {
	sed -E 's/(last_snd\/rcv\/ack|busy|rwnd_limited|sndbuf_limited):[^ ]*//g;
		s/limited by:[a-z]*//; s/ (on|off|keepalive|probe) \([^)]*\)//'
}
for o in -tani -tanm; do
	"$SOCK" list $o | still > "$T/stream$o"
	"$SOCK" list $o --dump "$T/d.bin" | still > "$T/snap$o"
	check "$o streamed prints what the snapshot prints ($(wc -l < "$T/stream$o") lines)" \
		cmp -s "$T/stream$o" "$T/snap$o"
done

rss() { /usr/bin/time -f %M "$SOCK" list "$@" 2>&1 >/dev/null | tail -1; }
base=$(rss -tan)
for o in -tani -tanm; do
	m=$(rss $o)
	check "$o peak memory stays flat: ${m} KB, -tan ${base} KB (16000 sockets)" \
		test "$m" -le $((base + 1500))
done
exec 3>&-
