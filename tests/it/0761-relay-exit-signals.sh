#!/usr/bin/env bash
# A relay that has stopped on SIGTERM can still be ended by a further
# signal.  timeout(1) sends TERM to the relay, TERM again to its group,
# then CONT; a CONT discards a pending SIGSTOP, and LeakSanitizer's
# stop-the-world at exit waits for the SIGSTOP of its ptrace attach, so
# under ASan (make asan) such a relay spun at exit for ever, deaf to TERM
# because the relay kept it blocked.  The race is made likely here: the
# relay runs at nice 19 on the same CPU as a loop sending it CONT.
# (Without a sanitizer nothing spins, and the test passes either way.)
. "$(dirname "$0")/lib.sh"
need python3
need nice
plan 2

cat > "$T/race.py" <<'PY'
import os, signal, subprocess, sys, time
sock, runs = sys.argv[1], int(sys.argv[2])
os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
for i in range(runs):
    p = subprocess.Popen(["nice", "-n", "19", sock, "-v", "relay",
                          "tcp://127.0.0.1:0", "tcp://127.0.0.1:9"],
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE)
    if b"listening on" not in p.stderr.readline():
        print("did not start", flush=True)
    os.kill(p.pid, signal.SIGTERM)
    end = time.time() + 1
    while time.time() < end and p.poll() is None:
        try:
            os.kill(p.pid, signal.SIGCONT)
        except ProcessLookupError:
            break
    if p.poll() is None:
        os.kill(p.pid, signal.SIGTERM)
    try:
        p.wait(5)
        print("ended", p.returncode, flush=True)
    except subprocess.TimeoutExpired:
        print("hung", flush=True)
        p.kill()
        p.wait()
PY
timeout -k 2 60 python3 "$T/race.py" "$SOCK" 3 > "$T/race.out" 2> "$T/race.err"
diag "$(tr '\n' ' ' < "$T/race.out")"
check "3 relays stopped by TERM amid CONTs: each ended (0, or by the second TERM)" \
	test "$(grep -Ec '^ended (0|-15)$' "$T/race.out")" = 3
check "the race itself ran cleanly (no error from python)" \
	test ! -s "$T/race.err"
done_testing
