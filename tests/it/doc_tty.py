#!/usr/bin/env python3
"""doc_tty.py CTL CMD...: run CMD with a pseudo-terminal as its stdin, as
in a terminal window (stdout and stderr are left as they are), and type
into it what the fifo CTL says: "L<text>" a line, "D" Ctrl-D.  Exits with
CMD's status when CMD ends (docs_check.py's term helper)."""
import os
import select
import sys


def main():
    ctl, cmd = sys.argv[1], sys.argv[2:]
    master, slave = os.openpty()
    pid = os.fork()
    if pid == 0:
        os.dup2(slave, 0)
        os.close(master)
        os.close(slave)
        os.execvp(cmd[0], cmd)
    os.close(slave)
    fd = os.open(ctl, os.O_RDWR)  # never an end of file
    buf = b""
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        r, _, _ = select.select([fd, master], [], [], 0.05)
        if master in r:
            try:
                os.read(master, 4096)  # the echo: a terminal's screen
            except OSError:
                pass
        if fd in r:
            buf += os.read(fd, 4096)
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                if line.startswith(b"L"):
                    os.write(master, line[1:] + b"\n")
                elif line == b"D":
                    os.write(master, b"\x04")


if __name__ == "__main__":
    sys.exit(main())
