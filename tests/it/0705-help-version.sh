#!/usr/bin/env bash
# sock help [COMMAND], sock -h COMMAND, sock version / -V / --version;
# each command's help gives -v and --trace a line of their own.
. "$(dirname "$0")/lib.sh"
plan 6

v=$("$SOCK" --version)
check "sock version and sock -V print what --version does" \
	test "$("$SOCK" version)|$("$SOCK" -V)" = "$v|$v"

check "sock help: the global help, exit 0" \
	test "$("$SOCK" help | head -1)|$?" = "$("$SOCK" --help | head -1)|0"

for c in list connect; do
	want=$("$SOCK" $c --help | head -1)
	check "sock help $c, sock -h $c, sock --help $c: $c's help" \
		test "$("$SOCK" help $c | head -1)|$("$SOCK" -h $c | head -1)|$("$SOCK" --help $c | head -1)" = "$want|$want|$want"
done

"$SOCK" help nope > /dev/null 2>&1
ok $([ $? -eq 2 ]; echo $?) "sock help nope: exit 2"

bad=0
for c in connect listen relay; do
	h=$("$SOCK" $c --help)
	grep -qE '^ +-v, --verbose +' <<< "$h" && grep -qE '^ +--trace +print every socket call' <<< "$h" ||
		{ diag "$c"; bad=1; }
	grep -q -- '-v, --trace' <<< "$h" && { diag "$c: -v, --trace"; bad=1; }
done
ok $bad "connect, listen, relay --help: -v and --trace on lines of their own"
done_testing
