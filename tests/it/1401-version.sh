#!/usr/bin/env bash
# sock --version: the version, the commit it was built from (git describe;
# "unknown" outside git), and the optional features compiled in with what
# the system provides now, each compared with another source of truth;
# --json says the same.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
plan 10

v=$("$SOCK" --version)
check "--version, -V and sock version print the same" \
	test "$("$SOCK" version)|$("$SOCK" -V)" = "$v|$v"
want=$(sed -n 's/^VERSION = //p' "$ROOT/Makefile")
check "first line: sock $want (the Makefile's VERSION)" test "$(head -1 <<< "$v")" = "sock $want"

# 3: the commit: one git knows, when the checkout is a git one
commit=$(sed -n 's/^commit: //p' <<< "$v")
if git -C "$ROOT" rev-parse --git-dir > /dev/null 2>&1; then
	check "commit: $commit is a commit of this checkout" \
		git -C "$ROOT" cat-file -e "$(git -C "$ROOT" rev-parse -q --verify "${commit%-dirty}^{commit}")"
else
	check "commit: unknown outside git" test "$commit" = unknown
fi
# 4: a tree without .git (a tarball) is built with commit "unknown"
mkdir "$T/tar" && cp -r "$ROOT/Makefile" "$ROOT/tool" "$ROOT/lib" "$ROOT/include" "$ROOT/po" "$T/tar/"
line=$(make -n -C "$T/tar" BUILD=b b/tool/version.o 2> /dev/null | grep -- '-DSOCK_COMMIT')
check "built from a tree without .git: SOCK_COMMIT=unknown" \
	grep -q -- "-DSOCK_COMMIT='\"unknown\"'" <<< "$line"

# 5-7: the libraries loaded now, as their own tools report them
ossl=$(openssl version | awk '{print $2}')
check "TLS: OpenSSL $ossl" grep -qE "^  TLS +OpenSSL $ossl( |$)" <<< "$v"
if command -v ncursesw6-config > /dev/null; then
	nc=$(ncursesw6-config --version)
	check "ncurses: $nc" grep -qE "^  ncurses +ncurses $nc( |$)" <<< "$v"
else
	ok 0 "# SKIP ncursesw6-config not installed"
fi
sc=$(pkg-config --modversion libseccomp)
check "seccomp: libseccomp $sc" grep -qE "^  seccomp +libseccomp $sc( |$)" <<< "$v"

# 8: Landlock's ABI as the kernel answers landlock_create_ruleset(NULL,
# 0, LANDLOCK_CREATE_RULESET_VERSION) (x86_64: system call 444)
abi=$(python3 -c 'import ctypes; print(ctypes.CDLL(None).syscall(444, None, 0, 1))')
if [ "$abi" -ge 0 ] 2>/dev/null && [ "$(uname -m)" = x86_64 ]; then
	check "Landlock: ABI $abi" grep -qE "^  Landlock +ABI $abi$" <<< "$v"
else
	check "Landlock: unavailable on this kernel" grep -qE "^  Landlock +unavailable" <<< "$v"
fi

# 9: --json: the same facts, and a usage error for anything else
j=$("$SOCK" version --json)
check "sock version --json: the same facts; sock version --bogus: exit 2" python3 - "$want" "$commit" "$ossl" "$abi" <<PY
import json, subprocess, sys
j = json.loads('''$j''')
want, commit, ossl, abi = sys.argv[1:]
f = j["features"]
assert j["version"] == want and j["commit"] == commit, j
assert f["tls"]["compiled"] and f["tls"]["runtime"].split()[1] == ossl, f
assert f["seccomp"]["compiled"] and f["ncurses"]["compiled"], f
assert f["landlock"]["abi"] == (int(abi) if int(abi) >= 0 else None), f
r = subprocess.run(["$SOCK", "version", "--bogus"], capture_output=True)
assert r.returncode == 2 and r.stderr.count(b"\n") == 1, r
PY

# 10: its help, as every command's
check "sock help version: what sock version --help prints, exit 0" \
	test "$("$SOCK" help version; echo $?)" = "$("$SOCK" version --help)
0"
done_testing
