#!/usr/bin/env bash
# sock top --all-netns in its view (a private network namespace with a
# second one inside it): a NetNS column appears, and the connection in
# the inner namespace and the one in the outer show different
# namespaces; with one namespace there is no NetNS column.
. "$(dirname "$0")/lib.sh"
need python3
need tmux
. "$(dirname "$0")/top_tmux.sh"
top_netns 120
unshare -n true 2> /dev/null || skip_all "cannot make a nested network namespace"
plan 3

ip link set lo up
bg python3 "$HERE/top_ui_peer.py" pair "$T/outer" 0 1
bg unshare -n sh -c 'ip link set lo up && exec python3 "$1" pair "$2" 0 1' _ \
	"$HERE/top_ui_peer.py" "$T/inner"
wait_for grep -q '^ports' "$T/outer" && wait_for grep -q '^ports' "$T/inner" ||
	{ echo "Bail out! peers did not start"; exit 1; }
read -r _ LO CO < <(grep '^ports' "$T/outer")
read -r _ LI CI < <(grep '^ports' "$T/inner")

tm_start 160 40
tm_run "$SOCK top -t -d 0.5 --numeric; echo top-exit=\$?"
wait_screen 15 "127\.0\.0\.1:$CO " && ! grep -q "NetNS" "$T/screen"
ok $? "one namespace: no NetNS column"
tm_keys q
wait_screen 5 "^top-exit=0"

tm_run "clear; $SOCK top -t -d 0.5 --numeric --all-netns; echo top-exit=\$?"
wait_screen 15 "127\.0\.0\.1:$CI " && tm_keys t && wait_screen 5 "NetNS"
ok $? "--all-netns: the inner connection and a NetNS column"
show "$T/screen"
wait_cell 5 "$(conn "$CO" "$LO")" NetNS test -n
outer=$cell
wait_cell 5 "$(conn "$CI" "$LI")" NetNS test -n
inner=$cell
check "the two connections name different namespaces ('$outer', '$inner')" \
	test -n "$outer" -a -n "$inner" -a "$outer" != "$inner"
tm_keys q
wait_screen 5 "^top-exit=0"
done_testing
