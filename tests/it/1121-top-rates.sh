#!/usr/bin/env bash
# sock top's numbers against known traffic (private network namespace,
# a 160x40 terminal so that every column shows): while a client sends
# 1000000 bytes at 200000 bytes/s, the receiving end's Recv/s and the
# sender's Send/s are that rate (within 30 %: a loaded 2-core machine);
# once all is sent, the receiver's Recvd total is the byte count; after
# both ends close, the closed row stays, dimmed, with its final total
# and no rate; a UDP socket shows n/a for rates, never 0.
. "$(dirname "$0")/lib.sh"
need python3
need tmux
. "$(dirname "$0")/top_tmux.sh"
top_netns 90
plan 7

ip link set lo up
TOTAL=1000000
RATE=200000
bg python3 "$HERE/top_ui_peer.py" pair "$T/st" "$TOTAL" "$RATE"
wait_for grep -q '^ports' "$T/st" || { echo "Bail out! peer did not start"; exit 1; }
read -r _ L C < <(grep '^ports' "$T/st")
# a UDP socket: no byte counters in the kernel
bg python3 -c 'import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0))
print(s.getsockname()[1], flush=True); time.sleep(60)' > "$T/udp"
wait_for test -s "$T/udp"
U=$(cat "$T/udp")

tm_start 160 40
tm_run "$SOCK top -tua -d 1 --numeric; echo top-exit=\$?"
wait_screen 15 "127\.0\.0\.1:$C " || { show "$T/screen"; echo "Bail out! no row for the client"; exit 1; }
tm_keys t # flat: one row per socket

rate_ok() { [ -n "$1" ] && [ "$1" != n/a ] && near "$(bytes "$1")" "$RATE" 30; }
# 1-2: the rates while it sends (the first refresh may hold half an
# interval of sending: wait for one in the tolerance)
wait_cell 8 "$(conn "$L" "$C")" "Recv/s" rate_ok
ok $? "the receiver's Recv/s is $RATE B/s within 30 % ('$cell')"
show "$T/screen"
wait_cell 8 "$(conn "$C" "$L")" "Send/s" rate_ok
ok $? "the sender's Send/s is $RATE B/s within 30 % ('$cell')"

# 3: all sent: the receiver's total is the byte count (to the display's
# 3 digits)
wait_for grep -q '^sent' "$T/st"
total_ok() { near "$(bytes "$1")" "$TOTAL" 1; }
wait_cell 5 "$(conn "$L" "$C")" "Recvd" total_ok
ok $? "the receiver's Recvd is $TOTAL bytes ('$cell')"

# 4: UDP: n/a for rates and totals, not 0
wait_cell 5 "127\.0\.0\.1:$U " "Recv/s" test n/a =
ok $? "a UDP socket's Recv/s is n/a ('$cell')"

# 5-7: both ends close: the receiver's row stays with its final total,
# no rate, dimmed (SGR 2 on its line)
touch "$T/st.close"
wait_for grep -q '^closed' "$T/st"
wait_cell 5 "$(conn "$L" "$C")" "Recv/s" test "" =
ok $? "the closed receiver shows no rate"
show "$T/screen"
cell=$(python3 "$HERE/top_screen.py" row "$T/screen" "$(conn "$L" "$C")" "Recvd")
check "the closed receiver keeps its final total ('$cell')" total_ok "$cell"
screen "$T/escreen" -e
check "the closed row is dimmed (SGR 2 on its line)" \
	sh -c 'grep -E "$1" "$2" | grep -Eq "$(printf "\033")\[([0-9]+;)*2(;[0-9]+)*m"' \
	_ "127\.0\.0\.1:$L[^0-9]+127\.0\.0\.1:$C " "$T/escreen"
tm_keys q
wait_screen 5 "^top-exit=0"
done_testing
