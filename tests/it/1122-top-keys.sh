#!/usr/bin/env bash
# sock top's keys do what they say (private network namespace, 160x40):
# f takes a filter in sock list's language and the table shows only what
# passes; a bad filter is one line on the status line and the view goes
# on with the old one; the rows follow the sort column (Recv/s, biggest
# first), r reverses, > moves the sort to the next column; / finds a row;
# k asks, then destroys the selected socket and its peer sees a reset.
. "$(dirname "$0")/lib.sh"
need python3
need tmux
. "$(dirname "$0")/top_tmux.sh"
top_netns 120
plan 11

ip link set lo up
# pair A: quiet; pair B: sends 100000 B/s for 40 s
bg python3 "$HERE/top_ui_peer.py" pair "$T/a" 0 1
bg python3 "$HERE/top_ui_peer.py" pair "$T/b" 4000000 100000
wait_for grep -q '^ports' "$T/a" && wait_for grep -q '^ports' "$T/b" ||
	{ echo "Bail out! peers did not start"; exit 1; }
read -r _ LA CA < <(grep '^ports' "$T/a")
read -r _ LB CB < <(grep '^ports' "$T/b")
diag "A :$LA <- :$CA, B :$LB <- :$CB"

tm_start 160 40
tm_run "$SOCK top -t -d 0.5 --numeric; echo top-exit=\$?"
wait_screen 15 "127\.0\.0\.1:$CB " || { show "$T/screen"; echo "Bail out! no rows"; exit 1; }
tm_keys t # flat
col() { python3 "$HERE/top_screen.py" column "$T/screen" "$1"; }
# in_order FILE [-r]: sizes (n/a last) biggest first (-r: smallest first)
in_order() {
	python3 -B -c 'import sys
sys.path.insert(0, sys.argv[1]); import top_screen as t
v = [t.to_bytes(x) if x not in ("", "n/a") else -1 for x in open(sys.argv[2]).read().split()]
rev = len(sys.argv) > 3
sys.exit(not v or v != sorted(v, reverse=not rev))' "$HERE" "$@"
}

# 1: sorted by Recv/s, biggest first: B's receiver on top
wait_cell 10 "$(conn "$LB" "$CB")" "Recv/s" sh -c '[ "$1" != 0 ] && [ -n "$1" ]' _
wait_screen 5 "Recv/s▼"
col Recv/s > "$T/c1"
check "sorted by Recv/s (▼), biggest first" in_order "$T/c1"
# 2: r: smallest first
tm_keys r
wait_screen 5 "Recv/s▲"
col Recv/s > "$T/c2"
check "r: the same column, smallest first (▲)" in_order "$T/c2" -r
tm_keys r
# 3: >: the next column (Sent) is the sort column
tm_keys '>'
wait_screen 5 "Sent▼"
ok $? "> moves the sort to the next column (Sent▼)"
col Sent > "$T/c3"
check "rows in Sent order, biggest first" in_order "$T/c3"

# 4: f: a filter in sock list's language; the sockets it leaves out
# vanish at once (they did not close)
tm_keys f
tm_text "dport $LA"
tm_keys Enter
wait_screen 5 "filter: dport $LA" && ! grep -q ":$CB " "$T/screen" &&
	grep -q "127\.0\.0\.1:$CA  *127\.0\.0\.1:$LA " "$T/screen"
ok $? "f 'dport $LA': only A's client is shown"
show "$T/screen"

# 5: a bad filter: one line saying so, the old filter and rows stay
tm_keys f C-u
tm_text "dport banana"
tm_keys Enter
wait_screen 5 "filter not changed" && grep -q "filter: dport $LA" "$T/screen" &&
	grep -q "127\.0\.0\.1:$CA " "$T/screen"
ok $? "a bad filter: 'filter not changed: why' on the status line, the view goes on"
show "$T/screen"
check "the message is one line" test "$(grep -c 'filter not changed' "$T/screen")" = 1

# 6: an empty filter: everything again
tm_keys f C-u Enter
wait_screen 5 "127\.0\.0\.1:$CB "
ok $? "an empty filter shows every socket again"

# 7: / finds a socket of pair A (":LA" is in both its ends' rows); k
# on it asks first
tm_keys Home /
tm_text ":$LA"
tm_keys Enter k
wait_screen 5 "Kill tcp 127\.0\.0\.1:($LA|$CA) -> 127\.0\.0\.1:($LA|$CA)\? \(y/n\)"
ok $? "/ then k: asks before killing one of A's sockets"
show "$T/screen"

# 8: y: the socket is destroyed, A's peer sees a reset, B does not
tm_keys y
wait_for grep -q reset "$T/a"
ok $? "y: the killed socket's peer sees a reset"
check "the other pair goes on" sh -c '! grep -q reset "$1"' _ "$T/b"
tm_keys q
wait_screen 5 "^top-exit=0"
done_testing
