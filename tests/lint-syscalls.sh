#!/usr/bin/env bash
# lint-syscalls.sh [DIR]: every socket call in DIR/*.c (default lib/) goes
# through the traced wrappers of lib/sys.h, so --trace shows it; only
# DIR/sys.c, which makes the calls, may call the socket API itself.
# Prints FILE:LINE: and the offending code for each raw call; exits 1 if
# there is one.  Comments and string literals are ignored; a member call
# (ops->send(...), e.send(...)) is not the socket API.  close(), read()
# and write() are left out: they serve pipes and files too.
set -euo pipefail
dir=${1:-lib}
calls='socket|socketpair|bind|listen|accept|accept4|connect|send|sendto|sendmsg|sendmmsg|recv|recvfrom|recvmsg|recvmmsg|shutdown|setsockopt|getsockopt|getsockname|getpeername|splice|mnl_socket_[a-z0-9_]+'
bad=0
for f in "$dir"/*.c; do
	[ "$(basename "$f")" = sys.c ] && continue
	# blank out comments and string/char literals, keeping the lines
	awk -v calls="$calls" -v file="$f" '
	BEGIN { incom = 0; re = "(^|[^A-Za-z0-9_.>])(" calls ")[ \t]*\\(" }
	{
		src = $0; out = ""; i = 1; n = length(src)
		while (i <= n) {
			c = substr(src, i, 1); c2 = substr(src, i, 2)
			if (incom) {
				if (c2 == "*/") { incom = 0; i += 2 } else i++
				continue
			}
			if (c2 == "/*") { incom = 1; i += 2; continue }
			if (c2 == "//") break
			if (c == "\"" || c == "\047") {
				q = c; i++
				while (i <= n && substr(src, i, 1) != q)
					i += substr(src, i, 1) == "\\" ? 2 : 1
				i++; out = out q q; continue
			}
			out = out c; i++
		}
		if (out ~ re) {
			printf "%s:%d: raw socket call, use the wrapper in lib/sys.h: %s\n", file, NR, $0
			bad = 1
		}
	}
	END { exit bad }' "$f" || bad=1
done
if [ $bad -ne 0 ]; then
	echo "lint-syscalls: socket calls outside $dir/sys.c bypass --trace (see above)" >&2
	exit 1
fi
