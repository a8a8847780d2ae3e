#!/usr/bin/env bash
# --trace: the Berkeley API workflow, in order and decoded, on both sides
# of TCP and UDP; -v: the kernel-chosen port and the byte counts.
. "$(dirname "$0")/lib.sh"
need python3
plan 14

# in_order FILE PATTERN...: each extended regex matches a line of FILE,
# in the order given (other lines may come between)
in_order() {
	local f=$1; shift
	PATS="$(printf '%s\n' "$@")" awk '
		BEGIN { n = split(ENVIRON["PATS"], p, "\n"); i = 1 }
		i <= n && $0 ~ p[i] { i++ }
		END { exit !(i > n) }' "$f"
}

# 1-4: TCP, listen and connect both traced; globals after the subcommand
bg sh -c "printf pong | exec \"$SOCK\" listen --trace -v tcp://127.0.0.1:0 > '$T/l.out' 2> '$T/l.err'"
lpid=$!
port=$(wait_port "$T/l.err")
# (stdin a file, not "printf ping |": ping is there before the listener's
# EOF can be, however late the scheduler runs printf)
printf ping > "$T/ping"
timeout -k 2 5 "$SOCK" --trace connect "127.0.0.1:$port" < "$T/ping" > "$T/c.out" 2> "$T/c.err"
wait_exit $lpid 5
check "listener workflow: socket, setsockopt, bind, listen, accept4, close" \
	in_order "$T/l.err" \
	'^socket\(AF_INET, SOCK_STREAM\|SOCK_CLOEXEC, IPPROTO_TCP\) = 3$' \
	'^setsockopt\(3, SOL_SOCKET, SO_REUSEADDR, 1\) = 0$' \
	'^bind\(3, 127\.0\.0\.1:0\) = 0$' \
	'^listen\(3, [0-9]+\) = 0$' \
	"^accept4\\(3\\) = 4 peer 127\\.0\\.0\\.1:[0-9]+$" \
	'^close\(4\) = 0$'
# data and half-close may interleave either way; each must be there
check "listener data calls: recv of 4 bytes, send, recv EOF, shutdown" \
	in_order "$T/l.err" '^accept4' '^recv\(4, [0-9]+\) = 4$' '^recv\(4, [0-9]+\) = 0$' '^close\(4\)'
check "listener half-close after accept" \
	in_order "$T/l.err" '^accept4' '^send\(4, 4\) = 4$' '^shutdown\(4, SHUT_WR\) = 0$' '^close\(4\)'
check "client workflow: getaddrinfo, socket, connect, send, shutdown, close" \
	in_order "$T/c.err" \
	"^getaddrinfo\\(\"127\\.0\\.0\\.1\", \"$port\"\\) = 127\\.0\\.0\\.1:$port$" \
	'^socket\(AF_INET, SOCK_STREAM\|SOCK_CLOEXEC, IPPROTO_TCP\) = 3$' \
	"^connect\\(3, 127\\.0\\.0\\.1:$port\\) = 0$" \
	'^send\(3, 4\) = 4$' \
	'^shutdown\(3, SHUT_WR\) = 0$' \
	'^close\(3\) = 0$'
# the listener's EOF may come before or after ours
check "client reads the listener's EOF before it closes" \
	in_order "$T/c.err" '^connect' '^recv\(3, [0-9]+\) = 0$' '^close\(3\) = 0$'
check "data still flows with --trace on" test "$(cat "$T/c.out")|$(cat "$T/l.out")" = "pong|ping"
check "-v names the port the kernel chose for port 0" \
	grep -q "listening on 127.0.0.1:$port (tcp)" "$T/l.err"
check "--trace shows getsockname with the port the kernel chose" \
	grep -qx "getsockname(3) = 127.0.0.1:$port" "$T/l.err"

# 5: -v reports the close with byte counts
check "-v reports bytes sent and received at close" \
	grep -Eq "closed tcp://127\.0\.0\.1:[0-9]+: sent 4 bytes, received 4 bytes in [0-9.]+ s" "$T/l.err"

# 6-7: UDP: bind on the listener, recvfrom/sendto with the peer address
hold_stdin "$T/udp.in"
bg sh -c "exec \"$SOCK\" --trace -v listen udp://127.0.0.1:0 < '$T/udp.in' > '$T/u.out' 2> '$T/u.err'"
upid=$!
uport=$(wait_port "$T/u.err")
printf hello | timeout -k 2 5 "$SOCK" --trace connect --idle 0.3 "udp://127.0.0.1:$uport" 2> "$T/uc.err"
check "UDP listener: socket(SOCK_DGRAM), bind, recvfrom with the sender" \
	in_order "$T/u.err" \
	'^socket\(AF_INET, SOCK_DGRAM\|SOCK_CLOEXEC, IPPROTO_UDP\) = 3$' \
	'^bind\(3, 127\.0\.0\.1:0\) = 0$' \
	'^recvfrom\(3, [0-9]+\) = 5 from 127\.0\.0\.1:[0-9]+$'
check "UDP client: socket(SOCK_DGRAM), connect, send, close after the idle time" \
	in_order "$T/uc.err" \
	'^socket\(AF_INET, SOCK_DGRAM\|SOCK_CLOEXEC, IPPROTO_UDP\) = 3$' \
	"^connect\\(3, 127\\.0\\.0\\.1:$uport\\) = 0$" \
	'^send\(3, 5\) = 5$' \
	'^close\(3\) = 0$'
kill $upid

# 8: a refused connect is traced with the errno name and plain words
dead=$(free_port tcp)
timeout -k 2 5 "$SOCK" --trace connect "127.0.0.1:$dead" < /dev/null 2> "$T/r.err"
check "refused connect: '= -1 ECONNREFUSED (nothing is listening ...)'" \
	grep -Eq "^connect\\(3, 127\\.0\\.0\\.1:$dead\\) = -1 ECONNREFUSED \\(nothing is listening at that address and port\\)$" "$T/r.err"

# 9: bulk data calls are folded, the workflow calls are not (python3
# is the sink: it reads to the end, then closes)
head -c 3000000 /dev/zero > "$T/zero"
cat > "$T/sink.py" <<'PY'
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
print(s.getsockname()[1], flush=True)
c, _ = s.accept()
while c.recv(1 << 16): pass
c.close()
PY
bg python3 "$T/sink.py" > "$T/sink.port"
wait_for test -s "$T/sink.port"
bport=$(cat "$T/sink.port")
timeout -k 2 10 "$SOCK" --trace connect "127.0.0.1:$bport" < "$T/zero" 2> "$T/bc.err"
sends=$(grep -c '^send(' "$T/bc.err")
check "3 MB: 3 send lines shown, the rest folded into one summary line ($sends shown)" \
	in_order "$T/bc.err" '^send\(3, ' '^\.\.\. [0-9]+ more send\(3\) calls folded, [0-9]+ bytes$' \
	'^shutdown\(3, SHUT_WR\) = 0$' '^close\(3\) = 0$'
check "no more than 3 send lines for 3 MB" test "$sends" -le 3
done_testing
