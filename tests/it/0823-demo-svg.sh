#!/usr/bin/env bash
# sock demo --svg FILE: a well-formed SVG (xmllint) naming every call of
# the timeline; an unwritable FILE is one line of error and exit 1,
# found before the demo runs.
. "$(dirname "$0")/lib.sh"
need xmllint
plan 5

timeout -k 2 20 "$SOCK" demo tcp --svg "$T/d.svg" > "$T/out" 2>&1
ok $? "sock demo tcp --svg FILE: exit 0, the text timeline still on stdout"
check "the SVG is well-formed XML" xmllint --noout "$T/d.svg"
bad=0
while IFS=$'\t' read -r side call _; do
	esc=$(sed 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g; s/"/\&quot;/g' <<< "$call")
	grep -qF ">$esc</text>" "$T/d.svg" || { diag "missing: $call"; bad=1; }
done < <(python3 "$(dirname "$0")/demo_check.py" rows "$T/out")
ok $bad "every call of the timeline is a text element of the SVG"

bad=0
for s in "udp" "tcp refused" "tcp half-close" "udp stream-vs-dgram" "unix-dgram"; do
	timeout -k 2 20 "$SOCK" demo $s --svg "$T/s.svg" > /dev/null 2>&1 &&
		xmllint --noout "$T/s.svg" || { diag "$s"; bad=1; }
done
ok $bad "other kinds and scenarios: well-formed SVG"

timeout -k 2 20 "$SOCK" demo tcp --svg "$T/no/such/dir/d.svg" > "$T/o2" 2> "$T/e2"
st=$?
check "--svg to an unwritable path: exit 1, one line naming the file, no timeline" \
	test "$st|$(wc -l < "$T/e2")|$(wc -c < "$T/o2")" = "1|1|0" -a \
	-n "$(grep -F -- "--svg $T/no/such/dir/d.svg: No such file or directory" "$T/e2")"
