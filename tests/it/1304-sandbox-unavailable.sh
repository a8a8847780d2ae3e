#!/usr/bin/env bash
# --sandbox where the kernel offers no Landlock (before 5.13, or not in
# lsm=): sock must say so and exit 1 before serving anyone, never run
# unconfined.  An old kernel is made here with a seccomp filter that
# answers Landlock's system calls ENOSYS, as such a kernel does, around
# the real binary.  Without --sandbox the same sock serves as usual.
. "$(dirname "$0")/lib.sh"
need cc
pkg-config --exists libseccomp 2> /dev/null || skip_all "no libseccomp headers"
plan 4

cat > "$T/noll.c" <<'C'
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <unistd.h>
int main(int argc, char **argv)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	const char *calls[] = { "landlock_create_ruleset", "landlock_add_rule",
				"landlock_restrict_self" };

	(void)argc;
	for (int i = 0; ctx && i < 3; i++)
		seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS),
				 seccomp_syscall_resolve_name(calls[i]), 0);
	if (!ctx || seccomp_load(ctx))
		return 125;
	execv(argv[1], argv + 1);
	perror("execv");
	return 126;
}
C
cc -o "$T/noll" "$T/noll.c" $(pkg-config --cflags --libs libseccomp) 2> "$T/cc" ||
	skip_all "cannot build the helper: $(head -c 200 "$T/cc")"

echo from-sock > "$T/in"
timeout -k 2 10 "$T/noll" "$SOCK" --sandbox listen 127.0.0.1:0 < "$T/in" \
	> "$T/l.out" 2> "$T/l.err"
rc=$?
sed 's/^/# /' "$T/l.err"
check "listen --sandbox without Landlock: exit 1 ($rc)" test "$rc" = 1
check "it says why, in one line naming Landlock" \
	eval 'test "$(wc -l < "$T/l.err")" = 1 && grep -q "needs Landlock.*not running unconfined" "$T/l.err"'
timeout -k 2 10 "$T/noll" "$SOCK" --sandbox relay 127.0.0.1:0 127.0.0.1:9 \
	< /dev/null > /dev/null 2> "$T/r.err"
rc=$?
check "relay --sandbox without Landlock: exit 1 ($rc), same reason" \
	eval 'test "$rc" = 1 && grep -q "relay: --sandbox needs Landlock" "$T/r.err"'

# the helper leaves everything else alone: without --sandbox sock serves
"$T/noll" "$SOCK" -v listen 127.0.0.1:0 < "$T/in" > "$T/l2.out" 2> "$T/l2.err" &
lpid=$!
PIDS+=($lpid)
port=$(wait_port "$T/l2.err")
out=$(echo from-peer | timeout -k 2 10 "$SOCK" connect "127.0.0.1:$port")
wait_exit $lpid 10
check "under the same helper, without --sandbox: served ($out, $st)" \
	test "$out|$(cat "$T/l2.out")|$st" = "from-sock|from-peer|0"
done_testing
