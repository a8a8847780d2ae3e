# tests/data/i18n-hold.py DIR - sockets in known TCP states on fixed
# ports, for the Spanish sock list test (run in a private network
# namespace); the process renames itself "señal" (a two-byte character)
# so that a PID/Program name cell holds non-ASCII text.  Prints "ready"
# and holds them until stdin closes (at most 60 s).
import ctypes, os, select, socket, sys, time

ctypes.CDLL(None).prctl(15, "señal".encode(), 0, 0, 0)  # PR_SET_NAME
d = sys.argv[1]
keep = []

def client(port):
    c = socket.socket()
    c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    c.bind(("127.0.0.1", port))
    c.connect(("127.0.0.1", 8080))
    a, _ = lis.accept()
    return c, a

lis = socket.socket()
lis.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
lis.bind(("127.0.0.1", 8080))
lis.listen(16)
c1, a1 = client(40001)                  # ESTABLISHED, both sides
c2, a2 = client(40002)
c2.close()                              # c2 FIN_WAIT2, a2 CLOSE_WAIT
c3, a3 = client(40003)
c3.close()
time.sleep(0.1)
a3.close()                              # c3 TIME_WAIT (no owner)
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(("127.0.0.1", 5353))             # UDP: no state
uc = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
uc.bind(("127.0.0.1", 40004))
uc.connect(("127.0.0.1", 5353))         # UDP connected: ESTABLISHED
ux = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
ux.bind(os.path.join(d, "s.sock"))
ux.listen(4)
ud = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
ud.bind(os.path.join(d, "d.sock"))
uq = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
uq.bind(os.path.join(d, "q.sock"))
uq.listen(4)
keep += [lis, c1, a1, a2, u, uc, ux, ud, uq]
time.sleep(0.1)
print("ready", flush=True)
select.select([sys.stdin], [], [], 60)
