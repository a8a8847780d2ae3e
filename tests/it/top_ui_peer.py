#!/usr/bin/env python3
"""Known traffic for the sock top tests (tests/it/112x).

  top_ui_peer.py pair STATUS TOTAL RATE [COMM]
      a listener on 127.0.0.1 and one connection to it, in this process;
      the client sends TOTAL bytes at RATE bytes per second (a chunk every
      0.1 s), the server reads them.  STATUS gets lines as things happen:
        ports LISTEN CLIENT     (once connected)
        sent N                  (all sent)
        reset                   (a reset came on either end)
        closed                  (STATUS.close appeared: both ends closed)
      Then it waits (at most 120 s) for a reset or for STATUS.close.
      COMM: the process's name (/proc/PID/comm), UTF-8.

  top_ui_peer.py many STATUS N
      a listener and N connections to it; STATUS gets "port LISTEN" once
      they are up, "closed" after STATUS.close appeared and all were
      closed (at most 120 s).
"""
import os
import socket
import sys
import time


def log(path, text):
    with open(path, "a") as f:
        f.write(text + "\n")


def drain(srv, conn):
    """Read what is there on the server end; False on EOF or reset."""
    try:
        while True:
            b = conn.recv(65536, socket.MSG_DONTWAIT)
            if not b:
                return False
    except BlockingIOError:
        return True


def wait_end(path, cli, conn, deadline):
    """Until a reset on either end or STATUS.close."""
    for s in (cli, conn):
        s.setblocking(False)
    while time.monotonic() < deadline:
        if os.path.exists(path + ".close"):
            cli.close()
            conn.close()
            log(path, "closed")
            return
        for s in (cli, conn):
            try:
                s.recv(65536)
            except BlockingIOError:
                pass
            except (ConnectionResetError, ConnectionAbortedError):
                log(path, "reset")
                return
        time.sleep(0.05)


def set_comm(name):
    import ctypes
    libc = ctypes.CDLL(None)
    libc.prctl(15, name.encode()[:15], 0, 0, 0)  # PR_SET_NAME


def pair(path, total, rate):
    lst = socket.socket()
    lst.bind(("127.0.0.1", 0))
    lst.listen(8)
    cli = socket.create_connection(lst.getsockname())
    conn, _ = lst.accept()
    log(path, "ports %d %d" % (lst.getsockname()[1], cli.getsockname()[1]))
    chunk = max(1, rate // 10)
    rate = max(1, rate)
    sent, start = 0, time.monotonic()
    while sent < total:
        n = min(chunk, total - sent)
        cli.sendall(b"x" * n)
        sent += n
        drain(lst, conn)
        # paced against the start, so that delays do not add up
        delay = start + sent / rate - time.monotonic()
        if delay > 0:
            time.sleep(delay)
    time.sleep(0.3)
    drain(lst, conn)
    log(path, "sent %d" % sent)
    wait_end(path, cli, conn, time.monotonic() + 120)


def many(path, n):
    lst = socket.socket()
    lst.bind(("127.0.0.1", 0))
    lst.listen(n)
    ends = []
    for _ in range(n):
        ends.append(socket.create_connection(lst.getsockname()))
        ends.append(lst.accept()[0])
    log(path, "port %d" % lst.getsockname()[1])
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not os.path.exists(path + ".close"):
        time.sleep(0.05)
    for s in ends:
        s.close()
    log(path, "closed")
    time.sleep(120)


if __name__ == "__main__":
    if len(sys.argv) in (5, 6) and sys.argv[1] == "pair":
        if len(sys.argv) == 6:
            set_comm(sys.argv[5])
        pair(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    elif len(sys.argv) == 4 and sys.argv[1] == "many":
        many(sys.argv[2], int(sys.argv[3]))
    else:
        sys.exit(__doc__)
