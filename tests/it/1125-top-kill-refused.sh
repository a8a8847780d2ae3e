#!/usr/bin/env bash
# sock top's k when it cannot or should not kill (private network
# namespace, 160x40): on a process row it asks for a socket; on an
# unconnected UDP socket it refuses (its port would be freed); answered
# n it kills nothing; without CAP_NET_ADMIN k, y says it needs
# CAP_NET_ADMIN and the peer sees no reset.
. "$(dirname "$0")/lib.sh"
need python3
need tmux
need setpriv
. "$(dirname "$0")/top_tmux.sh"
top_netns 120
plan 6

ip link set lo up
bg python3 "$HERE/top_ui_peer.py" pair "$T/st" 0 1
wait_for grep -q '^ports' "$T/st" || { echo "Bail out! peer did not start"; exit 1; }
read -r _ L C < <(grep '^ports' "$T/st")
bg python3 -c 'import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0))
print(s.getsockname()[1], flush=True); time.sleep(100)' > "$T/udp"
wait_for test -s "$T/udp"
U=$(cat "$T/udp")

tm_start 160 40
tm_run "$SOCK top -tua -d 0.5 --numeric; echo top-exit=\$?"
wait_screen 15 "127\.0\.0\.1:$C " || { show "$T/screen"; echo "Bail out! no rows"; exit 1; }

# 1: the tree's first row is a process: k asks for a socket
tm_keys Home k
wait_screen 5 "select a socket \(not a process\) to kill"
ok $? "k on a process row: select a socket"

# 2: an unconnected UDP socket is refused
tm_keys t Home /
tm_text "127.0.0.1:$U"
tm_keys Enter k
wait_screen 5 "an unconnected UDP socket is not killed"
ok $? "k on an unconnected UDP socket: refused, its port would be freed"
show "$T/screen"

# 3: n to the question kills nothing
tm_keys Home /
tm_text "127.0.0.1:$C"
tm_keys Enter k
# (":C" is in both ends' rows: the client's local, the server's remote)
wait_screen 5 "Kill tcp 127\.0\.0\.1:($C|$L) -> 127\.0\.0\.1:($C|$L)\? \(y/n\)" && tm_keys n &&
	wait_screen 5 "not killed"
ok $? "k, then n: not killed"
sleep 1
check "the peer saw no reset" sh -c '! grep -q reset "$1"' _ "$T/st"
tm_keys q
wait_screen 5 "^top-exit=0"

# 5-6: without CAP_NET_ADMIN
tm_run "clear; setpriv --bounding-set=-net_admin $SOCK top -t -d 0.5 --numeric; echo top-exit=\$?"
wait_screen 15 "127\.0\.0\.1:$C " || { show "$T/screen"; echo "Bail out! no rows"; exit 1; }
tm_keys t Home /
tm_text "127.0.0.1:$C"
tm_keys Enter k
wait_screen 5 "Kill tcp 127\.0\.0\.1:($C|$L) -> 127\.0\.0\.1:($C|$L)\?" && tm_keys y &&
	wait_screen 5 "cannot kill: destroying sockets needs CAP_NET_ADMIN"
ok $? "no CAP_NET_ADMIN: k, y says it needs CAP_NET_ADMIN"
show "$T/screen"
sleep 1
check "and the peer saw no reset" sh -c '! grep -q reset "$1"' _ "$T/st"
tm_keys q
wait_screen 5 "^top-exit=0"
done_testing
