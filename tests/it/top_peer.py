"""tests/it/top_peer.py - known traffic for the sock top tests, in one
process (so one owner): a listener and connections to it.

  pace CHUNK COUNT PERIOD       one connection; the client sends COUNT
      chunks of CHUNK bytes, one every PERIOD seconds (paced from the
      start, so the rate is CHUNK/PERIOD), waits until a line on stdin,
      closes both ends, waits for a second line (or EOF) and exits.
  short N                       N connections one after the other, the
      i-th client sending 1000*i bytes, each closed as soon as they
      arrived; then waits for a line on stdin.
  udp                           a connected UDP socket; waits for stdin.

It prints "ports LISTEN CLIENT PID" first (pace, udp), "conn CLIENT
BYTES" per connection (short), and "sent TOTAL", "closed" as they
happen; every line is flushed.
"""
import os
import socket
import sys
import time


def say(*words):
    print(*words, flush=True)


def listener():
    l = socket.socket()
    l.bind(("127.0.0.1", 0))
    l.listen(16)
    return l


def pair(l):
    c = socket.socket()
    c.connect(l.getsockname())
    a, _ = l.accept()
    return c, a


def send_and_drain(c, a, n):
    c.sendall(b"x" * n)
    got = 0
    while got < n:
        got += len(a.recv(1 << 20))


def pace(chunk, count, period):
    l = listener()
    c, a = pair(l)
    say("ports", l.getsockname()[1], c.getsockname()[1], os.getpid())
    sys.stdin.readline()  # the watcher is running
    t0 = time.monotonic()
    for i in range(count):
        send_and_drain(c, a, chunk)
        d = t0 + (i + 1) * period - time.monotonic()
        if d > 0:
            time.sleep(d)
    say("sent", chunk * count)
    sys.stdin.readline()
    c.close()
    a.close()
    say("closed")
    sys.stdin.readline()


def short(n):
    l = listener()
    say("listen", l.getsockname()[1], os.getpid())
    sys.stdin.readline()
    for i in range(1, n + 1):
        c, a = pair(l)
        send_and_drain(c, a, 1000 * i)
        say("conn", c.getsockname()[1], 1000 * i)
        c.close()
        a.close()
    say("done")
    sys.stdin.readline()


def udp():
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind(("127.0.0.1", 0))
    u.connect(("127.0.0.1", 9))
    say("ports", 0, u.getsockname()[1], os.getpid())
    sys.stdin.readline()


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "pace":
        pace(int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]))
    elif mode == "short":
        short(int(sys.argv[2]))
    else:
        udp()
