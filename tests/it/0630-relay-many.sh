#!/usr/bin/env bash
# sock relay holds 5000 sessions at once under the machine's fd limit: it
# raises its own soft limit to the hard one.  One python3 process plays
# both the clients and an echo server; every session carries its own
# token both ways and all must come back intact.
. "$(dirname "$0")/lib.sh"
need python3

N=5000
hard=$(ulimit -Hn)
# the relay needs 2 per session, python 2 per session (client and server)
if [ "$hard" != unlimited ] && [ "$hard" -lt $((2 * N + 100)) ]; then
	skip_all "hard fd limit $hard is below $((2 * N + 100))"
fi
plan 4

cat > "$T/many.py" <<'EOF'
import selectors, socket, sys, time, resource

n, relay_port, srv_port_file = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
sel = selectors.DefaultSelector()
deadline = time.time() + 60

def until(cond):
    while not cond():
        if time.time() > deadline:
            sys.exit("timed out")
        for key, ev in sel.select(0.5):
            key.data(key.fileobj, ev)

srv = socket.socket()
srv.bind(("127.0.0.1", int(open(srv_port_file).read())))
srv.listen(4096)
srv.setblocking(False)
served = []
def echo(c, ev):
    d = c.recv(65536)
    if d:
        c.sendall(d)
    else:
        sel.unregister(c); c.close()
def accept(s, ev):
    while True:
        try:
            c, _ = s.accept()
        except BlockingIOError:
            return
        c.setblocking(False)
        served.append(1)
        sel.register(c, selectors.EVENT_READ, echo)
sel.register(srv, selectors.EVENT_READ, accept)

clients = []
for i in range(n):
    c = socket.socket()
    c.setblocking(False)
    c.connect_ex(("127.0.0.1", relay_port))
    clients.append(c)
    if i % 200 == 199:
        until(lambda: True)  # let the server accept as we go
until(lambda: len(served) == n)
print("open", len(served), flush=True)
# every session still works while all are open: a token each way
got = {}
def reply(c, ev):
    d = c.recv(100)
    got[c.fileno()] = got.get(c.fileno(), b"") + d
for i, c in enumerate(clients):
    c.setblocking(True)
    c.sendall(b"token-%05d." % i)
    c.setblocking(False)
    sel.register(c, selectors.EVENT_READ, reply)
until(lambda: all(len(got.get(c.fileno(), b"")) == 12 for c in clients))
bad = sum(got[c.fileno()] != b"token-%05d." % i for i, c in enumerate(clients))
print("intact", n - bad, flush=True)
for c in clients:
    sel.unregister(c); c.close()
EOF

free_port tcp > "$T/srvport"
"$SOCK" -v relay tcp://127.0.0.1:0 "tcp://127.0.0.1:$(cat "$T/srvport")" \
	2> "$T/relay.err" &
rpid=$!
PIDS+=($rpid)
port=$(wait_port "$T/relay.err")
timeout -k 2 90 python3 "$T/many.py" $N "$port" "$T/srvport" > "$T/many.out" 2> "$T/many.err"
rc=$?
check "$N sessions open at once through the relay" grep -qx "open $N" "$T/many.out"
check "every one of them carried its own token both ways" grep -qx "intact $N" "$T/many.out"
# all closed: the relay reports every session's end
all_closed() { test "$(grep -c 'closed after' "$T/relay.err")" -eq $N; }
for _ in $(seq 300); do all_closed && break; sleep 0.1; done
check "every session ended" all_closed
check "the python side exited 0" test $rc -eq 0
[ $rc -eq 0 ] || diag "$(tail -3 "$T/many.err")"
done_testing
