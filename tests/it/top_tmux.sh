# tests/it/top_tmux.sh - sock top in a real terminal (sourced by the 112x
# tests after lib.sh): a private tmux server (its own socket name, no
# config) running a plain shell, keys sent with send-keys, the screen
# read with capture-pane.  Every wait has a deadline; only this tmux
# server is killed.  The test runs in a private network namespace
# (unshare -rn), so the table holds only the sockets it made.

HERE=$(cd "$(dirname "$0")" && pwd)
# top_netns SECONDS: re-run this test inside unshare -rn (skip when it
# is not permitted), for at most SECONDS
top_netns() {
	[ -n "$SOCK_TOP_NETNS" ] && return 0
	unshare -rn true 2> /dev/null || skip_all "unshare -rn not permitted"
	exec timeout -k 2 "$1" unshare -rn env SOCK_TOP_NETNS=1 bash "$0"
}

TMUX_NAME=sock-top-test-$$
tm() { tmux -L "$TMUX_NAME" -f /dev/null "$@"; }
TMUX_PID=
_top_cleanup() {
	tm kill-server 2> /dev/null
	# bounded: the server removes its socket as it exits
	for _ in $(seq 50); do
		[ -n "$TMUX_PID" ] && kill -0 "$TMUX_PID" 2> /dev/null || break
		sleep 0.1
	done
	_cleanup
}
trap _top_cleanup EXIT

# tm_start COLS LINES [ENV...]: the tmux server with one window of that
# size running bash without start files; its prompt is "top-test$ "
tm_start() {
	local cols=$1 lines=$2; shift 2
	export TMUX_TMPDIR=$T
	tm new-session -d -s t -x "$cols" -y "$lines" \
		env -i PATH="$PATH" HOME="$T" LANG=C.UTF-8 TERM=screen \
		PS1='top-test$ ' "$@" bash --norc --noprofile ||
		{ echo "Bail out! tmux did not start"; exit 1; }
	TMUX_PID=$(tm display-message -p '#{pid}')
	wait_screen 10 'top-test\$' || { echo "Bail out! no shell prompt"; exit 1; }
}

# tm_run COMMAND: type a command line into the shell and press Enter
tm_run() { tm send-keys -t t -l "$1" && tm send-keys -t t Enter; }
# tm_keys KEY...: send keys (tmux names: Up, PageDown, Escape, C-c...)
tm_keys() { tm send-keys -t t -- "$@"; }
# tm_text TEXT: type TEXT literally
tm_text() { tm send-keys -t t -l "$1"; }
# screen FILE [-e]: the screen now (-e: with colour escapes)
screen() { local f=$1; shift; tm capture-pane -p -t t "$@" > "$f"; }

# wait_screen SECONDS ERE: until a line of the screen matches ERE; the
# last screen is in $T/screen
wait_screen() {
	local secs=$1 re=$2
	for _ in $(seq $((secs * 10))); do
		screen "$T/screen"
		grep -Eq -- "$re" "$T/screen" && return 0
		sleep 0.1
	done
	return 1
}

# wait_cell SECONDS REGEX TITLE TEST...: until the cell under TITLE of
# the first row REGEX matches passes TEST (a command given the cell as
# its last word); the cell is left in $cell
wait_cell() {
	local secs=$1 re=$2 title=$3; shift 3
	for _ in $(seq $((secs * 10))); do
		screen "$T/screen"
		cell=$(python3 "$HERE/top_screen.py" row "$T/screen" "$re" "$title") &&
			"$@" "$cell" && return 0
		sleep 0.1
	done
	return 1
}

# conn LOCAL REMOTE: the regex of the row of the socket from 127.0.0.1:
# LOCAL to 127.0.0.1:REMOTE
conn() { echo "127\.0\.0\.1:$1 +127\.0\.0\.1:$2 "; }
# show FILE: a screen as TAP comments
show() { sed 's/^/# |/' "$1"; }
# bytes TEXT: a size as sock top prints it ("1.5K") in bytes
bytes() { python3 "$HERE/top_screen.py" bytes "$1"; }
# near VALUE WANT PERCENT: |VALUE - WANT| <= PERCENT% of WANT
near() { awk -v v="$1" -v w="$2" -v p="$3" 'BEGIN { d = v - w; if (d < 0) d = -d; exit !(d <= w * p / 100) }'; }
