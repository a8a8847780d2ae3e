#!/usr/bin/env python3
"""unix_swap_race.py SOCK MODE DIR TRIES SECONDS: race sock's removal of a
stale Unix socket file against a directory swapped for a symlink.

DIR/a is a directory holding a stale socket "s"; DIR/b is a symlink to
DIR/victim, which holds a regular file also named "s".  A child process
exchanges a and b (renameat2 RENAME_EXCHANGE) in a loop while sock
(MODE listen or relay) replaces the stale socket at DIR/a/s and removes
its own socket at exit.  A sock that resolves the path again between its
check and its unlink deletes DIR/victim/s.  Prints "tries N lost M" and
exits 1 when the victim file was lost at least once.
"""
import ctypes
import os
import select
import signal
import socket
import subprocess
import sys
import time

AT_FDCWD = -100
RENAME_EXCHANGE = 2


def swapper(a, b):
    libc = ctypes.CDLL(None, use_errno=True)
    ren = libc.renameat2
    ren.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int,
                    ctypes.c_char_p, ctypes.c_uint]
    a, b = a.encode(), b.encode()
    while True:
        if ren(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE) != 0:
            os._exit(3)


def make_stale(rfd):
    """A stale socket named s in the real directory, wherever its name."""
    try:
        os.unlink("s", dir_fd=rfd)
    except FileNotFoundError:
        pass
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind("/proc/self/fd/%d/s" % rfd)
    s.close()


def one_try(cmd):
    """Start sock, let it get past the stale file, stop it with SIGTERM
    (its exit-time removal runs then); bounded to 3 s."""
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    end = time.monotonic() + 3
    err = b""
    while time.monotonic() < end and b"listening on" not in err:
        r, _, _ = select.select([p.stderr], [], [], 0.1)
        if r:
            chunk = os.read(p.stderr.fileno(), 4096)
            if not chunk:
                break
            err += chunk
    if p.poll() is None:
        p.send_signal(signal.SIGTERM)
    try:
        p.wait(3)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
    p.stderr.close()


def main():
    sock, mode, d, tries, secs = sys.argv[1:6]
    a, b, victim = d + "/a", d + "/b", d + "/victim"
    os.mkdir(a)
    os.mkdir(victim)
    os.symlink(victim, b)
    vfile = victim + "/s"
    with open(vfile, "w") as f:
        f.write("precious\n")
    rfd = os.open(a, os.O_PATH | os.O_DIRECTORY)
    make_stale(rfd)
    ep = "unix:" + a + "/s"
    if mode == "listen":
        cmd = [sock, "-v", "listen", "-k", ep]
    else:
        cmd = [sock, "-v", "relay", ep, "unix:@sock-race-%d" % os.getpid()]
    pid = os.fork()
    if pid == 0:
        swapper(a, b)
    lost = n = 0
    end = time.monotonic() + float(secs)
    try:
        while n < int(tries) and time.monotonic() < end:
            n += 1
            make_stale(rfd)
            one_try(cmd)
            if not os.path.lexists(vfile):
                lost += 1
                with open(vfile, "w") as f:
                    f.write("precious\n")
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    print("tries %d lost %d" % (n, lost))
    sys.exit(1 if lost else 0)


main()
