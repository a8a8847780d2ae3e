#!/usr/bin/env bash
# Half-open sessions do not live forever.  In a private network
# namespace: the relay turns TCP keepalive on for both of a session's TCP
# sockets by default (seen by sock list -o and ss -o as a keepalive
# timer; TCP_KEEPIDLE/INTVL/CNT and TCP_USER_TIMEOUT in --trace), with
# --keepalive's values, or not at all with --keepalive off; once the
# loopback goes down under a session (both peers vanish without a word),
# the probes go unanswered and the session ends; --idle ends a quiet
# session and spares a busy one.
. "$(dirname "$0")/lib.sh"
need python3
need ss
if [ -z "$SOCK_KA_NETNS" ]; then
	unshare -rn true 2>/dev/null || skip_all "unshare -rn not permitted"
	exec timeout -k 2 120 unshare -rn env SOCK_KA_NETNS=1 bash "$0"
fi
plan 11
ip link set lo up

# target: accept and hold every connection; client: connect and hold,
# or with "busy" send a byte every 0.2 s
cat > "$T/target.py" <<'PY'
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen()
print(s.getsockname()[1], flush=True)
held = []
while True:
    c, _ = s.accept()
    held.append(c)
PY
cat > "$T/client.py" <<'PY'
import socket, sys, time
c = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
print("connected", c.getsockname()[1], flush=True)
end = time.time() + 60
while time.time() < end:
    if len(sys.argv) > 2:
        try:
            c.send(b"x")
        except OSError:
            break
    time.sleep(0.2)
PY
bg python3 "$T/target.py" > "$T/target.out"
wait_for test -s "$T/target.out"
tport=$(head -1 "$T/target.out")

# keepalive (the relay's two sockets of a session) in ss -o's rows
ka_rows() { ss -tno state established | grep -c "timer:(keepalive,${1}"; }
# ka_is N: N such rows now
ka_is() { test "$(ka_rows)" -eq "$1"; }

relay_bg r1 tcp://127.0.0.1:0 "127.0.0.1:$tport"
bg python3 "$T/client.py" "$rport" > "$T/c1.out"
wait_for grep -q connected "$T/c1.out"
check "default: keepalive on both of the relay's sockets (ss -o)" \
	wait_for ka_is 2
"$SOCK" list -tano > "$T/list1"
check "sock list -o shows them: the first probe within 60 s (not 7200)" \
	test "$(grep -cE 'ESTABLISHED +keepalive \(([1-5]?[0-9]|60)\.[0-9]+/0/0\)' "$T/list1")" -eq 2
stop $rpid

relay_bg r2 --keepalive 7,2,3 tcp://127.0.0.1:0 "127.0.0.1:$tport"
bg python3 "$T/client.py" "$rport" > "$T/c2.out"
wait_for grep -q connected "$T/c2.out"
"$SOCK" list -tano > "$T/list2"
check "--keepalive 7,2,3: the first probe within 7 s" \
	test "$(grep -cE 'ESTABLISHED +keepalive \([0-7]\.[0-9]+/0/0\)' "$T/list2")" -eq 2
stop $rpid

relay_bg r3 --keepalive off tcp://127.0.0.1:0 "127.0.0.1:$tport"
bg python3 "$T/client.py" "$rport" > "$T/c3.out"
wait_for grep -q connected "$T/c3.out"
check "--keepalive off: no keepalive timer" test "$(ka_rows)" -eq 0
stop $rpid

"$SOCK" --trace relay --keepalive 9,4,5 tcp://127.0.0.1:0 "127.0.0.1:$tport" \
	> /dev/null 2> "$T/trace.err" &
tpid=$!
PIDS+=($tpid)
wait_for grep -q 'listen(' "$T/trace.err"
tr_port=$(sed -n 's/^getsockname([0-9]*) = 127.0.0.1:\([0-9]*\)$/\1/p' "$T/trace.err" | head -1)
bg python3 "$T/client.py" "$tr_port" > "$T/c4.out"
wait_for grep -q connected "$T/c4.out"
ut_both() { test "$(grep -c 'TCP_USER_TIMEOUT, 29000) = 0' "$T/trace.err")" -eq 2; }
wait_for ut_both
check "--trace: TCP_USER_TIMEOUT idle + interval * count on both sockets" \
	test "$(grep -c 'TCP_USER_TIMEOUT, 29000) = 0' "$T/trace.err")" -eq 2
check "--trace: KEEPIDLE, KEEPINTVL, KEEPCNT on both" \
	test "$(grep -cE 'TCP_KEEP(IDLE, 9|INTVL, 4|CNT, 5)\) = 0' "$T/trace.err")" -eq 6
stop $tpid

# both peers vanish: the loopback goes down under a session
relay_bg r5 --keepalive 1,1,2 tcp://127.0.0.1:0 "127.0.0.1:$tport"
bg python3 "$T/client.py" "$rport" > "$T/c5.out"
wait_for grep -q connected "$T/c5.out"
wait_for grep -q opened "$T/r5.err"
ip link set lo down
check "a session whose peers vanished ends (keepalive unanswered)" \
	wait_secs 20 grep -q closed "$T/r5.err"
diag "$(grep closed "$T/r5.err")"
ip link set lo up
stop $rpid

# --idle: a quiet session ends after 1 s, a busy one lives on
relay_bg r6 --idle 1 tcp://127.0.0.1:0 "127.0.0.1:$tport"
bg python3 "$T/client.py" "$rport" busy > "$T/c6.out"
wait_for grep -q connected "$T/c6.out"
bg python3 "$T/client.py" "$rport" > "$T/c7.out"
wait_for grep -q connected "$T/c7.out"
check "--idle 1: the quiet session ends as idle" \
	wait_secs 10 grep -q 'closed after 1\.[0-9]* s: 0 bytes out, 0 back; idle' "$T/r6.err"
sleep 2
check "--idle 1: the busy session is still open 2 s later" \
	test "$(grep -c closed "$T/r6.err")" -eq 1
stop $rpid

check "--idle 0 is refused (exit 2)" eval '"$SOCK" relay --idle 0 :0 :1 2> /dev/null; test $? -eq 2'
check "--keepalive 1,2,3,4 is refused (exit 2)" eval '"$SOCK" relay --keepalive 1,2,3,4 :0 :1 2> /dev/null; test $? -eq 2'
done_testing
