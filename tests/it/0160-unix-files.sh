#!/usr/bin/env bash
# The socket file of a Unix listener: never replace a file that is not a
# socket; replace a stale socket; refuse a live one without disturbing
# it; remove the file after SIGTERM, SIGINT and a normal end.
. "$(dirname "$0")/lib.sh"
need python3
plan 13

# 1-2: a regular file (and a symlink to it) is refused, left untouched
printf 'precious\n' > "$T/file"
ln -s "$T/file" "$T/link"
before=$(stat -c '%s %Y %i' "$T/file")
timeout -k 2 5 "$SOCK" listen "unix:$T/file" < /dev/null 2> "$T/e1"
rc=$?
check "regular file: exit 1, one line naming the path and 'not a socket'" \
	sh -c "test $rc -eq 1 && test \$(wc -l < '$T/e1') -eq 1 &&
		grep -q 'unix:$T/file' '$T/e1' && grep -q 'not a socket' '$T/e1'"
timeout -k 2 5 "$SOCK" listen "unix-dgram:$T/link" < /dev/null 2> /dev/null
rc2=$?
check "file (and symlink to it) untouched" \
	test "$rc2|$(cat "$T/file")|$(stat -c '%s %Y %i' "$T/file")|$(readlink "$T/link")" = \
	"1|precious|$before|$T/file"

# 3-4: a stale socket (its process died without unlinking) is replaced,
# for stream and datagram kinds
python3 -c 'import socket, sys
socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$T/stale"
test -S "$T/stale" || echo "# no stale socket made"
bg sh -c "echo served | exec \"$SOCK\" listen 'unix:$T/stale'"
out=$(wait_for sh -c "timeout -k 2 2 \"$SOCK\" connect 'unix:$T/stale' < /dev/null 2>/dev/null | grep -q served" && echo yes)
check "stale stream socket replaced" test "$out" = yes

python3 -c 'import socket, sys
socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM).bind(sys.argv[1])' "$T/staled"
bg sh -c "exec \"$SOCK\" -v listen 'unix-dgram:$T/staled' < /dev/null > '$T/d.out' 2> '$T/d.err'"
wait_for grep -q listening "$T/d.err"
python3 -c 'import socket, sys
socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM).sendto(b"hi\n", sys.argv[1])' "$T/staled"
wait_for test -s "$T/d.out"
check "stale datagram socket replaced" test "$(cat "$T/d.out")" = hi

# 5-7: a live listener: "address already in use", and it is not
# disturbed (no phantom client reaches it)
mkfifo "$T/lin"
bg sh -c "exec \"$SOCK\" -v listen 'unix:$T/live' < '$T/lin' > '$T/live.out' 2> '$T/live.err'"
lpid=$!
exec 7> "$T/lin"
wait_for test -S "$T/live"
timeout -k 2 5 "$SOCK" listen "unix:$T/live" < /dev/null 2> "$T/e5"
rc=$?
check "live socket: exit 1, 'already in use'" \
	sh -c "test $rc -eq 1 && grep -qi 'already in use' '$T/e5'"
timeout -k 2 5 "$SOCK" listen "unix-seqpacket:$T/live" < /dev/null 2> "$T/e6"
rc=$?
check "live socket of another kind: exit 1, 'already in use'" \
	sh -c "test $rc -eq 1 && grep -qi 'already in use' '$T/e6'"
sleep 0.2
echo to-real-client >&7
exec 7>&-
out=$(echo real | timeout -k 2 5 "$SOCK" connect "unix:$T/live")
wait_exit $lpid 5
check "the live listener still serves its one real client" \
	test "$out|$(cat "$T/live.out")|$st|$(grep -c 'connection from' "$T/live.err")" = \
	"to-real-client|real|0|1"

# 8-10: the socket file is removed after SIGTERM, SIGINT, a normal end
for sig in TERM INT; do
	bg sh -c "exec \"$SOCK\" listen 'unix:$T/$sig.sock' < /dev/null"
	pid=$!
	wait_for test -S "$T/$sig.sock"
	kill -$sig $pid
	wait_exit $pid 5
	check "SIG$sig: socket file removed, died of the signal" \
		test "$(test -e "$T/$sig.sock" && echo left)|$st" = \
		"|$((128 + $(kill -l $sig)))"
done
bg sh -c "exec \"$SOCK\" listen 'unix:$T/end.sock' < /dev/null > /dev/null"
pid=$!
wait_for test -S "$T/end.sock"
timeout -k 2 5 "$SOCK" connect "unix:$T/end.sock" < /dev/null
wait_exit $pid 5
check "normal end: socket file removed, exit 0" \
	test "$(test -e "$T/end.sock" && echo left)|$st" = "|0"

# 11: with -k, the file stays while serving and goes on SIGTERM
bg sh -c "exec \"$SOCK\" listen -k 'unix:$T/k.sock' < /dev/null"
pid=$!
wait_for test -S "$T/k.sock"
timeout -k 2 5 "$SOCK" connect "unix:$T/k.sock" < /dev/null
stayed=$(test -S "$T/k.sock" && echo stayed)
kill $pid
wait_exit $pid 5
check "-k: file kept between clients, removed on SIGTERM" \
	test "$stayed|$(test -e "$T/k.sock" && echo left)" = "stayed|"

# 12: unix-dgram and seqpacket listeners remove their files too
bg sh -c "exec \"$SOCK\" listen 'unix-dgram:$T/dg.sock' < /dev/null"
p1=$!
bg sh -c "exec \"$SOCK\" listen 'unix-seqpacket:$T/sp.sock' < /dev/null"
p2=$!
wait_for test -S "$T/dg.sock" -a -S "$T/sp.sock"
kill $p1 $p2
wait_exit $p1 5; wait_exit $p2 5
check "unix-dgram and seqpacket files removed on SIGTERM" \
	test "$(ls "$T" | grep -c -e '^dg.sock$' -e '^sp.sock$')" = 0

# 13: a directory in the way is refused and kept
mkdir "$T/dir"
timeout -k 2 5 "$SOCK" listen "unix:$T/dir" < /dev/null 2> /dev/null
rc=$?
check "directory: exit 1, kept" test "$rc|$(test -d "$T/dir" && echo dir)" = "1|dir"
done_testing
