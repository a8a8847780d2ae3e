#!/usr/bin/env bash
# listen --sandbox --exec: the program (a #! script, so its interpreter
# and the libraries too) still starts and serves, once per client with
# -k, but it runs inside the listener's sandbox: a file the options do
# not name cannot be read (the same script reads it without --sandbox),
# nor can another program be started (cat); without --sandbox the same
# script does both.
. "$(dirname "$0")/lib.sh"
# LeakSanitizer (an ASan build) stops threads with ptrace from a cloned
# thread at exit, which the sandbox refuses: no leak check in here.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
need python3
plan 5

echo secret-text > "$T/secret"
cat > "$T/prog" <<SH
#!/bin/sh
read line
echo "got \$line"
if read s < "$T/secret"; then echo "read \$s"; else echo refused; fi
if cat /dev/null 2> /dev/null; then echo ran-cat; else echo no-cat; fi
SH
chmod +x "$T/prog"

serve() { # NAME OPTION...: one listener, sets lpid and port
	local name=$1; shift
	listen_bg "$name" 127.0.0.1:0 "$@" < /dev/null
}

serve e1 --sandbox -k --exec "$T/prog"
if grep -q 'does not offer' "$T/e1.err"; then
	skip_all "no Landlock here: $(head -1 "$T/e1.err")"
fi
out1=$(echo hi | timeout -k 2 10 "$SOCK" connect "127.0.0.1:$port" | tr '\n' ' ')
out2=$(echo again | timeout -k 2 10 "$SOCK" connect "127.0.0.1:$port" | tr '\n' ' ')
diag "sandboxed: $out1 / $out2"
check "the program starts and serves under the sandbox" \
	eval 'case "$out1" in "got hi "*) true ;; *) false ;; esac'
check "and again for a second client (-k)" \
	eval 'case "$out2" in "got again "*) true ;; *) false ;; esac'
check "a file outside what the options name is not readable" \
	eval 'case "$out1" in *" refused "*) true ;; *) false ;; esac'
check "it cannot start another program (only the one named may run)" \
	eval 'case "$out1" in *" no-cat "*) true ;; *) false ;; esac'
stop $lpid

serve e2 -k --exec "$T/prog"
out=$(echo hi | timeout -k 2 10 "$SOCK" connect "127.0.0.1:$port" | tr '\n' ' ')
diag "not sandboxed: $out"
check "without --sandbox the same program reads the file and runs cat" \
	eval 'case "$out" in *"read secret-text ran-cat "*) true ;; *) false ;; esac'
stop $lpid
done_testing
