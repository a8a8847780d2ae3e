#!/usr/bin/env bash
# sock top's view at 80x24 in a private network namespace: a known
# connection shows under its owning process (the tree, by default) and
# with its PID/Program in the flat list (t), whole at 80 columns though
# its name has wide characters (measured in cells, not bytes); the
# tree folds and unfolds a process; n switches between names and
# numbers; q gives the shell back with exit status 0.
. "$(dirname "$0")/lib.sh"
need python3
need tmux
. "$(dirname "$0")/top_tmux.sh"
top_netns 90
plan 9

ip link set lo up
NAME=测试top
bg python3 "$HERE/top_ui_peer.py" pair "$T/st" 0 1 "$NAME"
ppid=$!
wait_for grep -q '^ports' "$T/st" || { echo "Bail out! peer did not start"; exit 1; }
read -r _ L C < <(grep '^ports' "$T/st")
diag "listener :$L, client :$C, owner $ppid"

tm_start 80 24
tm_run "$SOCK top -ta -d 0.5 --numeric; echo top-exit=\$?"

# 1-2: the tree: the owner's row, then its three sockets
wait_screen 15 "^- $ppid $NAME \(3\)"
ok $? "tree: the owner's row '- $ppid $NAME (3)'"
show "$T/screen"
check "its listener, client and accepted sockets follow it, the last as └" \
	awk -v pid="- $ppid " -v l=":$L" 'index($0, pid) == 1 { n = NR }
		n && NR > n && NR <= n + 3 && index($0, l) { k++; last = $0 }
		END { exit !(k == 3 && last ~ /^└/) }' "$T/screen"

# 4: - folds the selected process (the first row: Home), + unfolds it
tm_keys Home -
wait_screen 5 "^\+ $ppid $NAME \(3\)" &&
	! grep -q ":$C " "$T/screen"
ok $? "- folds the process: '+ $ppid', its sockets hidden"
tm_keys +
wait_screen 5 "127\.0\.0\.1:$C "
ok $? "+ unfolds it again"

# 5-6: t: the flat list, the owner in the PID/Program column; 80 columns
# still show the addresses, the state and both rates
tm_keys t
wait_cell 5 "$(conn "$C" "$L")" "PID/Program" test "$ppid/$NAME" =
ok $? "flat list (t): the client's PID/Program is $ppid/$NAME"
show "$T/screen"
check "at 80x24 the titles keep Local, Remote, State, Send/s, Recv/s" \
	sh -c 'l=$(grep -m1 "Local Address" "$1"); for w in "Remote Address" State Send/s Recv/s; do
		case $l in *"$w"*) ;; *) exit 1 ;; esac; done' _ "$T/screen"

# 7: n: names (localhost from /etc/hosts), n again: numbers
if getent hosts 127.0.0.1 | grep -qw localhost; then
	tm_keys n
	wait_screen 5 "localhost" && { tm_keys n; wait_screen 5 "127\.0\.0\.1:$C "; }
	ok $? "n shows names (localhost), n again numbers"
else
	ok 0 "# SKIP 127.0.0.1 has no name here"
fi

# 8: q: the shell's prompt is back, sock top exited 0
tm_keys q
wait_screen 5 "^top-exit=0"
ok $? "q: sock top exits 0"
screen "$T/screen"
check "the shell's prompt is back after q" grep -q 'top-test\$ *$' "$T/screen"
done_testing
