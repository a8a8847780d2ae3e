#!/bin/sh
# tests/layers.sh - the call graph between lib/*.c files, read from their
# object files (a file calls another when one of its undefined symbols
# is defined there), and a failure when the graph has a cycle: calls go
# down the layers only (docs/architecture.md).
#
#   tests/layers.sh [-g] [OBJ...]
#   default OBJ: ${BUILD:-build}/lib/X.o for each lib/X.c there is (an
#   object left over from a file since renamed or removed is not read;
#   build/ is the one beside lib/ when BUILD is not set)
#   -g  print the edges ("caller callee", one a line) as well
#
# Exits 0 when acyclic, 1 with the files of each cycle on stderr, 2 when
# there is nothing to read (build first).
set -eu
graph=0
if [ "${1:-}" = -g ]; then
	graph=1
	shift
fi
if [ $# -eq 0 ]; then
	root=$(cd "$(dirname "$0")/.." && pwd)
	for c in "$root"/lib/*.c; do
		set -- "$@" "${BUILD:-$root/build}/lib/$(basename "$c" .c).o"
	done
fi
for o in "$@"; do
	[ -f "$o" ] || { echo "layers: no object file $o (build first)" >&2; exit 2; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for o in "$@"; do
	m=$(basename "$o" .o).c
	nm -g --defined-only "$o" | awk -v m="$m" 'NF == 3 { print $3, m }'
done | sort -u >"$tmp/defs"
for o in "$@"; do
	m=$(basename "$o" .o).c
	nm -u "$o" | awk -v m="$m" '{ print $NF, m }'
done | sort -u >"$tmp/uses"
# symbol caller + symbol callee -> caller callee
join "$tmp/uses" "$tmp/defs" | awk '$2 != $3 { print $2, $3 }' | sort -u \
	>"$tmp/edges"
[ "$graph" = 0 ] || cat "$tmp/edges"
if ! tsort "$tmp/edges" >/dev/null 2>"$tmp/loops"; then
	echo "layers: the calls between these files make a cycle:" >&2
	sed 's/^tsort: .*input contains a loop:$/cycle:/; s/^tsort: /  /' "$tmp/loops" >&2
	exit 1
fi
