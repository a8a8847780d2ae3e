#!/usr/bin/env bash
# connect -z: is anything listening?  One port, several, a range; exit 0
# only when every one is open; -v says a line per port, as nc -zv does.
. "$(dirname "$0")/lib.sh"
need python3
plan 7

listen_bg a 127.0.0.1:0 -k -d < /dev/null
open_port=$port
closed=$(free_port tcp)

# 1: one open port, HOST PORT: exit 0, nothing read or written
timeout -k 2 5 "$SOCK" connect -z 127.0.0.1 "$open_port" < /dev/null > "$T/1.out" 2> "$T/1.err"
check "-z HOST PORT on an open port: exit 0, silent" \
	test "$?|$(cat "$T/1.out" "$T/1.err")" = "0|"

# 2: a closed port: exit 1
timeout -k 2 5 "$SOCK" connect -z 127.0.0.1 "$closed" < /dev/null 2> /dev/null
ok $([ $? -eq 1 ]; echo $?) "-z on a closed port: exit 1"

# 3: -zv (a bundle with the global -v) names each port, nc's way
timeout -k 2 5 "$SOCK" connect -zv 127.0.0.1 "$open_port" "$closed" < /dev/null 2> "$T/3.err"
rc=$?
check "-zv HOST P1 P2: one line each (open / not open), exit 1" \
	test "$rc|$(grep -c "127.0.0.1 port $open_port (tcp) open" "$T/3.err")|$(grep -c "127.0.0.1 port $closed (tcp) not open: Connection refused" "$T/3.err")" = "1|1|1"

# 4: a range LOW-HIGH is every port in it
lo=$((open_port - 1)) hi=$((open_port + 1))
timeout -k 2 5 "$SOCK" -v connect -z 127.0.0.1 "$lo-$hi" < /dev/null 2> "$T/4.err"
rc=$?
check "-z HOST LOW-HIGH: three lines, the listener's open, exit 1" \
	test "$rc|$(grep -c ' port ' "$T/4.err")|$(grep -c "port $open_port (tcp) open" "$T/4.err")" = "1|3|1"

# 5: the endpoint form: -z HOST:PORT and -z unix:PATH
bg sh -c "exec \"$SOCK\" -v listen -k -d 'unix:$T/z.sock' < /dev/null 2> '$T/z.err'"
wait_for grep -q 'listening on' "$T/z.err"
timeout -k 2 5 "$SOCK" connect -z "127.0.0.1:$open_port" < /dev/null &&
	timeout -k 2 5 "$SOCK" connect -z "unix:$T/z.sock" < /dev/null
ok $? "-z ENDPOINT (tcp and unix): exit 0"

# 6: a range upside down, or a port out of range: usage errors
timeout -k 2 5 "$SOCK" connect -z 127.0.0.1 25-20 < /dev/null 2> "$T/6.err"
a=$?
timeout -k 2 5 "$SOCK" connect -z 127.0.0.1 1-70000 < /dev/null 2> /dev/null
check "-z HOST 25-20 and 1-70000: exit 2 with 'bad port'" \
	test "$a|$?|$(grep -c "bad port '25-20'" "$T/6.err")" = "2|2|1"

# 7: options -z cannot honour are refused, not ignored
timeout -k 2 5 "$SOCK" connect -z -q 1 127.0.0.1 "$open_port" < /dev/null 2> "$T/7.err"
a=$?
timeout -k 2 5 "$SOCK" connect -zu 127.0.0.1 "$open_port" < /dev/null 2>> "$T/7.err"
check "-z with -q, and -z with -u (UDP): exit 2, saying why" \
	test "$a|$?|$(grep -c -e 'do not apply' -e 'UDP has none' "$T/7.err")" = "2|2|2"
done_testing
