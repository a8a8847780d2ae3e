#!/usr/bin/env bash
# bench/list.sh - sock list against ss and netstat, with and without -p,
# at 20k and 200k loopback TCP sockets (BENCH_CONNS="10000 100000"
# connections, each counted twice).  Runs in a private network namespace
# (unshare -rn) so the host's table stays clean; the sockets are held by
# several python3 processes of at most 5000 connections each (the fd
# limit here is 20000 per process).  Prints medians (ms), peak RSS and
# the ratios sock/ss and sock/netstat.
set -u
SOCK=${SOCK:-$(cd "$(dirname "$0")/.." && pwd)/build/sock}
if [ -z "${SOCK_BENCH_NETNS:-}" ]; then
	exec unshare -rn env SOCK_BENCH_NETNS=1 SOCK="$SOCK" bash "$0" "$@"
fi
ip link set lo up
sysctl -qw net.ipv4.ip_local_port_range="1024 65000" 2>/dev/null
exec python3 - "$SOCK" ${BENCH_CONNS:-10000 100000} <<'PY'
import statistics, subprocess, sys, time

sock, counts = sys.argv[1], [int(c) for c in sys.argv[2:]]
PER = 5000
HOLD = r'''
import socket, sys, struct
n = int(sys.argv[1]); keep = []
l = socket.socket(); l.bind(("127.0.0.1", 0)); l.listen(4096); keep.append(l)
lin = struct.pack("ii", 1, 0)
for i in range(n):
    c = socket.socket(); c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, lin)
    c.connect(l.getsockname()); a, _ = l.accept(); keep += [c, a]
print("ready", flush=True); sys.stdin.read()
'''
holders = []

def hold(total):
    while sum(h[1] for h in holders) < total:
        n = min(PER, total - sum(h[1] for h in holders))
        p = subprocess.Popen([sys.executable, "-c", HOLD, str(n)],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        assert p.stdout.readline().strip() == b"ready"
        holders.append((p, n))

def run(cmd):
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t

def peak_rss(cmd):
    """MB, from GNU time: a child forked from this python would report
    python's own size."""
    r = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return int(r.stderr.split()[-1]) / 1024

def measure(cmd, runs):
    run(cmd)  # warm-up
    r = [run(cmd) for _ in range(runs)]
    return statistics.median(r) * 1000, peak_rss(cmd)

cmds = [("sock list -tan", [sock, "list", "-tan"]),
        ("ss -tan", ["ss", "-tan"]),
        ("netstat -tan", ["netstat", "-tan"]),
        ("sock list -tanp", [sock, "list", "-tanp"]),
        ("ss -tanp", ["ss", "-tanp"]),
        ("netstat -tanp", ["netstat", "-tanp"])]
res = {}
for total in counts:
    hold(total)
    nsock = len(open("/proc/net/tcp").readlines()) - 1
    for name, cmd in cmds:
        slow = total >= 50000 and name in ("ss -tanp", "netstat -tanp")
        res[(total, name)] = measure(cmd, 3 if slow else 9)
    print(f"# {total} connections: {nsock} TCP sockets", file=sys.stderr)
print("| command | " + " | ".join(f"{2*c:,} sockets: ms (peak RSS MB)"
                                   for c in counts) + " |")
print("|---|" + "---|" * len(counts))
for name, _ in cmds:
    print(f"| `{name}` | " + " | ".join(
        "%.1f (%.1f)" % res[(c, name)] for c in counts) + " |")
for a, b in (("sock list -tan", "ss -tan"), ("sock list -tan", "netstat -tan"),
             ("sock list -tanp", "ss -tanp"),
             ("sock list -tanp", "netstat -tanp")):
    print(f"| {a} / {b} | " + " | ".join(
        "%.3fx" % (res[(c, a)][0] / res[(c, b)][0]) for c in counts) + " |")
for p, _ in holders:
    p.stdin.close()
for p, _ in holders:
    p.wait(timeout=60)
PY
