#!/usr/bin/env bash
# A TERM that arrives just after a Unix listener's bind() still removes
# its socket file: the stop signals are held back until their handlers
# are in place.  A python3 watcher kills each listener the instant its
# file appears, 150 times.
. "$(dirname "$0")/lib.sh"
need python3
plan 1
cat > "$T/race.py" <<'PY'
import os, signal, subprocess, sys, time
sock, d = sys.argv[1], sys.argv[2]
left = 0
for i in range(150):
    path = os.path.join(d, "r%d.sock" % i)
    p = subprocess.Popen([sock, "listen", "unix:" + path],
                         stdin=subprocess.DEVNULL)
    end = time.monotonic() + 5
    while not os.path.exists(path) and time.monotonic() < end:
        pass
    p.send_signal(signal.SIGTERM)
    try:
        p.wait(timeout=5)
    except subprocess.TimeoutExpired:
        p.kill(); p.wait()
    if os.path.exists(path):
        left += 1
print(left)
PY
left=$(timeout -k 2 120 python3 "$T/race.py" "$SOCK" "$T")
check "TERM at once after bind: no socket file left (150 tries; left: $left)" \
	test "$left" = 0
done_testing
