#!/usr/bin/env bash
# bench/relay.sh - sock relay against other relays (socat, HAProxy,
# nginx's stream proxy) and against no relay at all (direct), on
# 127.0.0.1, in one run.  Both ends are bench/relaypeer, which checks
# every byte and every datagram: a relay that loses or corrupts data
# fails here instead of looking fast.  Scenarios:
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
# Beside each rate it reports the relay's own CPU per unit of work: user
# + system time of all the relay's processes (nginx's master and workers,
# socat's fork children, reaped ones included) read from /proc before and
# after the measured interval, per GB moved (10^9 bytes of payload; a UDP
# round trip moves 2 x 64 bytes) or, for short connections, per
# connection.  On a small machine the ends and the relay share the CPUs,
# so rates are bounded by the ends; the CPU a relay spends is its own.
#
# PEERS picks the other relays (default "socat haproxy1 haproxy nginx"):
#   socat     -b 262144; fork for many sessions
#   haproxy1  haproxy -db, mode tcp, option splice-auto, nbthread 1
#   haproxy   the same with HAProxy's default threads (one per CPU);
#             HAProxy has no UDP proxy: n/a in the UDP rows
#   nginx     nginx's stream module, daemon off, NGINX_WORKERS worker
#             processes (default auto), proxy_buffer_size NGINX_BUF
#             (default 256k, socat's -b), proxy_half_close on (the
#             bench's verdict comes back after the client's half-close);
#             UDP with reuseport
# A peer whose program is missing gets n/a and a note.  Everything they
# need (config, pid file, logs) lives in the run's temporary directory;
# nothing under /etc is read and no system service is touched.
#
# sock runs once per --io mode (SOCK_IO, default "splice copy"; "default"
# passes no --io).  Without `sock relay` its columns say n/a.  Prints the
# median of RUNS runs; exits 1 if any run failed.  SCENARIOS picks some of
# bulk1 bulkN idle short udp1 udpN (default: all).
#
#   RUNS=3 SIZE_MB=4096 FLOWS=1000 FLOW_KB=4096 IDLE=1000 DURATION=5 \
#       bash bench/relay.sh               # the defaults: ~10 min on 2 vCPUs
#   QUICK=1 bash bench/relay.sh           # smoke test, about a minute
#   QUICK=1 PEERS=nginx SCENARIOS="udp1 udpN" bash bench/relay.sh
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SOCK=${SOCK:-$ROOT/build/sock}
PATH=$PATH:/usr/sbin:/sbin # haproxy and nginx live there
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
read -r -a PEER_LIST <<< "${PEERS-socat haproxy1 haproxy nginx}"
NGINX_WORKERS=${NGINX_WORKERS:-auto}
NGINX_BUF=${NGINX_BUF:-256k}
NGINX_MODULE=${NGINX_MODULE:-/usr/lib/nginx/modules/ngx_stream_module.so}
for p in "${PEER_LIST[@]}"; do
	case $p in socat | haproxy1 | haproxy | nginx) ;; *)
		echo "relay.sh: unknown peer '$p' in PEERS (socat haproxy1 haproxy nginx)" >&2
		exit 2 ;;
	esac
done

# relaypeer goes next to $SOCK when that is a build directory of this tree
if [ -z "${RELAYPEER:-}" ]; then
	B=$(realpath -m --relative-to="$ROOT" "$(dirname "$SOCK")")
	case $B in ..* | /*) B=build-bench ;; esac
	make -s -C "$ROOT" BUILD="$B" "$B/bench/relaypeer" || exit 1
	RELAYPEER=$ROOT/$B/bench/relaypeer
fi
# 1000 sessions through a relay: 3000 descriptors and more
ulimit -n "$(ulimit -Hn)"
NOFILE=$(ulimit -n)
# the peers are sized for the sessions this run holds at once (their
# tables are allocated up front and would count in their PSS): HAProxy's
# maxconn and maxpipes (a pipe each, so that every session may splice),
# nginx's worker_connections (a worker may get them all, 2 per session)
CONNS=$FLOWS
[ "$IDLE" -gt "$CONNS" ] && CONNS=$IDLE
[ "$INFLIGHT" -gt "$CONNS" ] && CONNS=$INFLIGHT
MAXCONN=$((CONNS + 100))
CLK_TCK=$(getconf CLK_TCK)
. "$ROOT/bench/lib.sh"

T=$(mktemp -d /tmp/sock-bench-relay.XXXXXX)
declare -A LIVE # pids started here and not yet reaped
FAILED=0
NOTES=()
T0=$(date +%s)

cleanup() {
	local p
	for p in "${!LIVE[@]}"; do stop_pid "$p"; done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

note() { NOTES+=("$*"); }

# have_peer PEER: its program is here (nginx: with the stream module)
have_peer() {
	case $1 in
	socat) command -v socat > /dev/null ;;
	haproxy*) command -v haproxy > /dev/null ;;
	nginx)
		command -v nginx > /dev/null || return 1
		[ -f "$NGINX_MODULE" ] || nginx -V 2>&1 | grep -q -- '--with-stream\( \|$\)' ;;
	esac
}

# supports COL SCEN: whether column COL can run scenario SCEN
supports() {
	case $1,$2 in haproxy*,udp*) return 1 ;; esac
	return 0
}

# wait_kids PID N: until PID has N children or more (5 s): nginx's
# workers are up, their start is not part of the measure
wait_kids() {
	for _ in $(seq 100); do
		[ "$(kids "$1" | wc -w)" -ge "$2" ] && return 0
		sleep 0.05
	done
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

# haproxy_cfg COL PORT TARGET: writes $T/COL.cfg; haproxy1 has one thread
haproxy_cfg() {
	{
		echo "global"
		echo "	maxconn $MAXCONN"
		echo "	maxpipes $MAXCONN"
		[ "$1" = haproxy1 ] && echo "	nbthread 1"
		cat << CFG
defaults
	mode tcp
	option splice-auto
	maxconn $MAXCONN
	timeout connect 5s
	timeout client 10m
	timeout server 10m
listen relay
	bind 127.0.0.1:$2
	server target 127.0.0.1:$3
CFG
	} > "$T/$1.cfg"
}

# nginx_cfg PROTO PORT TARGET: writes $T/nginx/nginx.conf, whose pid
# file and logs stay in $T/nginx.  Workers drop root as a real
# deployment's do.  TCP: proxy_half_close passes the client's end of
# file on and waits for the reply (off by default: nginx would close the
# session before the sink's verdict comes back).  UDP: reuseport keeps
# each client on one worker, and a session lives on (any number of
# replies) until proxy_timeout.
nginx_cfg() {
	local d=$T/nginx listen=127.0.0.1:$2
	mkdir -p "$d"
	{
		[ -f "$NGINX_MODULE" ] && echo "load_module $NGINX_MODULE;"
		if [ "$(id -u)" = 0 ]; then
			if getent group nogroup > /dev/null; then
				echo "user nobody nogroup;"
			else
				echo "user nobody;"
			fi
		fi
		cat << CFG
daemon off;
master_process on;
worker_processes $NGINX_WORKERS;
worker_rlimit_nofile $NOFILE;
pid $d/nginx.pid;
error_log $d/error.log error;
events {
	worker_connections $((2 * CONNS + 100));
}
stream {
	server {
CFG
		if [ "$1" = udp ]; then
			printf '\t\tlisten %s udp reuseport;\n\t\tproxy_timeout 30s;\n' "$listen"
		else
			printf '\t\tlisten %s backlog=4096;\n\t\tproxy_half_close on;\n\t\tproxy_buffer_size %s;\n' "$listen" "$NGINX_BUF"
		fi
		printf '\t\tproxy_pass 127.0.0.1:%s;\n\t}\n}\n' "$3"
	} > "$d/nginx.conf"
}

# nginx_workers: how many worker processes nginx starts
nginx_workers() {
	if [ "$NGINX_WORKERS" = auto ]; then nproc; else echo "$NGINX_WORKERS"; fi
}

# relay_cmd COL PROTO MANY PORT TARGET: sets RCMD, the relay for column
# COL (a peer or sock:IO) from PORT to TARGET; MANY=1: many sessions/peers
relay_cmd() {
	local col=$1 proto=$2 many=$3 p=$4 to=$5 io
	case $col,$proto,$many in
	# fork: a process per session; socat's listen backlog is 5 by default,
	# too few for 1000 connects at once (ListenOverflows, then resets)
	socat,tcp,1) RCMD=(socat -b 262144 "TCP-LISTEN:$p,reuseaddr,bind=127.0.0.1,fork,backlog=4096" "TCP:127.0.0.1:$to") ;;
	socat,tcp,0) RCMD=(socat -b 262144 "TCP-LISTEN:$p,reuseaddr,bind=127.0.0.1" "TCP:127.0.0.1:$to") ;;
	socat,udp,0) RCMD=(socat "UDP-LISTEN:$p,bind=127.0.0.1,reuseaddr" "UDP:127.0.0.1:$to") ;;
	socat,udp,1) RCMD=(socat "UDP-RECVFROM:$p,bind=127.0.0.1,fork" "UDP-SENDTO:127.0.0.1:$to") ;;
	haproxy*)
		haproxy_cfg "$col" "$p" "$to"
		RCMD=(haproxy -db -f "$T/$col.cfg") ;;
	nginx,*)
		nginx_cfg "$proto" "$p" "$to"
		RCMD=(nginx -p "$T/nginx/" -e "$T/nginx/error.log" -c "$T/nginx/nginx.conf") ;;
	sock:*)
		io=${col#sock:}
		RCMD=("$SOCK" relay)
		[ "$io" = default ] || RCMD+=(--io "$io")
		RCMD+=("${SOCK_RELAY_OPTS[@]}" "$proto://127.0.0.1:$p" "$proto://127.0.0.1:$to") ;;
	esac
}

# start_relay COL PROTO MANY TARGET: sets RPID and RPORT; 1 on failure.
# socat without fork ends with its one session: it runs under a shell
# that reaps it and then stays (exec sleep), so its CPU time remains
# readable as that shell's cutime/cstime.
start_relay() {
	RPORT=$(free_port "$2")
	relay_cmd "$1" "$2" "$3" "$RPORT" "$4"
	RLOG=$T/relay-${1%%:*}.err
	echo "## ${RCMD[*]}" >> "$RLOG"
	if [ "$1,$3" = socat,0 ]; then
		sh -c '"$@"; exec sleep 86400' sh "${RCMD[@]}" 2>> "$RLOG" &
	else
		"${RCMD[@]}" 2>> "$RLOG" &
	fi
	RPID=$!
	LIVE[$RPID]=1
	wait_bound "$2" "$RPORT" "$RPID" || return 1
	[ "$1" = nginx ] && wait_kids "$RPID" "$(nginx_workers)"
	return 0
}

# end_relay COL: stops the relay; 1 (and a note) if it had died already
end_relay() {
	if ! kill -0 "$RPID" 2> /dev/null; then
		wait "$RPID" 2> /dev/null
		local st=$?
		unset "LIVE[$RPID]"
		note "$1: the relay exited during the run (status $st): ${RCMD[*]}"
		return 1
	fi
	stop_pid "$RPID"
}

# per_unit SCEN TICKS0 TICKS1: the relay's CPU per unit of work done, from
# the client's result line in OUT: s per GB, or us per short connection
per_unit() {
	local n
	case $1 in
	bulk*) n=$(sed -n 's/.* bytes=\([0-9]*\).*/\1/p' <<< "$OUT") ;;
	udp*) n=$(sed -n 's/.* rtts=\([0-9]*\).*/\1/p' <<< "$OUT") n=$((n * 128)) ;;
	short) n=$(sed -n 's/.* ok=\([0-9]*\).*/\1/p' <<< "$OUT") ;;
	esac
	awk -v a="$2" -v b="$3" -v hz="$CLK_TCK" -v n="${n:-0}" -v s="$1" 'BEGIN {
		if (n + 0 == 0) { print "-"; exit }
		c = (b - a) / hz
		printf "%.4f", s == "short" ? c / n * 1e6 : c / (n / 1e9) }'
}

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

# client LABEL TIMEOUT FIELD ARGS...: runs relaypeer ARGS, sets OUT to
# its result line and VAL to FIELD of it, or FAIL (and notes how to
# reproduce).  In the background: wait returns at once on Ctrl-C, and
# the cleanup stops it (timeout runs in a process group of its own, out
# of the terminal's reach).
client() {
	local label=$1 limit=$2 field=$3 rc pid
	shift 3
	timeout -k 5 "$limit" "$RELAYPEER" "$@" > "$T/client.out" 2> "$T/client.err" &
	pid=$!
	LIVE[$pid]=1
	wait "$pid"
	rc=$?
	unset "LIVE[$pid]"
	OUT=$(cat "$T/client.out")
	VAL=$(sed -n "s/.* $field=\([0-9.]*\).*/\1/p" <<< "$OUT")
	if [ "$rc" -ne 0 ] || [ -z "$VAL" ]; then
		VAL=FAIL
		note "$label: relaypeer $* -> status $rc: $OUT $(head -c 600 "$T/client.err" | tr '\n' ' ')${RCMD[*]:+ (relay: ${RCMD[*]})}"
	fi
}

# run_once SCEN COL: one measurement of scenario SCEN through column COL
# (direct, a peer or sock:IO); sets VAL, and CPU (per unit, or -)
run_once() {
	local scen=$1 col=$2 proto=tcp many=1 target port base t0 t1
	case $scen in
	bulk1) many=0 ;;
	udp1) proto=udp many=0 ;;
	udpN) proto=udp ;;
	esac
	target=$SINK
	[ "$proto" = udp ] && target=$ECHO
	port=$target
	RCMD=()
	CPU=-
	if [ "$col" != direct ]; then
		if ! start_relay "$col" "$proto" "$many" "$target"; then
			note "$col: the relay did not start: ${RCMD[*]} ($(grep -v -e '^## ' -e NOTICE "$RLOG" | head -2 | tr '\n' ' '))"
			VAL=FAIL
			stop_pid "$RPID"
			return
		fi
		port=$RPORT
		base=$(fds "$RPID")
		t0=$(cpu_ticks "$RPID")
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
	[ "$col" = direct ] && return
	if [ "$scen" != idle ]; then
		[ "$col" = socat ] && wait_no_kids "$RPID"
		t1=$(cpu_ticks "$RPID")
		[ "$VAL" != FAIL ] && CPU=$(per_unit "$scen" "$t0" "$t1")
	fi
	# UDP sessions live until --udp-idle; not a leak
	[ "$proto" = tcp ] && [ "$VAL" != FAIL ] && check_fds "$col" "$base" "$scen"
	end_relay "$col" || VAL=FAIL
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

# ---- run ---------------------------------------------------------------
COLS=(direct)
PCOLS=()
for p in "${PEER_LIST[@]}"; do
	PCOLS+=("$p")
	if have_peer "$p"; then
		COLS+=("$p")
	else
		case $p in
		socat) note "socat not installed (apt-get install socat): its column is n/a" ;;
		haproxy*) note "$p: haproxy not installed (apt-get install haproxy): its column is n/a" ;;
		nginx) note "nginx: nginx or its stream module ($NGINX_MODULE) missing (apt-get install nginx libnginx-mod-stream): its column is n/a" ;;
		esac
	fi
done
if "$SOCK" relay --help > /dev/null 2>&1; then
	"$SOCK" relay --help 2>&1 | grep -q -- '--io' || SOCK_IO=(default)
	for io in "${SOCK_IO[@]}"; do COLS+=("sock:$io"); done
	HAVE_SOCK=1
else
	HAVE_SOCK=
	note "$SOCK relay --help failed: no sock relay here, its columns are n/a"
fi
read -r -a SCENS <<< "${SCENARIOS:-bulk1 bulkN idle short udp1 udpN}"
declare -A RES TITLE UNIT
TITLE[bulk1]="1 flow, $SIZE_MB MiB (Gbit/s)"
TITLE[bulkN]="$FLOWS flows x $FLOW_KB KiB (Gbit/s)"
TITLE[idle]="$IDLE idle sessions (PSS MiB)"
TITLE[short]="short conns/s, $INFLIGHT in flight"
TITLE[udp1]="UDP rtt/s, 1 peer"
TITLE[udpN]="UDP rtt/s, $UDP_PEERS peers"
UNIT[bulk1]="s/GB" UNIT[bulkN]="s/GB" UNIT[udp1]="s/GB" UNIT[udpN]="s/GB"
UNIT[short]="us/conn"

server sink
SINK=$SPORT
SINK_PID=$SPID
server udpecho
ECHO=$SPORT
ECHO_PID=$SPID

echo "relay benchmark on 127.0.0.1, $(nproc) CPUs, median of $RUNS runs; sock: $SOCK"
echo "kernel $(uname -r), network stack: $(net_stack); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
declare -A IDLE_PER CPUS FDS_AFTER
for scen in "${SCENS[@]}"; do
	# runs interleave the columns, so that drift hits all of them alike
	for r in $(seq "$RUNS"); do
		for col in "${COLS[@]}"; do
			supports "$col" "$scen" || continue
			run_once "$scen" "$col"
			RES[$scen,$col]+="$VAL "
			CPUS[$scen,$col]+="$CPU "
			if [ "$scen" = idle ] && [ "$col" != direct ] && [ "$VAL" != FAIL ]; then
				IDLE_PER[$col]=$(awk -v b="$IDLE_BASE" -v m="$VAL" -v n="$IDLE" \
					'BEGIN { printf "%.1f MiB before, %.2f KiB more per session", b / 1024, (m * 1024 - b) / n }')
				case $col in sock:*) IDLE_PER[$col]+=", $IDLE_FDS descriptors" ;; esac
			fi
			printf '# %-6s %-12s run %d: %s  cpu %s\n' "$scen" "$col" "$r" "$VAL" "$CPU" >&2
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

# ---- tables -------------------------------------------------------------
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
	local v=${MED[$1,$2]:-n/a} d=${MED[$1,direct]} s=${MED[$1,socat]:-n/a}
	case $v in n/a | FAIL | -) echo "$v"; return ;; esac
	case $1 in
	bulk1) awk -v v="$v" -v d="$d" 'BEGIN { print (d + 0 > 0 && v / d >= 0.90) ? "yes" : "NO" }' ;;
	bulkN) awk -v v="$v" -v d="$d" 'BEGIN { print (d + 0 > 0 && v / d >= 0.85) ? "yes" : "NO" }' ;;
	idle) awk -v v="$v" 'BEGIN { print (v <= 8) ? "yes" : "NO" }' ;;
	short) awk -v v="$v" -v s="$s" 'BEGIN { print (s + 0 > 0 && v / s >= 10) ? "yes" : (s + 0 > 0 ? "NO" : "n/a") }' ;;
	udp*) awk -v v="$v" -v d="$d" 'BEGIN { print (d + 0 > 0 && v / d >= 0.5) ? "yes" : "NO" }' ;;
	esac
}
# best SCEN ARRAY LOW: "COL VALUE" of the best peer by ARRAY (MED or
# CPUM), the lowest value if LOW=1 else the highest; "- -" if none
best() {
	local -n a=$2
	local p out=
	for p in "${PCOLS[@]}"; do out+="$p ${a[$1,$p]:-n/a}"$'\n'; done
	awk -v low="$3" '$2 ~ /^[0-9.]+$/ && (!n++ || (low ? $2 + 0 < b : $2 + 0 > b)) { b = $2 + 0; c = $1 }
		END { print n ? c " " b : "- -" }' <<< "$out"
}
# row TITLE FMT VALUES...: one table line
row() {
	local t=$1 f=$2 v
	shift 2
	printf '%-32s' "$t"
	for v in "$@"; do printf " $f" "$v"; done
	echo
}

declare -A MED CPUM
SCOLS=()
for col in "${COLS[@]}"; do case $col in sock:*) SCOLS+=("$col") ;; esac; done
[ -n "$HAVE_SOCK" ] || SCOLS=(sock:splice sock:copy)
RCOLS=("${PCOLS[@]}" "${SCOLS[@]}") # every relay
for scen in "${SCENS[@]}"; do
	for col in direct "${RCOLS[@]}"; do
		MED[$scen,$col]=$(median <<< "${RES[$scen,$col]:-}")
		CPUM[$scen,$col]=$(cmedian <<< "${CPUS[$scen,$col]:-}")
		[ "${MED[$scen,$col]}" = FAIL ] && FAILED=1
	done
done
CPU_SCENS=()
for scen in "${SCENS[@]}"; do [ "$scen" = idle ] || CPU_SCENS+=("$scen"); done

echo
echo "kernel $(uname -r), network stack: $(net_stack); $(nproc) CPUs shared by the ends and the relay"
echo
echo "rates (median of $RUNS):"
row scenario %11s direct "${RCOLS[@]}"
for scen in "${SCENS[@]}"; do
	v=()
	for col in direct "${RCOLS[@]}"; do v+=("${MED[$scen,$col]}"); done
	row "${TITLE[$scen]}" %11s "${v[@]}"
done
echo
echo "ratio to direct:"
row scenario %11s "${RCOLS[@]}"
for scen in "${SCENS[@]}"; do
	[ "$scen" = idle ] && continue
	v=()
	for col in "${RCOLS[@]}"; do v+=("$(ratio "${MED[$scen,$col]}" "${MED[$scen,direct]}")"); done
	row "${TITLE[$scen]%% (*}" %11s "${v[@]}"
done
if [ "${#CPU_SCENS[@]}" -gt 0 ]; then
	echo
	echo "relay CPU, user + system of all its processes, per unit of work (median of $RUNS):"
	row scenario %11s unit "${RCOLS[@]}"
	for scen in "${CPU_SCENS[@]}"; do
		v=("${UNIT[$scen]}")
		for col in "${RCOLS[@]}"; do v+=("$(sig3 "${CPUM[$scen,$col]}")"); done
		row "${TITLE[$scen]%% (*}" %11s "${v[@]}"
	done
fi
echo
echo "sock against the best peer (rate: highest, PSS and CPU: lowest), and its target:"
hdr=(best-rate)
for col in "${SCOLS[@]}"; do hdr+=("${col#sock:}/best"); done
hdr+=(best-cpu)
for col in "${SCOLS[@]}"; do hdr+=("${col#sock:}/best"); done
printf '%-32s' scenario
printf ' %14s' "${hdr[0]}"
for h in "${hdr[@]:1:${#SCOLS[@]}}"; do printf ' %12s' "$h"; done
printf ' %14s' "${hdr[${#SCOLS[@]}+1]}"
for h in "${hdr[@]:${#SCOLS[@]}+2}"; do printf ' %12s' "$h"; done
printf '  %-16s %s\n' "target (sock)" met
for scen in "${SCENS[@]}"; do
	low=0
	[ "$scen" = idle ] && low=1
	read -r bc bv < <(best "$scen" MED "$low")
	printf '%-32s %14s' "${TITLE[$scen]}" "$bc"
	for col in "${SCOLS[@]}"; do printf ' %12s' "$(ratio "${MED[$scen,$col]}" "$bv")"; done
	if [ "$scen" = idle ]; then
		bc=- bv=-
	else
		read -r bc bv < <(best "$scen" CPUM 1)
	fi
	printf ' %14s' "$bc"
	for col in "${SCOLS[@]}"; do printf ' %12s' "$(ratio "${CPUM[$scen,$col]}" "$bv")"; done
	m=
	for col in "${SCOLS[@]}"; do m+="${m:+ / }$(met "$scen" "$col")"; done
	printf '  %-16s %s\n' "$(target "$scen")" "$m"
done
echo
echo "met: ${SCOLS[*]} in that order.  x/best: sock's figure over the best peer's;"
echo "for CPU, below 1 is better.  CPU counts the relay's processes only, read"
echo "from /proc (utime + stime + cutime + cstime; clock ticks of 1/$CLK_TCK s)."
echo "s/GB: per 10^9 bytes of payload; a UDP round trip moves 2 x 64 bytes."
for col in direct "${SCOLS[@]}"; do
	r=$(ratio "${MED[short,$col]:-}" "${MED[short,socat]:-}")
	[ "$r" = - ] || echo "short connections: $col = $r socat (fork)."
done
awk -v d="${MED[short,direct]:-}" -v s="${MED[short,socat]:-}" 'BEGIN {
	if (d + 0 > 0 && s + 0 > 0 && d / s < 10)
		print "(10x socat is more than no relay at all reaches here.)" }'
for col in "${!IDLE_PER[@]}"; do echo "idle: $col: ${IDLE_PER[$col]}."; done
for col in "${!FDS_AFTER[@]}"; do echo "descriptors left once sessions ended: $col: ${FDS_AFTER[$col]%, }."; done
for p in "${PCOLS[@]}"; do
	have_peer "$p" || continue
	case $p in
	socat)
		echo "socat: -b 262144; fork and backlog=4096 for many sessions; UDP 1 peer:"
		echo "  UDP-LISTEN (serves one peer), 8 peers: UDP-RECVFROM,fork." ;;
	haproxy1) echo "haproxy1: $(haproxy -v 2> /dev/null | head -1 | cut -d' ' -f1-3), -db, mode tcp, option splice-auto, nbthread 1," \
		"maxconn and maxpipes $MAXCONN." ;;
	haproxy) echo "haproxy: the same with its default threads (one per CPU: $(nproc)); no UDP." ;;
	nginx) echo "nginx: $(nginx -v 2>&1 | sed 's/.*: //') stream, daemon off, master + $(nginx_workers) workers," \
		"worker_connections $((2 * CONNS + 100)), proxy_half_close on, proxy_buffer_size $NGINX_BUF; UDP: reuseport, proxy_timeout 30s." ;;
	esac
done
echo "PSS counts user memory only: socket and pipe buffers are kernel memory."
echo "--io only concerns streams: for UDP both sock columns run the same code."
# socat UDP-LISTEN ends on the ICMP error once its client is gone
for f in "$T"/relay-*.err "$T/nginx/error.log"; do
	grep -sv '^## ' "$f" | grep -v 'socat.* E read.*Connection refused' > "$T/lines"
	[ -s "$T/lines" ] || continue
	echo "$(basename "$f") (first lines):"
	head -3 "$T/lines"
done
tail -1 "$T/sink.out"
for n in "${NOTES[@]}"; do echo "NOTE: $n"; done
echo "$(($(date +%s) - T0)) s in all."
exit "$FAILED"
