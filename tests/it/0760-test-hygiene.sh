#!/usr/bin/env bash
# The test suite's own rules, checked on its sources: every `timeout` in a
# shell script of tests/, bench/ and .ci/ carries -k (a process that
# ignores SIGTERM, as a sanitizer's exit can, must not hang prove and CI).
. "$(dirname "$0")/lib.sh"
need python3
top=$(cd "$(dirname "$0")/../.." && pwd)
plan 2

# lint_timeouts FILE...: prints FILE:LINE: TEXT for each shell `timeout`
# without -k/--kill-after before its duration; comments are not code
cat > "$T/lint.py" <<'PY'
import re, sys
cmd = re.compile(r'(?:^|[\s;&|({`]|\$\()timeout\s+((?:-[-\w]+(?:[ =]\S+)?\s+)*)(\S+)')
bad = 0
for path in sys.argv[1:]:
    for n, line in enumerate(open(path, errors="replace"), 1):
        code = line.split("#", 1)[0] if line.lstrip().startswith("#") else line
        for m in cmd.finditer(code):
            opts, dur = m.group(1), m.group(2)
            if not re.match(r'[0-9.]+[smhd]?$|"?\$', dur):
                continue  # prose or python ("timeout with", "timeout=")
            if not re.search(r'(^|\s)(-k|--kill-after)\b', opts):
                print(f"{path}:{n}: {line.strip()}")
                bad += 1
sys.exit(1 if bad else 0)
PY
files=$(cd "$top" && ls tests/it/*.sh bench/*.sh .ci/run 2> /dev/null)
(cd "$top" && python3 "$T/lint.py" $files) > "$T/bad"
rc=$?
check "every timeout in tests/, bench/ and .ci/ has -k" test $rc = 0
[ $rc = 0 ] || diag "$(head -20 "$T/bad")"

# the lint itself finds what it must (and ignores prose and python); the
# sample is spelt in capitals here, so that the lint passes this file
sed 's/TIMEOUT/timeout/g' > "$T/sample.sh" <<'SH'
out=$(TIMEOUT 5 sock connect x)
TIMEOUT -k 2 5 sock connect x
# a connect TIMEOUT with -w
s.setTIMEOUT(3); p.wait(TIMEOUT=10)
x | TIMEOUT "$secs" sock
TIMEOUT --kill-after=1 3 true
rpeer --TIMEOUT 5 talk 127.0.0.1:1
SH
python3 "$T/lint.py" "$T/sample.sh" > "$T/found"
check "the lint finds exactly the two bare timeout commands of a sample" \
	test "$(cut -d: -f2 "$T/found" | tr '\n' ' ')" = "1 5 "
done_testing
