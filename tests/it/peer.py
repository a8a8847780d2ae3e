#!/usr/bin/env python3
"""The other end for the integration tests: one program for every peer.

  peer.py listen ADDR [options]    a server; prints its port (inet) or its
                                   ADDR (unix) on a line once it is ready
  peer.py connect ADDR [options]   a client
  peer.py feed N... [--then TEXT] [--after FILE TEXT]
                                   writes N bytes of "x" per write to stdout,
                                   0.1 s apart (separate reads for a reader),
                                   once TEXT is in FILE (with --after)
  peer.py free-port tcp|udp|tcp6 [--v6only]
                                   a port the kernel just gave out

ADDR: HOST:PORT or [V6]:PORT (AF_INET/AF_INET6), @NAME (an abstract Unix
name), anything else a Unix path.  --type stream|dgram|seqpacket.

A stream or seqpacket server, for one connection: sends --greet, then
closes (--close-first), or half-closes (--shut-wr); echoes what it reads
chunk by chunk (--echo), or reads to EOF, waits --delay seconds and
answers with --reply: data (--prefix and what it read), upper (the same in
capitals), sizes (the message sizes), none.

A datagram server records the size of each datagram, answers "got N"
(--answer-got), stops after --until TEXT or --idle seconds of silence and
then prints the sizes (and with --senders, who sent them).

A client (bound to --bind ADDR when given) sends each --send SPEC (a
datagram each, or a message each), half-closes (--shut-wr), then prints
with --print: data (to EOF), sizes (of the messages, to EOF), one (one
reply), eof (fails unless EOF comes first), none.  SPEC is text with
backslash escapes, or C*N[TEXT]: N times the character C, then TEXT.
"""
import argparse
import os
import re
import socket
import sys
import time

TYPES = {"stream": socket.SOCK_STREAM, "dgram": socket.SOCK_DGRAM,
         "seqpacket": socket.SOCK_SEQPACKET}


def sockaddr(addr):
    """(family, address) for ADDR."""
    m = re.fullmatch(r"\[(.*)\]:(\d+)", addr)
    if m:
        return socket.AF_INET6, (m.group(1), int(m.group(2)))
    m = re.fullmatch(r"([0-9.]+):(\d+)", addr)
    if m:
        return socket.AF_INET, (m.group(1), int(m.group(2)))
    if addr.startswith("@"):
        return socket.AF_UNIX, "\0" + addr[1:]
    return socket.AF_UNIX, addr


def payload(spec):
    def unescape(t):
        return t.encode().decode("unicode_escape").encode("latin-1")
    m = re.fullmatch(r"(.)\*(\d+)(.*)", spec, re.S)
    if m:
        return m.group(1).encode() * int(m.group(2)) + unescape(m.group(3))
    return unescape(spec)


def ready(s, addr):
    fam = s.family
    print(s.getsockname()[1] if fam != socket.AF_UNIX else addr, flush=True)


def recv_all(c, size=70000):
    """Every chunk (message) until EOF."""
    chunks = []
    while True:
        b = c.recv(size)
        if not b:
            return chunks
        chunks.append(b)


def serve_stream(o, s):
    s.listen(1)
    ready(s, o.addr)
    c, _ = s.accept()
    if o.greet is not None:
        c.sendall(payload(o.greet))
    if o.close_first:
        c.close()
        return
    if o.shut_wr:
        c.shutdown(socket.SHUT_WR)
    if o.echo:
        while True:
            b = c.recv(65536)
            if not b:
                break
            c.sendall(b)
        c.close()
        return
    chunks = recv_all(c)
    data = b"".join(chunks)
    time.sleep(o.delay)
    reply = {
        "none": b"",
        "data": o.prefix.encode() + data,
        "upper": o.prefix.encode() + data.upper(),
        "sizes": b" ".join(b"%d" % len(b) for b in chunks) + b"\n",
    }[o.reply]
    if reply:
        c.sendall(reply)
    c.close()


def serve_dgram(o, s):
    ready(s, o.addr)
    s.settimeout(o.idle)
    lens, senders = [], set()
    try:
        while True:
            d, a = s.recvfrom(70000)
            lens.append(len(d))
            senders.add(a)
            if o.answer_got:
                s.sendto(b"got %d\n" % len(d), a)
            if o.until is not None and d == o.until.encode():
                break
    except socket.timeout:
        pass
    print(" ".join(map(str, lens)), flush=True)
    if o.senders:
        # auto-bound abstract senders ("\0" + 5 hex digits; str in Python)
        print("senders=%d abstract=%s" % (len(senders),
              all(isinstance(a, (str, bytes)) and len(a) > 0 and
                  (a[0] in ("\0", 0)) for a in senders)), flush=True)


def listen(o):
    fam, addr = sockaddr(o.addr)
    s = socket.socket(fam, TYPES[o.type])
    if o.v6only:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    s.bind(addr)
    (serve_dgram if o.type == "dgram" else serve_stream)(o, s)


def out(b):
    sys.stdout.write(b.decode())
    sys.stdout.flush()


def connect(o):
    fam, addr = sockaddr(o.addr)
    c = socket.socket(fam, TYPES[o.type])
    if o.bind:
        c.bind(sockaddr(o.bind)[1])
    if o.timeout:
        c.settimeout(o.timeout)
    if o.type != "dgram":
        c.connect(addr)
    for spec in o.send:
        if o.type == "dgram":
            c.sendto(payload(spec), addr)
        else:
            c.sendall(payload(spec))
    if o.shut_wr:
        c.shutdown(socket.SHUT_WR)
    res = b""
    if o.print == "data":
        res = b"".join(recv_all(c, 100))
    elif o.print == "sizes":
        res = b" ".join(b"%d" % len(b) for b in recv_all(c)) + b"\n"
    elif o.print == "one":
        res = c.recv(100)
    elif o.print == "eof":
        if c.recv(10) != b"":
            sys.exit("peer.py: data where EOF was expected")
    if res:
        out(res)
    c.close()


def feed(o):
    # --after FILE TEXT: the reader reads only once TEXT is in FILE (a
    # listener, once its client came); writes before that would pile up
    # in the pipe and be read as one
    if o.after:
        end = time.monotonic() + 10
        while time.monotonic() < end:
            try:
                if o.after[1] in open(o.after[0]).read():
                    break
            except OSError:
                pass
            time.sleep(0.02)
    # separate writes into the pipe, apart in time: separate reads
    for n in o.sizes:
        os.write(1, b"x" * n)
        time.sleep(0.1)
    if o.then is not None:
        os.write(1, o.then.encode())


def free_port(o):
    fam = socket.AF_INET6 if o.kind == "tcp6" else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM if o.kind == "udp"
                      else socket.SOCK_STREAM)
    if o.v6only:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    s.bind(("::1" if o.kind == "tcp6" else "127.0.0.1", 0))
    print(s.getsockname()[1])


def main():
    ap = argparse.ArgumentParser(prog="peer.py")
    sub = ap.add_subparsers(dest="cmd", required=True)

    def common(p):
        p.add_argument("addr")
        p.add_argument("--type", choices=TYPES, default="stream")
    p = sub.add_parser("listen")
    common(p)
    p.add_argument("--v6only", action="store_true")
    p.add_argument("--greet")
    p.add_argument("--close-first", action="store_true")
    p.add_argument("--shut-wr", action="store_true")
    p.add_argument("--echo", action="store_true")
    p.add_argument("--delay", type=float, default=0)
    p.add_argument("--reply", default="none",
                   choices=("none", "data", "upper", "sizes"))
    p.add_argument("--prefix", default="")
    p.add_argument("--idle", type=float, default=5)
    p.add_argument("--answer-got", action="store_true")
    p.add_argument("--until")
    p.add_argument("--senders", action="store_true")
    p.set_defaults(fn=listen)
    p = sub.add_parser("connect")
    common(p)
    p.add_argument("--bind")
    p.add_argument("--timeout", type=float)
    p.add_argument("--send", action="append", default=[])
    p.add_argument("--shut-wr", action="store_true")
    p.add_argument("--print", default="none",
                   choices=("none", "data", "sizes", "one", "eof"))
    p.set_defaults(fn=connect)
    p = sub.add_parser("feed")
    p.add_argument("sizes", type=int, nargs="+")
    p.add_argument("--then")
    p.add_argument("--after", nargs=2, metavar=("FILE", "TEXT"))
    p.set_defaults(fn=feed)
    p = sub.add_parser("free-port")
    p.add_argument("kind", choices=("tcp", "udp", "tcp6"))
    p.add_argument("--v6only", action="store_true")
    p.set_defaults(fn=free_port)
    o = ap.parse_args()
    o.fn(o)


if __name__ == "__main__":
    main()
