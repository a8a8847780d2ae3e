#!/usr/bin/env bash
# nc's ways of naming the endpoint: a bare PORT, HOST PORT, -l, -p, -u,
# -U; a bare number for connect is refused with the right spelling.
. "$(dirname "$0")/lib.sh"
need python3
plan 9

# 1: sock listen PORT means :PORT
port=$(free_port tcp)
bg sh -c "exec \"$SOCK\" -v listen $port < /dev/null > '$T/a.out' 2> '$T/a.err'"
apid=$!
wait_for grep -q 'listening on' "$T/a.err"
echo hi | timeout -k 2 5 "$SOCK" connect "127.0.0.1:$port" > /dev/null
wait_exit $apid 5
# the same line as "listen :PORT" prints
want=$(timeout -k 2 1 "$SOCK" -v listen ":$port" < /dev/null 2>&1 | grep -o "listening on .*")
check "listen 8080 listens on :8080 (all addresses)" \
	test "$(grep -o "listening on .*" "$T/a.err")|$(cat "$T/a.out")|$st" = "$want|hi|0"

# 2: nc -l -p PORT
port=$(free_port tcp)
bg sh -c "exec \"$SOCK\" -v listen -l -p $port < /dev/null > '$T/b.out' 2> '$T/b.err'"
bpid=$!
wait_for grep -q 'listening on' "$T/b.err"
echo hi | timeout -k 2 5 "$SOCK" connect "127.0.0.1:$port" > /dev/null
wait_exit $bpid 5
check "listen -l -p PORT serves :PORT" test "$(cat "$T/b.out")|$st" = "hi|0"

# 3: listen HOST PORT and connect HOST PORT (two words)
port=$(free_port tcp)
bg sh -c "exec \"$SOCK\" -v listen 127.0.0.1 $port < /dev/null > '$T/c.out' 2> '$T/c.err'"
cpid=$!
wait_for grep -q 'listening on' "$T/c.err"
echo hi | timeout -k 2 5 "$SOCK" connect localhost "$port" > /dev/null
rc=$?
wait_exit $cpid 5
check "listen HOST PORT and connect HOST PORT" \
	test "$(grep -o "listening on .*" "$T/c.err")|$(cat "$T/c.out")|$rc|$st" = "listening on 127.0.0.1:$port (tcp)|hi|0|0"

# 4: connect PORT is refused, with the spelling that works
timeout -k 2 5 "$SOCK" connect 8080 < /dev/null 2> "$T/d.err"
rc=$?
check "connect 8080: exit 2, hint names localhost:8080" \
	test "$rc|$(grep -c 'localhost:8080' "$T/d.err")|$(wc -l < "$T/d.err")" = "2|1|1"

# 5: -u: connect -u HOST PORT and listen -u PORT speak UDP
port=$(free_port udp)
bg sh -c "exec \"$SOCK\" -v listen -u $port < /dev/null > '$T/e.out' 2> '$T/e.err'"
epid=$!
wait_for grep -q 'listening on' "$T/e.err"
echo dgram | timeout -k 2 5 "$SOCK" connect -u --idle 0.2 127.0.0.1 "$port" > /dev/null
rc=$?
wait_for test -s "$T/e.out"
check "connect -u HOST PORT reaches listen -u PORT (udp)" \
	test "$(grep -c '(udp)' "$T/e.err")|$(cat "$T/e.out")|$rc" = "1|dgram|0"
stop $epid

# 6: -U: a Unix socket path, stream; -uU: datagram
bg sh -c "exec \"$SOCK\" -v listen -U '$T/u.sock' < /dev/null > '$T/f.out' 2> '$T/f.err'"
fpid=$!
wait_for grep -q 'listening on' "$T/f.err"
echo unix | timeout -k 2 5 "$SOCK" connect -U "$T/u.sock" > /dev/null
wait_exit $fpid 5
check "listen -U PATH and connect -U PATH (unix stream)" \
	test "$(grep -c '(unix)' "$T/f.err")|$(cat "$T/f.out")|$st" = "1|unix|0"

bg sh -c "exec \"$SOCK\" -v listen -uU '$T/d.sock' < /dev/null > '$T/g.out' 2> '$T/g.err'"
gpid=$!
wait_for grep -q 'listening on' "$T/g.err"
echo udg | timeout -k 2 5 "$SOCK" connect -uU --idle 0.2 "$T/d.sock" > /dev/null
wait_for test -s "$T/g.out"
check "-uU PATH is a unix-dgram socket" \
	test "$(grep -c '(unix-dgram)' "$T/g.err")|$(cat "$T/g.out")" = "1|udg"
stop $gpid

# 8: -u with an endpoint that has its own scheme is a usage error
timeout -k 2 5 "$SOCK" connect -u unix:/x < /dev/null 2> "$T/h.err"
check "-u with unix:PATH: exit 2, says -u is for HOST:PORT" \
	test "$?|$(grep -c -- "-u turns HOST:PORT into udp://HOST:PORT" "$T/h.err")" = "2|1"

# 9: a word that is not a port after HOST
timeout -k 2 5 "$SOCK" connect 127.0.0.1 '80:81' < /dev/null 2> "$T/i.err"
check "connect HOST 'PORT:JUNK': exit 2, says it is not a port" \
	test "$?|$(grep -c "is not a port" "$T/i.err")" = "2|1"
done_testing
