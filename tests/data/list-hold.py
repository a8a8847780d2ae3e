# tests/data/list-hold.py DIR - hold a known set of sockets for the
# sock list tests (run inside a private network namespace): prints
# "ready" and keeps them open until stdin closes (at most 60 s).
import os, select, socket, sys

d = sys.argv[1]
keep = []

def tcp(family, addr, port, v6only=None):
    s = socket.socket(family, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if v6only is not None:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, v6only)
    s.bind((addr, port))
    s.listen(16)
    keep.append(s)
    return s

lis = tcp(socket.AF_INET, "0.0.0.0", 8080)
tcp(socket.AF_INET6, "::", 8081, 0)                 # dual-stack
tcp(socket.AF_INET6, "::1", 8082, 1)                # v6 only
tcp(socket.AF_INET6, "fd00:1234:5678:9abc:def0:1234:5678:9abc", 18082, 1)
for fam, addr, port in ((socket.AF_INET, "127.0.0.1", 5353),
                        (socket.AF_INET6, "::", 5354)):
    u = socket.socket(fam, socket.SOCK_DGRAM)
    u.bind((addr, port))
    keep.append(u)
uc = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
uc.connect(("127.0.0.1", 5353))
c = socket.create_connection(("127.0.0.1", 8080))
a, _ = lis.accept()
c.send(b"hello")                                    # Recv-Q 5 on a
ux = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
ux.bind(os.path.join(d, "stream.sock"))
ux.listen(4)
ud = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
ud.bind(os.path.join(d, "dgram.sock"))
ab = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
ab.bind("\0sock-list-test")
ab.listen(4)
uxc = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
uxc.connect(os.path.join(d, "stream.sock"))
uxa, _ = ux.accept()
pair = socket.socketpair()
keep += [uc, c, a, ux, ud, ab, uxc, uxa, *pair]
print("ready", flush=True)
select.select([sys.stdin], [], [], 60)
