#!/usr/bin/env bash
# connect --proxy against things that are not proxies, and bad --proxy
# words: a server that greets in another protocol (exit 6, "not a
# proxy"), one that closes at once (exit 6), one that never answers (-w:
# exit 1, timed out), no server at all (exit 1, the proxy named); usage
# errors exit 2 naming what was wrong.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/proxy_lib.sh"
plan 14

# greeter NAME TEXT: a "sock listen" that sends TEXT to its client and
# keeps its stdin open (the writer is ours, in PIDS); sets lpid and port
greeter() {
	mkfifo "$T/$1.in"
	bg sh -c "exec > '$T/$1.in'; printf '$2'; exec sleep 30"
	listen_bg "$1" 127.0.0.1:0 < "$T/$1.in"
}

# 1-2: an SMTP-like greeting where a SOCKS5 answer was due
greeter smtp '220 mail.example ESMTP\r\n'
refused_by c1 socks5://127.0.0.1:$port 127.0.0.1:9
check "a server greeting in another protocol: exit 6 ($err)" \
	sh -c "test $rc = 6 && grep -q 'this is not a proxy of that kind' '$T/c1.err'"
check "one line" test "$(wc -l < "$T/c1.err")" = 1
stop $lpid

# 3: an HTTP proxy that answers with an SSH banner
greeter ssh 'SSH-2.0-OpenSSH_9.2\r\n'
refused_by c3 http://127.0.0.1:$port 127.0.0.1:9
check "an SSH banner for an HTTP proxy: exit 6" \
	sh -c "test $rc = 6 && grep -q 'this is not a proxy of that kind' '$T/c3.err'"
stop $lpid

# 4: a server that closes at once
listen_bg gone 127.0.0.1:0 -q 0 < /dev/null
refused_by c4 socks5://127.0.0.1:$port 127.0.0.1:9
check "a server that closes before answering: exit 6 ($err)" \
	sh -c "test $rc = 6 && grep -q 'the proxy closed the connection before it answered' '$T/c4.err'"

# 5: a server that never answers: -w bounds the handshake
hold_stdin "$T/hold"
listen_bg mute 127.0.0.1:0 < "$T/hold"
start=$(date +%s%N)
refused_by c5 socks5://127.0.0.1:$port 127.0.0.1:9 -w 1
ms=$((($(date +%s%N) - start) / 1000000))
check "a proxy that never answers: exit 1 after -w 1 (${ms} ms: $err)" \
	sh -c "test $rc = 1 && test $ms -lt 8000 && grep -q 'the proxy took the connection but did not answer in time' '$T/c5.err'"
stop $lpid

# 6: nothing listens where the proxy should be
free=$(free_port tcp)
refused_by c6 socks5://127.0.0.1:$free 127.0.0.1:9
check "no proxy there: exit 1, the proxy named ($err)" \
	sh -c "test $rc = 1 && grep -q 'connect to proxy 127.0.0.1:$free: ' '$T/c6.err'"

# 7-14: usage errors, exit 2, naming what was wrong
usage() { "$SOCK" connect "$@" < /dev/null > /dev/null 2> "$T/u.err"; echo $?; }
check "an unknown scheme" \
	sh -c "test $(usage --proxy ftp://127.0.0.1:21 127.0.0.1:9) = 2 && grep -q \"bad --proxy 'ftp://127.0.0.1:21'\" '$T/u.err'"
check "a bad port in --proxy" \
	sh -c "test $(usage --proxy socks5://127.0.0.1:99999 127.0.0.1:9) = 2 && grep -q 'port above 65535' '$T/u.err'"
check "SOCKS4a with an IPv6 target" \
	sh -c "test $(usage --proxy socks4a://127.0.0.1:1080 '[::1]:9') = 2 && grep -q 'SOCKS4a carries no IPv6 address' '$T/u.err'"
check "a UDP target" \
	sh -c "test $(usage --proxy socks5://127.0.0.1:1080 udp://127.0.0.1:9) = 2 && grep -q 'TCP targets only' '$T/u.err'"
check "-z with --proxy" \
	sh -c "test $(usage -z --proxy socks5://127.0.0.1:1080 127.0.0.1 9) = 2 && grep -q 'tests ports directly' '$T/u.err'"
check "--proxy-auth-file without --proxy" \
	sh -c "test $(usage --proxy-auth-file /etc/hostname 127.0.0.1:9) = 2 && grep -q 'need --proxy' '$T/u.err'"
check "an unreadable --proxy-auth-file" \
	sh -c "test $(usage --proxy socks5://u@127.0.0.1:1 --proxy-auth-file "$T/none" 127.0.0.1:9) = 2 && grep -q \"cannot read --proxy-auth-file '$T/none'\" '$T/u.err'"
check "a user name with a password" \
	sh -c "test $(usage --proxy http://u:pw@127.0.0.1:1 127.0.0.1:9) = 2 && grep -q 'would show in ps' '$T/u.err'"

done_testing
