#!/usr/bin/env bash
# --allow-uid for Unix endpoints, by the peer's credentials (SO_PEERCRED):
# a client run as nobody is refused (closed at once, -v names its uid,
# never reaches --exec or TO) unless nobody is listed, by name or number.
. "$(dirname "$0")/lib.sh"
need python3
nobody_sock || skip_all "$why"
plan 10

name=sock-acl-$$
cat > "$T/prog.sh" <<'SH'
#!/bin/sh
echo ran >> "$RAN"
cat > /dev/null
echo served
SH
chmod +x "$T/prog.sh"
: > "$T/ran"
# as WHO (root or nobody) send "hi" to unix:@NAME; sets out and rc
as() {
	local who=$1 ep=$2
	if [ "$who" = nobody ]; then
		out=$(echo hi | timeout -k 2 10 "${AS_NOBODY[@]}" "$NOBODY_SOCK" connect "$ep" 2> /dev/null)
	else
		out=$(echo hi | timeout -k 2 10 "$SOCK" connect "$ep" 2> /dev/null)
	fi
	rc=$?
}

# 1-5: listen --allow-uid root
RAN=$T/ran listen_bg l1 "unix:@$name" -k --allow-uid root --exec "$T/prog.sh" < /dev/null
as root "unix:@$name"
check "root, listed, is served" test "$out" = served
as nobody "unix:@$name"
check "nobody, not listed, gets nothing" test -z "$out"
check "-v names the refused uid" \
	wait_for grep -q 'refused .*: uid 65534 is not in --allow-uid' "$T/l1.err"
check "the program ran for root only" test "$(wc -l < "$T/ran")" = 1
as root "unix:@$name"
check "the listener goes on" test "$out" = served
stop $lpid

# 6-7: by name and by number
listen_bg l2 "unix:@$name-2" -k --allow-uid 0,nobody --exec "$T/prog.sh" < /dev/null
as nobody "unix:@$name-2"
check "--allow-uid 0,nobody: nobody is served" test "$out" = served
stop $lpid
listen_bg l3 "unix:@$name-3" -k --allow-uid 65534 --exec "$T/prog.sh" < /dev/null
as root "unix:@$name-3"
check "--allow-uid 65534: root is refused" test -z "$out"
stop $lpid

# 8-9: relay with a Unix FROM
rpeer_bg tgt serve 127.0.0.1:0 --mode echo || exit 1
relay_bg r1 --allow-uid root "unix:@$name-r" 127.0.0.1:$at
as nobody "unix:@$name-r"
as root "unix:@$name-r"
check "relay: root is relayed" test "$out" = hi
check "relay: nobody never reached TO (one connection there)" \
	sh -c "test \$(grep -c '^open' '$T/tgt.out') = 1 && grep -q 'uid 65534 is not in --allow-uid' '$T/r1.err'"

# 10: bad words
"$SOCK" listen --allow-uid no-such-user-here "unix:@$name-x" < /dev/null 2> "$T/u.err"
check "an unknown user: exit 2, named" \
	sh -c "test $? = 2 && grep -q \"bad --allow-uid 'no-such-user-here'\" '$T/u.err'"

done_testing
