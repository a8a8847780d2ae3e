#!/usr/bin/env bash
# Bundled short flags: an unknown letter is named as typed (not the word
# before it), and the global -v, -4, -6 work inside a command's bundle.
. "$(dirname "$0")/lib.sh"
need python3
plan 5

# 1-2: the unknown letter of a bundle is named
timeout -k 2 5 "$SOCK" connect -dx 127.0.0.1:9 < /dev/null 2> "$T/1.err"
check "connect -dx: exit 2, names '-x'" \
	test "$?|$(cat "$T/1.err")" = "2|sock connect: unknown option '-x' (try: sock connect --help)"
timeout -k 2 5 "$SOCK" listen -kj 8080 < /dev/null 2> "$T/2.err"
check "listen -kj: exit 2, names '-j'" \
	test "$?|$(cat "$T/2.err")" = "2|sock listen: unknown option '-j' (try: sock listen --help)"

# 3: a long option is named whole, without its value
timeout -k 2 5 "$SOCK" listen --keep=yes :0 < /dev/null 2> "$T/3.err"
check "listen --keep=yes: exit 2, names '--keep'" \
	test "$?|$(grep -c "'--keep' takes no value" "$T/3.err")" = "2|1"

# 4: -kv: the global -v inside listen's bundle
bg sh -c "exec \"$SOCK\" listen -kv 127.0.0.1:0 < /dev/null 2> '$T/4.err'"
check "listen -kv: -v works (prints 'listening on')" wait_port "$T/4.err"

# 5: -dv4: -v and -4 inside connect's bundle; -4 against an IPv6
# literal is refused as it would be as a word of its own
listen_bg s 127.0.0.1:0 < /dev/null
timeout -k 2 5 "$SOCK" connect -dv4 "127.0.0.1:$port" 2> "$T/5.err" > /dev/null &
cpid=$!
PIDS+=($cpid)
wait_for grep -q 'connected to' "$T/5.err"
a=$?
timeout -k 2 5 "$SOCK" connect -d4 '[::1]:9' < /dev/null 2> /dev/null
check "connect -dv4: -v and -4 both apply" test "$a|$?" = "0|2"
done_testing
