#!/usr/bin/env bash
# --exec programs end with the listener, however it ends: SIGTERM or
# SIGKILL, with -k or without.  The process between the listener and the
# program and the program itself each ask the kernel for SIGTERM when
# their parent dies (PR_SET_PDEATHSIG).  The socket file of a Unix
# listener is not removed by the in-between process.
. "$(dirname "$0")/lib.sh"
need python3
plan 8

# the client: connect and hold the connection
cat > "$T/client.py" <<'PY'
import socket, sys, time
c = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
time.sleep(60)
PY

# run_case NAME SIGNAL [-k]: a listener running "sh -c 'echo $$ > pidfile;
# exec sleep 60'" for one client, killed by SIGNAL; the program must end
run_case() {
	local name=$1 sig=$2 keep=$3 prog
	"$SOCK" -v listen $keep --exec "sh -c 'echo \$\$ > $T/$name.pid; exec sleep 60'" \
		tcp://127.0.0.1:0 < /dev/null > /dev/null 2> "$T/$name.err" &
	lpid=$!
	PIDS+=($lpid)
	port=$(wait_port "$T/$name.err")
	bg python3 "$T/client.py" "$port"
	wait_for test -s "$T/$name.pid"
	prog=$(cat "$T/$name.pid")
	PIDS+=($prog)
	kill -0 "$prog" 2> /dev/null || return 1
	kill -"$sig" $lpid
	wait_secs 10 sh -c "! kill -0 $prog 2> /dev/null"
}
check "SIGTERM, with -k: the program ends" run_case tk TERM -k
check "SIGKILL, with -k: the program ends" run_case kk KILL -k
check "SIGTERM, without -k: the program ends" run_case t1 TERM
check "SIGKILL, without -k: the program ends" run_case k1 KILL

# no in-between process left either (its pid is the listener's child:
# "started program" names the program; the holder is gone with it)
holders() { pgrep -P "$1" 2> /dev/null | wc -l; }
"$SOCK" -v listen -k --exec "sleep 60" tcp://127.0.0.1:0 < /dev/null 2> "$T/h.err" &
lpid=$!
PIDS+=($lpid)
port=$(wait_port "$T/h.err")
bg python3 "$T/client.py" "$port"
wait_for grep -q 'started program' "$T/h.err"
holder=$(pgrep -P $lpid | head -1)
check "the in-between process runs while the listener does" test -n "$holder"
kill -KILL $lpid
check "SIGKILL: the in-between process ends too" \
	wait_secs 10 sh -c "! kill -0 $holder 2> /dev/null"

# a Unix listener's file: the listener removes it at SIGTERM; the
# in-between process, signalled too, does not touch it before
"$SOCK" -v listen -k --exec "sleep 60" "unix:$T/u.sock" < /dev/null 2> "$T/u.err" &
lpid=$!
PIDS+=($lpid)
wait_for test -S "$T/u.sock"
python3 -c '
import socket, sys, time
c = socket.socket(socket.AF_UNIX); c.connect(sys.argv[1]); time.sleep(60)' "$T/u.sock" &
PIDS+=($!)
wait_for grep -q 'started program' "$T/u.err"
prog=$(sed -n 's/.*started program \([0-9]*\) .*/\1/p' "$T/u.err" | head -1)
kill -TERM $lpid
wait_exit $lpid 10
check "unix: the program ends with the listener" \
	wait_secs 10 sh -c "! kill -0 $prog 2> /dev/null"
check "unix: the listener removed its socket file" test ! -e "$T/u.sock"
done_testing
