# tests/it/lib.sh - TAP helpers for the integration tests (sourced).
#
# Every test runs against the built binary ($SOCK), on loopback only,
# with every wait bounded; it kills only the processes it started
# (their pids are in PIDS) and removes its scratch directory ($T).

SOCK=${SOCK:-$(cd "$(dirname "$0")/../.." && pwd)/build/sock}
T=$(mktemp -d /tmp/sock-it.XXXXXX)
PIDS=()
_n=0
_failed=0

_cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${PIDS[@]}"; do
		# bounded: a process that ignores TERM gets KILL after 2 s
		for _ in $(seq 20); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$p" 2>/dev/null
	done
	rm -rf "$T" ${NOBODY_DIR:+"$NOBODY_DIR"}
}
trap _cleanup EXIT

plan() { echo "1..$1"; }
skip_all() { echo "1..0 # SKIP $*"; exit 0; }
need() { command -v "$1" >/dev/null 2>&1 || skip_all "$1 not installed"; }

# ok STATUS DESCRIPTION
ok() {
	_n=$((_n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $_n - $2"; else echo "not ok $_n - $2"; _failed=1; fi
}
# check DESCRIPTION COMMAND...: ok when the command succeeds
check() { local d=$1; shift; if "$@"; then ok 0 "$d"; else ok 1 "$d"; fi; }
# diag TEXT: a TAP comment (shown by prove -v)
diag() { echo "# $*"; }

# bg COMMAND...: start in the background, remember the pid in $! and PIDS
bg() { "$@" & PIDS+=($!); }

# wait_port FILE: the port from sock -v's "listening on ADDR:PORT" line
wait_port() {
	local p
	for _ in $(seq 300); do
		p=$(sed -n 's/.*listening on .*:\([0-9][0-9]*\) (.*/\1/p' "$1" 2>/dev/null | head -1)
		[ -n "$p" ] && { echo "$p"; return 0; }
		sleep 0.05
	done
	return 1
}

# wait_for COND...: retry a command for up to 15 s
# (the condition's stderr is dropped: a file it reads may not exist yet;
# 15 s: a program can take seconds to start on a loaded 2-core machine)
wait_for() {
	for _ in $(seq 300); do "$@" 2> /dev/null && return 0; sleep 0.05; done
	return 1
}

# wait_exit PID [SECONDS]: wait for a background pid of this shell; sets
# $st to its exit status, or to "timeout".  (Not in $(...): a subshell
# cannot wait for its parent's children.)
wait_exit() {
	local pid=$1 secs=${2:-10}
	st=timeout
	for _ in $(seq $((secs * 20))); do
		if ! kill -0 "$pid" 2>/dev/null; then
			wait "$pid"; st=$?; return 0
		fi
		sleep 0.05
	done
	return 1
}

# hold_stdin FIFO: a fifo whose writer stays open (for 60 s), so that a
# reader of it never sees EOF; prints nothing
hold_stdin() {
	mkfifo "$1"
	bg sh -c "exec sleep 60 > '$1'"
}

# ---- running sock as user nobody (0401, 0510) ------------------------
AS_NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)
# nobody_sock: sets NOBODY_SOCK to a copy of $SOCK that user nobody can
# run: the build may sit where nobody cannot reach (a checkout under
# /root, mode 0700), so the copy goes to a fresh directory of /tmp with
# mode 0755.  Returns 1 with the reason in $why (for a SKIP) when we are
# not root, setpriv cannot drop to nobody or nobody cannot run the copy.
nobody_sock() {
	why=
	[ "$(id -u)" = 0 ] || { why="needs root to drop to nobody"; return 1; }
	"${AS_NOBODY[@]}" true 2> /dev/null || { why="setpriv cannot drop to nobody"; return 1; }
	NOBODY_DIR=$(mktemp -d /tmp/sock-nobody.XXXXXX) &&
		chmod 755 "$NOBODY_DIR" && cp "$SOCK" "$NOBODY_DIR/sock" &&
		chmod 755 "$NOBODY_DIR/sock" || { why="cannot copy sock to /tmp"; return 1; }
	"${AS_NOBODY[@]}" "$NOBODY_DIR/sock" --version > /dev/null 2>&1 ||
		{ why="user nobody cannot run a copy of sock in $NOBODY_DIR"; return 1; }
	NOBODY_SOCK=$NOBODY_DIR/sock
}

# PEER: the one python3 program that plays the other end (see peer.py)
PEER=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/peer.py
peer() { python3 "$PEER" "$@"; }

# free_port KIND: a port the kernel just gave out (tcp, udp or tcp6; a
# further --v6only binds the tcp6 one v6-only)
free_port() { peer free-port "$@"; }

# peer_bg NAME ADDR [OPTION...]: start "peer.py listen ADDR OPTION..." in
# the background, its stdout in $T/NAME.out; wait until it is ready; sets
# ppid and at (its first line: the port, or the address it was given)
peer_bg() {
	local name=$1; shift
	bg python3 "$PEER" listen "$@" > "$T/$name.out"
	ppid=$!
	wait_for test -s "$T/$name.out" || return 1
	at=$(head -1 "$T/$name.out")
}

# listen_bg NAME ENDPOINT [OPTION...] < STDIN: start "sock -v listen
# OPTION... ENDPOINT" in the background, its stdout in $T/NAME.out and its
# stderr in $T/NAME.err; wait until it listens; sets lpid, and port for an
# IP endpoint
listen_bg() {
	local name=$1 ep=$2; shift 2
	# (an explicit <&0: a background command's stdin is /dev/null otherwise)
	"$SOCK" -v listen "$@" "$ep" <&0 > "$T/$name.out" 2> "$T/$name.err" &
	lpid=$!
	PIDS+=($lpid)
	wait_for grep -q 'listening on' "$T/$name.err" || return 1
	port=$(sed -n 's/.*listening on .*:\([0-9][0-9]*\) (.*/\1/p' "$T/$name.err" | head -1)
}

# served NAME: after a client of listen_bg NAME (its stdin "from-sock")
# that sent "from-peer": the client printed from-sock ($out), the listener
# printed from-peer and exited 0 ($st)
served() { test "$out|$(cat "$T/$1.out")|$st" = "from-sock|from-peer|0"; }

# connect_to SECONDS PEER_OUT ARG... < STDIN: "sock connect ARG..." within
# SECONDS to a peer server that writes what it gets to PEER_OUT; sets out
# and rc, then waits for PEER_OUT
connect_to() {
	local secs=$1 pout=$2; shift 2
	out=$(timeout -k 2 "$secs" "$SOCK" connect "$@")
	rc=$?
	wait_for test -s "$pout"
}
# reached PEER_OUT [PEER_TEXT]: after connect_to with stdin "from-sock":
# the client printed PEER_TEXT (from-peer) and exited 0, the peer got
# from-sock
reached() { test "$out|$(cat "$1")|$rc" = "${2:-from-peer}|from-sock|0"; }

# both_ways_big LISTEN_EP CONNECT_EP SIZE: SIZE random bytes each way at
# once between "sock listen LISTEN_EP" and "sock connect CONNECT_EP" ({port}
# in it: the listener's port); the data in $T/big1 (client -> server) and
# $T/big2, what arrived in $T/big1.out and $T/big2.out; sets rc (the
# client's exit) and st (the listener's)
both_ways_big() {
	local lep=$1 cep=$2 size=$3
	head -c "$size" /dev/urandom > "$T/big1"
	head -c "$size" /dev/urandom > "$T/big2"
	listen_bg big1 "$lep" < "$T/big2"
	timeout -k 2 30 "$SOCK" connect "${cep//\{port\}/$port}" < "$T/big1" > "$T/big2.out"
	rc=$?
	wait_exit $lpid 10
}
# both_ways_arrived: both of both_ways_big's files arrived byte-exact
both_ways_arrived() { cmp -s "$T/big1" "$T/big1.out" && cmp -s "$T/big2" "$T/big2.out"; }

# ---- sock relay (the 06xx files) ------------------------------------
# RPEER: the peers peer.py does not offer (many connections at once,
# resets, tagged datagram clients...)
RPEER=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/relay_peer.py
rpeer() { python3 "$RPEER" "$@"; }
# rpeer_bg NAME ARG...: relay_peer.py ARG... in the background, stdout in
# $T/NAME.out; waits for its first line; sets rpeer_pid and at (that line)
rpeer_bg() {
	local name=$1; shift
	bg python3 "$RPEER" "$@" > "$T/$name.out"
	rpeer_pid=$!
	wait_for test -s "$T/$name.out" || return 1
	at=$(head -1 "$T/$name.out")
}
relay_up() { grep -qs 'listening on' "$1" || ! kill -0 "$2" 2> /dev/null; }
# relay_bg NAME ARG...: "sock -v relay ARG..." in the background, stderr
# in $T/NAME.err; waits until it listens (or has died); sets rpid, and
# rport for an IP FROM.  WRAP (an array) may hold a command to run sock
# under.
relay_bg() {
	local name=$1; shift
	"${WRAP[@]}" "$SOCK" -v relay "$@" < /dev/null > "$T/$name.rout" 2> "$T/$name.err" &
	rpid=$!
	PIDS+=($rpid)
	rport=
	wait_for relay_up "$T/$name.err" $rpid
	grep -q 'listening on' "$T/$name.err" || return 1
	rport=$(sed -n 's/.*listening on .*:\([0-9][0-9]*\) (.*/\1/p' "$T/$name.err" | head -1)
}
# line_with FILE WORD...: some line of FILE has every WORD (a number must
# stand alone, or follow a colon: a port)
line_with() {
	local f=$1; shift
	awk -v words="$*" 'BEGIN { n = split(words, w, " ") }
		{ line = " " $0 " "; gsub(/[^A-Za-z0-9.:@_-]/, " ", line)
		  for (i = 1; i <= n; i++) if (index(line, " " w[i] " ") == 0 &&
			index(line, ":" w[i] " ") == 0) next
		  found = 1 } END { exit !found }' "$f"
}
# count_with FILE WORD...: how many lines of FILE have every WORD
count_with() {
	local f=$1 n=0 l; shift
	while IFS= read -r l; do
		printf '%s\n' "$l" > "$T/.line"
		line_with "$T/.line" "$@" && n=$((n + 1))
	done < "$f"
	echo $n
}
# max_open FILE: the most connections a relay_peer.py server had at once
max_open() { awk '$1 == "open" && $2 > m { m = $2 } END { print m + 0 }' "$1"; }
# stop PID: end one of our background processes, bounded
stop() { kill "$1" 2> /dev/null; wait_exit "$1" 5; }
# wait_secs SECONDS COMMAND...: like wait_for, for up to SECONDS
wait_secs() {
	local secs=$1; shift
	for _ in $(seq $((secs * 20))); do "$@" 2> /dev/null && return 0; sleep 0.05; done
	return 1
}

done_testing() { exit $_failed; }
