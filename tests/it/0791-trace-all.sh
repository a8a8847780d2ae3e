#!/usr/bin/env bash
# --trace shows every socket call, the relay's and `sock list`'s data calls
# included: recvmmsg/sendmmsg of a UDP relay, splice of a stream relay,
# the netlink socket of sock_diag; and `make lint` (tests/lint-syscalls.sh)
# fails on a raw socket call in lib/ outside lib/sys.c.
. "$(dirname "$0")/lib.sh"
need python3
plan 13
LINT=$(cd "$(dirname "$0")/.." && pwd)/lint-syscalls.sh
LIB=$(cd "$(dirname "$0")/../../lib" && pwd)

# in_order FILE PATTERN...: each extended regex matches a line of FILE,
# in the order given (other lines may come between)
in_order() {
	local f=$1; shift
	PATS="$(printf '%s\n' "$@")" awk '
		BEGIN { n = split(ENVIRON["PATS"], p, "\n"); i = 1 }
		i <= n && $0 ~ p[i] { i++ }
		END { exit !(i > n) }' "$f"
}

# 1-3: a UDP relay: its batches of datagrams are traced and folded
rpeer_bg echo udp-serve 127.0.0.1:0 --mode echo
relay_bg u --trace udp://127.0.0.1:0 "udp://127.0.0.1:$at"
cport=$(free_port udp)
timeout -k 2 10 python3 "$RPEER" --timeout 2 udp-ask "127.0.0.1:$rport" \
	--bind "127.0.0.1:$cport" --send hello --repeat 10 --gap 0.01 > /dev/null
lfd=$(sed -n 's/^bind(\([0-9]*\), 127\.0\.0\.1:0) = 0$/\1/p' "$T/u.err" | head -1)
check "UDP relay: recvmmsg on FROM names the new client, then sendmmsg towards TO" \
	in_order "$T/u.err" \
	"^recvmmsg\\($lfd, [0-9]+ msgs\\) = 1 from 127\\.0\\.0\\.1:$cport\$" \
	'^socket\(AF_INET, SOCK_DGRAM\|SOCK_NONBLOCK\|SOCK_CLOEXEC, IPPROTO_UDP\) = [0-9]+$' \
	'^sendmmsg\([0-9]+, 1 msg\) = 1$'
check "UDP relay: the reply comes back through recvmmsg and sendmmsg to the client" \
	in_order "$T/u.err" "^recvmmsg\\([0-9]+, [0-9]+ msgs\\) = 1\$" \
	"^sendmmsg\\($lfd, 1 msg\\) = 1\$"
wait_secs 5 grep -q '^\.\.\. [0-9]* more recvmmsg' "$T/u.err"
check "UDP relay: 10 datagrams each way, the rest folded ('... N more recvmmsg($lfd) calls folded')" \
	grep -Eq "^\\.\\.\\. [0-9]+ more recvmmsg\\($lfd\\) calls folded, [0-9]+ bytes\$" "$T/u.err"
diag "$(grep -E 'mmsg|folded' "$T/u.err" | head -8 | tr '\n' '|')"
stop $rpid

# 4-6: a stream relay in splice mode: splice both ways, folded per
# socket and direction, each summary before that socket's shutdown
bg sh -c "exec \"$SOCK\" -v listen -d tcp://127.0.0.1:0 < /dev/null > '$T/sink.out' 2> '$T/sink.err'"
sport=$(wait_port "$T/sink.err")
relay_bg s --trace --io splice tcp://127.0.0.1:0 "tcp://127.0.0.1:$sport"
head -c 3000000 /dev/zero > "$T/zero"
timeout -k 2 10 "$SOCK" connect "127.0.0.1:$rport" < "$T/zero" > /dev/null
wait_for grep -q '^close(' "$T/s.err"
cfd=$(sed -n 's/^accept4([0-9]*) = \([0-9]*\) peer .*/\1/p' "$T/s.err" | head -1)
tfd=$(sed -n 's/^connect(\([0-9]*\), .*/\1/p' "$T/s.err" | head -1)
check "splice relay: 'splice($cfd -> pipe N, SIZE) = BYTES' from the client" \
	grep -Eq "^splice\\($cfd -> pipe [0-9]+, [0-9]+\\) = [1-9][0-9]*\$" "$T/s.err"
check "splice relay: 'splice(pipe N -> $tfd, SIZE) = BYTES' towards TO" \
	grep -Eq "^splice\\(pipe [0-9]+ -> $tfd, [0-9]+\\) = [1-9][0-9]*\$" "$T/s.err"
check "splice relay: 3 MB folded, each summary before its socket's shutdown" \
	in_order "$T/s.err" \
	"^\\.\\.\\. [0-9]+ more splice\\(pipe -> $tfd\\) calls folded, [0-9]+ bytes\$" \
	"^shutdown\\($tfd, SHUT_WR\\) = 0\$" \
	"^\\.\\.\\. [0-9]+ more splice\\($cfd -> pipe\\) calls folded, [0-9]+ bytes\$" \
	"^shutdown\\($cfd, SHUT_WR\\) = 0\$"
diag "$(grep -E 'splice|shutdown' "$T/s.err" | tail -6 | tr '\n' '|')"
stop $rpid

# 7-9: sock list: the sock_diag socket, its dump request and replies,
# in a network namespace of its own (its sockets only)
cat > "$T/many.py" <<'PY'
import resource, socket, sys, time
n = int(sys.argv[1])
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
if hard != resource.RLIM_INFINITY and hard < n + 64:
    n = hard - 64
resource.setrlimit(resource.RLIMIT_NOFILE, (n + 64, hard))
keep = []
for _ in range(n):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    keep.append(s)
print(n, flush=True)
time.sleep(10)
PY
if timeout -k 2 5 unshare -rn true 2> /dev/null; then
	timeout -k 2 10 unshare -rn "$SOCK" --trace list -tan > /dev/null 2> "$T/l.err"
	nfd=$(sed -n 's/^socket(AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, NETLINK_SOCK_DIAG) = \([0-9]*\)$/\1/p' "$T/l.err" | head -1)
	check "sock --trace list -tan: socket(AF_NETLINK, ..., NETLINK_SOCK_DIAG), bind, close" \
		in_order "$T/l.err" \
		'^socket\(AF_NETLINK, SOCK_RAW\|SOCK_CLOEXEC, NETLINK_SOCK_DIAG\) = [0-9]+$' \
		"^bind\\($nfd, netlink:0\\) = 0\$" "^close\\($nfd\\) = 0\$"
	check "sock --trace list -tan: sendmsg of the dump request, recvmsg of the replies" \
		in_order "$T/l.err" \
		"^sendmsg\\($nfd, [0-9]+, netlink:0\\) = [0-9]+\$" \
		"^recvmsg\\($nfd, [0-9]+\\) = [0-9]+\$" "^close\\($nfd\\) = 0\$"
	# 1000 UDP sockets take more than 3 replies: folded
	timeout -k 2 20 unshare -rn sh -c "python3 '$T/many.py' 1000 > '$T/many.out' &
		for i in \$(seq 100); do [ -s '$T/many.out' ] && break; sleep 0.05; done
		\"$SOCK\" --trace list -uan > /dev/null 2> '$T/lu.err'; kill \$!"
	diag "$(cat "$T/many.out") UDP sockets: $(grep -E 'msg|folded' "$T/lu.err" | tail -3 | tr '\n' '|')"
	check "sock --trace list -uan, 1000 sockets: the replies folded like other data calls" \
		in_order "$T/lu.err" "^recvmsg\\([0-9]+, [0-9]+\\) = [0-9]+\$" \
		"^\\.\\.\\. [0-9]+ more recvmsg\\([0-9]+\\) calls folded, [0-9]+ bytes\$" \
		'^close\([0-9]+\) = 0$'
else
	for d in "socket(AF_NETLINK), bind, close" "sendmsg, recvmsg" "recvmsg folded"; do
		ok 0 "sock --trace list: $d # SKIP unshare -rn not permitted here"
	done
fi

# 10-13: the lint, on a copy of lib/
mkdir "$T/lib"
cp "$LIB"/*.c "$LIB"/*.h "$T/lib/"
check "lint: lib/ as it is passes" bash "$LINT" "$T/lib"
cat >> "$T/lib/forward.c" <<'C'
/* a comment may say send(fd, buf) or recvmmsg() */
static const char *planted_text = "splice(a, b)";
static int planted_ok(struct planted *p) { return p->ops->send(p, 0) + p->recv(0); }
static int planted(int fd) { return setsockopt(fd, 1, 2, 0, 0); }
C
line=$(wc -l < "$T/lib/forward.c")
bash "$LINT" "$T/lib" > "$T/lint.out" 2>&1
rc=$?
diag "$(tr '\n' '|' < "$T/lint.out")"
check "lint: a planted raw setsockopt() fails it (exit 1, got $rc)" test "$rc" = 1
check "lint: the offending file:line is named ($T/lib/forward.c:$line)" \
	grep -q "^$T/lib/forward.c:$line: .*setsockopt" "$T/lint.out"
check "lint: comments, strings and member calls (ops->send) are not flagged" \
	test "$(grep -c "^$T/lib/" "$T/lint.out")" = 1
done_testing
