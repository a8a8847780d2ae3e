#!/usr/bin/env python3
"""Known sockets for sock list -s and -K (tests/it/086x), in the caller's
network namespace; writes "ready PORT..." to the file argv[1] once they
exist, then sleeps until killed (at most 60 s).

  3 TCP listeners (2 IPv4, 1 IPv6), 2 established IPv4 pairs on the first,
  2 IPv4 time-wait sockets, 3 UDP sockets bound (2 IPv4, 1 IPv6) and one
  connected IPv4 UDP socket; line 2 of the file: the ports of listener 1,
  of the UDP socket the connected one talks to, and of the connected one.
  With "reader" as argv[2], one end of the first pair (the accepted one)
  blocks in recv() and the file gets "reset" or "error ..." when it ends.
"""
import errno, socket, sys, threading, time

out = sys.argv[1]
ls = []
for fam, host in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET, "127.0.0.1"),
                  (socket.AF_INET6, "::1")):
    l = socket.socket(fam)
    l.bind((host, 0))
    l.listen()
    ls.append(l)
pairs = []
for _ in range(2):
    c = socket.create_connection(ls[0].getsockname()[:2])
    a, _ = ls[0].accept()
    pairs.append((c, a))
for _ in range(2):  # the client closes first: its end waits in time-wait
    c = socket.create_connection(ls[1].getsockname()[:2])
    a, _ = ls[1].accept()
    c.close()
    time.sleep(0.05)
    a.close()
us = []
for fam, host in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET, "127.0.0.1"),
                  (socket.AF_INET6, "::1")):
    u = socket.socket(fam, socket.SOCK_DGRAM)
    u.bind((host, 0))
    us.append(u)
uc = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
uc.connect(us[0].getsockname())


def reader(s):
    try:
        s.recv(10)
        res = "eof"
    except ConnectionResetError:
        res = "reset"
    except OSError as e:
        res = "error " + errno.errorcode.get(e.errno, str(e.errno))
    with open(out, "a") as f:
        f.write(res + "\n")


if len(sys.argv) > 2 and sys.argv[2] == "reader":
    threading.Thread(target=reader, args=(pairs[0][1],), daemon=True).start()
with open(out + ".tmp", "w") as f:
    f.write("ready\n%d %d %d %d\n" % (ls[0].getsockname()[1], us[0].getsockname()[1],
                                  uc.getsockname()[1], pairs[0][0].getsockname()[1]))
import os
os.rename(out + ".tmp", out)
time.sleep(60)
