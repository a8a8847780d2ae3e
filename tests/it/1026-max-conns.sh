#!/usr/bin/env bash
# --max-conns N: listen -k --exec runs at most N programs at once (one
# connection, one program); the next client waits in the listen backlog,
# as relay's sessions do (ncat instead accepts and closes it), and is
# served once a program ends.  relay takes --max-conns as --max-sessions.
. "$(dirname "$0")/lib.sh"
need python3
need ss
plan 8

cat > "$T/prog.sh" <<'SH'
#!/bin/sh
echo "$SOCK_PEER" >> "$STARTS"
# hold the connection until the test lets go (bounded)
i=0
while [ ! -e "$RELEASE" ] && [ $i -lt 300 ]; do sleep 0.05; i=$((i + 1)); done
cat > /dev/null
echo done
SH
chmod +x "$T/prog.sh"
: > "$T/starts"
STARTS=$T/starts RELEASE=$T/release listen_bg l1 127.0.0.1:0 -k --max-conns 2 \
	--exec "$T/prog.sh" < /dev/null
lport=$port
for i in 1 2 3; do
	bg timeout -k 2 30 python3 "$PEER" connect 127.0.0.1:$lport --send hi --shut-wr \
		--print data --timeout 25 > "$T/c$i.out"
done
starts() { wc -l < "$T/starts"; }
started() { test "$(starts)" = "$1"; }
# the third waits in the accept queue: ss shows it in the listener's Recv-Q
queued() { test "$(ss -Hltn "sport = :$lport" | awk '{ print $2 }')" = 1; }

# 1-3
check "two programs start" wait_for started 2
check "the third client waits in the listen backlog" wait_for queued
check "... and no third program runs meanwhile" test "$(starts)" = 2
# 4-5
touch "$T/release"
check "once a program ends, the third is served" wait_for started 3
all_done() { for i in 1 2 3; do test "$(cat "$T/c$i.out")" = done || return 1; done; }
check "all three clients got their answer" wait_for all_done
stop $lpid

# 6: bad values
"$SOCK" listen -k --max-conns 0 127.0.0.1:0 < /dev/null 2> "$T/u.err"
check "--max-conns 0: exit 2, named" \
	sh -c "test $? = 2 && grep -q \"bad --max-conns '0'\" '$T/u.err'"

# 7-8: relay --max-conns 1: the second client waits until the first ends
rpeer_bg tgt serve 127.0.0.1:0 --mode echo || exit 1
relay_bg r1 --max-conns 1 127.0.0.1:0 127.0.0.1:$at
bg timeout -k 2 20 python3 "$RPEER" talk 127.0.0.1:$rport --send a --read-until a \
	--hold 1.5 --shut-wr > "$T/a.out"
wait_for grep -q ready "$T/a.out"
timeout -k 2 20 python3 "$RPEER" talk 127.0.0.1:$rport --send b --read-until b --shut-wr > "$T/b.out"
check "relay --max-conns 1: the second client is served after the first" \
	sh -c "grep -q '^eof' '$T/b.out' && grep -q '^held' '$T/a.out' && grep -q '^eof' '$T/a.out'"
check "relay --max-conns 1: never two sessions at the target at once" \
	test "$(max_open "$T/tgt.out")" = 1

done_testing
