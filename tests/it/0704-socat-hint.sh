#!/usr/bin/env bash
# socat's address syntax typed as an endpoint: the usual bad-endpoint
# error, then one line with sock's spelling; exit 2.  The man page's
# example is the one printed.
. "$(dirname "$0")/lib.sh"
plan 11

# hint CMD ENDPOINT WANT: exit 2 and the last line of stderr is the hint
hint() {
	timeout -k 2 5 "$SOCK" "$1" "$2" < /dev/null 2> "$T/h.err"
	local rc=$?
	test "$rc|$(tail -1 "$T/h.err")" = "2|  sock writes this as: $3" ||
		{ diag "rc=$rc: $(cat "$T/h.err")"; return 1; }
}

check "TCP:host:80" hint connect TCP:host:80 "sock connect host:80"
check "tcp4:127.0.0.1:80" hint connect tcp4:127.0.0.1:80 "sock connect -4 127.0.0.1:80"
check "TCP-LISTEN:8080,fork,reuseaddr" hint listen TCP-LISTEN:8080,fork,reuseaddr "sock listen -k :8080"
check "TCP-LISTEN:8080 (reads as host:port: still refused)" hint listen TCP-LISTEN:8080 "sock listen :8080"
check "UDP-LISTEN:5353" hint listen UDP-LISTEN:5353 "sock listen udp://:5353"
check "udp:host:53" hint connect udp:host:53 "sock connect udp://host:53"
check "UNIX-CONNECT:/run/x.sock" hint connect UNIX-CONNECT:/run/x.sock "sock connect unix:/run/x.sock"
check "STDIO" hint connect STDIO "sock connect HOST:PORT (stdin/stdout is always the other side: there is no word for it)"

# 10-11: sock's own spelling, mistyped, gets no socat hint
nohint() {
	timeout -k 2 5 "$SOCK" connect "$1" < /dev/null 2> "$T/h.err"
	test "$?|$(grep -c 'sock writes this as' "$T/h.err")" = "2|0" ||
		{ diag "$(cat "$T/h.err")"; return 1; }
}
check "tcp://localhost:70000: no socat hint" nohint tcp://localhost:70000
check "tcp:/127.0.0.1:80: no socat hint" nohint tcp:/127.0.0.1:80

# 9: sock.1 shows the same translation
man=$(cd "$(dirname "$0")/../.." && pwd)/docs/sock.1
check "sock.1 quotes the hint for TCP-LISTEN:8080,fork as printed" \
	grep -q 'sock writes this as: sock listen \\-k :8080' "$man"
done_testing
