# tests/it/proxy_lib.sh - real proxy servers for the 102x tests (sourced
# after lib.sh): each on a free loopback port, with its own config file in
# $T, started in the background (pid in PIDS) and waited for.

# port_open PORT: something accepts on 127.0.0.1:PORT
port_open() { (exec 3<> "/dev/tcp/127.0.0.1/$1") 2> /dev/null; }

# danted_bg NAME [RULE...]: Dante (SOCKS4 and SOCKS5, no authentication)
# for clients of 127.0.0.0/8; each RULE is a config line placed before the
# rule that lets everything else through ("socks block { ... }"); sets
# dport
danted_bg() {
	local name=$1; shift
	dport=$(free_port tcp)
	{
		echo "logoutput: $T/$name.log"
		echo "internal: 127.0.0.1 port = $dport"
		echo "external: 127.0.0.1"
		echo "socksmethod: none"
		echo "clientmethod: none"
		if [ "$(id -u)" = 0 ]; then
			echo "user.privileged: root"
			echo "user.unprivileged: nobody"
		fi
		echo "client pass { from: 127.0.0.0/8 to: 0.0.0.0/0 }"
		for r in "$@"; do echo "$r"; done
		echo "socks pass { from: 127.0.0.0/8 to: 0.0.0.0/0 command: connect }"
	} > "$T/$name.conf"
	bg danted -f "$T/$name.conf" -p "$T/$name.pid" -N 1 > "$T/$name.out" 2>&1
	wait_for port_open "$dport"
}

# microsocks_bg NAME [USER PASSWORD]: microsocks (SOCKS5 only; with
# USER/PASSWORD it demands them); sets mport
microsocks_bg() {
	local name=$1; shift
	mport=$(free_port tcp)
	if [ $# -eq 2 ]; then
		bg microsocks -i 127.0.0.1 -p "$mport" -u "$1" -P "$2" > "$T/$name.log" 2>&1
	else
		bg microsocks -i 127.0.0.1 -p "$mport" > "$T/$name.log" 2>&1
	fi
	wait_for port_open "$mport"
}

# tinyproxy_bg NAME [LINE...]: tinyproxy (HTTP CONNECT), extra config
# LINEs (ConnectPort N: only those ports; BasicAuth USER PASSWORD); sets
# hport
tinyproxy_bg() {
	local name=$1; shift
	hport=$(free_port tcp)
	{
		echo "Port $hport"
		echo "Listen 127.0.0.1"
		echo "Timeout 20"
		echo "Allow 127.0.0.1"
		echo "LogLevel Error"
		echo "MaxClients 64"
		if [ "$(id -u)" = 0 ]; then
			echo "User nobody"
			echo "Group nogroup"
		fi
		for l in "$@"; do echo "$l"; done
	} > "$T/$name.conf"
	bg tinyproxy -d -c "$T/$name.conf" > "$T/$name.log" 2>&1
	wait_for port_open "$hport"
}

# until_file FILE TEXT: print "from-sock", then keep stdout open until
# TEXT is in FILE (bounded): a client's stdin for proxies that close both
# ways at the client's half-close (microsocks), so the reply is not lost
until_file() {
	echo from-sock
	wait_for grep -q "$2" "$1"
}

# echo_bg: an echo server on 127.0.0.1 for any number of connections
# (relay_peer.py serve --mode echo); sets eport, its log in $T/echo.out.
# The same port on ::1 too where the host has it: a proxy that resolves
# "localhost" may get ::1 first (a stock Debian /etc/hosts) and try no
# other address.  A port taken on ::1 meanwhile: start again (5 tries).
echo_bg() {
	local try
	for try in 1 2 3 4 5; do
		rpeer_bg echo serve 127.0.0.1:0 --mode echo || return 1
		eport=${at##*:}
		python3 -c 'import socket; socket.socket(socket.AF_INET6).bind(("::1", 0))' \
			2> /dev/null || return 0
		rpeer_bg echo6 serve "[::1]:$eport" --mode echo && return 0
		kill "$rpeer_pid" 2> /dev/null
	done
	return 1
}

# through NAME URL TARGET [ARG...]: "sock connect --proxy URL ARG...
# TARGET" whose stdin says from-sock and stays open until the echo has
# come back; sets rc and out, its stderr in $T/NAME.err
through() {
	local name=$1 url=$2 target=$3; shift 3
	until_file "$T/$name.out" from-sock |
		timeout -k 2 20 "$SOCK" connect --proxy "$url" "$@" "$target" \
			> "$T/$name.out" 2> "$T/$name.err"
	rc=${PIPESTATUS[1]}
	out=$(cat "$T/$name.out")
}

# refused_by NAME URL TARGET [ARG...]: the same for a connection that is
# to fail: stdin ends at once; sets rc, and err (the one stderr line)
refused_by() {
	local name=$1 url=$2 target=$3; shift 3
	echo from-sock | timeout -k 2 20 "$SOCK" connect --proxy "$url" "$@" \
		"$target" > "$T/$name.out" 2> "$T/$name.err"
	rc=$?
	err=$(cat "$T/$name.err")
}
