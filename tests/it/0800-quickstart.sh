#!/usr/bin/env bash
# The README's first steps: the bootstrap script, the man page read from
# the checkout as the README says, and `man sock` after `make install`.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
plan 6

# 1-2: the bootstrap script is what the README names, and refuses politely
# when it cannot install packages (not root)
check "README's quick start runs ./bootstrap, then make check" \
	sh -c "grep -q '^\./bootstrap ' '$ROOT/README.md' && grep -q '^make check ' '$ROOT/README.md'"
if [ "$(id -u)" = 0 ] && setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null; then
	cp "$ROOT/bootstrap" "$T/bootstrap" && chmod 755 "$T" "$T/bootstrap"
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		timeout -k 2 10 sh "$T/bootstrap" > "$T/bs.out" 2> "$T/bs.err"
	check "bootstrap as a non-root user: exit 2, one line saying why" \
		test "$?/$(wc -l < "$T/bs.err")/$(grep -c 'run as root' "$T/bs.err")" = "2/1/1"
else
	ok 0 "# SKIP cannot drop to nobody to run bootstrap as a non-root user"
fi

# 3: `man ./docs/sock.1`, as README says (make deps installs man-db)
(cd "$ROOT" && MANPAGER=cat MANWIDTH=80 timeout -k 2 20 man ./docs/sock.1 > "$T/man1" 2> "$T/man1.err" </dev/null)
check "man ./docs/sock.1 renders the manual from the checkout" \
	grep -q 'connect, listen and list sockets' "$T/man1"

# 4-6: make install into a staging root; then `man sock` finds the page
make -s -C "$ROOT" install BUILD="$(dirname "$SOCK")" DESTDIR="$T/root" PREFIX=/usr \
	> "$T/inst.out" 2>&1
check "make install DESTDIR=... PREFIX=/usr succeeds" test $? = 0
check "the installed sock runs" \
	sh -c "'$T/root/usr/bin/sock' --version | grep -q '^sock '"
MANPATH="$T/root/usr/share/man" MANPAGER=cat MANWIDTH=80 \
	timeout -k 2 20 man sock > "$T/man2" 2> "$T/man2.err" </dev/null
check "man sock renders the installed page" \
	grep -q 'connect, listen and list sockets' "$T/man2"
done_testing
