#!/usr/bin/env python3
"""Peers for the sock relay tests (tests/it/06*.sh): what peer.py does not
offer, i.e. servers that take many connections at once, many clients at
once, resets, and datagram clients that check who gets which reply.

ADDR as in peer.py: HOST:PORT, [V6]:PORT, @NAME (abstract) or a path.
Every wait is bounded (--timeout, default 10 s); a server runs until it is
killed.

  serve ADDR --mode MODE [--type stream|seqpacket]
      a server for any number of connections at once, each in a thread;
      prints its port (or ADDR) once ready, then one line per event:
      "open N" (N connections now open), "close N", and what MODE reports.
      MODE: echo    echo until EOF, then close
            upper   read to EOF, answer in capitals, close
            watch   answer "ack" to the first data, then read on; report
                    "peer-eof BYTES", "peer-reset BYTES" or "peer-timeout"
            reset   on the first data, close with a reset (SO_LINGER 0)
            shutfirst  send --greet, shut down the write side, read to EOF,
                    report "got BYTES SHA256-PREFIX", close
            tag     echo each chunk prefixed with "<client port>|"
  many ADDR N [--size S]
      N clients at once, distinct data each (S + 37*i bytes); each sends
      a first part, waits for its echo, waits for all N to get there
      (so that N sessions are open at the same time), sends the rest,
      half-closes and reads to EOF; prints "intact N/N", exit 0 when all
      got back exactly what they sent
  talk ADDR [--send SPEC]... [--read-until TEXT] [--read-eof] [--reset]
            [--hold S] [--quiet S] [--then-send SPEC]... [--shut-wr]
            [--print-data]
      one client, in that order: prints "local PORT" (inet only); sends;
      reads until TEXT has come (or EOF), prints "ready"; reads to EOF,
      prints "first-eof"; resets the connection (SO_LINGER 0 close),
      prints "reset-sent" and stops; waits up to S seconds for the
      connection to become readable, prints "held" if it did not; prints
      "quiet" when nothing came within S seconds, "early" otherwise;
      sends more; half-closes; reads to EOF.  Then prints "data BYTES"
      (--print-data: "data TEXT", everything received) and how it ended:
      "eof", "reset", "epipe" or "timeout" (--timeout)
  sink ADDR [--bytes N]
      a client that sends (N bytes, default endless) without ever reading;
      prints "stuck BYTES" once its sends block for 1 s, then holds the
      connection until killed
  udp-serve ADDR --mode echo|tag [--delay S]
      a datagram server: echo each datagram back to its sender as is, or
      prefixed with "<sender>|"; prints "got N <sender>" per datagram;
      --delay: waits S seconds before each receive (a slow reader)
  udp-clients ADDR N M
      N datagram clients (own ports; auto-bound Unix addresses for a Unix
      ADDR),
      M datagrams each, interleaved; each must get M tagged replies, its
      own only, with one tag per client and a different tag per client,
      all from ADDR
  udp-sizes ADDR SIZE...
      sends one datagram of each SIZE, prints the sizes of the replies
      (from ADDR only: the socket is connected to it)
  udp-ask ADDR [--bind ADDR] [--send TEXT] [--repeat N [--gap S]]
      sends one datagram, prints the reply (from ADDR only), or "none"
      after --timeout; --repeat: N of them, S seconds apart (default 0.5),
      from the same socket, TEXT followed by 0, 1, ...
  blackhole [--hold S]
      a TCP port on 127.0.0.1 whose accept queue is full (listen(0),
      filled, never accepted): connects to it get no answer; prints the
      port, then holds it S seconds
  ipv6
      exit 0 when ::1 can be bound
"""
import argparse
import hashlib
import os
import random
import re
import select
import socket
import struct
import sys
import threading
import time

# The address and payload syntax is peer.py's: one parser for both.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peer import payload, sockaddr  # noqa: E402

TYPES = {"stream": socket.SOCK_STREAM, "dgram": socket.SOCK_DGRAM,
         "seqpacket": socket.SOCK_SEQPACKET}
LOCK = threading.Lock()


def say(*words):
    with LOCK:
        print(*words, flush=True)


def linger0(c):
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def who(addr):
    """A sender as text: a port, or a Unix address."""
    if isinstance(addr, tuple):
        return str(addr[1])
    if isinstance(addr, bytes):
        addr = addr.decode("latin-1")
    return addr.replace("\0", "@") if addr else "unbound"


# ---- stream server --------------------------------------------------

class Server:
    def __init__(self, o):
        self.o = o
        self.open = 0

    def count(self, d):
        with LOCK:
            self.open += d
            print("open" if d > 0 else "close", self.open, flush=True)

    def run(self):
        fam, addr = sockaddr(self.o.addr)
        s = socket.socket(fam, TYPES[self.o.type])
        if fam != socket.AF_UNIX:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(addr)
        s.listen(1024)
        print(s.getsockname()[1] if fam != socket.AF_UNIX else self.o.addr,
              flush=True)
        while True:
            c, peer = s.accept()
            self.count(1)
            threading.Thread(target=self.conn, args=(c, peer),
                             daemon=True).start()

    def conn(self, c, peer):
        try:
            getattr(self, "mode_" + self.o.mode)(c, peer)
        except OSError as e:
            say("error", type(e).__name__)
        finally:
            # counted before the close: whoever sees the close (the relay,
            # then its next connection) comes after the count
            self.count(-1)
            c.close()

    def mode_echo(self, c, peer):
        while True:
            b = c.recv(65536)
            if not b:
                return
            c.sendall(b)

    def mode_tag(self, c, peer):
        while True:
            b = c.recv(65536)
            if not b:
                return
            c.sendall(who(peer).encode() + b"|" + b)

    def mode_upper(self, c, peer):
        data = b""
        while True:
            b = c.recv(65536)
            if not b:
                break
            data += b
        c.sendall(data.upper())

    def mode_watch(self, c, peer):
        c.settimeout(self.o.timeout)
        n = 0
        try:
            while True:
                b = c.recv(65536)
                if not b:
                    say("peer-eof", n)
                    return
                if not n:
                    c.sendall(b"ack")
                n += len(b)
        except ConnectionResetError:
            say("peer-reset", n)
        except socket.timeout:
            say("peer-timeout", n)

    def mode_reset(self, c, peer):
        c.settimeout(self.o.timeout)
        c.recv(65536)
        linger0(c)

    def mode_shutfirst(self, c, peer):
        c.settimeout(self.o.timeout)
        c.sendall(payload(self.o.greet or ""))
        c.shutdown(socket.SHUT_WR)
        data = b""
        while True:
            b = c.recv(65536)
            if not b:
                break
            data += b
        say("got", len(data), hashlib.sha256(data).hexdigest()[:16])


# ---- stream clients -------------------------------------------------

def connect(o, timeout=None):
    fam, addr = sockaddr(o.addr)
    c = socket.socket(fam, TYPES[getattr(o, "type", "stream")])
    c.settimeout(timeout if timeout is not None else o.timeout)
    c.connect(addr)
    return c


def recv_exact(c, n):
    got = b""
    while len(got) < n:
        b = c.recv(n - len(got))
        if not b:
            break
        got += b
    return got


def many(o):
    n = o.n
    barrier = threading.Barrier(n, timeout=o.timeout)
    results = [None] * n

    def one(i):
        data = random.Random(i).randbytes(o.size + 37 * i)
        first = 100
        try:
            c = connect(o)
            c.sendall(data[:first])
            back = recv_exact(c, first)
            barrier.wait()
            c.sendall(data[first:])
            c.shutdown(socket.SHUT_WR)
            while True:
                b = c.recv(65536)
                if not b:
                    break
                back += b
            c.close()
            results[i] = "ok" if back == data else "differs (%d of %d bytes)" \
                % (len(back), len(data))
        except threading.BrokenBarrierError:
            results[i] = "never all open at once"
        except OSError as e:
            results[i] = type(e).__name__
            barrier.abort()

    ts = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    good = results.count("ok")
    print("intact %d/%d" % (good, n))
    kinds = {}
    for r in results:
        kinds[r] = kinds.get(r, 0) + 1
    for r, k in sorted(kinds.items()):
        if r != "ok":
            print("%d clients: %s" % (k, r))
    sys.exit(0 if good == n else 1)


def talk(o):
    fam, _ = sockaddr(o.addr)
    try:
        c = connect(o)
    except ConnectionResetError:
        # the relay may accept and reset before connect() has returned
        if fam != socket.AF_UNIX:
            say("local", 0)
        say("data", 0)
        say("reset")
        return
    if c.family != socket.AF_UNIX:
        say("local", c.getsockname()[1])
    buf = b""
    try:
        for spec in o.send:
            c.sendall(payload(spec))
        if o.read_until is not None:
            want = payload(o.read_until)
            while want not in buf:
                b = c.recv(65536)
                if not b:
                    break
                buf += b
            say("ready")
        if o.read_eof:
            while True:
                b = c.recv(65536)
                if not b:
                    break
                buf += b
            say("first-eof")
        if o.reset:
            linger0(c)
            c.close()
            say("reset-sent")
            return
        if o.hold:
            r, _, _ = select.select([c], [], [], o.hold)
            if not r:
                say("held")
        if o.quiet:
            r, _, _ = select.select([c], [], [], o.quiet)
            if r:
                say("early")
            else:
                say("quiet")
        for spec in o.then_send:
            c.sendall(payload(spec))
        if o.shut_wr:
            c.shutdown(socket.SHUT_WR)
        while True:
            b = c.recv(65536)
            if not b:
                break
            buf += b
        end = "eof"
    except ConnectionResetError:
        end = "reset"
    except socket.timeout:
        end = "timeout"
    except BrokenPipeError:
        end = "epipe"
    if o.print_data:
        say("data", buf.decode("latin-1"))
    else:
        say("data", len(buf))
    say(end)


def sink(o):
    c = connect(o)
    c.settimeout(1)
    chunk = b"s" * 65536
    sent = 0
    try:
        while o.bytes is None or sent < o.bytes:
            sent += c.send(chunk)
        say("sent", sent)
    except socket.timeout:
        say("stuck", sent)
    time.sleep(o.hold)


# ---- datagrams ------------------------------------------------------

def udp_serve(o):
    fam, addr = sockaddr(o.addr)
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.bind(addr)
    print(s.getsockname()[1] if fam != socket.AF_UNIX else o.addr,
          flush=True)
    while True:
        time.sleep(o.delay)
        d, a = s.recvfrom(70000)
        say("got", len(d), who(a))
        reply = d if o.mode == "echo" else who(a).encode() + b"|" + d
        try:
            s.sendto(reply, a)
        except OSError as e:
            say("error", type(e).__name__)


def dgram_client(o, bind=None):
    fam, addr = sockaddr(o.addr)
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 20)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    if bind:
        s.bind(sockaddr(bind)[1])
    elif fam == socket.AF_UNIX:
        s.bind("")  # auto-bind: an abstract address of the kernel's
    return s, addr


def udp_clients(o):
    socks = [dgram_client(o) for _ in range(o.n)]
    for j in range(o.m):
        for i, (s, addr) in enumerate(socks):
            s.sendto(b"c%d-m%d" % (i, j), addr)
    replies = [[] for _ in socks]
    deadline = time.time() + o.timeout
    index = {s.fileno(): i for i, (s, _) in enumerate(socks)}
    senders = set()
    while time.time() < deadline and \
            sum(map(len, replies)) < o.n * o.m:
        r, _, _ = select.select([s for s, _ in socks], [], [],
                                max(0, deadline - time.time()))
        for s in r:
            d, a = s.recvfrom(70000)
            replies[index[s.fileno()]].append(d)
            senders.add(str(a[:2] if isinstance(a, tuple) else a))
    # stay a little for stray replies (cross-talk, duplicates)
    end = time.time() + 0.3
    while time.time() < end:
        r, _, _ = select.select([s for s, _ in socks], [], [], 0.05)
        for s in r:
            d, a = s.recvfrom(70000)
            replies[index[s.fileno()]].append(d)
            senders.add(str(a[:2] if isinstance(a, tuple) else a))
    bad, tags = [], []
    if senders - {str(socks[0][1])}:
        bad.append("replies from %s, not only from %s"
                   % (sorted(senders), socks[0][1]))
    for i, rs in enumerate(replies):
        seen = set()
        mytags = set()
        for d in rs:
            tag, _, msg = d.partition(b"|")
            mytags.add(tag)
            m = re.fullmatch(rb"c(\d+)-m(\d+)", msg)
            if not m or int(m.group(1)) != i:
                bad.append("client %d got %r" % (i, d))
            else:
                seen.add(int(m.group(2)))
        if len(rs) != o.m or seen != set(range(o.m)):
            bad.append("client %d: %d replies, messages %s"
                       % (i, len(rs), sorted(seen)))
        if len(mytags) != 1:
            bad.append("client %d: tags %s" % (i, sorted(mytags)))
        tags += mytags
    if len(set(tags)) != len(tags):
        bad.append("clients share a socket towards the server: %s"
                   % sorted(tags))
    print("clients %d replies %d tags %d" % (o.n, sum(map(len, replies)),
                                             len(set(tags))))
    for b in bad[:20]:
        print(b)
    sys.exit(1 if bad else 0)


def udp_sizes(o):
    s, addr = dgram_client(o)
    s.connect(addr)  # replies from elsewhere are not taken
    for n in o.sizes:
        s.send(b"z" * n)
    s.settimeout(o.timeout)
    sizes = []
    try:
        while len(sizes) < len(o.sizes):
            sizes.append(len(s.recv(70000)))
        s.settimeout(0.3)
        sizes.append(len(s.recv(70000)))  # one too many: shows
    except socket.timeout:
        pass
    print(" ".join(map(str, sizes)))


def udp_ask(o):
    s, addr = dgram_client(o, o.bind)
    s.connect(addr)  # replies from elsewhere are not taken
    s.settimeout(o.timeout)
    for i in range(o.repeat):
        if i:
            time.sleep(o.gap)
        s.send(payload(o.send) + (b"%d" % i if o.repeat > 1 else b""))
        try:
            print(s.recv(70000).decode("latin-1"), flush=True)
        except socket.timeout:
            print("none", flush=True)


def blackhole(o):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    s.listen(0)
    port = s.getsockname()[1]
    fill = []
    for _ in range(3):
        c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        c.setblocking(False)
        c.connect_ex(("127.0.0.1", port))
        fill.append(c)
    time.sleep(0.2)
    print(port, flush=True)
    time.sleep(o.hold)


def ipv6(o):
    try:
        s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        s.bind(("::1", 0))
    except OSError:
        sys.exit(1)


def main():
    ap = argparse.ArgumentParser(prog="relay_peer.py")
    ap.add_argument("--timeout", type=float, default=10)
    sub = ap.add_subparsers(dest="cmd", required=True)

    p = sub.add_parser("serve")
    p.add_argument("addr")
    p.add_argument("--type", choices=("stream", "seqpacket"), default="stream")
    p.add_argument("--mode", required=True,
                   choices=("echo", "upper", "watch", "reset", "shutfirst",
                            "tag"))
    p.add_argument("--greet")
    p.set_defaults(fn=lambda o: Server(o).run())

    p = sub.add_parser("many")
    p.add_argument("addr")
    p.add_argument("n", type=int)
    p.add_argument("--size", type=int, default=20000)
    p.set_defaults(fn=many)

    p = sub.add_parser("talk")
    p.add_argument("addr")
    p.add_argument("--type", choices=("stream", "seqpacket"), default="stream")
    p.add_argument("--send", action="append", default=[])
    p.add_argument("--read-until")
    p.add_argument("--read-eof", action="store_true")
    p.add_argument("--reset", action="store_true")
    p.add_argument("--hold", type=float, default=0)
    p.add_argument("--quiet", type=float, default=0)
    p.add_argument("--then-send", action="append", default=[])
    p.add_argument("--shut-wr", action="store_true")
    p.add_argument("--print-data", action="store_true")
    p.set_defaults(fn=talk)

    p = sub.add_parser("sink")
    p.add_argument("addr")
    p.add_argument("--bytes", type=int)
    p.add_argument("--hold", type=float, default=30)
    p.set_defaults(fn=sink)

    p = sub.add_parser("udp-serve")
    p.add_argument("addr")
    p.add_argument("--mode", choices=("echo", "tag"), default="echo")
    p.add_argument("--delay", type=float, default=0)
    p.set_defaults(fn=udp_serve)

    p = sub.add_parser("udp-clients")
    p.add_argument("addr")
    p.add_argument("n", type=int)
    p.add_argument("m", type=int)
    p.set_defaults(fn=udp_clients)

    p = sub.add_parser("udp-sizes")
    p.add_argument("addr")
    p.add_argument("sizes", type=int, nargs="+")
    p.set_defaults(fn=udp_sizes)

    p = sub.add_parser("udp-ask")
    p.add_argument("addr")
    p.add_argument("--bind")
    p.add_argument("--send", default="ping")
    p.add_argument("--repeat", type=int, default=1)
    p.add_argument("--gap", type=float, default=0.5)
    p.set_defaults(fn=udp_ask)

    p = sub.add_parser("blackhole")
    p.add_argument("--hold", type=float, default=30)
    p.set_defaults(fn=blackhole)

    p = sub.add_parser("ipv6")
    p.set_defaults(fn=ipv6)
    o = ap.parse_args()
    o.fn(o)


if __name__ == "__main__":
    main()
