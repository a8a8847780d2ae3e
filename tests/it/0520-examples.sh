#!/usr/bin/env bash
# examples/: each program against its partner and against sock itself,
# on loopback (the programs are built by `make examples`).
. "$(dirname "$0")/lib.sh"
BUILD=${BUILD:-$(cd "$(dirname "$0")/../.." && pwd)/build}
E=$BUILD/examples
for p in tcp_echo_server tcp_echo_client udp_echo_server udp_echo_client \
	unix_stream_pair trace_demo; do
	[ -x "$E/$p" ] || skip_all "examples not built ($E/$p): run make examples"
done
plan 12

# 1-3: TCP echo: the example client, then sock connect, then the server
# exits 0 after its COUNT of 2 clients
bg sh -c "exec '$E/tcp_echo_server' tcp://127.0.0.1:0 2 > '$T/ts.out' 2>&1"
spid=$!
port=$(wait_port "$T/ts.out")
out=$(timeout -k 2 5 "$E/tcp_echo_client" "127.0.0.1:$port" "hello there")
check "tcp_echo_client gets its line back" test "$out" = "hello there"
out=$(printf 'one\ntwo\n' | timeout -k 2 5 "$SOCK" connect "127.0.0.1:$port")
check "sock connect to tcp_echo_server" test "$out" = "$(printf 'one\ntwo')"
wait_exit $spid 5
check "tcp_echo_server served 2 clients, exit 0" \
	test "$st|$(grep -c done "$T/ts.out")" = "0|2"

# 4: the example client against sock listen (a reply after SHUT_WR)
bg sh -c "echo from-sock | exec \"$SOCK\" -v listen tcp://127.0.0.1:0 > '$T/sl.out' 2> '$T/sl.err'"
port=$(wait_port "$T/sl.err")
out=$(timeout -k 2 5 "$E/tcp_echo_client" "127.0.0.1:$port" "to-sock")
check "tcp_echo_client against sock listen, both directions" \
	test "$out|$(cat "$T/sl.out")" = "from-sock|to-sock"

# 5-7: UDP echo: three datagrams stay three; sock connect udp://
bg sh -c "exec '$E/udp_echo_server' udp://127.0.0.1:0 4 > '$T/us.out' 2>&1"
spid=$!
port=$(wait_port "$T/us.out")
out=$(timeout -k 2 5 "$E/udp_echo_client" "udp://127.0.0.1:$port" one two three)
check "udp_echo_client: three datagrams, three replies" test "$out" = \
	"$(printf 'reply 1 (3 bytes): one\nreply 2 (3 bytes): two\nreply 3 (5 bytes): three')"
out=$(printf 'x\n' | timeout -k 2 5 "$SOCK" connect --idle 0.5 "udp://127.0.0.1:$port")
check "sock connect udp:// to udp_echo_server" test "$out" = "x"
wait_exit $spid 5
check "udp_echo_server saw 3+5+3+2 bytes, exit 0" test "$st|$(sed -n 's/ bytes from.*//p' "$T/us.out" | tr '\n' ' ')" = "0|3 3 5 2 "

# 8: nobody on the port: a connected UDP socket reports ECONNREFUSED
port=$(free_port udp)
timeout -k 2 5 "$E/udp_echo_client" "udp://127.0.0.1:$port" x > /dev/null 2>&1
check "udp_echo_client to a closed port exits 1" test $? -eq 1

# 9-10: Unix stream pair, abstract name and a socket file (removed after)
out=$(timeout -k 2 5 "$E/unix_stream_pair" 2>&1)
check "unix_stream_pair (abstract): ping/pong, client unnamed" \
	test "$?|$(echo "$out" | grep -c -e '^client: got "pong (you said ping)"' -e '^client: connected; my address: (unnamed)')" = "0|2"
out=$(timeout -k 2 5 "$E/unix_stream_pair" "unix:$T/pair.sock" 2>&1)
rc=$?
[ -e "$T/pair.sock" ]; gone=$?
check "unix_stream_pair (path): socket file shown, then removed" \
	test "$rc|$(echo "$out" | grep -c 'pair.sock is a file: socket? yes')|$gone" = "0|1|1"

# 11: trace_demo prints the workflow in order, and the refused connect
out=$(timeout -k 2 5 "$E/trace_demo" 2>&1 | sed -n 's/^trace: \([a-z0-9]*\)(.*/\1/p' | tr '\n' ' ')
check "trace_demo: the Berkeley workflow in order" test "$out" = \
	"getaddrinfo socket setsockopt bind listen getsockname getaddrinfo socket connect getsockname getpeername accept4 getsockname shutdown close close close getaddrinfo socket connect close "
# 12: usage errors exit 2, a refused connect exits 1
rc=""
"$E/tcp_echo_client" > /dev/null 2>&1; rc+=$?
"$E/tcp_echo_client" "tcp://127.0.0.1:99999" > /dev/null 2>&1; rc+=$?
"$E/tcp_echo_client" "127.0.0.1:$(free_port tcp)" > /dev/null 2>&1; rc+=$?
check "exit status 2 (usage), 2 (bad endpoint), 1 (refused)" test "$rc" = "221"
done_testing
