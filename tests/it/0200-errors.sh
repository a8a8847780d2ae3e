#!/usr/bin/env bash
# Failures: a refused connection (exit 1, one plain line naming the
# endpoint); a connect timeout with -w; every class of bad endpoint
# (exit 2, the endpoint echoed, a caret under the first bad character).
. "$(dirname "$0")/lib.sh"
need python3
plan 17

# 1-2: refused, TCP and Unix
port=$(free_port tcp)
timeout -k 2 5 "$SOCK" connect "127.0.0.1:$port" < /dev/null > "$T/o1" 2> "$T/e1"
rc=$?
check "refused: exit 1, nothing on stdout" test "$rc|$(wc -c < "$T/o1")" = "1|0"
check "refused: one line naming the endpoint, 'connection refused'" \
	sh -c "test \$(wc -l < '$T/e1') -eq 1 &&
		grep -q '127.0.0.1:$port' '$T/e1' &&
		grep -qi 'connection refused' '$T/e1'"

# 3: a connect timeout with -w: a listener whose accept queue is full
# (backlog 0, never accepting) drops further handshakes on loopback
cat > "$T/full.py" <<'PY'
import socket, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(0)
port = s.getsockname()[1]
held = []
for _ in range(8):
    c = socket.socket(); c.setblocking(False)
    try:
        c.connect(("127.0.0.1", port))
    except BlockingIOError:
        pass
    held.append(c)
time.sleep(0.3)
# does a fresh connect hang? only then is the timeout test meaningful
p = socket.socket(); p.settimeout(0.5)
try:
    p.connect(("127.0.0.1", port)); print("no-drop", flush=True)
except socket.timeout:
    print(port, flush=True)
time.sleep(30)
PY
bg python3 "$T/full.py" > "$T/full.out"
wait_for test -s "$T/full.out"
fport=$(cat "$T/full.out")
if [ "$fport" = no-drop ]; then
	ok 0 "connect -w times out # SKIP this kernel accepts past a full backlog"
else
	start=$(date +%s%N)
	timeout -k 2 10 "$SOCK" connect -w 1 "127.0.0.1:$fport" < /dev/null 2> "$T/e3"
	rc=$?
	ms=$((($(date +%s%N) - start) / 1000000))
	check "-w 1: exit 1 after ~1 s (${ms} ms), says it timed out" \
		sh -c "test $rc -eq 1 -a $ms -ge 900 -a $ms -lt 3000 &&
			grep -qi 'timed out' '$T/e3'"
fi

# 4-16: bad endpoints.  bad_ep ENDPOINT CARET-COLUMN: exit 2, stderr
# shows the endpoint on a line of its own and a caret under column N
bad_ep() {
	local ep=$1 col=$2 err line caret
	err=$(timeout -k 2 5 "$SOCK" connect "$ep" < /dev/null 2>&1 >/dev/null)
	local rc=$?
	# the echo line is indented like the caret line below it
	line=$(printf '%s\n' "$err" | grep -n -F -x -- "  $ep" | head -1 | cut -d: -f1)
	[ -n "$line" ] || { diag "endpoint not echoed: $err"; return 1; }
	caret=$(printf '%s\n' "$err" | sed -n "$((line + 1))p")
	[ "$caret" = "  $(printf "%${col}s" '')^" ] ||
		{ diag "caret: '$caret' (want column $col)"; return 1; }
	[ $rc -eq 2 ] || { diag "exit $rc"; return 1; }
}
check "empty endpoint" bad_ep "" 0
check "tcp:// (no host, no port)" bad_ep "tcp://" 6
check "tcp://[::1 (open bracket)" bad_ep "tcp://[::1" 10
check "port 65536" bad_ep "tcp://127.0.0.1:65536" 16
check ":-1" bad_ep ":-1" 1
check ":70000" bad_ep ":70000" 1
check "unknown scheme" bad_ep "sctp://127.0.0.1:80" 0
check "trailing garbage after the port" bad_ep "tcp://127.0.0.1:80x" 18
check "trailing garbage after ]" bad_ep "tcp://[::1]x:80" 11
long=$(printf 'a%.0s' $(seq 120))
check "overlong unix path (caret under its 108th byte)" bad_ep "unix:/$long" 112
check "udp:// missing port" bad_ep "udp://127.0.0.1" 15
# unbracketed IPv6: the caret points inside the address, at a colon
ub() {
	local err
	err=$(timeout -k 2 5 "$SOCK" connect "tcp://::1:80" 2>&1 < /dev/null)
	[ $? -eq 2 ] || return 1
	printf '%s\n' "$err" | grep -q -x -F '  tcp://::1:80' || return 1
	printf '%s\n' "$err" | grep -q -x -e '        ^' -e '         ^'
}
check "unbracketed IPv6: exit 2, caret in the address" ub
# listen takes the same grammar, with the same exit status
timeout -k 2 5 "$SOCK" listen "tcp://[::1" < /dev/null 2> /dev/null
check "listen: bad endpoint exits 2" test $? -eq 2

# 17: unresolvable host: exit 1 (a runtime failure), plain words
timeout -k 2 10 "$SOCK" connect "tcp://no-such-host.invalid:80" < /dev/null 2> "$T/e17"
rc=$?
check "unknown host: exit 1, names the endpoint" \
	sh -c "test $rc -eq 1 && grep -q 'no-such-host.invalid' '$T/e17'"
done_testing
