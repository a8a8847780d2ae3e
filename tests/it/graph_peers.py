#!/usr/bin/env python3
"""Processes with known sockets for the sock list --graph tests (0840).

  graph_peers.py NAME tcp-server N       listens on 127.0.0.1:0, prints the
                                         port, accepts N connections
  graph_peers.py NAME tcp-client PORT    connects to 127.0.0.1:PORT
  graph_peers.py NAME unix-server PATH   listens on PATH, accepts one
  graph_peers.py NAME unix-client PATH   connects to PATH
  graph_peers.py NAME udp-server         binds 127.0.0.1:0, prints the port,
                                         connects back to the first sender
  graph_peers.py NAME udp-client PORT    connects to 127.0.0.1:PORT, sends

NAME becomes the process's name (prctl PR_SET_NAME, at most 15 bytes; it
may hold quotes, backslashes and newlines: "\\n" in NAME is a newline).
Each prints "ready" once its sockets are set up, then holds them until
killed (at most 60 s).
"""
import ctypes
import socket
import sys
import time


def set_name(name):
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(15, ctypes.c_char_p(name.encode()[:15]), 0, 0, 0)


def say(*words):
    print(*words, flush=True)


def main():
    name, role, arg = sys.argv[1].replace("\\n", "\n"), sys.argv[2], sys.argv[3:]
    set_name(name)
    keep = []
    if role == "tcp-server":
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        s.listen()
        say(s.getsockname()[1])
        keep = [s] + [s.accept()[0] for _ in range(int(arg[0]))]
    elif role == "tcp-client":
        keep = [socket.create_connection(("127.0.0.1", int(arg[0])))]
    elif role == "unix-server":
        s = socket.socket(socket.AF_UNIX)
        s.bind(arg[0])
        s.listen()
        say("listening")
        keep = [s, s.accept()[0]]
    elif role == "unix-client":
        s = socket.socket(socket.AF_UNIX)
        s.connect(arg[0])
        keep = [s]
    elif role == "udp-server":
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("127.0.0.1", 0))
        say(s.getsockname()[1])
        _, peer = s.recvfrom(100)
        s.connect(peer)
        keep = [s]
    elif role == "udp-client":
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.connect(("127.0.0.1", int(arg[0])))
        s.send(b"hi")
        keep = [s]
    say("ready")
    time.sleep(60)


main()
