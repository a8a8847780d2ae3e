#!/usr/bin/env bash
# Shell completion: the bash one, loaded with bash-completion and asked
# for completions (COMP_WORDS, COMP_CWORD, COMPREPLY), offers every
# command and every option each `sock CMD --help` names, the endpoint
# schemes lib/addr.c accepts, sock list's filter words and states as
# lib/diag_filter.c and lib/diag_names.c spell them, and option values;
# the zsh one loads with compinit, and on a pty offers the same; make
# install puts both where bash-completion and zsh look.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$ROOT/build}
BC=/usr/share/bash-completion/bash_completion
[ -r "$BC" ] || skip_all "bash-completion not installed"
[ -r "$BUILD/completion/sock" ] || skip_all "no $BUILD/completion/sock: run make"
plan 15

# complete LINE...: for each LINE, what bash offers at its end, on one
# line (sorted, space-separated).  The words are split as readline
# splits them: at blanks, with ':' and '=' words of their own.
complete_bash() {
	bash -c '
	. "$1"; . "$2"; shift 2
	compopt() { :; }   # readline options: nothing to set outside readline
	for line; do
		w=()
		for tok in $line; do
			while [[ $tok == *[:=]* ]]; do
				head=${tok%%[:=]*}
				[[ -n $head ]] && w+=("$head")
				w+=("${tok:${#head}:1}")
				tok=${tok:${#head}+1}
			done
			[[ -n $tok ]] && w+=("$tok")
		done
		[[ $line == *" " || $line == *[:=] ]] && w+=("")
		COMP_WORDS=("${w[@]}") COMP_CWORD=$((${#w[@]} - 1))
		COMP_LINE=$line COMP_POINT=${#line} COMPREPLY=()
		_sock "${w[0]}" "${w[-1]}" "${w[-2]}"
		((${#COMPREPLY[@]})) && printf "%s\n" "${COMPREPLY[@]}" | sort -u | tr "\n" " "
		echo
	done' - "$BC" "$BUILD/completion/sock" "$@" 2> "$T/bash.err"
}
# has "WANTED..." "OFFERED": every wanted word offered; the missing in $miss
has() {
	miss=
	for w in $1; do
		[[ " $2 " == *" $w "* ]] || miss+=" $w"
	done
	[ -z "$miss" ]
}
# The options a --help text names (tests/it/docs_check.py's rule)
help_options() {
	python3 -c 'import re, sys
for line in sys.stdin:
    if re.match(r"\s+-", line):
        print(*re.findall(r"(?<![\w-])(--[a-z][a-z-]*|-[a-zA-Z0-9])\b", line))' | tr '\n' ' '
}

# 1: the commands of sock --help, and help and version
cmds=$(LC_ALL=C "$SOCK" --help | sed -n '/^commands:/,/^$/s/^  \([a-z][a-z]*\) .*/\1/p' | tr '\n' ' ')
got=$(complete_bash "$SOCK ")
has "$cmds help version" "$got"
check "sock <TAB>: every command of sock --help ($cmds), help, version" test -z "$miss"
[ -z "$miss" ] || diag "missing:$miss; offered: $got"

# 2-3: every option of every command's --help (and the global ones)
lines=("$SOCK -")
for c in $cmds; do lines+=("$SOCK $c -"); done
mapfile -t got < <(complete_bash "${lines[@]}")
has "$(LC_ALL=C "$SOCK" --help | help_options)" "${got[0]}"
check "sock -<TAB>: every global option of sock --help" test -z "$miss"
bad=
i=1
for c in $cmds; do
	has "$(LC_ALL=C "$SOCK" $c --help | help_options)" "${got[i]}" || bad+=" $c:$miss"
	i=$((i + 1))
done
check "sock CMD -<TAB>: every option of each sock CMD --help" test -z "$bad"
[ -z "$bad" ] || diag "missing:$bad"

# 4: the endpoint schemes of lib/addr.c's table (and TLS's)
schemes=$(sed -n 's/^\t{ "\([a-z0-9-]*:\(\/\/\)\{0,1\}\)", SOCK_KIND_.*/\1/p' "$ROOT/lib/addr.c" | tr '\n' ' ')
[ -n "$schemes" ] || schemes="missing:lib/addr.c"
mapfile -t got < <(complete_bash "$SOCK connect " "$SOCK relay tcp://:1 " "$SOCK listen -k t")
has "$schemes tls:// tls4:// tls6://" "${got[0]}"
m1=$miss
has "$schemes" "${got[1]}"
check "endpoint schemes: lib/addr.c's ($schemes) and tls://, for connect and relay's TO" \
	test -z "$m1$miss" -a "${got[2]}" = "tcp4:// tcp6:// tcp:// tls4:// tls6:// tls:// "
[ -z "$m1$miss" ] || diag "missing:$m1$miss"

# 5: a path after unix: (and unix-dgram:), a directory with its slash
# (bash replaces the word after the colon; a file ends with its space)
mkdir "$T/dir" && touch "$T/sockfile"
mapfile -t got < <(complete_bash "$SOCK connect unix:$T/so" "$SOCK listen unix-dgram:$T/d")
check "unix:PATH completes the path" \
	test "${got[0]}|${got[1]}" = "$T/sockfile  |$T/dir/ "

# 6-7: sock list's filter keywords and state names, from the sources
keys=$(grep -o 'is(kw, "[a-z]*", "[a-z]*", "[a-z]*")' "$ROOT/lib/diag_filter.c" |
	grep -o '"[a-z]*"' | tr -d '"' | sort -u | tr '\n' ' ')
states=$( (sed -n 's/^\t{ "\([a-z-]*\)", "[A-Z_0-9]*" },$/\1/p' "$ROOT/lib/diag_names.c" | grep -vx unknown
	sed -n '/state_words\[\] = {/,/^};/s/^\t{ "\([a-z]*\)",.*/\1/p' "$ROOT/lib/diag_filter.c") | tr '\n' ' ')
mapfile -t got < <(complete_bash "$SOCK list -tan " "$SOCK list state " "$SOCK list -t state listening and sport ")
has "$keys and or not" "${got[0]}"
check "sock list <TAB>: the filter keywords of lib/diag_filter.c ($keys) and and, or, not" test -z "$miss" -a -n "$keys"
has "$states" "${got[1]}"
check "sock list state <TAB>: the $(wc -w <<< "$states") state words of diag_names.c and diag_filter.c" \
	test -z "$miss" -a -n "$states" -a -z "${got[2]}"
[ -z "$miss" ] || diag "missing:$miss"

# 8: option values: dot|svg, relay --io's modes (as its help says them),
# files for FILE, demo's kinds and scenarios from its help
modes=$(LC_ALL=C "$SOCK" relay --help | sed -n 's/.*--io MODE *\([a-z]*\), \([a-z]*\) or \([a-z]*\).*/\1 \2 \3/p')
mapfile -t got < <(complete_bash "$SOCK list --graph " "$SOCK list --graph=s" "$SOCK relay --io " \
	"$SOCK list --dump $T/so" "$SOCK demo " "$SOCK help ")
has "$modes" "${got[2]}"
check "values: --graph dot|svg, --graph=s, --io ($modes), --dump FILE, demo's words, help's commands" \
	test "${got[0]}|${got[1]}|$miss|${got[3]}|${got[5]}" = "dot svg |svg ||$T/sockfile |$(echo $cmds help version | tr ' ' '\n' | sort | tr '\n' ' ')" \
	-a -n "$modes"
has "tcp udp unix-dgram normal half-close backlog" "${got[4]}" || diag "demo: missing$miss"
# 9: a --proxy option (issue 12's, once its help names it) gets the
# proxy schemes: a sock whose connect --help says so stands in for it
cat > "$T/sock" <<SH
#!/bin/sh
[ "\$1 \$2" = "connect --help" ] && { printf '  --proxy URL  through a proxy\n'; exit 0; }
exec "$SOCK" "\$@"
SH
chmod +x "$T/sock"
mapfile -t got < <(complete_bash "$T/sock connect --proxy " "$T/sock connect --proxy socks5:")
check "--proxy URL: socks5://, socks4a://, http://" \
	test "${got[0]}|${got[1]}" = "http:// socks4a:// socks5:// |// "
check "the bash completion said nothing on stderr" test ! -s "$T/bash.err"
[ -s "$T/bash.err" ] && diag "$(head -5 "$T/bash.err")"

# 11-12: make install puts both where bash-completion and zsh find them
make -s -C "$ROOT" install-completion BUILD="$BUILD" DESTDIR="$T/root" PREFIX=/usr > "$T/inst.out" 2>&1
out=$(XDG_DATA_DIRS=$T/root/usr/share bash -c ". $BC; __load_completion sock && complete -p sock" 2>&1)
check "installed: bash-completion loads it (complete -F _sock sock)" test "$out" = "complete -F _sock sock"
need zsh
out=$(cd "$T" && zsh -fc "fpath=($T/root/usr/share/zsh/vendor-completions \$fpath)
	autoload -U compinit && compinit -u -d $T/zcd && print -r -- \$_comps[sock]
	source $BUILD/completion/_sock && print -r -- \$_comps[sock]" 2>&1)
check "zsh: compinit finds the installed _sock; sourced, it loads without error" \
	test "$out" = "$(printf '_sock\n_sock')"
[ "$out" = "$(printf '_sock\n_sock')" ] || diag "$out"

# 13-15: zsh on a pty offers the commands, list's options, the schemes
zc() { timeout -k 2 20 zsh -f "$(dirname "$0")/zsh_complete.zsh" "$BUILD/completion/_sock" "$1" | sort -u | tr '\n' ' '; }
got=$(zc "$SOCK ")
has "$cmds help version" "$got"
check "zsh: sock <TAB> offers every command" test -z "$miss"
got=$(zc "$SOCK list -")
has "$(LC_ALL=C "$SOCK" list --help | help_options)" "$got"
check "zsh: sock list -<TAB> offers every option of its help" test -z "$miss"
[ -z "$miss" ] || diag "missing:$miss"
got=$(zc "$SOCK connect t")
check "zsh: sock connect t<TAB>: the tcp and tls schemes" \
	test "$got" = "tcp4:// tcp6:// tcp:// tls4:// tls6:// tls:// "
done_testing
