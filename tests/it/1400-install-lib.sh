#!/usr/bin/env bash
# make install / make uninstall into a staging root: libsock.so.0 (soname,
# only the public sock_* names exported, versioned), headers, sock.pc; an
# example built from the installed files only, through pkg-config, linked
# against the shared library and statically, each run against socat on
# loopback; then make uninstall leaves no file behind.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$ROOT/build}
need readelf
need nm
need pkg-config
need socat
plan 13

# A prefix outside the compiler's default paths, so that only the staged
# files can satisfy the build below.
R=$T/root P=/opt/sock-it
make -s -C "$ROOT" install BUILD="$BUILD" DESTDIR="$R" PREFIX=$P > "$T/inst.out" 2>&1
check "make install DESTDIR=... PREFIX=$P" test $? = 0
L=$R$P/lib
so=$(cd "$L" && echo libsock.so.*.*.*)

# 2-3: the shared library, its links and its soname
check "libsock.so -> libsock.so.0 -> $so, mode 644" \
	test "$(readlink "$L/libsock.so")|$(readlink "$L/libsock.so.0")|$(stat -c %a "$L/$so")" = "libsock.so.0|$so|644"
check "soname libsock.so.0" \
	test "$(readelf -d "$L/$so" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')" = libsock.so.0

# 4-5: exports: exactly the public sock_* names the static library
# defines (functions and data), each at version LIBSOCK_0
nm -g --defined-only "$L/libsock.a" | awk 'NF == 3 && $3 ~ /^sock_[^_]/ {print $3}' | sort -u > "$T/public"
nm -D --defined-only "$L/$so" | awk '$3 != "LIBSOCK_0" {sub(/@.*/, "", $3); print $3}' | sort > "$T/exported"
check "nm -D: the .so exports the $(wc -l < "$T/public") public sock_* names, no sock__* or other" \
	sh -c "[ -s '$T/public' ] && diff '$T/public' '$T/exported' >&2"
bad=$(readelf --dyn-syms -W "$L/$so" | awk '$7 != "UND" && $8 ~ /^sock_/ && $8 !~ /@@LIBSOCK_0$/' | wc -l)
check "readelf --dyn-syms: every export is versioned LIBSOCK_0" test "$bad" = 0

# 6: the headers, each compiles on its own
export PKG_CONFIG_PATH=$L/pkgconfig PKG_CONFIG_SYSROOT_DIR=$R PKG_CONFIG_LIBDIR=/usr/lib/pkgconfig:/usr/lib/x86_64-linux-gnu/pkgconfig:/usr/share/pkgconfig
cflags=$(pkg-config --cflags sock)
bad=
for h in "$ROOT"/include/sock/*.h; do
	h=sock/${h##*/}
	[ -f "$R$P/include/$h" ] || { bad+=" missing:$h"; continue; }
	echo "#include <$h>" | cc $cflags -fsyntax-only -x c - 2> /dev/null || bad+=" $h"
done
check "every header installed under include/sock/ and compiles alone (pkg-config --cflags)" test -z "$bad"
[ -z "$bad" ] || diag "$bad"

# 7: sock.pc names every library the .so needs (besides libc) for static links
static=$(pkg-config --libs --static sock)
bad=
for n in $(readelf -d "$L/$so" | sed -n 's/.*(NEEDED).*\[lib\([^.]*\)\.so.*/\1/p'); do
	[ "$n" = c ] || grep -qw -- "-l$n" <<< "$static" || bad+=" $n"
done
check "pkg-config --libs --static sock covers the .so's NEEDED" test -z "$bad"
[ -z "$bad" ] || diag "missing: $bad; have: $static"

# 8-9: the example, built from the installed files only (by clang with
# the sanitizers when the library was: make asan)
cc=(cc)
nm "$L/libsock.a" 2> /dev/null | grep -q ' U __asan_' && cc=(clang -fsanitize=address,undefined)
cp "$ROOT/examples/tcp_echo_server.c" "$T/"
(cd "$T" && "${cc[@]}" -o echo_shared tcp_echo_server.c $(pkg-config --cflags --libs sock)) 2> "$T/cc1.err"
check "cc \$(pkg-config --cflags --libs sock): builds against libsock.so" \
	sh -c "readelf -d '$T/echo_shared' | grep -q 'NEEDED.*\[libsock.so.0\]'"
(cd "$T" && "${cc[@]}" -o echo_static tcp_echo_server.c $(pkg-config --cflags --libs --static sock | sed 's/-lsock\b/-l:libsock.a/')) 2> "$T/cc2.err"
check "the same, libsock linked statically (no libsock.so.0 needed)" \
	sh -c "[ -x '$T/echo_static' ] && ! readelf -d '$T/echo_static' | grep -q libsock"
cat "$T/cc1.err" "$T/cc2.err" >&2

# 10-11: each echoes through a real peer (socat) on loopback
echo_via_socat() { # NAME PROGRAM [ENV...]: one client, one line echoed
	local name=$1 prog=$2; shift 2
	bg env "$@" "$prog" tcp://127.0.0.1:0 1 > "$T/$name.out" 2>&1
	local pid=$! port
	port=$(wait_port "$T/$name.out") || return 1
	out=$(printf 'through %s\n' "$name" | timeout -k 2 10 socat - "TCP:127.0.0.1:$port")
	wait_exit $pid 5
	[ "$out|$st" = "through $name|0" ]
}
check "shared build (LD_LIBRARY_PATH=the staged lib): socat's line echoed" \
	echo_via_socat shared "$T/echo_shared" LD_LIBRARY_PATH="$L"
check "static build: socat's line echoed" echo_via_socat static "$T/echo_static"

# 12-13: uninstall removes exactly what install put
make -s -C "$ROOT" uninstall BUILD="$BUILD" DESTDIR="$R" PREFIX=$P > "$T/un.out" 2>&1
check "make uninstall" test $? = 0
left=$(find "$R" ! -type d)
check "nothing installed is left" test -z "$left"
[ -z "$left" ] || diag "left: $left"
done_testing
