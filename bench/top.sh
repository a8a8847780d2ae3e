#!/usr/bin/env bash
# bench/top.sh - what one refresh of sock top costs, against one ss -tani
# of the same sockets (the issue's budget: at most as much CPU at 20k
# sockets), in a private network namespace holding BENCH_CONNS
# connections (default "10000 100000": 20k and 200k sockets).
#
# A refresh is measured as the CPU (user + system, from the kernel's
# rusage of the finished child) of `sock top -b -n K -d 0.05 -t` divided
# by K: every refresh dumps the sockets with tcp_info and skmeminfo,
# joins them to the previous poll by cookie and prints all the rows
# (ss -tani prints all of them too).  The first refresh also walks /proc
# for the owners; later ones only when new sockets appear, so the
# figure is shown with the owners (K=5, one walk) and without them
# (--no-owners).  Prints uname -r, the medians of BENCH_RUNS runs (ms of
# CPU), the ratios and sock top's peak RSS.
#
# QUICK=1: 1000 connections, 3 runs.
set -u
SOCK=${SOCK:-$(cd "$(dirname "$0")/.." && pwd)/build/sock}
if [ -z "${SOCK_BENCH_NETNS:-}" ]; then
	exec unshare -rn env SOCK_BENCH_NETNS=1 SOCK="$SOCK" bash "$0" "$@"
fi
ip link set lo up
sysctl -qw net.ipv4.ip_local_port_range="1024 65000" 2> /dev/null
if [ "${QUICK:-0}" = 1 ]; then
	: "${BENCH_CONNS:=1000}" "${BENCH_RUNS:=3}"
fi
echo "kernel $(uname -r), $(nproc) CPUs, $(ss -V 2>&1 | head -1)"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
exec python3 - "$SOCK" "${BENCH_RUNS:-5}" ${BENCH_CONNS:-10000 100000} <<'PY'
import os, resource, statistics, subprocess, sys

sock, RUNS = sys.argv[1], int(sys.argv[2])
counts = [int(c) for c in sys.argv[3:]]
K, PER = 5, 2400
HOLD = r'''
import socket, struct, sys
n = int(sys.argv[1]); keep = []; lin = struct.pack("ii", 1, 0)
l = socket.socket(); l.bind(("127.0.0.1", 0)); l.listen(4096); keep.append(l)
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

def release():
    for p, _ in holders:
        p.stdin.close()
    for p, _ in holders:
        p.wait(timeout=120)
    holders.clear()

def cpu(cmd):
    """CPU seconds of one run of cmd and its peak RSS in MB."""
    pid = os.fork()
    if pid == 0:
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, 1); os.dup2(fd, 2)
        os.execvp(cmd[0], cmd)
    _, status, ru = os.wait4(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, cmd
    return ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024

def median_ms(cmd, per):
    cpu(cmd)  # warm-up
    r = [cpu(cmd) for _ in range(RUNS)]
    return statistics.median(x[0] for x in r) * 1000 / per, max(x[1] for x in r)

top = [sock, "top", "-b", "-n", str(K), "-d", "0.05", "-t", "--numeric"]
cmds = [("ss -tani", ["ss", "-tani"], 1),
        ("sock list -tani", [sock, "list", "-tani"], 1),
        ("sock top -b -t, one refresh (owners)", top, K),
        ("sock top -b -t, one refresh (--no-owners)", top + ["--no-owners"], K),
        ("sock top --jsonl -t, one refresh", top[:2] + ["--jsonl"] + top[3:], K)]
res = {}
for total in counts:
    try:
        hold(total)
    except (AssertionError, OSError) as e:
        print(f"# {total} connections: could not hold them ({e}): n/a", file=sys.stderr)
        release()
        continue
    nsock = len(open("/proc/net/tcp").readlines()) - 1
    for name, cmd, per in cmds:
        res[(total, name)] = median_ms(cmd, per)
    print(f"# {total} connections: {nsock} TCP sockets", file=sys.stderr)
    release()
done = [c for c in counts if (c, "ss -tani") in res]
print(f"\n{RUNS} runs, median CPU ms (user+system) per listing or refresh; "
      f"sock top: {K} refreshes per run\n")
print("| command | " + " | ".join(f"{2*c:,} sockets: CPU ms (peak RSS MB)" for c in done) + " |")
print("|---|" + "---|" * len(done))
for name, _, _ in cmds:
    print(f"| `{name}` | " + " | ".join("%.1f (%.1f)" % res[(c, name)] for c in done) + " |")
print("\n| ratio to one `ss -tani` | " + " | ".join(f"{2*c:,} sockets" for c in done) + " |")
print("|---|" + "---|" * len(done))
for name, _, _ in cmds[1:]:
    print(f"| {name} | " + " | ".join("%.2fx" % (res[(c, name)][0] / res[(c, "ss -tani")][0])
                                      for c in done) + " |")
PY
