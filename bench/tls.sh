#!/usr/bin/env bash
# bench/tls.sh - sock's TLS relay against stunnel and socat, in one run.
#
# Each tool runs as a pair of relays on 127.0.0.1, the way TLS tunnels are
# deployed:
#
#   relaypeer source -> A (tcp -> tls: originates, verifies the server)
#                    -> B (tls -> tcp: terminates, holds the certificate)
#                    -> relaypeer sink
#
# so each tool both originates and terminates, and the sink checks every
# byte (a relay that loses or corrupts data fails instead of looking fast).
# Both sides verify as a careful deployment would: A checks B's chain
# against the test CA and B's name (sock: the IP address 127.0.0.1 in the
# certificate; stunnel: checkHost=localhost; socat 1.7.4, which does not
# check IP addresses: commonname=localhost).  Scenarios:
#
#   bulk   1 flow of SIZE_MB through the pair (Gbit/s)
#   short  short connections/s, INFLIGHT at once: each is one full TLS
#          handshake between A and B (handshakes/s)
#
# Beside each rate: each relay's CPU (user + system, all its processes and
# threads, reaped children included) from /proc, per GB of payload or per
# handshake.  The issue's targets for sock: throughput at least stunnel's,
# above socat's; CPU per GB at most stunnel's.
#
#   RUNS=3 SIZE_MB=2048 DURATION=5 bash bench/tls.sh     # the defaults
#   QUICK=1 bash bench/tls.sh                              # a smoke run
#   KEY=rsa bash bench/tls.sh        # RSA-2048 keys instead of ECDSA P-256
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SOCK=${SOCK:-$ROOT/build/sock}
PATH=$PATH:/usr/sbin:/sbin
if [ -n "${QUICK:-}" ]; then
	RUNS=${RUNS:-1} SIZE_MB=${SIZE_MB:-256} DURATION=${DURATION:-2}
fi
RUNS=${RUNS:-3}
SIZE_MB=${SIZE_MB:-2048}
DURATION=${DURATION:-5}
INFLIGHT=${INFLIGHT:-20}
KEY=${KEY:-ec}
read -r -a TOOLS <<< "${TOOLS:-stunnel socat sock}"
CLK_TCK=$(getconf CLK_TCK)
T=$(mktemp -d /tmp/sock-bench-tls.XXXXXX)
declare -A LIVE
NOTES=()
FAILED=0
T0=$(date +%s)
. "$ROOT/bench/lib.sh"
note() { NOTES+=("$*"); }
cleanup() {
	local p
	for p in "${!LIVE[@]}"; do stop_pid "$p"; done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -z "${RELAYPEER:-}" ]; then
	make -s -C "$ROOT" build-bench/bench/relaypeer BUILD=build-bench || exit 1
	RELAYPEER=$ROOT/build-bench/bench/relaypeer
fi

# ---- certificates: a CA, and a server certificate for localhost and
# 127.0.0.1 signed by it
newkey() {
	if [ "$KEY" = rsa ]; then
		openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1" 2> /dev/null
	else
		openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2> /dev/null
	fi
}
make_certs() {
	newkey "$T/ca.key" && newkey "$T/srv.key" || return 1
	openssl req -x509 -new -key "$T/ca.key" -subj "/CN=sock bench CA" -days 2 \
		-out "$T/ca.pem" 2> /dev/null || return 1
	openssl req -new -key "$T/srv.key" -subj "/CN=localhost" -out "$T/srv.csr" 2> /dev/null || return 1
	printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' > "$T/ext"
	openssl x509 -req -in "$T/srv.csr" -CA "$T/ca.pem" -CAkey "$T/ca.key" -CAcreateserial \
		-days 2 -extfile "$T/ext" -out "$T/srv.pem" 2> /dev/null
}

# ---- the relays ---------------------------------------------------------
have_tool() {
	case $1 in
	stunnel) command -v stunnel4 > /dev/null || command -v stunnel > /dev/null ;;
	socat) command -v socat > /dev/null ;;
	sock) "$SOCK" relay --help 2>&1 | grep -q -- '--cert' ;;
	esac
}
stunnel_bin() { command -v stunnel4 || command -v stunnel; }

# stunnel_cfg SIDE PORT TARGET: $T/stunnel-SIDE.conf
stunnel_cfg() {
	{
		printf 'foreground = yes\npid =\noutput = %s/stunnel-%s.log\n' "$T" "$1"
		printf 'debug = 3\n[%s]\naccept = 127.0.0.1:%s\nconnect = 127.0.0.1:%s\n' "$1" "$2" "$3"
		if [ "$1" = A ]; then
			printf 'client = yes\nverifyChain = yes\nCAfile = %s/ca.pem\ncheckHost = localhost\n' "$T"
		else
			printf 'cert = %s/srv.pem\nkey = %s/srv.key\n' "$T" "$T"
		fi
	} > "$T/stunnel-$1.conf"
}

# relay_cmd TOOL SIDE PORT TARGET: sets RCMD; A originates, B terminates
relay_cmd() {
	local tool=$1 side=$2 p=$3 to=$4
	case $tool,$side in
	stunnel,*)
		stunnel_cfg "$side" "$p" "$to"
		RCMD=("$(stunnel_bin)" "$T/stunnel-$side.conf") ;;
	socat,A) RCMD=(socat -b 262144 "TCP-LISTEN:$p,bind=127.0.0.1,reuseaddr,fork,backlog=4096"
		"OPENSSL:127.0.0.1:$to,cafile=$T/ca.pem,commonname=localhost") ;;
	socat,B) RCMD=(socat -b 262144 "OPENSSL-LISTEN:$p,bind=127.0.0.1,reuseaddr,fork,backlog=4096,cert=$T/srv.pem,key=$T/srv.key,verify=0"
		"TCP:127.0.0.1:$to") ;;
	sock,A) RCMD=("$SOCK" relay --cafile "$T/ca.pem" "tcp://127.0.0.1:$p" "tls://127.0.0.1:$to") ;;
	sock,B) RCMD=("$SOCK" relay --cert "$T/srv.pem" --key "$T/srv.key" "tls://127.0.0.1:$p" "tcp://127.0.0.1:$to") ;;
	esac
}

# start TOOL SIDE TARGET: sets PID_<SIDE> and PORT_<SIDE>; 1 on failure
start() {
	local port pid
	port=$(free_port tcp)
	relay_cmd "$1" "$2" "$port" "$3"
	echo "## ${RCMD[*]}" >> "$T/$1-$2.err"
	"${RCMD[@]}" >> "$T/$1-$2.err" 2>&1 &
	pid=$!
	LIVE[$pid]=1
	printf -v "PID_$2" %s "$pid"
	printf -v "PORT_$2" %s "$port"
	wait_bound tcp "$port" "$pid"
}

# cipher PORT: what a TLS client negotiates with the terminating side
cipher() {
	timeout -k 2 5 openssl s_client -connect "127.0.0.1:$1" -brief < /dev/null 2>&1 |
		sed -n 's/^Ciphersuite: //p; s/^Protocol version: //p' | paste -sd ' '
}

# run_once SCEN TOOL: VAL (rate), CPUA and CPUB (per unit)
run_once() {
	local scen=$1 tool=$2 a0 a1 b0 b1 n rc
	VAL=FAIL CPUA=- CPUB=-
	if ! start "$tool" B "$SINK" || ! start "$tool" A "$PORT_B"; then
		note "$tool: a relay did not start: $(grep -v '^##' "$T/$tool"-*.err | head -2 | tr '\n' ' ')"
		stop_pid "${PID_A:-}"
		stop_pid "$PID_B"
		return
	fi
	# the probe's session reaches the sink without a header: one bad
	# session there that the check at the end expects
	if [ -z "${CIPHER[$tool]:-}" ]; then
		CIPHER[$tool]=$(cipher "$PORT_B")
		PROBES=$((PROBES + 1))
	fi
	a0=$(cpu_ticks "$PID_A") b0=$(cpu_ticks "$PID_B")
	if [ "$scen" = bulk ]; then
		timeout -k 5 900 "$RELAYPEER" source 127.0.0.1 "$PORT_A" $((SIZE_MB << 20)) 1 > "$T/out" 2> "$T/err"
	else
		timeout -k 5 $((DURATION + 60)) "$RELAYPEER" short 127.0.0.1 "$PORT_A" "$DURATION" "$INFLIGHT" > "$T/out" 2> "$T/err"
	fi
	rc=$?
	[ "$tool" = socat ] && { wait_no_kids "$PID_A"; wait_no_kids "$PID_B"; }
	a1=$(cpu_ticks "$PID_A") b1=$(cpu_ticks "$PID_B")
	if [ "$scen" = bulk ]; then
		VAL=$(sed -n 's/.* gbps=\([0-9.]*\).*/\1/p' "$T/out")
		n=$(sed -n 's/.* bytes=\([0-9]*\).*/\1/p' "$T/out")
	else
		VAL=$(sed -n 's/.* rate=\([0-9.]*\).*/\1/p' "$T/out")
		n=$(sed -n 's/.* ok=\([0-9]*\).*/\1/p' "$T/out")
	fi
	if [ $rc -ne 0 ] || [ -z "$VAL" ]; then
		VAL=FAIL
		note "$scen $tool: relaypeer status $rc: $(cat "$T/out") $(head -c 300 "$T/err" | tr '\n' ' ')"
	else
		CPUA=$(per "$scen" "$a0" "$a1" "$n") CPUB=$(per "$scen" "$b0" "$b1" "$n")
	fi
	stop_pid "$PID_A"
	stop_pid "$PID_B"
}
# per SCEN T0 T1 N: CPU seconds per GB (bulk) or microseconds per handshake
per() {
	awk -v a="$2" -v b="$3" -v hz="$CLK_TCK" -v n="$4" -v s="$1" 'BEGIN {
		if (n + 0 == 0) { print "-"; exit }
		c = (b - a) / hz
		printf "%.4f", s == "bulk" ? c / (n / 1e9) : c / n * 1e6 }'
}

# ---- run ------------------------------------------------------------------
make_certs || { echo "tls.sh: openssl could not make the test certificates" >&2; exit 1; }
COLS=()
for t in "${TOOLS[@]}"; do
	if have_tool "$t"; then COLS+=("$t"); else note "$t: not here (or no TLS relay): n/a"; fi
done
"$RELAYPEER" sink 0 > "$T/sink.out" 2> "$T/sink.err" &
SINK_PID=$!
LIVE[$SINK_PID]=1
for _ in $(seq 100); do
	SINK=$(sed -n 's/^port //p' "$T/sink.out")
	[ -n "$SINK" ] && break
	sleep 0.05
done
[ -n "$SINK" ] || { echo "tls.sh: relaypeer sink did not start" >&2; exit 1; }

echo "TLS relay benchmark on 127.0.0.1, $(nproc) CPUs, median of $RUNS runs; sock: $SOCK"
echo "kernel $(uname -r), network stack: $(net_stack); $(openssl version);" \
	"keys: $([ "$KEY" = rsa ] && echo RSA-2048 || echo ECDSA P-256)"
echo "kTLS: tcp_available_ulp = $(cat /proc/sys/net/ipv4/tcp_available_ulp 2> /dev/null)" \
	"($(grep -qw tls /proc/sys/net/ipv4/tcp_available_ulp 2> /dev/null && echo "the kernel has the TLS ULP" || echo "no TLS ULP: kTLS unavailable, every tool encrypts in user space"))"
declare -A RES CA CB CIPHER
PROBES=0
for scen in bulk short; do
	for r in $(seq "$RUNS"); do
		for t in "${COLS[@]}"; do
			run_once "$scen" "$t"
			RES[$scen,$t]+="$VAL " CA[$scen,$t]+="$CPUA " CB[$scen,$t]+="$CPUB "
			printf '# %-5s %-8s run %d: %s  cpu A %s B %s\n' "$scen" "$t" "$r" "$VAL" "$CPUA" "$CPUB" >&2
		done
	done
done
stop_pid "$SINK_PID"
if ! grep -q " bad=$PROBES " "$T/sink.out" ||
	grep -v 'header 0 of' "$T/sink.err" | grep -q 'bad:'; then
	note "sink: $(tail -1 "$T/sink.out") ($PROBES cipher probes expected): $(head -c 600 "$T/sink.err" | tr '\n' ' ')"
	FAILED=1
fi

# ---- tables -----------------------------------------------------------------
declare -A MED MA MB
for scen in bulk short; do
	for t in "${TOOLS[@]}"; do
		MED[$scen,$t]=$(median <<< "${RES[$scen,$t]:-}")
		MA[$scen,$t]=$(cmedian <<< "${CA[$scen,$t]:-}")
		MB[$scen,$t]=$(cmedian <<< "${CB[$scen,$t]:-}")
		[ "${MED[$scen,$t]}" = FAIL ] && FAILED=1
	done
done
row() {
	local t=$1 v
	shift
	printf '%-44s' "$t"
	for v in "$@"; do printf ' %10s' "$v"; done
	echo
}
both() { awk -v a="$1" -v b="$2" 'BEGIN { if (a !~ /^[0-9.]+$/ || b !~ /^[0-9.]+$/) print "-"; else printf "%.4f", a + b }'; }
echo
row "" "${TOOLS[@]}"
row "1 flow, $SIZE_MB MiB through A and B (Gbit/s)" $(for t in "${TOOLS[@]}"; do echo "${MED[bulk,$t]}"; done)
row "  CPU s/GB, A (tcp->tls, originates)" $(for t in "${TOOLS[@]}"; do sig3 "${MA[bulk,$t]}"; done)
row "  CPU s/GB, B (tls->tcp, terminates)" $(for t in "${TOOLS[@]}"; do sig3 "${MB[bulk,$t]}"; done)
row "  CPU s/GB, A + B" $(for t in "${TOOLS[@]}"; do sig3 "$(both "${MA[bulk,$t]}" "${MB[bulk,$t]}")"; done)
row "handshakes/s, $INFLIGHT in flight" $(for t in "${TOOLS[@]}"; do sig3 "${MED[short,$t]}"; done)
row "  CPU us/handshake, A (client side)" $(for t in "${TOOLS[@]}"; do sig3 "${MA[short,$t]}"; done)
row "  CPU us/handshake, B (server side)" $(for t in "${TOOLS[@]}"; do sig3 "${MB[short,$t]}"; done)
echo
echo "sock against the others (rate: above 1 is better; CPU: below 1 is better):"
for t in "${TOOLS[@]}"; do
	[ "$t" = sock ] && continue
	echo "  vs $t: throughput $(ratio "${MED[bulk,sock]}" "${MED[bulk,$t]}")," \
		"CPU/GB A+B $(ratio "$(both "${MA[bulk,sock]}" "${MB[bulk,sock]}")" "$(both "${MA[bulk,$t]}" "${MB[bulk,$t]}")")," \
		"terminating side $(ratio "${MB[bulk,sock]}" "${MB[bulk,$t]}")," \
		"handshakes/s $(ratio "${MED[short,sock]}" "${MED[short,$t]}")"
done
for t in "${TOOLS[@]}"; do
	[ -n "${CIPHER[$t]:-}" ] && echo "negotiated with $t's B (openssl s_client): ${CIPHER[$t]}"
done
have_tool stunnel && echo "stunnel: $("$(stunnel_bin)" -version 2>&1 | grep -m1 '^stunnel')," \
	"defaults (threads), A: verifyChain + checkHost=localhost."
have_tool socat && echo "socat: $(socat -V | sed -n 's/^socat version \([^ ]*\).*/\1/p'), -b 262144, fork, A: cafile + commonname=localhost."
echo "CPU: utime + stime + cutime + cstime of each relay's processes, from /proc (1/$CLK_TCK s ticks)."
tail -1 "$T/sink.out"
for n in "${NOTES[@]}"; do echo "NOTE: $n"; done
echo "$(($(date +%s) - T0)) s in all."
exit "$FAILED"
