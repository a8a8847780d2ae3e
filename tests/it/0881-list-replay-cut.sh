#!/usr/bin/env bash
# sock list --dump's own format cut part way: the sockets of the records
# before the cut are listed (table and --json), then one line names the
# byte of the record the cut fell in; exit 1.
. "$(dirname "$0")/lib.sh"
need python3
if [ -z "$SOCK_REPLAY_NETNS" ]; then
	unshare -rn true 2>/dev/null || skip_all "unshare -rn not permitted"
	exec timeout -k 2 60 unshare -rn env SOCK_REPLAY_NETNS=1 bash "$0"
fi
plan 5

ip link set lo up
mkfifo "$T/hold.in"
cat > "$T/hold.py" <<'PY'
import socket, sys
keep = []
l = socket.socket(); l.bind(("127.0.0.1", 0)); l.listen(8); keep.append(l)
c = socket.socket(); c.connect(l.getsockname()); a, _ = l.accept(); keep += [c, a]
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("127.0.0.1", 0)); keep.append(u)
print("ready", flush=True); sys.stdin.read()
PY
bg sh -c 'exec python3 "$1/hold.py" < "$1/hold.in" > "$1/hold.out"' sh "$T"
exec 3> "$T/hold.in"
wait_for grep -q ready "$T/hold.out" || { echo "Bail out! holder did not start"; exit 1; }
"$SOCK" list -tuan --dump "$T/dump" > "$T/live" || { echo "Bail out! no sock_diag"; exit 1; }
exec 3>&-

# the records: header of 12 bytes (magic, family, protocol, len)
python3 - "$T/dump" > "$T/recs" <<'PY'
import struct, sys
b = open(sys.argv[1], "rb").read(); off = 0
while off < len(b):
    m, fam, proto, _, n = struct.unpack_from("=IBBHI", b, off)
    print(off, fam, proto, n); off += 12 + n
PY
# the first record is the IPv4 TCP dump (its 3 sockets and NLMSG_DONE)
at=$(sed -n 2p "$T/recs" | cut -d' ' -f1)
diag "records: $(tr '\n' ';' < "$T/recs")"
check "the dump starts with an IPv4 TCP record" test "$(sed -n 1p "$T/recs" | cut -d' ' -f2-3)" = "2 6"
head -c $((at + 20)) "$T/dump" > "$T/cut"
SOCK_DIAG_FILE="$T/cut" "$SOCK" list -tuan > "$T/out" 2> "$T/err"
rc=$?
check "cut in the second record: exit 1" test "$rc" = 1
tail -n +3 "$T/live" | grep '^tcp ' > "$T/live.tcp"
tail -n +3 "$T/out" > "$T/out.rows"
check "the TCP rows before the cut, as listed live" cmp -s "$T/live.tcp" "$T/out.rows"
check "one line naming byte $at" test "$(cat "$T/err")" = \
	"sock: list: SOCK_DIAG_FILE=$T/cut: cut short at byte $at; the sockets before it are listed"
SOCK_DIAG_FILE="$T/cut" "$SOCK" list -tuan --json 2> /dev/null |
	python3 -c 'import json, sys; print(len(json.load(sys.stdin)))' > "$T/n"
check "--json: a whole array of the 3 sockets before the cut" test "$(cat "$T/n")" = 3
done_testing
