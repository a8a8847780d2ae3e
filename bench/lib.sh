# bench/lib.sh - what the benchmarks share: starting and stopping the
# processes a run started (by pid, in LIVE), free ports, CPU time and
# memory of a process tree from /proc, medians and ratios.  The caller
# sets T (its temporary directory) and declares LIVE (-A) before use.

# stop_pid PID: TERM to it and its children (socat fork, nginx workers),
# bounded wait, then KILL; only pids this script started and has not
# reaped yet (or their children), so never a recycled pid
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

# net_stack: whose network stack the figures measure
net_stack() {
	if grep -qi gvisor /proc/version 2> /dev/null || dmesg 2> /dev/null | grep -qi gvisor; then
		echo "gVisor: its own network stack (netstack), not Linux's"
	elif [ "$(uname -r)" = 4.4.0 ] && ! dmesg > /dev/null 2>&1; then
		echo "probably gVisor (kernel 4.4.0, no dmesg): not Linux's network stack"
	else
		echo "Linux"
	fi
}

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

# kids PID: its child processes
kids() { cat /proc/"$1"/task/*/children 2> /dev/null; }

# descendants PID: PID and every process below it
descendants() {
	ps -eo pid=,ppid= | awk -v root="$1" '
		{ par[$1] = $2 }
		END { for (p in par) { q = p
			while (q != root && (q in par) && q > 1) q = par[q]
			if (q == root) print p } }'
}

# cpu_ticks PID: user + system clock ticks of PID and its descendants
# (all threads), each with its reaped children (cutime, cstime)
cpu_ticks() {
	local p
	for p in $(descendants "$1"); do
		cat /proc/"$p"/stat 2> /dev/null
	done | awk '{ sub(/.*\) /, ""); s += $12 + $13 + $14 + $15 } END { print s + 0 }'
}

# pss_kib PID: Pss of PID and all its descendants, KiB
pss_kib() {
	local p
	for p in $(descendants "$1"); do
		cat /proc/"$p"/smaps_rollup 2> /dev/null
	done | awk '/^Pss:/ { s += $2 } END { print s + 0 }'
}

# fds PID: open descriptors of PID
fds() { ls /proc/"$1"/fd 2> /dev/null | wc -l; }

median() {
	tr ' ' '\n' | grep . | sort -g | awk '
		/FAIL/ { fail = 1 } { a[NR] = $1 }
		END { if (fail) print "FAIL"; else if (NR) print a[int((NR + 1) / 2)]; else print "n/a" }'
}

# cmedian: the median of the numbers among its words, or -
cmedian() {
	tr ' ' '\n' | grep -E '^[0-9.]+$' | sort -g | awk '
		{ a[NR] = $1 } END { if (NR) print a[int((NR + 1) / 2)]; else print "-" }'
}

ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN {
		if (a !~ /^[0-9.]+$/ || b !~ /^[0-9.]+$/ || b + 0 == 0) print "-"
		else printf "%.2fx", a / b }'
}

# sig3 V: V to 3 significant digits without an exponent, or V as it is
sig3() {
	awk -v v="$1" 'BEGIN {
		if (v !~ /^[0-9.]+$/) print v
		else if (v >= 100) printf "%.0f\n", v
		else if (v >= 10) printf "%.1f\n", v
		else if (v >= 1) printf "%.2f\n", v
		else printf "%.3f\n", v }'
}

# wait_no_kids PID: until PID's children are gone (3 s): socat's fork
# children end with their session, and once reaped their CPU time is in
# socat's cutime/cstime, counted exactly once
wait_no_kids() {
	for _ in $(seq 60); do
		[ -z "$(kids "$1")" ] && return 0
		sleep 0.05
	done
}
