#!/usr/bin/env bash
# More of sock top's keys (private network namespace, 100x30, -C so that
# the selection is plain reverse video): End, Home and PgDn move the
# selection (the reverse line) over 121 sockets; h shows the help and any
# key leaves it; s then Right moves the sort column; p pauses (the clock
# stops, "(paused)") and, paused, sock top stays idle while the kernel's
# destroy messages wait; with a prompt open the table still refreshes;
# a tiny terminal (20x5) does not end it.
. "$(dirname "$0")/lib.sh"
need python3
need tmux
. "$(dirname "$0")/top_tmux.sh"
top_netns 120
plan 11

ip link set lo up
bg python3 "$HERE/top_ui_peer.py" many "$T/m" 60
wait_for grep -q '^port' "$T/m" || { echo "Bail out! peer did not start"; exit 1; }
read -r _ L < <(grep '^port' "$T/m")

tm_start 100 30
tm_run "$SOCK top -ta -C -d 0.5 --numeric; echo top-exit=\$?"
wait_screen 15 "Local Address" || { show "$T/screen"; echo "Bail out! no table"; exit 1; }
tm_keys t
wait_screen 5 "^tcp "
# selected N: the reverse-video line is table line N (1: the first row)
selected() {
	screen "$T/esc" -e
	awk -v n="$1" '/Local Address/ { h = NR }
		h && NR > h && match($0, /\033\[([0-9]+;)*7(;[0-9]+)*m/) { print NR - h; exit }' "$T/esc" |
		grep -qx "$1"
}
# 1-3: End, Home, PgDn (30 lines: 25 table lines, a page is 24)
tm_keys End
wait_for selected 25
ok $? "End: the last row is selected, at the bottom of the table"
tm_keys Home
wait_for selected 1
ok $? "Home: the first row"
tm_keys PageDown
wait_for selected 25
ok $? "PgDn: a page down"
tm_keys Home

# 4-5: h: the help page, any key back
tm_keys h
wait_screen 5 "kill the selected socket"
ok $? "h shows the help"
tm_keys x
wait_screen 5 "Local Address"
ok $? "a key leaves the help"

# 6: s, Right, Enter: the sort column moves from Recv/s to Sent
tm_keys s Right Enter
wait_screen 5 "Sent▼"
ok $? "s, Right, Enter: sorted by Sent"

# 7-8: p: paused, the clock stands still
tm_keys p
wait_screen 5 "\(paused\)"
ok $? "p: (paused) in the header"
clock() { screen "$T/c"; grep -o '[0-9][0-9]:[0-9][0-9]:[0-9][0-9]' "$T/c" | head -1; }
c1=$(clock); sleep 2.2; c2=$(clock)
diag "clock $c1 then $c2"
# 9: paused while 120 sockets close: sock top stays idle (the destroy
# messages wait in their socket, not in a busy loop)
shell=$(tm display-message -p -t t '#{pane_pid}')
top=$(ps -o pid= --ppid "$shell" | tr -d ' ' | head -1)
cpu() { awk '{ print $14 + $15 }' "/proc/$top/stat"; }
t0=$(cpu)
touch "$T/m.close"
wait_for grep -q closed "$T/m"
sleep 2
t1=$(cpu)
hz=$(getconf CLK_TCK)
diag "CPU while paused: $((t1 - t0)) ticks of 1/$hz s in 2 s"
check "paused, the refresh stops (the clock stays $c1)" test -n "$c1" -a "$c1" = "$c2"
check "paused with destroy messages waiting: under 0.5 s of CPU in 2 s" \
	test $(( (t1 - t0) * 2 )) -lt "$hz"
tm_keys p

# 10: a prompt open (f): the table goes on refreshing behind it
wait_screen 5 "h help"
tm_keys f
wait_screen 5 "^Filter: "
c1=$(clock); sleep 2.5; c2=$(clock)
tm_keys Escape
diag "clock $c1 then $c2 with the filter prompt open"
check "with a prompt open the refresh goes on (the clock moves)" \
	test -n "$c1" -a -n "$c2" -a "$c1" != "$c2"

# 11: a tiny terminal, then back: still running
tm resize-window -t t -x 20 -y 5
sleep 0.5
tm resize-window -t t -x 100 -y 30
wait_screen 5 "Local Address" && kill -0 "$top"
ok $? "20x5 then back: the view is still up"
tm_keys q
wait_screen 5 "^top-exit=0"
done_testing
