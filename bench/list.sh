#!/usr/bin/env bash
# bench/list.sh - sock list against ss and netstat, in two scenarios:
#
# 1. One namespace, 20k and 200k loopback TCP sockets (BENCH_CONNS="10000
#    100000" connections, each counted twice): -tan and -tanp against ss
#    and netstat; -tani and -tanm against ss's (n/a until sock list
#    accepts -i / -m).
# 2. Many namespaces (BENCH_NS=100 of BENCH_NS_CONNS=100 connections, 200
#    sockets, each): sock list --all-netns -tan against a shell loop of
#    `ip netns exec NS ss -tan` over them, and against one sock list -tan
#    of the same total in one namespace (n/a until sock list accepts
#    --all-netns).
#
# Everything runs in private namespaces (unshare: user, network, mount,
# pid with its own /proc, and a tmpfs on /run), so the host's socket
# table and /run/netns are never touched and every process and namespace
# made here ends with the run (also on INT/TERM: --kill-child).  The
# sockets are held by python3 processes of at most ~5000 fds each.
# Prints the kernel, the network stack (gVisor or Linux), the load
# average, medians (ms), peak RSS and the ratios, with the issue's targets.
#
# QUICK=1: a smoke run (1000 connections, 10 namespaces, 3 runs each).
set -u
SOCK=${SOCK:-$(cd "$(dirname "$0")/.." && pwd)/build/sock}
if [ -z "${SOCK_BENCH_NETNS:-}" ]; then
	u="unshare -rnmpf --mount-proc --kill-child"
	if $u true 2> /dev/null; then
		exec $u env SOCK_BENCH_NETNS=2 SOCK="$SOCK" bash "$0" "$@"
	fi
	echo "# no mount/pid namespaces here: the namespace scenario is n/a" >&2
	exec unshare -rn env SOCK_BENCH_NETNS=1 SOCK="$SOCK" bash "$0" "$@"
fi
ip link set lo up
sysctl -qw net.ipv4.ip_local_port_range="1024 65000" 2> /dev/null
NETNS_OK=0
if [ "$SOCK_BENCH_NETNS" = 2 ] && mount -t tmpfs sockbench /run &&
	mkdir -p /run/netns; then
	NETNS_OK=1
fi
if [ "${QUICK:-0}" = 1 ]; then
	: "${BENCH_CONNS:=1000}" "${BENCH_NS:=10}" "${BENCH_RUNS:=3}"
fi
# the network stack measured (as bench/relay.sh says it)
if grep -qi gvisor /proc/version 2> /dev/null || dmesg 2> /dev/null | grep -qi gvisor; then
	STACK="gVisor: its own network stack (netstack), not Linux's"
elif [ "$(uname -r)" = 4.4.0 ] && ! dmesg > /dev/null 2>&1; then
	STACK="probably gVisor (kernel 4.4.0, no dmesg): not Linux's network stack"
else
	STACK=Linux
fi
echo "kernel $(uname -r), network stack: $STACK, $(nproc) CPUs, $(ss -V 2>&1 | head -1)"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
exec python3 - "$SOCK" "$NETNS_OK" "${BENCH_NS:-100}" "${BENCH_NS_CONNS:-100}" \
	"${BENCH_RUNS:-9}" ${BENCH_CONNS:-10000 100000} <<'PY'
import ctypes, os, statistics, subprocess, sys, time

sock, netns_ok = sys.argv[1], sys.argv[2] == "1"
n_ns, ns_conns, RUNS = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
counts = [int(c) for c in sys.argv[6:]]
PER = 5000
HOLD = r'''
import ctypes, os, socket, struct, sys
n, names = int(sys.argv[1]), sys.argv[2:] or [None]
libc = ctypes.CDLL(None, use_errno=True)
keep = []; lin = struct.pack("ii", 1, 0)
for name in names:
    if name:  # sockets made after setns() live in that namespace
        fd = os.open("/run/netns/" + name, os.O_RDONLY)
        if libc.setns(fd, 0x40000000):  # CLONE_NEWNET
            raise OSError(ctypes.get_errno(), "setns " + name)
        os.close(fd)
    l = socket.socket(); l.bind(("127.0.0.1", 0)); l.listen(4096); keep.append(l)
    for i in range(n):
        c = socket.socket(); c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, lin)
        c.connect(l.getsockname()); a, _ = l.accept(); keep += [c, a]
print("ready", flush=True); sys.stdin.read()
'''
holders = []

def spawn(n, names=()):
    p = subprocess.Popen([sys.executable, "-c", HOLD, str(n)] + list(names),
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert p.stdout.readline().strip() == b"ready"
    holders.append((p, n * max(1, len(names))))

def hold(total):
    while sum(h[1] for h in holders) < total:
        spawn(min(PER, total - sum(h[1] for h in holders)))

def release():
    for p, _ in holders:
        p.stdin.close()
    for p, _ in holders:
        p.wait(timeout=60)
    holders.clear()

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

def accepted(*args):
    """Whether this sock list takes these flags (2 = usage error)."""
    return subprocess.run([sock, "list"] + list(args), stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL).returncode == 0

def cell(v):
    return "n/a" if v is None else "%.1f (%.1f)" % v

def ratio(a, b, target):
    if a is None or b is None:
        return "n/a", target
    return "%.3fx" % (a[0] / b[0]), target

has_i, has_m = accepted("-tni"), accepted("-tnm")
has_all = accepted("--all-netns", "-tn")
print(f"sock list -i: {'yes' if has_i else 'n/a'}, -m: {'yes' if has_m else 'n/a'}, "
      f"--all-netns: {'yes' if has_all else 'n/a'}"
      f"{'' if netns_ok else ' (no namespaces here)'}; {RUNS} runs, median")

# ---- 1: one namespace, -tan -tanp -tani -tanm ----------------------------
cmds = [("sock list -tan", [sock, "list", "-tan"], True),
        ("ss -tan", ["ss", "-tan"], True),
        ("netstat -tan", ["netstat", "-tan"], True),
        ("sock list -tanp", [sock, "list", "-tanp"], True),
        ("ss -tanp", ["ss", "-tanp"], True),
        ("netstat -tanp", ["netstat", "-tanp"], True),
        ("sock list -tani", [sock, "list", "-tani"], has_i),
        ("ss -tani", ["ss", "-tani"], True),
        ("sock list -tanm", [sock, "list", "-tanm"], has_m),
        ("ss -tanm", ["ss", "-tanm"], True)]
res = {}
for total in counts:
    hold(total)
    nsock = len(open("/proc/net/tcp").readlines()) - 1
    for name, cmd, ok in cmds:
        slow = total >= 50000 and name in ("ss -tanp", "netstat -tanp")
        res[(total, name)] = measure(cmd, min(3, RUNS) if slow else RUNS) if ok else None
    print(f"# {total} connections: {nsock} TCP sockets", file=sys.stderr)
print()
print("| command | " + " | ".join(f"{2*c:,} sockets: ms (peak RSS MB)"
                                   for c in counts) + " |")
print("|---|" + "---|" * len(counts))
for name, _, _ in cmds:
    print(f"| `{name}` | " + " | ".join(cell(res[(c, name)]) for c in counts) + " |")
print()
print("| ratio | " + " | ".join(f"{2*c:,} sockets" for c in counts) + " | target |")
print("|---|" + "---|" * len(counts) + "---|")
for a, b, target in (("sock list -tan", "ss -tan", "<= 0.75x at 200k"),
                     ("sock list -tan", "netstat -tan", ""),
                     ("sock list -tanp", "ss -tanp", "<= 0.04x at 200k"),
                     ("sock list -tanp", "netstat -tanp", ""),
                     ("sock list -tani", "ss -tani", "<= 0.75x at 200k"),
                     ("sock list -tanm", "ss -tanm", "<= 0.75x at 200k")):
    cells = [ratio(res[(c, a)], res[(c, b)], target)[0] for c in counts]
    print(f"| {a} / {b} | " + " | ".join(cells) + f" | {target} |")
release()

# ---- 2: many namespaces ----------------------------------------------------
if not netns_ok:
    print("\nnamespaces: n/a (no private mount and pid namespaces here)")
    sys.exit(0)
names = ["sockbench%03d" % i for i in range(n_ns)]
for n in names:
    subprocess.run(["ip", "netns", "add", n], check=True)
    subprocess.run(["ip", "-n", n, "link", "set", "lo", "up"], check=True)
per = max(1, 4800 // (2 * ns_conns + 1))  # namespaces per holder (fds)
for i in range(0, n_ns, per):
    spawn(ns_conns, names[i:i + per])
loop = ["bash", "-c", 'for ns in "$@"; do ip netns exec "$ns" ss -tan; done',
        "loop"] + names
nres = {}
nres["all"] = measure([sock, "list", "--all-netns", "-tan"], RUNS) if has_all else None
nres["loop"] = measure(loop, min(3, RUNS))
release()
for n in names:
    subprocess.run(["ip", "netns", "del", n], check=True)
hold(n_ns * ns_conns)
nsock = len(open("/proc/net/tcp").readlines()) - 1
nres["one"] = measure([sock, "list", "-tan"], RUNS)
release()
print(f"\n{n_ns} namespaces of {2 * ns_conns + 1} TCP sockets each "
      f"({n_ns * (2 * ns_conns + 1):,}); one namespace: {nsock:,}\n")
print("| command | ms (peak RSS MB) |")
print("|---|---|")
print(f"| `sock list --all-netns -tan` | {cell(nres['all'])} |")
print(f"| `ip netns exec NS ss -tan`, shell loop over the {n_ns} | {cell(nres['loop'])} |")
print(f"| `sock list -tan`, the same total in one namespace | {cell(nres['one'])} |")
print()
print("| ratio | value | target |")
print("|---|---|---|")
for label, a, b, target in (("--all-netns / the ss loop", "all", "loop", "<= 0.2x"),
                            ("--all-netns / one namespace", "all", "one", "<= 2x")):
    v, t = ratio(nres[a], nres[b], target)
    print(f"| {label} | {v} | {t} |")
PY
