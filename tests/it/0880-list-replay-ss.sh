#!/usr/bin/env bash
# SOCK_DIAG_FILE replays what ss records: a dump taken with `ss -tan -D
# FILE` in a private network namespace (listeners, established pairs and
# a TIME-WAIT socket, IPv4 and IPv6) lists the rows ss printed live and
# the rows `TCPDIAG_FILE=FILE ss -tan` replays (ss reads only the first,
# IPv4, half of its own file); copies cut short or damaged part way list
# the rows before the stop and name its byte; a FIFO with no writer is an
# error after a bounded wait, not a hang.
. "$(dirname "$0")/lib.sh"
need python3
need ss
ss --help 2>&1 | grep -q -- '--diag=FILE' || skip_all "ss has no -D/--diag"
if [ -z "$SOCK_REPLAY_NETNS" ]; then
	unshare -rn true 2>/dev/null || skip_all "unshare -rn not permitted"
	exec timeout -k 2 120 unshare -rn env SOCK_REPLAY_NETNS=1 bash "$0"
fi
plan 12

ip link set lo up
mkfifo "$T/hold.in"
cat > "$T/hold.py" <<'PY'
import socket, sys
keep = []
for fam, host in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
    l = socket.socket(fam); l.bind((host, 0)); l.listen(8); keep.append(l)
    for _ in range(2):
        c = socket.socket(fam); c.connect(l.getsockname())
        a, _ = l.accept(); keep += [c, a]
# the side that closes first keeps a TIME-WAIT socket
c = socket.socket(); c.connect(keep[0].getsockname()); a, _ = keep[0].accept()
c.close(); a.recv(1); a.close()
print("ready", flush=True); sys.stdin.read()
PY
bg sh -c 'exec python3 "$1/hold.py" < "$1/hold.in" > "$1/hold.out"' sh "$T"
exec 3> "$T/hold.in"
wait_for grep -q ready "$T/hold.out" || { echo "Bail out! holder did not start"; exit 1; }

ss -tan > "$T/live"
ss -tan -D "$T/ss.dump" > /dev/null 2>&1
exec 3>&-

# Rows as "STATE RECVQ SENDQ LOCAL PEER", sorted: ss's spelling of the
# states turned into netstat's, which sock list prints.
rows_ss() {
	tail -n +2 | awk '{ s = $1; sub("ESTAB", "ESTABLISHED", s); gsub("-", "_", s)
		print s, $2, $3, $4, $5 }' | sort
}
rows_sock() { tail -n +3 | awk '{ print $6, $2, $3, $4, $5 }' | sort; }
same() { # DESCRIPTION FILE1 FILE2
	if [ -s "$2" ] && cmp -s "$2" "$3"; then ok 0 "$1"; else
		ok 1 "$1"; diff "$2" "$3" | sed 's/^/# /'; fi
}
rows_ss < "$T/live" > "$T/live.rows"
diag "live: $(wc -l < "$T/live.rows") rows, dump $(wc -c < "$T/ss.dump") bytes"

# 1-3: the whole file
SOCK_DIAG_FILE="$T/ss.dump" "$SOCK" list -tan > "$T/all" 2> "$T/all.err"
rc=$?
check "whole ss dump: exit 0, nothing on stderr" test "$rc|$(wc -c < "$T/all.err")" = "0|0"
rows_sock < "$T/all" > "$T/all.rows"
same "replayed rows = the rows ss printed live (IPv4 and IPv6)" "$T/live.rows" "$T/all.rows"
TCPDIAG_FILE="$T/ss.dump" ss -tan 2> /dev/null | rows_ss > "$T/ssre.rows"
SOCK_DIAG_FILE="$T/ss.dump" "$SOCK" list -4tan | rows_sock > "$T/v4.rows"
same "-4 rows = TCPDIAG_FILE=FILE ss -tan's rows" "$T/ssre.rows" "$T/v4.rows"

# The byte where each message of the dump begins, and which end a dump.
python3 - "$T/ss.dump" > "$T/msgs" <<'PY'
import struct, sys
b = open(sys.argv[1], "rb").read(); off = 0
while off < len(b):
    n, t = struct.unpack_from("=IH", b, off)
    print(off, t); off += (n + 3) & ~3
PY
nmsg=$(wc -l < "$T/msgs")
check "the dump has IPv4 and IPv6 dumps, each ending NLMSG_DONE" \
	test "$(awk '$2 == 3' "$T/msgs" | wc -l)" = 2 -a "$nmsg" -gt 8

# 5-7: cut inside the fourth message: the first three rows, one line
at=$(sed -n 4p "$T/msgs" | cut -d' ' -f1)
head -c $((at + 30)) "$T/ss.dump" > "$T/cut"
SOCK_DIAG_FILE="$T/cut" "$SOCK" list -tan > "$T/cut.out" 2> "$T/cut.err"
rc=$?
check "cut short: exit 1" test "$rc" = 1
tail -n +3 "$T/all" | head -3 > "$T/first3"
tail -n +3 "$T/cut.out" > "$T/cut.rows"
same "cut short: the three rows before the cut, in order" "$T/first3" "$T/cut.rows"
check "cut short: one line naming byte $at" test "$(cat "$T/cut.err")" = \
	"sock: list: SOCK_DIAG_FILE=$T/cut: cut short at byte $at; the sockets before it are listed"

# 8: cut right after a message that does not end the dump
head -c "$at" "$T/ss.dump" > "$T/cut2"
SOCK_DIAG_FILE="$T/cut2" "$SOCK" list -tan 2>&1 > /dev/null |
	grep -q "cut short at byte $at;"
ok $? "cut on a message boundary before NLMSG_DONE: still cut short"

# 9: bytes that are no message after the third
{ head -c "$at" "$T/ss.dump"; printf '\001\000\000\000\024\000'; head -c 200 /dev/zero; } > "$T/bad"
SOCK_DIAG_FILE="$T/bad" "$SOCK" list -tan > "$T/bad.out" 2> "$T/bad.err"
rc=$?
check "damaged: exit 1, three rows, 'no dump record at byte $at'" test \
	"$rc|$(tail -n +3 "$T/bad.out" | wc -l)|$(grep -c "no dump record at byte $at " "$T/bad.err")" = "1|3|1"

# 10: a filter over the replay
SOCK_DIAG_FILE="$T/ss.dump" "$SOCK" list -tan state listen | rows_sock > "$T/listen.rows"
grep '^LISTEN ' "$T/live.rows" > "$T/live.listen"
same "state listen over the ss dump: the two listeners" "$T/live.listen" "$T/listen.rows"

# 11-12: a FIFO: with no writer, an error after the bounded wait; with
# a late writer, the whole table
mkfifo "$T/fifo"
start=$(date +%s)
SOCK_DIAG_FILE="$T/fifo" timeout -k 2 30 "$SOCK" list -tan > /dev/null 2> "$T/fifo.err"
rc=$?
took=$(($(date +%s) - start))
check "FIFO without writer: exit 1 in ${took}s, 'nothing came to read'" test \
	"$rc|$(grep -c 'nothing came to read in 10 s' "$T/fifo.err")" = "1|1" -a "$took" -lt 25
bg sh -c 'sleep 1; cat "$1" > "$2"' sh "$T/ss.dump" "$T/fifo"
SOCK_DIAG_FILE="$T/fifo" timeout -k 2 30 "$SOCK" list -tan | rows_sock > "$T/fifo.rows"
same "FIFO with a late writer: the whole table" "$T/live.rows" "$T/fifo.rows"
done_testing
