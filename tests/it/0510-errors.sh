#!/usr/bin/env bash
# Runtime errors in plain words: one line naming the endpoint, the cause
# and what it usually means; exit status 1.  (Bad endpoints, status 2,
# are covered with the grammar tests.)
. "$(dirname "$0")/lib.sh"
need python3
plan 8

# expect_fail DESC PATTERN COMMAND...: status 1, one stderr line matching
expect_fail() {
	local desc=$1 pat=$2; shift 2
	"$@" < /dev/null > /dev/null 2> "$T/err"
	local rc=$?
	if [ $rc -eq 1 ] && [ "$(wc -l < "$T/err")" -eq 1 ] && grep -Eq "$pat" "$T/err"; then
		ok 0 "$desc"
	else
		ok 1 "$desc"; diag "rc=$rc: $(cat "$T/err")"
	fi
}

dead=$(free_port tcp)
expect_fail "refused: names the endpoint and says nothing listens" \
	"^sock: connect to 127\\.0\\.0\\.1:$dead: Connection refused: nothing is listening at that address and port$" \
	timeout -k 2 5 "$SOCK" connect "127.0.0.1:$dead"

bg sh -c "exec \"$SOCK\" -v listen tcp://127.0.0.1:0 < /dev/null > /dev/null 2> '$T/l.err'"
lpid=$!
port=$(wait_port "$T/l.err")
expect_fail "address in use: says another socket is bound there, and which process" \
	"^sock: listen on 127\\.0\\.0\\.1:$port: Address already in use: another socket is already bound to that address \\(held by $lpid/sock\\)$" \
	timeout -k 2 5 "$SOCK" listen "127.0.0.1:$port"

expect_fail "no such Unix socket: says nothing exists at the path" \
	"^sock: connect to unix:$T/none\\.sock: No such file or directory: no socket exists at that path$" \
	timeout -k 2 5 "$SOCK" connect "unix:$T/none.sock"

# a port below 1024 as an unprivileged user
if nobody_sock; then
	expect_fail "permission denied below 1024: says why" \
		"Permission denied: permission denied: ports below 1024 need root" \
		"${AS_NOBODY[@]}" timeout -k 2 5 "$NOBODY_SOCK" listen tcp://127.0.0.1:81
else
	ok 0 "permission denied below 1024 # SKIP $why"
fi

# reset by peer: python3 closes with SO_LINGER 0, which sends a RST
cat > "$T/rst.py" <<'PY'
import socket, struct, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
print(s.getsockname()[1], flush=True)
c, _ = s.accept()
c.recv(10)
c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
c.close()
PY
bg python3 "$T/rst.py" > "$T/rst.port"
wait_for test -s "$T/rst.port"
# stdin stays open a while, so that only the reset can end the client
{ printf 'x'; sleep 2; } | timeout -k 2 5 "$SOCK" connect "127.0.0.1:$(cat "$T/rst.port")" > /dev/null 2> "$T/err"
rc=$?
check "reset by peer: status 1 and 'closed the connection abruptly'" \
	eval '[ $rc -eq 1 ] && grep -q "Connection reset by peer: the other side closed the connection abruptly" "$T/err"'

# the Unix path exists and is a regular file: refused, file untouched
echo precious > "$T/file"
expect_fail "regular file at a Unix path: refused, says it is not a socket" \
	"^sock: listen on unix:$T/file: .*the path exists and is not a socket" \
	timeout -k 2 5 "$SOCK" listen "unix:$T/file"
check "the regular file is untouched" test "$(cat "$T/file")" = precious

# a name that does not resolve: inside a private network namespace, so
# that no query leaves the machine
if unshare -rn true 2>/dev/null; then
	expect_fail "resolver failure: plain words about the name" \
		"^sock: connect to no-such-host\\.invalid:80: .*: (host not found|the name server did not answer)" \
		unshare -rn timeout -k 2 10 "$SOCK" connect no-such-host.invalid:80
else
	ok 0 "resolver failure # SKIP unshare -rn unavailable"
fi
done_testing
