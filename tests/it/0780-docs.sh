#!/usr/bin/env bash
# The documentation against the build (tests/it/docs_check.py): the
# samples marked in the guides and the README are run again and must
# print what the documents show (ports the kernel chose, pids, inodes and
# times aside), and the options of sock(1) and of every --help must be
# the same.  The samples use the documents' fixed ports and /tmp paths,
# so they run in private network and mount namespaces, with /tmp a
# tmpfs of their own (skipped where unshare -rnm is not permitted).
if [ -z "$SOCK_DOCS_NS" ]; then
	if ! unshare -rnm true 2>/dev/null; then
		echo "1..0 # SKIP unshare -rnm not permitted"
		exit 0
	fi
	exec timeout -k 5 600 unshare -rnm env SOCK_DOCS_NS=1 bash "$0"
fi
HERE=$(cd "$(dirname "$0")" && pwd)
# A checkout under /tmp (a CI clone, say) stays reachable through
# /var/tmp once the samples' tmpfs covers /tmp.
case "$HERE/ ${SOCK:-}" in
/tmp/* | *" /tmp/"*)
	mount --bind /tmp /var/tmp 2>/dev/null || {
		echo "1..0 # SKIP the checkout or \$SOCK is under /tmp, and /var/tmp cannot stand in for it"
		exit 0
	}
	moved() { case $1 in /tmp/*) echo "/var/tmp/${1#/tmp/}" ;; *) echo "$1" ;; esac; }
	HERE=$(moved "$HERE")
	SOCK=$(moved "${SOCK:-$HERE/../../build/sock}")
	[ -n "${BUILD:-}" ] && BUILD=$(moved "$BUILD")
	[ -n "${SOCK_LOCALEDIR:-}" ] && SOCK_LOCALEDIR=$(moved "$SOCK_LOCALEDIR")
	export SOCK BUILD SOCK_LOCALEDIR ;;
esac
mount -t tmpfs tmpfs /tmp || { echo "Bail out! cannot mount a tmpfs on /tmp"; exit 1; }
cd "$HERE/../.." || { echo "Bail out! cannot enter the checkout"; exit 1; }
. "$HERE/lib.sh"
need python3
ROOT=$(cd "$HERE/../.." && pwd)
ip link set lo up 2>/dev/null || { echo "Bail out! cannot bring lo up"; exit 1; }
python3 "$HERE/docs_check.py" "$SOCK" "$ROOT/docs/sock.1" \
	"$ROOT/docs/guide.md" "$ROOT/docs/guia.md" "$ROOT/README.md" \
	"$ROOT/docs/list.md" "$ROOT/docs/relay.md"
