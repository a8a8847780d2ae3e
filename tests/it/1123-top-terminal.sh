#!/usr/bin/env bash
# sock top gives the terminal back as it found it (stty -a the same, the
# shell's prompt back) after q, Ctrl-C and SIGTERM (exit status 0, as
# without a terminal); it follows resizes
# (tmux resize-window: the status line on the new last line, 80x24 and
# smaller); colours: none with NO_COLOR or -C, some without; a terminal
# without cursor addressing (TERM=dumb) is refused in one line.
. "$(dirname "$0")/lib.sh"
need python3
need tmux
. "$(dirname "$0")/top_tmux.sh"
top_netns 120
plan 13

ip link set lo up
bg python3 "$HERE/top_ui_peer.py" pair "$T/st" 0 1
wait_for grep -q '^ports' "$T/st" || { echo "Bail out! peer did not start"; exit 1; }
read -r _ L C < <(grep '^ports' "$T/st")

tm_start 80 24
tm_run "stty -a > $T/stty.before"
HINT='h help  q quit'
# run_top N ARG...: sock top in the shell, then its exit status and stty
run_top() {
	local n=$1; shift
	tm_run "$SOCK top $*; echo top-exit-$n=\$?; stty -a > $T/stty.$n"
	wait_screen 15 "$HINT" || { show "$T/screen"; return 1; }
}
# sane N STATUS: sock top N exited STATUS, the terminal is as before
sane() {
	wait_screen 10 "^top-exit-$1=$2" && wait_for test -s "$T/stty.$1" &&
		cmp -s "$T/stty.before" "$T/stty.$1"
}

# 1-3: resizes: the status line follows the last line
run_top 1 -ta -d 0.5 --numeric
tm resize-window -t t -x 120 -y 40
wait_screen 5 "$HINT" && [ "$(grep -n "$HINT" "$T/screen" | cut -d: -f1)" = 40 ]
ok $? "resized to 120x40: the status line is line 40"
tm resize-window -t t -x 60 -y 15
sleep 0.5
wait_screen 5 "h help" && [ "$(grep -n "h help" "$T/screen" | cut -d: -f1)" = 15 ]
ok $? "resized to 60x15: the status line is line 15"
show "$T/screen"
check "at 60 columns the addresses keep their ports" \
	grep -Eq "127\.0\.0\.1:$L |…:$L " "$T/screen"
tm resize-window -t t -x 80 -y 24
wait_screen 5 "127\.0\.0\.1:$C " && grep -q "Local Address" "$T/screen"
ok $? "back to 80x24: titles and rows again"
# 4: q
tm_keys q
sane 1 0
ok $? "q: exit 0, stty -a unchanged"

# 5: Ctrl-C (SIGINT from the terminal)
run_top 2 -t
tm_keys C-c
sane 2 0
ok $? "Ctrl-C: exit 0, stty -a unchanged"

# 6: SIGTERM from elsewhere (the shell's child)
run_top 3 -t
shell=$(tm display-message -p -t t '#{pane_pid}')
top=$(ps -o pid= --ppid "$shell" | tr -d ' ' | head -1)
[ -n "$top" ] && kill -TERM "$top"
sane 3 0
ok $? "SIGTERM: exit 0, stty -a unchanged"
screen "$T/screen"
check "the shell's prompt is back" grep -q 'top-test\$ *$' "$T/screen"

# 8-10: colours: some by default, none with NO_COLOR or -C
# has_color FILE: an SGR colour (30-37, 40-47, 38, 48, 90-107) in FILE;
# 39 and 49 (the default colours) do not count
has_color() {
	python3 -c 'import re, sys
t = open(sys.argv[1], encoding="utf-8", errors="replace").read()
codes = [int(c) for p in re.findall(r"\x1b\[([0-9;]*)m", t) for c in p.split(";") if c]
sys.exit(not any(c not in (39, 49) and (30 <= c <= 49 or 90 <= c <= 107) for c in codes))' "$1"
}
no_color() { ! has_color "$1"; }
run_top 4 -t
screen "$T/color" -e
tm_keys q
sane 4 0
check "colours by default" has_color "$T/color"
run_top 5 -t -C
screen "$T/nocolor" -e
tm_keys q
sane 5 0
check "-C: no colour" no_color "$T/nocolor"
tm_run "export NO_COLOR=1"
run_top 6 -t
screen "$T/nocolor2" -e
tm_keys q
sane 6 0
check "NO_COLOR: no colour" no_color "$T/nocolor2"
check "the terminal is as it was after all six runs" cmp -s "$T/stty.before" "$T/stty.6"

# 13: a terminal that cannot place the cursor: one line, exit 1, sane
tm_run "clear; TERM=dumb $SOCK top -t; echo top-exit-7=\$?; stty -a > $T/stty.7"
sane 7 1 && grep -q "cannot drive this terminal (TERM=dumb)" "$T/screen"
ok $? "TERM=dumb: 'cannot drive this terminal', exit 1, stty -a unchanged"
done_testing
