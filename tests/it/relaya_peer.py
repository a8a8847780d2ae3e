#!/usr/bin/env python3
"""Peers for the relay hardening tests (tests/it/12xx, issue 14).

  dgram-stall RELAY_PATH [SECS]
      prints "target-port N", then reads the relay's pid from stdin; a
      unix-dgram client that never reads its replies (its queue fills,
      the relay stashes them) of a UDP target that then dies (the next
      datagram meets ICMP port unreachable): prints the relay's CPU time
      over SECS seconds (default 2) in that state: "cpu-ms N wall-ms M";
      then reads its replies: "replies N" (40 when none was lost)
  seq-big FRONT TARGET SIZE_OUT SIZE_BACK
      listens at TARGET (seqpacket:PATH or tcp:PORT on 127.0.0.1), then a
      unix-seqpacket client of FRONT with a 1 MiB send buffer sends one
      message of SIZE_OUT bytes; prints "out N" (the first read the
      target got: N bytes, "eof" or "reset"); a seqpacket target then
      answers one message of SIZE_BACK bytes, and the client prints
      "back N" likewise
  flood ADDR [--quiet]
      a TCP server on ADDR (HOST:PORT, port 0: any) that sends without end
      to every connection (--quiet: sends nothing) and never reads; prints
      its port
  hold ADDR N [--flood]
      opens N TCP connections, never reads, prints "open N" and holds them
      until killed (at most 300 s); --flood: sends on each without end
  echo ADDR
      a TCP echo server on ADDR for any number of connections (one
      thread, non-blocking); prints its port
  clients ADDR N SIZE WAIT
      N clients at once, each: connect, wait WAIT seconds, send SIZE
      bytes, half-close, read to EOF; prints "intact K/N secs T"
  udp-peers ADDR N
      one datagram from each of N distinct sources (127.0.0.0/8 addresses
      times ephemeral ports); prints "sent N secs T"
  cputime PID
      prints PID's CPU time in ms
  cpu PID SECS
      prints "cpu-ms N wall-ms M": PID's CPU time over SECS seconds
  rss PID
      prints PID's resident set in KiB
  fds PID
      prints how many descriptors PID has open
"""
import os
import socket
import sys
import time

TICK = os.sysconf("SC_CLK_TCK")


def cpu_ms(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    # utime and stime: fields 14 and 15, counted from 1 with pid first
    return (int(fields[11]) + int(fields[12])) * 1000 // TICK


def cpu_over(pid, secs):
    c0, t0 = cpu_ms(pid), time.monotonic()
    time.sleep(secs)
    return cpu_ms(pid) - c0, int((time.monotonic() - t0) * 1000)


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def dgram_stall(args):
    path = args[0]
    secs = float(args[1]) if len(args) > 1 else 2.0
    target = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    target.bind(("127.0.0.1", 0))
    target.settimeout(10)
    print("target-port %d" % target.getsockname()[1], flush=True)
    # the test starts the relay towards that port, and says its pid
    pid = int(sys.stdin.readline())
    client = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    client.bind("\0sock-1201-%d" % os.getpid())
    client.sendto(b"hello", path)
    _, session = target.recvfrom(100)
    for i in range(40):
        target.sendto(b"reply %d" % i, session)
    time.sleep(0.5)  # the relay meets the client's full queue: a stash
    target.close()
    client.sendto(b"after the target died", path)
    time.sleep(0.3)  # ICMP unreachable reaches the session's socket
    cpu, wall = cpu_over(pid, secs)
    print("cpu-ms %d wall-ms %d" % (cpu, wall), flush=True)
    # the replies held for the client still come, all of them
    client.settimeout(5)
    got = 0
    try:
        while got < 40:
            client.recv(100)
            got += 1
    except socket.timeout:
        pass
    print("replies %d" % got, flush=True)


def first_read(c):
    c.settimeout(10)
    try:
        d = c.recv(1 << 20)
    except ConnectionResetError:
        return "reset"
    except socket.timeout:
        return "timeout"
    return str(len(d)) if d else "eof"


def seq_big(args):
    front, target, size_out, size_back = args[0], args[1], int(args[2]), int(args[3])
    kind, where = target.split(":", 1)
    if kind == "tcp":
        t = socket.socket()
        t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        t.bind(("127.0.0.1", int(where)))
    else:
        t = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        t.bind(where)
    t.listen(4)
    t.settimeout(10)
    c = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    c.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 20)
    c.connect(front)
    c.send(b"o" * size_out)
    a, _ = t.accept()
    print("out", first_read(a), flush=True)
    if kind == "tcp":
        return
    a.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 20)
    try:
        a.send(b"b" * size_back)
    except OSError as e:
        print("target-send", e.errno, flush=True)
    print("back", first_read(c), flush=True)


def hostport(a):
    h, p = a.rsplit(":", 1)
    return h, int(p)


def pump(sel, quiet, until):
    """Send on every writable registered connection until the time."""
    import selectors
    chunk = b"f" * 65536
    held = []
    while time.monotonic() < until:
        for key, _ in sel.select(1):
            if key.data == "listener":
                try:
                    c, _ = key.fileobj.accept()
                except OSError:
                    continue
                c.setblocking(False)
                if quiet:
                    held.append(c)  # never read, never written
                else:
                    sel.register(c, selectors.EVENT_WRITE)
                continue
            try:
                key.fileobj.send(chunk)
            except BlockingIOError:
                pass
            except OSError:
                sel.unregister(key.fileobj)
                key.fileobj.close()


def flood(args):
    import selectors
    sel = selectors.DefaultSelector()
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(hostport(args[0]))
    ls.listen(4096)
    ls.setblocking(False)
    sel.register(ls, selectors.EVENT_READ, "listener")
    print(ls.getsockname()[1], flush=True)
    pump(sel, "--quiet" in args, time.monotonic() + 300)


def hold(args):
    import selectors
    n = int(args[1])
    sel = selectors.DefaultSelector()
    conns = []
    for _ in range(n):
        c = socket.create_connection(hostport(args[0]), timeout=10)
        c.setblocking(False)
        conns.append(c)
    print("open %d" % len(conns), flush=True)
    if "--flood" not in args:
        time.sleep(300)
        return
    for c in conns:
        sel.register(c, selectors.EVENT_WRITE)
    pump(sel, False, time.monotonic() + 300)


def echo(args):
    import selectors
    sel = selectors.DefaultSelector()
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(hostport(args[0]))
    ls.listen(4096)
    ls.setblocking(False)
    sel.register(ls, selectors.EVENT_READ)
    print(ls.getsockname()[1], flush=True)
    end = time.monotonic() + 300
    while time.monotonic() < end:
        for key, _ in sel.select(1):
            if key.fileobj is ls:
                try:
                    c, _ = ls.accept()
                except OSError:
                    continue
                sel.register(c, selectors.EVENT_READ)
                continue
            c = key.fileobj
            try:
                d = c.recv(65536)
                if d:
                    c.setblocking(True)
                    c.settimeout(5)
                    c.sendall(d)
                    continue
            except OSError:
                pass
            sel.unregister(c)
            c.close()


def clients(args):
    import threading
    n, size, wait = int(args[1]), int(args[2]), float(args[3])
    results = [False] * n
    t0 = time.monotonic()

    def one(i):
        data = os.urandom(size)
        try:
            c = socket.create_connection(hostport(args[0]), timeout=60)
            time.sleep(wait)
            c.sendall(data)
            c.shutdown(socket.SHUT_WR)
            back = b""
            while True:
                b = c.recv(65536)
                if not b:
                    break
                back += b
            c.close()
            results[i] = back == data
        except OSError:
            pass

    ts = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    print("intact %d/%d secs %.1f" % (results.count(True), n,
                                     time.monotonic() - t0), flush=True)


def udp_peers(args):
    host, port = hostport(args[0])
    n = int(args[1])
    t0 = time.monotonic()
    sent = 0
    for i in range(n):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        # 127.0.<1..>.<1..250>: distinct addresses, then ports
        s.bind(("127.0.%d.%d" % (1 + i // 250 % 250, 1 + i % 250), 0))
        try:
            s.sendto(b"peer %d" % i, (host, port))
            sent += 1
        except OSError:
            pass
        s.close()
    print("sent %d secs %.1f" % (sent, time.monotonic() - t0), flush=True)


COMMANDS = {
    "dgram-stall": dgram_stall,
    "seq-big": seq_big,
    "flood": flood,
    "hold": hold,
    "echo": echo,
    "clients": clients,
    "udp-peers": udp_peers,
    "cputime": lambda a: print(cpu_ms(int(a[0]))),
    "cpu": lambda a: print("cpu-ms %d wall-ms %d"
                           % cpu_over(int(a[0]), float(a[1]))),
    "rss": lambda a: print(rss_kib(int(a[0]))),
    "fds": lambda a: print(len(os.listdir("/proc/%d/fd" % int(a[0])))),
}


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd not in COMMANDS:
        sys.exit("relaya_peer.py: unknown command " + cmd)
    COMMANDS[cmd](args)


main()
