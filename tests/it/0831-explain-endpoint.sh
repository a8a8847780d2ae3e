#!/usr/bin/env bash
# sock explain ENDPOINT (family, type, port and service name, what it
# resolves to, who listens now) and the global --explain's next steps
# under runtime errors, in a private network namespace.
. "$(dirname "$0")/lib.sh"
if [ -z "$SOCK_EXPLAIN_NETNS" ]; then
	unshare -rn true 2>/dev/null || skip_all "unshare -rn not permitted"
	exec timeout -k 2 60 unshare -rn env SOCK_EXPLAIN_NETNS=1 bash "$0"
fi
plan 21
ip link set lo up

has() { # DESCRIPTION FILE TEXT
	if grep -qF -- "$3" "$2"; then ok 0 "$1"; else
		ok 1 "$1"; sed 's/^/# /' "$2"; fi
}

# 1-4: a listening TCP port names its owner
bg "$SOCK" listen -k -v 127.0.0.1:0 > /dev/null 2> "$T/l.err"
lpid=$!
port=$(wait_port "$T/l.err") || { echo "Bail out! no listener"; exit 1; }
"$SOCK" explain "127.0.0.1:$port" > "$T/e1"; rc=$?
check "explain exits 0" test "$rc" = 0
has "family of a literal IPv4 address" "$T/e1" "IPv4 (AF_INET)"
has "type and protocol" "$T/e1" "stream (SOCK_STREAM), protocol TCP"
has "the listener and its owner" "$T/e1" "127.0.0.1:$port, held by $lpid/sock"

# 5-6: a free port
free=$(( port == 65535 ? port - 1 : port + 1 ))
"$SOCK" explain "tcp://127.0.0.1:$free" > "$T/e2"
has "a free port: nothing listens" "$T/e2" "nothing listens on TCP port $free now"
if getent services "$free/tcp" > /dev/null; then
	ok 0 "a port with no service name # SKIP $free is a service"
else
	has "a port with no service name" "$T/e2" "no service name in /etc/services"
fi

# 7-9: a service name, resolved
"$SOCK" explain localhost:https > "$T/e3"
has "https is port 443" "$T/e3" '443, the service "https" (/etc/services)'
has "localhost is a name" "$T/e3" "localhost, a name: resolved below"
has "what localhost resolves to" "$T/e3" "127.0.0.1:443 (IPv4)"

# 10-13: Unix paths: a listener, a missing file, a file that is no socket
bg "$SOCK" listen -k "unix:$T/s.sock" > /dev/null 2>&1
upid=$!
wait_for test -S "$T/s.sock"
"$SOCK" explain "unix:$T/s.sock" > "$T/e4"
has "a Unix socket file exists" "$T/e4" "exists and is a socket"
has "and who listens on it" "$T/e4" "held by $upid/sock"
"$SOCK" explain "$T/none.sock" > "$T/e5"
has "a missing Unix path" "$T/e5" "does not exist"
: > "$T/plain"
"$SOCK" explain "unix:$T/plain" > "$T/e6"
has "a regular file in the way" "$T/e6" "exists but is not a socket"

# 14: an abstract name
"$SOCK" explain unix:@sock-explain-none > "$T/e7"
has "an abstract name has no file" "$T/e7" "an abstract name: no file exists"

# 15: UDP has no listener: the socket bound to the port, and its owner
bg "$SOCK" listen -v udp://127.0.0.1:0 > /dev/null 2> "$T/u.err"
udpid=$!
uport=$(wait_port "$T/u.err") || { echo "Bail out! no UDP socket"; exit 1; }
"$SOCK" explain "udp://127.0.0.1:$uport" > "$T/e8"
has "UDP: the bound socket and its owner" "$T/e8" "bound:      127.0.0.1:$uport, held by $udpid/sock"

# 16-17: a bad endpoint is a usage error with the caret
"$SOCK" explain 127.0.0.1:9x9 > /dev/null 2> "$T/bad"; rc=$?
check "a bad endpoint exits 2" test "$rc" = 2
check "and points at the bad character" grep -q '^ *\^$' "$T/bad"

# 18-21: errors with --explain keep their hint and add next steps
"$SOCK" --explain connect "127.0.0.1:$free" < /dev/null > /dev/null 2> "$T/x1"
has "refused: the hint stays" "$T/x1" "nothing is listening at that address and port"
has "refused: next, who listens on the port" "$T/x1" \
	"next: is the server running? sock list -tln 'sport = :$free'"
"$SOCK" --explain listen "127.0.0.1:$port" < /dev/null > /dev/null 2> "$T/x2"
has "in use: next, who holds it and TIME_WAIT" "$T/x2" "TIME_WAIT ends after about 60 s"
"$SOCK" connect 127.0.0.1:"$free" < /dev/null > /dev/null 2> "$T/x3"
check "without --explain: no next steps" test "$(grep -c 'next:' "$T/x3")" = 0

exit $_failed
