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
	rm -rf "$T"
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
	for _ in $(seq 100); do
		p=$(sed -n 's/.*listening on .*:\([0-9][0-9]*\) (.*/\1/p' "$1" 2>/dev/null | head -1)
		[ -n "$p" ] && { echo "$p"; return 0; }
		sleep 0.05
	done
	return 1
}

# wait_for COND...: retry a command for up to 5 s
wait_for() {
	for _ in $(seq 100); do "$@" && return 0; sleep 0.05; done
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

# python_free_port KIND: a port the kernel just gave out (tcp or udp)
free_port() {
	python3 -c 'import socket,sys
s=socket.socket(socket.AF_INET, socket.SOCK_STREAM if sys.argv[1]=="tcp" else socket.SOCK_DGRAM)
s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' "$1"
}

done_testing() { exit $_failed; }
