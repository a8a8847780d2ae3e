#!/usr/bin/env bash
# sock relay whose TO is FROM itself (the same address, or one a
# wildcard FROM listens on, or the same Unix name): refused at start with
# exit 2 and clear words, instead of relaying every client back into the
# relay until the descriptors run out.  Near misses still relay.
. "$(dirname "$0")/lib.sh"
need python3
plan 9

# self_rc FROM TO: the exit status of "sock relay FROM TO" within 3 s
# (124: it started serving); its stderr in $T/self.err
self_rc() {
	timeout -k 2 3 "$SOCK" relay "$1" "$2" < /dev/null > /dev/null 2> "$T/self.err"
	echo $?
}
# refused FROM TO: exit 2, the words say why, nothing left listening
refused() {
	local r
	r=$(self_rc "$1" "$2")
	diag "[$1 -> $2] $r: $(cat "$T/self.err")"
	[ "$r" = 2 ] && grep -q "TO .* is FROM's own address" "$T/self.err" &&
		[ "$(wc -l < "$T/self.err")" = 1 ]
}
# relays FROM TO: started and still serving after 3 s (stopped: 124)
relays() { [ "$(self_rc "$1" "$2")" = 124 ]; }

p=$(free_port tcp)
u=$(free_port udp)
check "TO is FROM: 127.0.0.1:P to 127.0.0.1:P" refused "127.0.0.1:$p" "127.0.0.1:$p"
check "a wildcard FROM :P, TO 127.0.0.1:P and localhost:P" \
	sh -c "$(declare -f refused self_rc diag); SOCK='$SOCK' T='$T';
		refused ':$p' '127.0.0.1:$p' && refused ':$p' 'localhost:$p'"
check "0.0.0.0:P, TO 127.0.0.2:P (all of 127/8 is this machine)" \
	refused "0.0.0.0:$p" "127.0.0.2:$p"
check "udp: TO is FROM" refused "udp://127.0.0.1:$u" "udp://127.0.0.1:$u"
mkdir "$T/d"
check "unix path, spelled another way; the socket file is removed" \
	sh -c "$(declare -f refused self_rc diag); SOCK='$SOCK' T='$T';
		refused 'unix:$T/d/s' 'unix:$T/d/../d/s' && ! test -e '$T/d/s'"
check "unix abstract name, and unix-dgram path" \
	sh -c "$(declare -f refused self_rc diag); SOCK='$SOCK' T='$T';
		refused 'unix:@sock-it-self-$$' 'unix:@sock-it-self-$$' &&
		refused 'unix-dgram:$T/d/g' 'unix-dgram:$T/d/g'"
if [ -e /proc/net/if_inet6 ]; then
	check "IPv4-mapped TO: 127.0.0.1:P to [::ffff:127.0.0.1]:P" \
		refused "127.0.0.1:$p" "[::ffff:127.0.0.1]:$p"
else
	ok 0 "# SKIP no IPv6"
fi
# near misses: not FROM's own address, so they relay
check "near misses relay: 127.0.0.1:P to 127.0.0.2:P, @a to @b" \
	sh -c "$(declare -f relays self_rc); SOCK='$SOCK' T='$T';
		relays '127.0.0.1:$p' '127.0.0.2:$p' &&
		relays 'unix:@sock-it-a-$$' 'unix:@sock-it-b-$$'"
check "near miss: udp TO on another port relays" \
	relays "udp://127.0.0.1:$u" "udp://127.0.0.1:$p"
done_testing
