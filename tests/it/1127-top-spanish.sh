#!/usr/bin/env bash
# sock top's view in Spanish (LANGUAGE=es, the build's catalog): the
# header, the column titles and the key hints are translated, and the
# columns stay where their translated titles are, though "Dirección" has a
# two-byte letter (cells are measured by display width): the remote
# address of the client's row starts under "Dirección remota".
. "$(dirname "$0")/lib.sh"
need python3
need tmux
. "$(dirname "$0")/top_tmux.sh"
top_netns 90
[ -n "${SOCK_LOCALEDIR:-}" ] || SOCK_LOCALEDIR=$(dirname "$SOCK")/locale
LANGUAGE=es LANG=C.UTF-8 SOCK_LOCALEDIR=$SOCK_LOCALEDIR "$SOCK" top --help 2> /dev/null |
	grep -q '^uso: sock top' || skip_all "no Spanish catalog for sock top in $SOCK_LOCALEDIR"
plan 4

ip link set lo up
bg python3 "$HERE/top_ui_peer.py" pair "$T/st" 0 1
wait_for grep -q '^ports' "$T/st" || { echo "Bail out! peer did not start"; exit 1; }
read -r _ L C < <(grep '^ports' "$T/st")

tm_start 160 40 LANGUAGE=es SOCK_LOCALEDIR="$SOCK_LOCALEDIR"
tm_run "$SOCK top -t -d 0.5 --numeric; echo top-exit=\$?"
wait_screen 15 "127\.0\.0\.1:$C "
ok $? "the view is up"
show "$T/screen"
check "the header is in Spanish (cada, sockets cerrados)" \
	sh -c 'grep -q "^sock top .*, cada 0.5 s" "$1" && grep -q "sockets cerrados" "$1"' _ "$T/screen"
check "the titles and key hints are in Spanish" \
	sh -c 'grep -q "Dirección local .*Dirección remota" "$1" && grep -q "h ayuda  q salir" "$1"' _ "$T/screen"
cell=$(python3 "$HERE/top_screen.py" row "$T/screen" "$(conn "$C" "$L")" "Dirección remota")
check "the remote address starts under 'Dirección remota' ('$cell')" \
	test "$cell" = "127.0.0.1:$L"
tm_keys q
wait_screen 5 "^top-exit=0"
done_testing
