#!/usr/bin/env bash
# sock demo --mermaid: a sequenceDiagram block, participants declared,
# every line a message or a note (tests/it/demo_check.py mermaid), for
# every kind and scenario; the calls in the same order as the text.
. "$(dirname "$0")/lib.sh"
plan 3

bad=0
for s in tcp udp unix unix-dgram seqpacket "tcp refused" "udp refused" \
	"tcp half-close" "tcp stream-vs-dgram" "udp stream-vs-dgram"; do
	timeout -k 2 20 "$SOCK" demo $s --mermaid > "$T/m" 2>&1 &&
		python3 "$(dirname "$0")/demo_check.py" mermaid "$T/m" || { diag "$s"; bad=1; }
done
ok $bad "well-formed Mermaid for every kind and scenario"

timeout -k 2 20 "$SOCK" demo tcp --mermaid > "$T/m" 2>&1
check "the checker refuses a line that is not a message or note" \
	bash -c '! { cat "$1"; echo "    C=>S: x"; } > "$1.bad" || ! python3 "$2" mermaid "$1.bad" 2>/dev/null' _ "$T/m" "$(dirname "$0")/demo_check.py"
check "the client's calls in the order of the text timeline" \
	test "$(sed -n 's/^    C->>C: \([a-z0-9]*\)(.*/\1/p' "$T/m" | tr '\n' ' ')" = \
	"getaddrinfo socket connect getsockname getpeername send recv close "
