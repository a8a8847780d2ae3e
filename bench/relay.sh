#!/usr/bin/env bash
# bench/relay.sh - sock relay against socat and against no relay at all
# (direct), on 127.0.0.1, in one run.  Both ends are bench/relaypeer,
# which checks every byte and every datagram: a relay that loses or
# corrupts data fails here instead of looking fast.  Scenarios:
#
#   1 flow of SIZE_MB (Gbit/s)         target: sock >= 0.90x direct
#   FLOWS concurrent flows x FLOW_KB    target: sock >= 0.85x direct
#   IDLE idle sessions: PSS of the relay, all its processes summed
#                                       target: sock <= 8 MiB
#   short connections/s, 50 in flight   target: sock >= 10x socat (fork)
#   UDP round trips/s, 64-byte datagrams, 32 in flight, from 1 client
#   socket (socat UDP-LISTEN serves a single peer) and from 8 (socat
#   UDP-RECVFROM,fork: one child per datagram)
#                                       target: sock >= 0.5x direct
#
# sock runs once per --io mode (SOCK_IO, default "splice copy"; "default"
# passes no --io).  Without `sock relay` its columns say n/a.  Prints the
# median of RUNS runs; exits 1 if any run failed.  SCENARIOS picks some of
# bulk1 bulkN idle short udp1 udpN (default: all).
#
#   RUNS=3 SIZE_MB=4096 FLOWS=1000 FLOW_KB=4096 IDLE=1000 DURATION=5 \
#       bash bench/relay.sh               # the defaults: 5 min on 2 vCPUs
#   QUICK=1 bash bench/relay.sh           # smoke test, under a minute
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SOCK=${SOCK:-$ROOT/build/sock}
if [ -n "${QUICK:-}" ]; then
	RUNS=${RUNS:-1} SIZE_MB=${SIZE_MB:-512} FLOWS=${FLOWS:-200}
	FLOW_KB=${FLOW_KB:-1024} IDLE=${IDLE:-200} DURATION=${DURATION:-1}
fi
RUNS=${RUNS:-3}
SIZE_MB=${SIZE_MB:-4096}
FLOWS=${FLOWS:-1000}
FLOW_KB=${FLOW_KB:-4096}
IDLE=${IDLE:-1000}
DURATION=${DURATION:-5}
INFLIGHT=50 # short connections at once
UDP_INFLIGHT=32
UDP_PEERS=8
read -r -a SOCK_IO <<< "${SOCK_IO:-splice copy}"
read -r -a SOCK_RELAY_OPTS <<< "${SOCK_RELAY_OPTS:-}"

# relaypeer goes next to $SOCK when that is a build directory of this tree
if [ -z "${RELAYPEER:-}" ]; then
	B=$(realpath -m --relative-to="$ROOT" "$(dirname "$SOCK")")
	case $B in ..* | /*) B=build-bench ;; esac
	make -s -C "$ROOT" BUILD="$B" "$B/bench/relaypeer" || exit 1
	RELAYPEER=$ROOT/$B/bench/relaypeer
fi
command -v socat > /dev/null || { echo "relay.sh: socat not installed (apt-get install socat)" >&2; exit 1; }
# 1000 sessions through a relay: 3000 descriptors and more
ulimit -n "$(ulimit -Hn)"

T=$(mktemp -d /tmp/sock-bench-relay.XXXXXX)
declare -A LIVE # pids started here and not yet reaped
FAILED=0
NOTES=()
T0=$(date +%s)

# stop_pid PID: TERM to it and its children (socat fork), bounded wait,
# then KILL; only pids this script started and has not reaped yet (or
# their children), so never a recycled pid
stop_pid() {
	local p=$1 kids k
	[ -n "${LIVE[$p]:-}" ] || return 0
	kids=$(cat /proc/"$p"/task/*/children 2> /dev/null)
	kill "$p" $kids 2> /dev/null
	for _ in $(seq 30); do kill -0 "$p" 2> /dev/null || break; sleep 0.1; done
	kill -0 "$p" 2> /dev/null && kill -9 "$p"
	wait "$p" 2> /dev/null
	unset "LIVE[$p]"
	for k in $kids; do
		for _ in $(seq 20); do kill -0 "$k" 2> /dev/null || break; sleep 0.1; done
		kill -0 "$k" 2> /dev/null && kill -9 "$k"
	done
	return 0
}
cleanup() {
	local p
	for p in "${!LIVE[@]}"; do stop_pid "$p"; done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

note() { NOTES+=("$*"); }

# free_port tcp|udp: a free port below the ephemeral range (32768-60999
# here), so the thousands of client sockets of this bench cannot take it
# between this check and the relay's bind
free_port() {
	python3 - "$1" << 'PY'
import random, socket, sys
t = socket.SOCK_STREAM if sys.argv[1] == "tcp" else socket.SOCK_DGRAM
for _ in range(500):
    p = random.randrange(20000, 32768)
    s = socket.socket(socket.AF_INET, t)
    try:
        s.bind(("127.0.0.1", p))
    except OSError:
        continue
    print(p)
    break
PY
}

# wait_bound PROTO PORT PID: until something listens on PORT (5 s)
wait_bound() {
	local flag=-Htln
	[ "$1" = udp ] && flag=-Huln
	for _ in $(seq 100); do
		ss $flag "sport = :$2" | grep -q . && return 0
		kill -0 "$3" 2> /dev/null || return 1
		sleep 0.05
	done
	return 1
}

# server MODE: start relaypeer sink or udpecho on a kernel-picked port;
# sets SPORT and SPID
server() {
	"$RELAYPEER" "$1" 0 > "$T/$1.out" 2> "$T/$1.err" &
	SPID=$!
	LIVE[$SPID]=1
	for _ in $(seq 100); do
		SPORT=$(sed -n 's/^port //p' "$T/$1.out")
		[ -n "$SPORT" ] && return 0
		sleep 0.05
	done
	echo "relay.sh: relaypeer $1 did not start" >&2
	exit 1
}

# relay_cmd COL PROTO MANY PORT TARGET: sets RCMD, the relay for column
# COL (socat or sock:IO) from PORT to TARGET; MANY=1: many sessions/peers
relay_cmd() {
	local col=$1 proto=$2 many=$3 p=$4 to=$5 io
	case $col,$proto,$many in
	# fork: a process per session; socat's listen backlog is 5 by default,
	# too few for 1000 connects at once (ListenOverflows, then resets)
	socat,tcp,1) RCMD=(socat -b 262144 "TCP-LISTEN:$p,reuseaddr,bind=127.0.0.1,fork,backlog=4096" "TCP:127.0.0.1:$to") ;;
	socat,tcp,0) RCMD=(socat -b 262144 "TCP-LISTEN:$p,reuseaddr,bind=127.0.0.1" "TCP:127.0.0.1:$to") ;;
	socat,udp,0) RCMD=(socat "UDP-LISTEN:$p,bind=127.0.0.1,reuseaddr" "UDP:127.0.0.1:$to") ;;
	socat,udp,1) RCMD=(socat "UDP-RECVFROM:$p,bind=127.0.0.1,fork" "UDP-SENDTO:127.0.0.1:$to") ;;
	sock:*)
		io=${col#sock:}
		RCMD=("$SOCK" relay)
		[ "$io" = default ] || RCMD+=(--io "$io")
		RCMD+=("${SOCK_RELAY_OPTS[@]}" "$proto://127.0.0.1:$p" "$proto://127.0.0.1:$to") ;;
	esac
}

# start_relay COL PROTO MANY TARGET: sets RPID and RPORT; 1 on failure
start_relay() {
	RPORT=$(free_port "$2")
	relay_cmd "$1" "$2" "$3" "$RPORT" "$4"
	RLOG=$T/relay-${1%%:*}.err
	echo "## ${RCMD[*]}" >> "$RLOG"
	"${RCMD[@]}" 2>> "$RLOG" &
	RPID=$!
	LIVE[$RPID]=1
	wait_bound "$2" "$RPORT" "$RPID"
}

# end_relay COL MANY: stops the relay; 1 (and a note) if sock had died
# already.  socat without fork ends with its one session, or (UDP-LISTEN)
# on the ICMP error once the client is gone: the client judged the run.
end_relay() {
	if ! kill -0 "$RPID" 2> /dev/null; then
		wait "$RPID" 2> /dev/null
		local st=$?
		unset "LIVE[$RPID]"
		[ "$1,$2" = socat,0 ] && return 0
		note "$1: the relay exited during the run (status $st): ${RCMD[*]}"
		return 1
	fi
	stop_pid "$RPID"
}

# cpu_s PID: CPU seconds of PID and its reaped children so far
cpu_s() {
	awk -v hz="$(getconf CLK_TCK)" '{ sub(/.*\) /, "")
		printf "%.2f", ($12 + $13 + $14 + $15) / hz }' /proc/"$1"/stat 2> /dev/null || echo -
}

# fds PID: open descriptors of PID
fds() { ls /proc/"$1"/fd 2> /dev/null | wc -l; }

# check_fds COL BASE SCEN: a sock relay back to its idle descriptor count
# once every session is over (2 s allowed for the closes to arrive); a
# few more are its pool of free pipes, hundreds would be a leak
check_fds() {
	local n
	case $1 in sock:*) ;; *) return 0 ;; esac
	for _ in $(seq 40); do
		n=$(fds "$RPID")
		[ "$n" -le "$2" ] && return 0
		sleep 0.05
	done
	case ${FDS_AFTER[$1]:-} in
	*"$3 +$((n - $2)),"*) ;;
	*) FDS_AFTER[$1]+="$3 +$((n - $2)), " ;;
	esac
	[ $((n - $2)) -gt 40 ] &&
		note "$1: $n descriptors open after the sessions ended, $2 before (leak?): ${RCMD[*]}"
	return 0
}

# pss_kib PID: Pss of PID and all its descendants, KiB
pss_kib() {
	local p
	for p in $(ps -eo pid=,ppid= | awk -v root="$1" '
		{ par[$1] = $2 }
		END { for (p in par) { q = p
			while (q != root && (q in par) && q > 1) q = par[q]
			if (q == root) print p } }'); do
		cat /proc/"$p"/smaps_rollup 2> /dev/null
	done | awk '/^Pss:/ { s += $2 } END { print s + 0 }'
}

# client LABEL TIMEOUT FIELD ARGS...: runs relaypeer ARGS, sets VAL to
# FIELD of its result line, or FAIL (and notes how to reproduce)
client() {
	local label=$1 limit=$2 field=$3 out rc
	shift 3
	out=$(timeout -k 5 "$limit" "$RELAYPEER" "$@" 2> "$T/client.err")
	rc=$?
	VAL=$(sed -n "s/.* $field=\([0-9.]*\).*/\1/p" <<< "$out")
	if [ "$rc" -ne 0 ] || [ -z "$VAL" ]; then
		VAL=FAIL
		note "$label: relaypeer $* -> status $rc: $out $(head -c 600 "$T/client.err" | tr '\n' ' ')${RCMD[*]:+ (relay: ${RCMD[*]})}"
	fi
}

# run_once SCEN COL: one measurement of scenario SCEN through column COL
# (direct, socat or sock:IO); sets VAL
run_once() {
	local scen=$1 col=$2 proto=tcp many=1 target port base
	case $scen in
	bulk1) many=0 ;;
	udp1) proto=udp many=0 ;;
	udpN) proto=udp ;;
	esac
	target=$SINK
	[ "$proto" = udp ] && target=$ECHO
	port=$target
	RCMD=()
	if [ "$col" != direct ]; then
		if ! start_relay "$col" "$proto" "$many" "$target"; then
			note "$col: the relay did not start: ${RCMD[*]}"
			VAL=FAIL
			return
		fi
		port=$RPORT
		base=$(fds "$RPID")
	fi
	local label="$scen $col"
	case $scen in
	bulk1) client "$label" 900 gbps source 127.0.0.1 "$port" $((SIZE_MB << 20)) 1 ;;
	bulkN) client "$label" 900 gbps source 127.0.0.1 "$port" $((FLOW_KB << 10)) "$FLOWS" ;;
	short) client "$label" $((DURATION + 60)) rate short 127.0.0.1 "$port" "$DURATION" "$INFLIGHT" ;;
	udp1) client "$label" $((DURATION + 30)) rate udpclient 127.0.0.1 "$port" "$DURATION" 1 "$UDP_INFLIGHT" ;;
	udpN) client "$label" $((DURATION + 30)) rate udpclient 127.0.0.1 "$port" "$DURATION" "$UDP_PEERS" "$UDP_INFLIGHT" ;;
	idle) idle_once "$label" "$port" ;;
	esac
	CPU=-
	[ "$col" = direct ] && return
	# UDP sessions live until --udp-idle; not a leak
	[ "$proto" = tcp ] && [ "$VAL" != FAIL ] && check_fds "$col" "$base" "$scen"
	CPU=$(cpu_s "$RPID")
	end_relay "$col" "$many" || VAL=FAIL
}

# idle_once LABEL PORT: IDLE sessions held open end to end through the
# relay (relaypeer idle waits for the sink's reply on each); VAL = the
# relay's PSS in MiB.  No relay (direct): VAL = -
idle_once() {
	local ipid ready=
	if [ "$2" = "$SINK" ]; then
		VAL=-
		return
	fi
	IDLE_BASE=$(pss_kib "$RPID")
	"$RELAYPEER" idle 127.0.0.1 "$2" "$IDLE" > "$T/idle.out" 2> "$T/idle.err" &
	ipid=$!
	LIVE[$ipid]=1
	for _ in $(seq 1200); do
		grep -q '^ready' "$T/idle.out" && { ready=1; break; }
		kill -0 "$ipid" 2> /dev/null || break
		sleep 0.05
	done
	if [ -n "$ready" ]; then
		sleep 0.5 # the relay's last allocations after the reply
		VAL=$(awk -v k="$(pss_kib "$RPID")" 'BEGIN { printf "%.1f", k / 1024 }')
		IDLE_FDS=$(fds "$RPID")
	else
		VAL=FAIL
		note "$1: $IDLE sessions not established within 60 s: relaypeer idle 127.0.0.1 $2 $IDLE: $(head -c 300 "$T/idle.err")"
	fi
	stop_pid "$ipid"
	if grep -q 'dropped=[1-9]' "$T/idle.out"; then
		VAL=FAIL
		note "$1: the relay dropped idle sessions: $(tail -1 "$T/idle.out")"
	fi
}

median() {
	tr ' ' '\n' | grep . | sort -g | awk '
		/FAIL/ { fail = 1 } { a[NR] = $1 }
		END { if (fail) print "FAIL"; else if (NR) print a[int((NR + 1) / 2)]; else print "n/a" }'
}

# ---- run ---------------------------------------------------------------
COLS=(direct socat)
if "$SOCK" relay --help > /dev/null 2>&1; then
	"$SOCK" relay --help 2>&1 | grep -q -- '--io' || SOCK_IO=(default)
	for io in "${SOCK_IO[@]}"; do COLS+=("sock:$io"); done
	HAVE_SOCK=1
else
	HAVE_SOCK=
	note "$SOCK relay --help failed: no sock relay here, its columns are n/a"
fi
read -r -a SCENS <<< "${SCENARIOS:-bulk1 bulkN idle short udp1 udpN}"
declare -A RES TITLE
TITLE[bulk1]="1 flow, $SIZE_MB MiB (Gbit/s)"
TITLE[bulkN]="$FLOWS flows x $FLOW_KB KiB (Gbit/s)"
TITLE[idle]="$IDLE idle sessions (PSS MiB)"
TITLE[short]="short conns/s, $INFLIGHT in flight"
TITLE[udp1]="UDP rtt/s, 1 peer"
TITLE[udpN]="UDP rtt/s, $UDP_PEERS peers"

server sink
SINK=$SPORT
SINK_PID=$SPID
server udpecho
ECHO=$SPORT
ECHO_PID=$SPID

echo "relay benchmark on 127.0.0.1, $(nproc) CPUs, median of $RUNS runs; sock: $SOCK"
declare -A IDLE_PER CPUS FDS_AFTER
for scen in "${SCENS[@]}"; do
	# runs interleave the columns, so that drift hits all of them alike
	for r in $(seq "$RUNS"); do
		for col in "${COLS[@]}"; do
			run_once "$scen" "$col"
			RES[$scen,$col]+="$VAL "
			CPUS[$scen,$col]+="$CPU "
			if [ "$scen" = idle ] && [ "$col" != direct ] && [ "$VAL" != FAIL ]; then
				IDLE_PER[$col]=$(awk -v b="$IDLE_BASE" -v m="$VAL" -v n="$IDLE" \
					'BEGIN { printf "%.1f MiB before, %.2f KiB more per session", b / 1024, (m * 1024 - b) / n }')
				case $col in sock:*) IDLE_PER[$col]+=", $IDLE_FDS descriptors" ;; esac
			fi
			printf '# %-6s %-12s run %d: %s\n' "$scen" "$col" "$r" "$VAL" >&2
		done
	done
done

# the servers saw every session end well (a relay that swallows the
# verdict cannot hide a bad flow from the sink)
stop_pid "$SINK_PID"
stop_pid "$ECHO_PID"
if ! grep -q ' bad=0 ' "$T/sink.out"; then
	note "sink: $(tail -1 "$T/sink.out") $(head -c 600 "$T/sink.err" | tr '\n' ' ')"
	FAILED=1
fi

# ---- table --------------------------------------------------------------
# target SCEN: how the goal reads; met SCEN COL: yes, NO or n/a
target() {
	case $1 in
	bulk1) echo ">= 0.90x direct" ;;
	bulkN) echo ">= 0.85x direct" ;;
	idle) echo "<= 8 MiB" ;;
	short) echo ">= 10x socat" ;;
	udp*) echo ">= 0.5x direct" ;;
	esac
}
met() {
	local v=${MED[$1,$2]:-n/a} d=${MED[$1,direct]} s=${MED[$1,socat]}
	case $v in n/a | FAIL | -) echo "$v"; return ;; esac
	case $1 in
	bulk1) awk -v v="$v" -v d="$d" 'BEGIN { print (d + 0 > 0 && v / d >= 0.90) ? "yes" : "NO" }' ;;
	bulkN) awk -v v="$v" -v d="$d" 'BEGIN { print (d + 0 > 0 && v / d >= 0.85) ? "yes" : "NO" }' ;;
	idle) awk -v v="$v" 'BEGIN { print (v <= 8) ? "yes" : "NO" }' ;;
	short) awk -v v="$v" -v s="$s" 'BEGIN { print (s + 0 > 0 && v / s >= 10) ? "yes" : "NO" }' ;;
	udp*) awk -v v="$v" -v d="$d" 'BEGIN { print (d + 0 > 0 && v / d >= 0.5) ? "yes" : "NO" }' ;;
	esac
}
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN {
		if (a !~ /^[0-9.]+$/ || b !~ /^[0-9.]+$/ || b + 0 == 0) print "-"
		else printf "%.2fx", a / b }'
}

declare -A MED CPUM
SCOLS=()
for col in "${COLS[@]}"; do case $col in sock:*) SCOLS+=("$col") ;; esac; done
[ -n "$HAVE_SOCK" ] || SCOLS=(sock:splice sock:copy)
for scen in "${SCENS[@]}"; do
	for col in direct socat "${SCOLS[@]}"; do
		MED[$scen,$col]=$(median <<< "${RES[$scen,$col]:-}")
		CPUM[$scen,$col]=$(median <<< "${CPUS[$scen,$col]:-}")
		[ "${MED[$scen,$col]}" = FAIL ] && FAILED=1
	done
done

echo
hdr=$(printf '%-32s %9s %9s' scenario direct socat)
for col in "${SCOLS[@]}"; do hdr+=$(printf ' %11s' "$col"); done
hdr+=$(printf ' %8s' socat/d)
for col in "${SCOLS[@]}"; do hdr+=$(printf ' %8s' "${col#sock:}/d"); done
hdr+=$(printf '  %-16s %s' "target (sock)" met)
echo "$hdr"
for scen in "${SCENS[@]}"; do
	line=$(printf '%-32s %9s %9s' "${TITLE[$scen]}" "${MED[$scen,direct]}" "${MED[$scen,socat]}")
	for col in "${SCOLS[@]}"; do line+=$(printf ' %11s' "${MED[$scen,$col]}"); done
	line+=$(printf ' %8s' "$(ratio "${MED[$scen,socat]}" "${MED[$scen,direct]}")")
	for col in "${SCOLS[@]}"; do
		line+=$(printf ' %8s' "$(ratio "${MED[$scen,$col]}" "${MED[$scen,direct]}")")
	done
	m=
	for col in "${SCOLS[@]}"; do m+="${m:+ / }$(met "$scen" "$col")"; done
	line+=$(printf '  %-16s %s' "$(target "$scen")" "$m")
	echo "$line"
done
echo
echo "relay CPU seconds per run (user + system, reaped children included):"
for scen in "${SCENS[@]}"; do
	[ "$scen" = idle ] && continue
	line=$(printf '%-32s %9s %9s' "${TITLE[$scen]}" - "${CPUM[$scen,socat]}")
	for col in "${SCOLS[@]}"; do line+=$(printf ' %11s' "${CPUM[$scen,$col]}"); done
	echo "$line"
done
echo
echo "met: ${SCOLS[*]} in that order.  x/d: ratio to direct (for PSS: -)."
for col in direct "${SCOLS[@]}"; do
	r=$(ratio "${MED[short,$col]:-}" "${MED[short,socat]:-}")
	[ "$r" = - ] || echo "short connections: $col = $r socat (fork)."
done
awk -v d="${MED[short,direct]:-}" -v s="${MED[short,socat]:-}" 'BEGIN {
	if (d + 0 > 0 && s + 0 > 0 && d / s < 10)
		print "(10x socat is more than no relay at all reaches here.)" }'
for col in "${!IDLE_PER[@]}"; do echo "idle: $col: ${IDLE_PER[$col]}."; done
for col in "${!FDS_AFTER[@]}"; do echo "descriptors left once sessions ended: $col: ${FDS_AFTER[$col]%, }."; done
echo "socat: -b 262144; fork and backlog=4096 for many sessions; UDP 1 peer:"
echo "UDP-LISTEN (serves one peer), 8 peers: UDP-RECVFROM,fork.  PSS counts"
echo "user memory only: socket and pipe buffers are kernel memory.  --io"
echo "only concerns streams: for UDP both sock columns run the same code."
if grep -qsv '^## ' "$T/relay-sock.err"; then
	echo "sock relay stderr (first lines):"
	grep -v '^## ' "$T/relay-sock.err" | head -5
fi
tail -1 "$T/sink.out"
for n in "${NOTES[@]}"; do echo "NOTE: $n"; done
echo "$(($(date +%s) - T0)) s in all."
exit "$FAILED"
