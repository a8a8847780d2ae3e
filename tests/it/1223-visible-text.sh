#!/usr/bin/env bash
# Text from outside reaches logs and terminals with its control
# characters made visible ('?') and long messages windowed: a client's
# Unix path in relay -v lines and in listen --exec's SOCK_PEER, a process
# name in sock list -p (in a private network namespace), option values,
# command names, filter words, SOCK_DIAG_FILE and --exec program names in
# errors.
. "$(dirname "$0")/lib.sh"
need python3
plan 13

nl=$'\n'
esc=$'\033'
# one_line FILE: FILE has exactly one line and no ESC byte
one_line() { test "$(wc -l < "$1")" -eq 1 && ! grep -q "$esc" "$1"; }

# a Unix client bound to a path with a newline and an ESC in it
cat > "$T/uclient.py" <<'PY'
import socket, sys, time
c = socket.socket(socket.AF_UNIX)
c.bind(sys.argv[2])
c.connect(sys.argv[1])
c.sendall(b"hi")
c.shutdown(socket.SHUT_WR)
sys.stdout.buffer.write(c.recv(4096))
c.close()
PY
evil="$T/c${nl}sock: forged line${esc}[31m"

# 1-2: relay -v
bg python3 "$PEER" listen 127.0.0.1:0 --echo > "$T/echo.out" 2> /dev/null
wait_for test -s "$T/echo.out"
eport=$(head -1 "$T/echo.out")
relay_bg r "unix:$T/r.sock" "tcp://127.0.0.1:$eport"
timeout -k 2 10 python3 "$T/uclient.py" "$T/r.sock" "$evil" > /dev/null
wait_for grep -q closed "$T/r.err"
check "relay -v: no forged line from a client's path" \
	test "$(grep -c '^sock: forged line' "$T/r.err")" -eq 0
check "relay -v: the path shown with '?'" \
	grep -q 'c?sock: forged line?\[31m' "$T/r.err"
stop $rpid

# 3: SOCK_PEER
"$SOCK" listen --exec "sh -c 'printf %s \"\$SOCK_PEER\"'" "unix:$T/l.sock" \
	< /dev/null > /dev/null 2> "$T/l.err" &
PIDS+=($!)
wait_for test -S "$T/l.sock"
timeout -k 2 10 python3 "$T/uclient.py" "$T/l.sock" "$T/d${nl}x${esc}y" > "$T/peer.out"
check "SOCK_PEER: the client's path with '?' for its controls" \
	test "$(cat "$T/peer.out")" = "unix:$T/d?x?y"

# 4-8: usage errors
"$SOCK" connect -w "1${nl}sock: forged${esc}[2J" :1 2> "$T/u1.err"
rc=$?
check "an option value: one line, no ESC (exit 2)" \
	eval 'test $rc -eq 2 && one_line "$T/u1.err"'
long=$(head -c 100000 /dev/zero | tr '\0' 7)
"$SOCK" relay --max-sessions "$long" :1 :2 2> "$T/u2.err"
check "a 100 kB value is windowed: one line under 1000 bytes, the hint kept" \
	eval 'test $(wc -c < "$T/u2.err") -lt 1000 && one_line "$T/u2.err" &&
		grep -q "7\.\.\.7.*--help" "$T/u2.err"'
"$SOCK" "no${nl}such${esc}[2J" 2> "$T/u3.err"
check "a command name: one line, no ESC" one_line "$T/u3.err"
"$SOCK" list "sport${nl}=${esc}[2J" 2> "$T/u4.err"
check "a filter word: one line, no ESC" one_line "$T/u4.err"
SOCK_DIAG_FILE="$T/no${nl}file${esc}[2J" "$SOCK" list 2> "$T/u5.err"
check "SOCK_DIAG_FILE: one line, no ESC" one_line "$T/u5.err"

"$SOCK" connect "TCP:ho${esc}[2Jst:80" 2> "$T/u6.err"
check "socat's spelling: the hint made of it shows no ESC" \
	eval '! grep -q "$esc" "$T/u6.err" && grep -q "sock connect ho?\[2Jst:80" "$T/u6.err"'

# 9: --exec program name
"$SOCK" listen --exec "$T/no${nl}prog${esc}[2J" "unix:$T/e.sock" \
	< /dev/null > /dev/null 2> "$T/e.err" &
PIDS+=($!)
wait_for test -S "$T/e.sock"
timeout -k 2 10 python3 "$T/uclient.py" "$T/e.sock" "$T/e.client" > /dev/null
wait_for grep -q exec "$T/e.err"
check "an --exec program name in its error: one line, no ESC" one_line "$T/e.err"

# 10-12: sock list -p, a process named with a newline
if unshare -rn true 2> /dev/null; then
	cat > "$T/named.py" <<'PY'
import ctypes, socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen()
ctypes.CDLL(None).prctl(15, b"ev\nil\x1b[2J", 0, 0, 0)  # PR_SET_NAME
print("ready", flush=True)
time.sleep(30)
PY
	cat > "$T/ns.sh" <<SH
ip link set lo up
python3 "$T/named.py" > "$T/named.out" &
for i in \$(seq 100); do grep -q ready "$T/named.out" && break; sleep 0.1; done
"$SOCK" list -tlnp > "$T/plist"
"$SOCK" list -tlnp --json > "$T/pjson"
kill %1
SH
	timeout -k 2 30 unshare -rn bash "$T/ns.sh"
	check "list -p: one row for the socket (the header and it)" \
		test "$(wc -l < "$T/plist")" -eq 3
	check "list -p: the name with '?', no ESC" \
		eval 'grep -q "/ev?il?\[2J" "$T/plist" && ! grep -q "$esc" "$T/plist"'
	check "list --json keeps the name, escaped" \
		grep -qF 'ev\u000ail\u001b[2J' "$T/pjson"
else
	for i in 1 2 3; do ok 0 "# SKIP unshare -rn not permitted"; done
fi
done_testing
