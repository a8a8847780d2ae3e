#!/usr/bin/env bash
# listen --allow/--deny/--allow-file/--deny-file: clients bound to
# 127.0.0.1 and 127.0.0.2; deny wins over allow; an allow list refuses
# everyone else; a dual-stack listener judges IPv4 clients by their IPv4
# address; a refused client is closed at once, logged with -v, and never
# reaches --exec.  Bad words and files: exit 2 naming them.
. "$(dirname "$0")/lib.sh"
need python3
plan 17

# client NAME FROM PORT [HOST]: a client bound to FROM sends "hi" and
# prints what comes back (empty: closed at once)
client() {
	timeout -k 2 10 python3 "$PEER" connect "${4:-127.0.0.1}:$3" --bind "$2:0" \
		--send hi --shut-wr --print data --timeout 5 > "$T/$1.out" 2> "$T/$1.cerr"
}
# exec_bg NAME OPTION...: "listen -k --exec" a program that notes each
# client it runs for in $T/NAME.ran and answers "served"
cat > "$T/prog.sh" <<'SH'
#!/bin/sh
echo "$SOCK_PEER" >> "$RAN"
cat > /dev/null
echo served
SH
chmod +x "$T/prog.sh"
exec_bg() {
	local name=$1 ep=$2; shift 2
	: > "$T/$name.ran"
	RAN=$T/$name.ran listen_bg "$name" "$ep" -k --exec "$T/prog.sh" "$@" < /dev/null
}

# 1-5: --allow one address
exec_bg a1 127.0.0.1:0 --allow 127.0.0.1
client c1 127.0.0.1 $port
check "127.0.0.1 is allowed and served" test "$(cat "$T/c1.out")" = served
client c2 127.0.0.2 $port
check "127.0.0.2 is not in the allow list: closed at once, nothing back" \
	test ! -s "$T/c2.out"
check "-v logs the refusal with the client's address" \
	wait_for grep -q 'refused tcp://127.0.0.2:[0-9]*: not allowed by --allow/--deny' "$T/a1.err"
check "the refused client never reached --exec (one run, 127.0.0.1's)" \
	sh -c "test \$(wc -l < '$T/a1.ran') = 1 && grep -q '^tcp://127.0.0.1:' '$T/a1.ran'"
client c3 127.0.0.1 $port
check "the listener goes on after a refusal" test "$(cat "$T/c3.out")" = served
stop $lpid

# 6-7: deny wins over allow
exec_bg a2 127.0.0.1:0 --allow 127.0.0.0/8 --deny 127.0.0.2
client c4 127.0.0.2 $port
client c5 127.0.0.3 $port
check "--deny 127.0.0.2 wins over --allow 127.0.0.0/8" test ! -s "$T/c4.out"
check "127.0.0.3, in the allow block, is served" test "$(cat "$T/c5.out")" = served
stop $lpid

# 8-9: a deny list alone lets everyone else in
exec_bg a3 127.0.0.1:0 --deny 127.0.0.2/32,10.0.0.0/8
client c6 127.0.0.2 $port
client c7 127.0.0.1 $port
check "--deny alone: the denied client is refused" test ! -s "$T/c6.out"
check "--deny alone: everyone else is served" test "$(cat "$T/c7.out")" = served
stop $lpid

# 10-11: files, with comments and blank lines
printf '# lab hosts\n\n127.0.0.0/29   # loopback block\n' > "$T/allow.txt"
printf '127.0.0.2\n' > "$T/deny.txt"
exec_bg a4 127.0.0.1:0 --allow-file "$T/allow.txt" --deny-file "$T/deny.txt"
client c8 127.0.0.1 $port
client c9 127.0.0.2 $port
check "--allow-file: 127.0.0.1 is served" test "$(cat "$T/c8.out")" = served
check "--deny-file: 127.0.0.2 is refused" test ! -s "$T/c9.out"
stop $lpid

# 12: a dual-stack listener sees ::ffff:127.0.0.2, judged as 127.0.0.2
if rpeer ipv6; then
	exec_bg a5 '[::]:0' --deny 127.0.0.2
	client c10 127.0.0.2 $port
	client c11 127.0.0.1 $port
	check "dual-stack listener: IPv4-mapped clients are judged by their IPv4 address" \
		sh -c "test ! -s '$T/c10.out' && test \"\$(cat '$T/c11.out')\" = served"
	stop $lpid
else
	ok 0 "# SKIP no IPv6 on this machine"
fi

# 13-17: bad words and files, exit 2, the offending word named
usage() { "$SOCK" listen "$@" < /dev/null > /dev/null 2> "$T/u.err"; echo $?; }
check "a bad CIDR is named" \
	sh -c "test $(usage --allow 127.0.0.1,10.0.0.0/33 127.0.0.1:0) = 2 && grep -q \"bad address '10.0.0.0/33' in --allow\" '$T/u.err'"
printf '127.0.0.1\n# ok\n127.0.0.1/8\nlocalhost\n' > "$T/bad.txt"
check "a bad line in a file is named with the file and its line" \
	sh -c "test $(usage --deny-file "$T/bad.txt" 127.0.0.1:0) = 2 && grep -q \"bad address 'localhost' in --deny-file '$T/bad.txt', line 4\" '$T/u.err'"
check "a missing file" \
	sh -c "test $(usage --allow-file "$T/none" 127.0.0.1:0) = 2 && grep -q \"cannot read --allow-file '$T/none'\" '$T/u.err'"
check "--allow on a Unix endpoint points to --allow-uid" \
	sh -c "test $(usage --allow 127.0.0.1 "unix:$T/s") = 2 && grep -q 'allow-uid' '$T/u.err'"
check "--allow on UDP is refused" \
	sh -c "test $(usage --allow 127.0.0.1 udp://127.0.0.1:0) = 2 && grep -q 'clients of TCP endpoints; udp is not one' '$T/u.err'"

done_testing
