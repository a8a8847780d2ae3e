#!/usr/bin/env bash
# --sandbox (tool/sandbox.c, docs/sandbox.md): connect, listen and relay
# keep working once confined (TCP and Unix, the relay's new connections
# to its target, the Unix file removed at exit), while what the mode no
# longer needs is refused: SOCK_SANDBOX_SELFTEST=PATH makes sock try,
# after the sandbox is in place, to open PATH (a readable file outside
# what the options name: Landlock says EACCES), to start a process
# (seccomp: EPERM) and to connect to a TCP port it was not given
# (connect/listen: the socket call is refused; relay: Landlock refuses
# any port but the target's).  Without --sandbox the same calls succeed.
. "$(dirname "$0")/lib.sh"
# LeakSanitizer (an ASan build) stops threads with ptrace from a cloned
# thread at exit, which the sandbox refuses: no leak check in here.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
need python3
plan 15

echo secret > "$T/secret"
ST=(env SOCK_SANDBOX_SELFTEST="$T/secret")
selftest_says() { grep -q "sandbox selftest: $2" "$1"; }

# Landlock may be missing or off: sock then refuses, and says so
echo x | timeout -k 2 10 "$SOCK" --sandbox listen 127.0.0.1:0 \
	> /dev/null 2> "$T/probe" &
ppid_=$!
wait_for grep -q 'listening on\|Landlock' "$T/probe"
if grep -q 'does not offer' "$T/probe"; then
	kill $ppid_ 2> /dev/null
	skip_all "no Landlock here: $(head -1 "$T/probe")"
fi
kill $ppid_ 2> /dev/null; wait $ppid_ 2> /dev/null

# 1-3: listen and connect over TCP, both confined, data both ways
echo from-sock > "$T/fs"
listen_bg l1 127.0.0.1:0 --sandbox < "$T/fs"
peer_out=$(echo from-peer | "${ST[@]}" timeout -k 2 10 "$SOCK" -v --sandbox \
	connect "127.0.0.1:$port" 2> "$T/c1.err")
rc=$?
wait_exit $lpid 10
check "listen and connect confined: data both ways (client rc $rc, listener $st)" \
	test "$peer_out|$(cat "$T/l1.out")|$rc|$st" = "from-sock|from-peer|0|0"
check "both say they are sandboxed" \
	eval 'grep -q "sandboxed (Landlock ABI" "$T/l1.err" && grep -q "sandboxed (Landlock ABI" "$T/c1.err"'
sed 's/^/# /' "$T/c1.err"
check "connect: a file outside is refused (EACCES), no process (EPERM), no new socket (EPERM)" \
	eval 'selftest_says "$T/c1.err" "open $T/secret: EACCES" &&
	      selftest_says "$T/c1.err" "fork: EPERM" &&
	      selftest_says "$T/c1.err" "connect 127.0.0.1:9: EPERM"'

# 4: the same calls without --sandbox succeed (the test can fail)
listen_bg l2 127.0.0.1:0 < "$T/fs"
echo from-peer | "${ST[@]}" timeout -k 2 10 "$SOCK" connect "127.0.0.1:$port" \
	> /dev/null 2> "$T/c2.err"
wait_exit $lpid 10
check "without --sandbox nothing of it is tried" \
	eval '! grep -q selftest "$T/c2.err"'

# 5-7: a Unix listener confined: serves, is refused outside, and still
# removes its socket file
mkdir "$T/run"
"${ST[@]}" "$SOCK" -v --sandbox listen "unix:$T/run/l.sock" \
	< "$T/fs" > "$T/l3.out" 2> "$T/l3.err" &
lpid=$!
PIDS+=($lpid)
wait_for test -S "$T/run/l.sock"
out=$(echo from-peer | timeout -k 2 10 "$SOCK" connect "unix:$T/run/l.sock")
wait_exit $lpid 10
check "unix listen confined: data both ways (listener $st)" \
	test "$out|$(cat "$T/l3.out")|$st" = "from-sock|from-peer|0"
check "unix listen: its socket file is removed (REMOVE_FILE in its directory)" \
	test ! -e "$T/run/l.sock"
check "listen: open EACCES, fork EPERM, socket EPERM" \
	eval 'selftest_says "$T/l3.err" "open $T/secret: EACCES" &&
	      selftest_says "$T/l3.err" "fork: EPERM" &&
	      selftest_says "$T/l3.err" "connect 127.0.0.1:9: EPERM"'

# 8-11: relay confined, TCP to TCP: clients are served one after
# another (a new connection to the target each time); any other port is
# refused by Landlock
rpeer_bg p1 serve 127.0.0.1:0 --mode echo
WRAP=("${ST[@]}")
relay_bg r1 --sandbox "127.0.0.1:0" "127.0.0.1:$at"
WRAP=()
a=$(echo one | timeout -k 2 10 "$SOCK" connect "127.0.0.1:$rport")
b=$(echo two | timeout -k 2 10 "$SOCK" connect "127.0.0.1:$rport")
check "relay confined: two clients relayed ($a, $b)" test "$a|$b" = "one|two"
sed 's/^/# /' "$T/r1.err" | grep selftest
check "relay: open EACCES, fork EPERM" \
	eval 'selftest_says "$T/r1.err" "open $T/secret: EACCES" &&
	      selftest_says "$T/r1.err" "fork: EPERM"'
check "relay: a TCP port other than the target's: EACCES (Landlock)" \
	selftest_says "$T/r1.err" "connect 127.0.0.1:9: EACCES"
stop $rpid
check "relay ends on TERM as usual (status $st)" test "$st" = 0

# 12: relay confined from a Unix path: served, and the file removed at exit
relay_bg r2 --sandbox "unix:$T/run/r.sock" "127.0.0.1:$at"
c=$(echo three | timeout -k 2 10 "$SOCK" connect "unix:$T/run/r.sock")
stop $rpid
check "relay unix->tcp confined: relayed ($c), file removed at exit" \
	eval 'test "$c" = three && test ! -e "$T/run/r.sock"'

# 13: a datagram relay confined: a UDP client's datagram reaches the target
listen_bg u1 udp://127.0.0.1:0 < /dev/null
relay_bg r3 --sandbox udp://127.0.0.1:0 "udp://127.0.0.1:$port"
echo dgram-one | timeout -k 2 10 "$SOCK" connect -w 1 "udp://127.0.0.1:$rport" > /dev/null
wait_for grep -q dgram-one "$T/u1.out"
check "udp relay confined: the datagram arrived" grep -q dgram-one "$T/u1.out"
stop $rpid
stop $lpid

# 14: --sandbox elsewhere is a usage error
timeout -k 2 10 "$SOCK" --sandbox list > /dev/null 2> "$T/u.err"
rc=$?
check "--sandbox with list: exit 2 and says where it applies" \
	eval 'test $rc = 2 && grep -q "connect, listen and relay" "$T/u.err"'
timeout -k 2 10 "$SOCK" --sandbox connect -z 127.0.0.1 9 > /dev/null 2> "$T/z.err"
rc=$?
check "--sandbox with connect -z: exit 2, not a scan left unconfined" \
	eval 'test $rc = 2 && grep -q "cannot go with it" "$T/z.err"'
done_testing
