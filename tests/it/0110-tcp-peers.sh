#!/usr/bin/env bash
# TCP against socat, nc and python3, v4 and v6, both roles, both
# directions; -4/-6; options and globals before or after.
. "$(dirname "$0")/lib.sh"
need python3
need socat
need nc
plan 17

# socat_port ERRFILE: the port socat -d -d says it listens on
socat_port() {
	local p
	for _ in $(seq 100); do
		p=$(sed -n 's/.*listening on .*:\([0-9][0-9]*\)$/\1/p' "$1" | head -1)
		[ -n "$p" ] && { echo "$p"; return 0; }
		sleep 0.05
	done
	return 1
}
# listening PORT: something listens on PORT (TCP, any loopback)
listening() { ss -Hltn "sport = :$1" | grep -q .; }

printf 'from-sock\n' > "$T/s.in"
printf 'from-peer\n' > "$T/p.in"

# 1-2: sock listen, socat and nc as clients, both directions
listen_bg s1 tcp://127.0.0.1:0 < "$T/s.in"
out=$(timeout -k 2 10 socat -t 5 - "TCP:127.0.0.1:$port" < "$T/p.in")
wait_exit $lpid 5
check "listen <- socat: both directions, exit 0" served s1

listen_bg s2 tcp://127.0.0.1:0 < "$T/s.in"
out=$(timeout -k 2 10 nc -N 127.0.0.1 "$port" < "$T/p.in")
wait_exit $lpid 5
check "listen <- nc -N: both directions, exit 0" served s2

# 3-4: sock connect, socat and nc as servers
bg sh -c "exec socat -d -d -t 5 TCP-LISTEN:0,bind=127.0.0.1 - < '$T/p.in' > '$T/p3.out' 2> '$T/p3.err'"
port=$(socat_port "$T/p3.err")
connect_to 10 "$T/p3.out" "tcp://127.0.0.1:$port" < "$T/s.in"
check "connect -> socat: both directions, exit 0" reached "$T/p3.out"

port=$(free_port tcp)
bg sh -c "exec nc -N -l 127.0.0.1 $port < '$T/p.in' > '$T/p4.out'"
wait_for listening "$port"
connect_to 10 "$T/p4.out" "127.0.0.1:$port" < "$T/s.in"
check "connect -> nc -l: both directions, exit 0" reached "$T/p4.out"

# 5-6: IPv6 with socat and nc
listen_bg s5 'tcp://[::1]:0' < "$T/s.in"
out=$(timeout -k 2 10 socat -t 5 - "TCP6:[::1]:$port" < "$T/p.in")
wait_exit $lpid 5
check "v6 listen <- socat: both directions" served s5

port=$(free_port tcp6)
bg sh -c "exec nc -6 -N -l ::1 $port < '$T/p.in' > '$T/p6.out'"
wait_for listening "$port"
connect_to 10 "$T/p6.out" "tcp6://[::1]:$port" < "$T/s.in"
check "v6 connect -> nc -6 -l: both directions" reached "$T/p6.out"

# 7: 4 MB each way between sock listen and socat, checksummed
head -c 4000000 /dev/urandom > "$T/b1"
head -c 4000000 /dev/urandom > "$T/b2"
bg sh -c "exec \"$SOCK\" -v listen tcp://127.0.0.1:0 < '$T/b1' > '$T/b2.out' 2> '$T/s7.err'"
lpid=$!
port=$(wait_port "$T/s7.err")
timeout -k 2 20 socat -t 10 - "TCP:127.0.0.1:$port" < "$T/b2" > "$T/b1.out"
wait_exit $lpid 10
check "4 MB each way with socat, byte-exact" \
	test "$(sha256sum < "$T/b1")$(sha256sum < "$T/b2")" = \
	"$(sha256sum < "$T/b1.out")$(sha256sum < "$T/b2.out")"

# 8: 4 MB from sock connect into nc -l, byte-exact
port=$(free_port tcp)
bg sh -c "exec nc -l 127.0.0.1 $port < /dev/null > '$T/b8.out'"
npid=$!
wait_for listening "$port"
timeout -k 2 20 "$SOCK" connect "127.0.0.1:$port" < "$T/b1" > /dev/null
wait_exit $npid 10
check "4 MB connect -> nc, byte-exact" cmp -s "$T/b1" "$T/b8.out"

# 9-10: -6 and -4 force the family of a name (localhost is both, in a
# private mount namespace with our own /etc/hosts)
printf '::1 localhost\n127.0.0.1 localhost\n' > "$T/hosts"
v6only=$(free_port tcp6 --v6only)
if timeout -k 2 5 unshare -rm sh -c "mount --bind '$T/hosts' /etc/hosts" 2>/dev/null; then
	bg sh -c "echo v6 | exec \"$SOCK\" -v -6 listen tcp://[::1]:$v6only > /dev/null 2> '$T/s9.err'"
	wait_port "$T/s9.err" > /dev/null
	out=$(timeout -k 2 10 unshare -rm sh -c "mount --bind '$T/hosts' /etc/hosts &&
		exec \"$SOCK\" -6 connect tcp://localhost:$v6only" < /dev/null)
	check "sock -6 connect tcp://localhost reaches a v6-only listener" \
		test "$out" = "v6"
	out=$(timeout -k 2 10 unshare -rm sh -c "mount --bind '$T/hosts' /etc/hosts &&
		exec \"$SOCK\" connect -4 tcp://localhost:$v6only" < /dev/null 2>&1)
	check "-4 (after the subcommand) does not reach the v6-only listener" \
		sh -c "echo '$out' | grep -qi 'refused'"
else
	ok 0 "sock -6 connect tcp://localhost # SKIP unshare -rm not permitted"
	ok 0 "-4 does not reach v6 # SKIP unshare -rm not permitted"
fi

# 11: -4 listen on :0 serves IPv4 only
bg sh -c "exec \"$SOCK\" -4 -v listen :0 < /dev/null > /dev/null 2> '$T/s11.err'"
port=$(wait_port "$T/s11.err")
timeout -k 2 5 "$SOCK" connect "tcp://[::1]:$port" < /dev/null 2> /dev/null
check "-4 listen :0 refuses IPv6 clients (exit 1)" test $? -eq 1

# 12: listen :PORT (no host) serves IPv4 and IPv6
bg sh -c "exec \"$SOCK\" -v listen -k :0 < /dev/null > '$T/s12.out' 2> '$T/s12.err'"
port=$(wait_port "$T/s12.err")
# (stdin files: the data is there before the listener's EOF can be)
echo four > "$T/four"
echo six > "$T/six"
timeout -k 2 5 "$SOCK" connect "127.0.0.1:$port" < "$T/four" 2> "$T/c12.err"
timeout -k 2 5 "$SOCK" connect "tcp://[::1]:$port" < "$T/six" 2>> "$T/c12.err"
wait_for grep -q six "$T/s12.out"
check "listen :PORT serves both IPv4 and IPv6" \
	test "$(cat "$T/s12.out")|$(cat "$T/c12.err")" = "$(printf 'four\nsix')|"

# 13-14: options and globals after the endpoint
bg sh -c "exec \"$SOCK\" listen tcp://127.0.0.1:0 -v < '$T/s.in' > /dev/null 2> '$T/s13.err'"
port=$(wait_port "$T/s13.err")
check "-v after listen's endpoint prints the port" test -n "$port"
out=$(timeout -k 2 10 "$SOCK" connect "127.0.0.1:$port" -w 5 --trace < /dev/null 2> "$T/c13.err")
check "-w and --trace after connect's endpoint work" \
	sh -c "test '$out' = from-sock && grep -q '^connect(' '$T/c13.err'"

# 15: python3 v6 client of sock listen, both directions
listen_bg s15 'tcp://[::1]:0' < "$T/s.in"
out=$(timeout -k 2 10 python3 "$PEER" connect "[::1]:$port" --send 'from-peer\n' --shut-wr --print data)
wait_exit $lpid 5
check "v6 listen <- python3: both directions" served s15

# 16: bad flags exit 2
rc=
"$SOCK" connect --no-such-flag 127.0.0.1:1 2> /dev/null; rc=$rc$?
"$SOCK" listen -Z :0 2> /dev/null; rc=$rc$?
"$SOCK" connect -w soon 127.0.0.1:1 2> /dev/null; rc=$rc$?
"$SOCK" connect 127.0.0.1:1 127.0.0.1:2 2> /dev/null; rc=$rc$?
"$SOCK" listen 2> /dev/null; rc=$rc$?
check "bad flags and argument counts exit 2" test "$rc" = 22222

# 17: the client half-closes at once; the listener's stdin comes later
# and must still reach it (the late reply, server side)
bg sh -c "(sleep 0.5; echo late-from-server) | exec \"$SOCK\" -v listen tcp://127.0.0.1:0 > /dev/null 2> '$T/s17.err'"
port=$(wait_port "$T/s17.err")
out=$(timeout -k 2 10 "$SOCK" connect "127.0.0.1:$port" < /dev/null)
check "listener sends stdin after the client's half-close" \
	test "$out" = late-from-server
done_testing
