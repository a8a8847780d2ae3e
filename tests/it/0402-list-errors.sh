#!/usr/bin/env bash
# sock list failures, each exits with its status and says on one line
# what went wrong: filters nested too deeply (exit 2, no crash), a
# reader that went away (quiet, exit 0), the --dump file and the
# SOCK_DIAG_FILE replay file named when they are what failed.
. "$(dirname "$0")/lib.sh"
need python3
HERE=$(cd "$(dirname "$0")" && pwd)
DUMP="$HERE/../data/diag-netns.bin"
plan 16

# errors CODE FILE REGEX: exit status CODE, one line on stderr matching
errors() {
	test "$rc|$(wc -l < "$2")" = "$1|1" && grep -Eq -- "$3" "$2"
}

# 1-3: 100000 levels of !, not and ( ): refused before any recursion
for open in '!' not '('; do
	python3 - "$SOCK" "$open" > /dev/null 2> "$T/deep" <<'PY'
import subprocess, sys
n, o = 100000, sys.argv[2]
words = [o] * n + ["state", "listen"] + [")"] * (n if o == "(" else 0)
p = subprocess.run([sys.argv[1], "list", "-tan"] + words, timeout=60)
sys.exit(p.returncode if p.returncode >= 0 else 128 - p.returncode)
PY
	rc=$?
	check "100000 x '$open': exit 2, 'nested too deeply'" \
		errors 2 "$T/deep" 'nested too deeply \(more than 100 '
done
# 4: 100 levels are fine
"$SOCK" list -tan $(printf 'not %.0s' $(seq 100)) state listen \
	> /dev/null 2> "$T/e4"
rc=$?
check "100 x not: accepted" test "$rc|$(wc -c < "$T/e4")" = "0|0"

# 5-7: stdout is a pipe nobody reads (| head -1 that has exited): the
# table, the streamed table and JSON stop quietly
closed() { # ENV... -- ARGS: run sock list with stdout's reader gone
	python3 - "$SOCK" "$@" <<'PY'
import os, subprocess, sys
env = dict(os.environ)
args = sys.argv[2:]
while args and "=" in args[0]:
    k, v = args.pop(0).split("=", 1)
    env[k] = v
r, w = os.pipe()
os.close(r)
p = subprocess.run([sys.argv[1], "list"] + args, stdout=w,
                   stderr=subprocess.PIPE, env=env, timeout=60)
sys.stderr.buffer.write(p.stderr)
sys.exit(p.returncode)
PY
}
for args in "SOCK_DIAG_FILE=$DUMP -xa" "-tan" "SOCK_DIAG_FILE=$DUMP --json -a"; do
	closed $args 2> "$T/pipe"
	rc=$?
	check "reader gone ($args): exit 0, nothing on stderr" \
		test "$rc|$(wc -c < "$T/pipe")" = "0|0"
	sed 's/^/# /' "$T/pipe"
done

# 8-10: --dump names its file when that is what fails; needs a value
"$SOCK" list -tan --dump /nonexistent/x > /dev/null 2> "$T/e8"
rc=$?
check "--dump /nonexistent/x: exit 1, the file and ENOENT" \
	errors 1 "$T/e8" '--dump /nonexistent/x: No such file or directory$'
if "$SOCK" list -tan --dump "$T/ok" > /dev/null 2>&1 && [ -w /dev/full ]; then
	"$SOCK" list -tan --dump /dev/full > /dev/null 2> "$T/e9"
	rc=$?
	check "--dump /dev/full: exit 1, the file and ENOSPC" \
		errors 1 "$T/e9" '--dump /dev/full: No space left on device$'
else
	ok 0 "# SKIP no sock_diag here, or no /dev/full"
fi
"$SOCK" list -tan --dump > /dev/null 2> "$T/e10"
rc=$?
check "--dump without a value: exit 2, 'needs a value'" \
	errors 2 "$T/e10" "option '--dump' needs a value"

# 11-15: SOCK_DIAG_FILE is read as a stream and named when it is bad
SOCK_DIAG_FILE=/dev/zero "$SOCK" list -tuxa > /dev/null 2> "$T/e11"
rc=$?
check "SOCK_DIAG_FILE=/dev/zero: exit 1, not a dump" \
	errors 1 "$T/e11" 'SOCK_DIAG_FILE=/dev/zero: not a recorded sock_diag dump$'
head -c 300 /dev/urandom > "$T/garbage"
SOCK_DIAG_FILE="$T/garbage" "$SOCK" list -tuxa > /dev/null 2> "$T/e12"
rc=$?
check "SOCK_DIAG_FILE=garbage: exit 1, the file named" \
	errors 1 "$T/e12" "SOCK_DIAG_FILE=$T/garbage: not a recorded sock_diag dump\$"
SOCK_DIAG_FILE="$T/missing" "$SOCK" list -tuxa > /dev/null 2> "$T/e13"
rc=$?
check "SOCK_DIAG_FILE=missing: exit 1, the file and ENOENT" \
	errors 1 "$T/e13" "SOCK_DIAG_FILE=$T/missing: No such file or directory\$"
SOCK_DIAG_FILE="$DUMP" "$SOCK" list -tuxan > "$T/file"
SOCK_DIAG_FILE=<(cat "$DUMP") "$SOCK" list -tuxan > "$T/pipe" 2> "$T/e14"
rc=$?
check "SOCK_DIAG_FILE=a pipe: the same table as the file" \
	test "$rc|$(wc -c < "$T/e14")" = "0|0" -a -s "$T/file"
check "  (byte for byte)" cmp -s "$T/file" "$T/pipe"

# 16: a dump file cut inside its first record says where it stopped
# (the cut files of 0880-list-replay-ss.sh keep rows before the cut)
head -c 100 "$DUMP" > "$T/cut"
SOCK_DIAG_FILE="$T/cut" "$SOCK" list -tuxa > /dev/null 2> "$T/e16"
rc=$?
check "SOCK_DIAG_FILE=cut short: exit 1, where it stopped" \
	errors 1 "$T/e16" 'cut short at byte 0; the sockets before it are listed$'
done_testing
