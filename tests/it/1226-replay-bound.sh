#!/usr/bin/env bash
# A SOCK_DIAG_FILE replay is held in memory to be listed: it keeps at
# most 2,000,000 sockets (about 100 bytes each), says so, lists those and
# exits 1, so a file of any size costs bounded memory.  The file: one
# small dump made in a private network namespace, repeated to 2.5
# million sockets (about 250 MB, in the test's scratch directory).
. "$(dirname "$0")/lib.sh"
need python3
if [ -z "$SOCK_REPLAY_NETNS" ]; then
	unshare -rn true 2>/dev/null || skip_all "unshare -rn not permitted"
	exec timeout -k 2 120 unshare -rn env SOCK_REPLAY_NETNS=1 bash "$0"
fi
plan 4
ip link set lo up

python3 -c '
import socket, time
ss = []
for i in range(20):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(); ss.append(s)
print("ready", flush=True)
time.sleep(30)' > "$T/hold.out" &
PIDS+=($!)
wait_for grep -q ready "$T/hold.out"
"$SOCK" list -tan --dump "$T/one" > /dev/null
per=$(SOCK_DIAG_FILE="$T/one" "$SOCK" list -tan | tail -n +3 | wc -l)
copies=$(( 2500000 / per + 1 ))
python3 -c '
import sys
d = open(sys.argv[1], "rb").read()
with open(sys.argv[2], "wb") as f:
    for _ in range(int(sys.argv[3])):
        f.write(d)' "$T/one" "$T/big" $copies
diag "$per sockets a copy, $copies copies, $(( $(stat -c %s "$T/big") / 1000000 )) MB"

/usr/bin/time -f '%M' -o "$T/rss" env SOCK_DIAG_FILE="$T/big" \
	timeout -k 2 60 "$SOCK" list -tan > "$T/rows" 2> "$T/err"
rc=$?
rows=$(( $(wc -l < "$T/rows") - 2 ))
diag "listed $rows, peak RSS $(tail -1 "$T/rss") KB"
check "exit 1 (rc=$rc)" test $rc -eq 1
check "it says it kept only the first 2000000" \
	grep -q 'more than 2000000 sockets; the first ones, up to byte [0-9]*, are listed' "$T/err"
check "2,000,000 listed (one record more at most: $rows)" \
	eval 'test $rows -ge 2000000 && test $rows -le $((2000000 + per))'
check "a smaller replay is whole (exit 0, $per rows)" \
	eval 'SOCK_DIAG_FILE="$T/one" "$SOCK" list -tan > /dev/null'
rm -f "$T/big" "$T/rows"
done_testing
