#!/usr/bin/env bash
# A long run leaves nothing behind: 2000 short TCP connections and 2000
# UDP sessions (each from its own source port, expired by --udp-idle)
# through the relay.  Afterwards its descriptors other than pooled pipes
# are exactly those it started with, pipes stay within the pool's bound,
# and at SIGTERM it exits 0.  Under an ASan build (SOCK=build-asan/sock),
# LeakSanitizer checks at that exit that nothing leaked.
. "$(dirname "$0")/lib.sh"
need python3
N=${SOCK_LEAK_N:-2000}
plan 8

cat > "$T/load.py" <<'PY'
import selectors, socket, sys, threading, time
mode, port = sys.argv[1], int(sys.argv[2])
n = int(sys.argv[3])
if mode == "servers":
    t = socket.socket(); t.bind(("127.0.0.1", 0)); t.listen(512)
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("127.0.0.1", 0))
    print(t.getsockname()[1], u.getsockname()[1], flush=True)
    def udp():
        while True:
            d, a = u.recvfrom(2048)
            u.sendto(d, a)
    threading.Thread(target=udp, daemon=True).start()
    def conn(c):
        with c:
            while True:
                d = c.recv(4096)
                if not d:
                    return
                c.sendall(d)
    while True:
        c, _ = t.accept()
        threading.Thread(target=conn, args=(c,), daemon=True).start()
ok = 0
deadline = time.time() + 120
if mode == "tcp":
    for i in range(n):
        c = socket.create_connection(("127.0.0.1", port), timeout=10)
        msg = b"tcp-%05d" % i
        c.sendall(msg)
        c.shutdown(socket.SHUT_WR)
        got = b""
        while True:
            d = c.recv(100)
            if not d:
                break
            got += d
        c.close()
        ok += got == msg
else:
    for i in range(0, n, 100):
        socks = []
        for j in range(i, min(i + 100, n)):
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.settimeout(10)
            s.sendto(b"udp-%05d" % j, ("127.0.0.1", port))
            socks.append((j, s))
        for j, s in socks:
            try:
                ok += s.recv(100) == b"udp-%05d" % j
            except socket.timeout:
                pass
            s.close()
print("ok", ok, flush=True)
PY

bg python3 "$T/load.py" servers 0 0 > "$T/servers.out"
wait_for test -s "$T/servers.out"
read -r tport uport < "$T/servers.out"

# descriptors of pid: all but pipes, and pipes
other_fds() { ls -l /proc/"$1"/fd 2> /dev/null | grep -c -- "->"; }
pipe_fds() { ls -l /proc/"$1"/fd 2> /dev/null | grep -c 'pipe:'; }
nonpipe_fds() { echo $(( $(other_fds "$1") - $(pipe_fds "$1") )); }
# fds_back PID N: its descriptors other than pipes are N (again)
fds_back() { test "$(nonpipe_fds "$1")" -eq "$2"; }

relay_bg t tcp://127.0.0.1:0 "tcp://127.0.0.1:$tport"
trelay=$rpid
trport=$rport
relay_bg u --udp-idle 1 udp://127.0.0.1:0 "udp://127.0.0.1:$uport"
urelay=$rpid
urport=$rport
t0=$(nonpipe_fds $trelay)
u0=$(nonpipe_fds $urelay)

start=$(date +%s)
timeout -k 2 150 python3 "$T/load.py" tcp "$trport" $N > "$T/tcp.out"
check "$N short TCP connections through the relay, each echoed" grep -qx "ok $N" "$T/tcp.out"
timeout -k 2 150 python3 "$T/load.py" udp "$urport" $N > "$T/udp.out"
check "$N UDP sessions through the relay, each echoed" grep -qx "ok $N" "$T/udp.out"
diag "load took $(( $(date +%s) - start )) s"

check "TCP relay: descriptors other than pipes back to $t0" \
	wait_secs 30 fds_back $trelay "$t0"
check "TCP relay: pooled pipes within the pool (<= 32 fds): $(pipe_fds $trelay)" \
	test "$(pipe_fds $trelay)" -le 32
check "UDP relay: descriptors back to $u0 once --udp-idle expired the sessions" \
	wait_secs 30 fds_back $urelay "$u0"

# exit: LeakSanitizer (an ASan build) reports here
kill -TERM $trelay $urelay
wait_exit $trelay 30; trc=$st
wait_exit $urelay 30; urc=$st
check "both relays exit 0 at SIGTERM ($trc, $urc)" test "$trc/$urc" = 0/0
check "no leak reported (LeakSanitizer, under an ASan build)" \
	eval '! grep -q "LeakSanitizer\|ERROR: AddressSanitizer" "$T/t.err" "$T/u.err"'
check "every session closed in the -v lines ($N TCP)" \
	test "$(grep -c 'closed after' "$T/t.err")" -eq $N
done_testing
