#!/usr/bin/env bash
# A Unix target whose backlog is full (it never accepts): 1000 clients
# wait in the relay with no connect timeout (-w 0).  The relay backs off
# per session and lets only a few dozen ask at once, so its CPU over a
# few seconds stays small (it asked every 20 ms per client before: 50000
# socket/connect/close a second).  Then the target starts accepting and
# every waiting client is connected in turn.
. "$(dirname "$0")/lib.sh"
need python3

N=1000
hard=$(ulimit -Hn)
if [ "$hard" != unlimited ] && [ "$hard" -lt $((2 * N + 200)) ]; then
	skip_all "hard fd limit $hard is below $((2 * N + 200))"
fi
plan 4

# The target: listen(0) and accept nothing until $T/go exists, then
# accept everyone and say how many.
cat > "$T/target.py" <<'PY'
import os, socket, sys, time
path, go = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX)
s.bind(path)
s.listen(0)
print("up", flush=True)
while not os.path.exists(go):
    time.sleep(0.05)
s.settimeout(0.5)
got = []
deadline = time.time() + 60
while time.time() < deadline:
    try:
        c, _ = s.accept()
        got.append(c)
        print("accepted", len(got), flush=True)
    except socket.timeout:
        pass
PY
# The clients: N connections to the relay, held open.
cat > "$T/clients.py" <<'PY'
import resource, socket, sys, time
n, port = int(sys.argv[1]), int(sys.argv[2])
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
cs = []
for i in range(n):
    c = socket.create_connection(("127.0.0.1", port))
    cs.append(c)
print("connected", n, flush=True)
time.sleep(120)
PY

bg python3 "$T/target.py" "$T/t.sock" "$T/go" > "$T/target.out"
wait_for grep -q up "$T/target.out"
relay_bg r -w 0 tcp://127.0.0.1:0 "unix:$T/t.sock"
bg python3 "$T/clients.py" $N "$rport" > "$T/clients.out"
cpid=$!
wait_secs 60 grep -q connected "$T/clients.out"
# every client accepted by the relay: its descriptors show it
holds_all() { test "$(ls /proc/"$rpid"/fd 2> /dev/null | wc -l)" -ge $N; }
check "the relay holds all $N clients" wait_secs 60 holds_all

ticks() { awk '{ print $14 + $15 }' /proc/"$1"/stat; }
hz=$(getconf CLK_TCK)
t0=$(ticks $rpid)
s0=$(date +%s%N)
sleep 4
t1=$(ticks $rpid)
s1=$(date +%s%N)
# CPU percent of one core over the interval
pct=$(( (t1 - t0) * 100 * 1000000000 / hz / (s1 - s0) ))
diag "relay CPU with $N clients waiting: ${pct}% ($((t1 - t0)) ticks in $(( (s1 - s0) / 1000000 )) ms)"
check "relay CPU stays under 5% with $N clients waiting (${pct}%)" test $pct -lt 5

# the target accepts now: the waiting clients get through
touch "$T/go"
accepted() { test "$(tail -1 "$T/target.out" | awk '{ print $2 }')" -ge "$1"; }
a0=$(date +%s%N)
check "all $N waiting clients reach the target once it accepts" \
	wait_secs 60 accepted $N
diag "all reached the target in $(( ($(date +%s%N) - a0) / 1000000 )) ms"
check "the relay is still running" kill -0 $rpid
kill $cpid
done_testing
