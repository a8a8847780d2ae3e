#!/usr/bin/env bash
# bench/transfer.sh - sock connect/listen as endpoints (stdin -> socket ->
# stdout) against nc and socat, in one run, on loopback.  Prints the
# median time of each and its ratio to socat.  Also sock with --trace on,
# to show what the folded trace costs, and the cost of the trace hook
# when it is off (which is what every run without --trace pays): the
# same sources built with -DSOCK_NO_TRACE, which compiles the hook out.
#
#   SIZE_MB=1024 RUNS=5 bash bench/transfer.sh
set -euo pipefail
SOCK=${SOCK:-$(cd "$(dirname "$0")/.." && pwd)/build/sock}
SIZE_MB=${SIZE_MB:-1024}
RUNS=${RUNS:-5}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
ROOT=$(cd "$(dirname "$0")/.." && pwd)
make -s -C "$ROOT" BUILD=build-notrace \
	CPPFLAGS="-Iinclude -D_GNU_SOURCE -DSOCK_NO_TRACE" build-notrace/sock
NOTRACE=$ROOT/build-notrace/sock

port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

# one_run NAME: time a transfer of SIZE_MB from /dev/zero to /dev/null
# through the named tool pair; prints seconds
one_run() {
	local p; p=$(port)
	case $1 in
	sock|sock-trace) "$SOCK" listen -d "127.0.0.1:$p" > /dev/null & ;;
	sock-notrace) "$NOTRACE" listen -d "127.0.0.1:$p" > /dev/null & ;;
	nc) nc -l 127.0.0.1 "$p" > /dev/null < /dev/null & ;;
	socat) socat -u "TCP-LISTEN:$p,bind=127.0.0.1,reuseaddr" - > /dev/null & ;;
	esac
	local lpid=$!
	for _ in $(seq 100); do
		ss -Htln "sport = :$p" | grep -q . && break; sleep 0.02
	done
	local t0 t1
	t0=$(date +%s.%N)
	case $1 in
	sock) head -c "${SIZE_MB}M" /dev/zero | "$SOCK" connect "127.0.0.1:$p" > /dev/null ;;
	sock-trace) head -c "${SIZE_MB}M" /dev/zero | "$SOCK" --trace connect "127.0.0.1:$p" > /dev/null 2> "$T/trace" ;;
	sock-notrace) head -c "${SIZE_MB}M" /dev/zero | "$NOTRACE" connect "127.0.0.1:$p" > /dev/null ;;
	nc) head -c "${SIZE_MB}M" /dev/zero | nc -N 127.0.0.1 "$p" > /dev/null ;;
	socat) head -c "${SIZE_MB}M" /dev/zero | socat -u - "TCP:127.0.0.1:$p" ;;
	esac
	t1=$(date +%s.%N)
	timeout -k 2 10 tail --pid=$lpid -f /dev/null || kill $lpid 2>/dev/null
	echo "$t1 - $t0" | bc -l
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "transfer of ${SIZE_MB} MiB over 127.0.0.1, median of $RUNS runs"
declare -A med
for tool in socat nc sock sock-notrace sock-trace; do
	for _ in $(seq "$RUNS"); do one_run $tool; done > "$T/$tool"
	med[$tool]=$(median < "$T/$tool")
done
printf '%-12s %10s %10s %12s\n' tool seconds MiB/s "vs socat"
for tool in socat nc sock sock-notrace sock-trace; do
	m=${med[$tool]}
	printf '%-12s %10.3f %10.0f %11.2fx\n' "$tool" "$m" \
		"$(echo "$SIZE_MB / $m" | bc -l)" "$(echo "${med[socat]} / $m" | bc -l)"
done
echo "ratio > 1: faster than socat.  sock-notrace: the trace hook compiled out"
echo "(its gap to sock is the cost of tracing when off); sock-trace: --trace on,"
echo "$(wc -l < "$T/trace") trace lines for the whole transfer."
