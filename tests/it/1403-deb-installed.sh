#!/usr/bin/env bash
# The Debian packages as installed (.ci/run's package stage installs
# them, then runs this file): sock --version, man sock in both languages,
# a checksummed transfer on loopback between two installed sock, an
# example built with pkg-config from libsock-dev alone and run on
# libsock0's shared library, and the bash completion where bash-completion
# looks.  Skipped where the three packages are not installed.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
for p in sock libsock0 libsock-dev; do
	[ "$(dpkg-query -W -f '${Status}' "$p" 2> /dev/null)" = "install ok installed" ] && continue
	# CI's package stage sets SOCK_DEB_REQUIRED: a skip there would hide a failed install
	[ -z "$SOCK_DEB_REQUIRED" ] || { echo "Bail out! package $p is not installed"; exit 1; }
	skip_all "package $p is not installed (make deb, then apt-get install the .debs)"
done
need socat
plan 8
S=/usr/bin/sock
want=$(sed -n 's/^VERSION = //p' "$ROOT/Makefile")

# 1: the three packages at this checkout's version; sock is dpkg's
check "sock, libsock0, libsock-dev $want installed; /usr/bin/sock is sock's" \
	test "$(dpkg-query -W -f '${Version} ' sock libsock0 libsock-dev)|$(dpkg -S $S 2>/dev/null)" = "$want $want $want |sock: $S"

# 2: sock --version
v=$("$S" --version)
check "sock --version: sock $want, a commit, the features" \
	test "$(sed -n 1p <<< "$v")|$(grep -c '^commit: .' <<< "$v")|$(grep -cE '^  (TLS|ncurses|seccomp|Landlock) ' <<< "$v")" = "sock $want|1|4"

# 3-4: man sock, man -L es sock
check "man -w sock: the packaged page" \
	test "$(man -w sock 2>&1)|$(man -w -L es sock 2>&1)" = "/usr/share/man/man1/sock.1.gz|/usr/share/man/es/man1/sock.1.gz"
MANPAGER=cat MANWIDTH=80 timeout -k 2 20 man sock > "$T/man" 2>&1 < /dev/null
check "man sock renders it" grep -q 'connect, listen and list sockets' "$T/man"

# 5: a transfer on loopback, installed sock to installed sock
head -c 1000000 /dev/urandom > "$T/data"
bg sh -c "exec $S -v listen tcp://127.0.0.1:0 > '$T/got' 2> '$T/l.err' < /dev/null"
lpid=$!
port=$(wait_port "$T/l.err")
timeout -k 2 20 "$S" connect "127.0.0.1:$port" < "$T/data" > /dev/null
wait_exit $lpid 10
check "1 MB from installed sock connect to installed sock listen, unchanged" \
	test "$(md5sum < "$T/got")|$st" = "$(md5sum < "$T/data")|0"

# 6-7: libsock-dev's example built with pkg-config only, run on
# libsock0 (the system's loader finds it), against socat
cp /usr/share/doc/libsock-dev/examples/tcp_echo_server.c "$T/"
(cd "$T" && cc -o echo tcp_echo_server.c $(pkg-config --cflags --libs sock)) 2>&1
lib=$(ldd "$T/echo" 2> /dev/null | sed -n 's/.*libsock.so.0 => \([^ ]*\) .*/\1/p')
check "cc \$(pkg-config --cflags --libs sock) links libsock.so.0 from libsock0" \
	test -n "$lib" -a "$(dpkg -S "$(readlink -f "$lib")" 2> /dev/null | cut -d: -f1)" = libsock0
bg sh -c "exec '$T/echo' tcp://127.0.0.1:0 1 > '$T/echo.out' 2>&1"
epid=$!
port=$(wait_port "$T/echo.out")
out=$(echo packaged | timeout -k 2 10 socat - "TCP:127.0.0.1:$port")
wait_exit $epid 5
check "the example echoes socat's line" test "$out|$st" = "packaged|0"

# 8: bash-completion finds the packaged completion
out=$(bash -c '. /usr/share/bash-completion/bash_completion; __load_completion sock && complete -p sock' 2>&1)
check "bash-completion loads /usr/share/bash-completion/completions/sock" \
	test "$out" = "complete -F _sock sock"
done_testing
