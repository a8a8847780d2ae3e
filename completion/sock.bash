# bash completion for sock(1)                          -*- shell-script -*-
#
# Commands and options come from the sock being completed: `sock --help`
# and `sock COMMAND --help`, read in the C locale once per shell, so that
# they never drift from the binary (a new command or option is offered as
# soon as its help names it).  Endpoint schemes and `sock list`'s filter
# words are listed here; test 1402 checks both lists against lib/addr.c,
# lib/diag_filter.c and lib/diag_names.c.

_sock_schemes='tcp:// tcp4:// tcp6:// udp:// udp4:// udp6:// tls:// tls4:// tls6://
unix: unix-dgram: unix-seqpacket:'
_sock_filter_keys='state port sport dport src dst netns pid comm uid cgroup
and or not'
_sock_states='established syn-sent syn-recv fin-wait-1 fin-wait-2 time-wait
close close-wait last-ack listen closing new-syn-recv all connected
synchronized bucket big listening closed unconnected closingstate synrecv'

IFS= read -r -d '' _sock_help_awk <<'EOF_AWK'
@HELP_AWK@
EOF_AWK

declare -gA _sock_cache

# _sock_help BIN [COMMAND]: what BIN [COMMAND] --help offers, in the lines
# of the awk program above, in $_sock_out.
_sock_help()
{
	local key="$1|$2"
	if [[ -z ${_sock_cache[$key]+set} ]]; then
		_sock_cache[$key]=$(LC_ALL=C "$1" ${2:+"$2"} --help 2> /dev/null \
			< /dev/null | awk "$_sock_help_awk")
	fi
	_sock_out=${_sock_cache[$key]}
}

# _sock_pick KIND: the second field of $_sock_out's lines of KIND (o, w,
# c): the options, the words, the commands.
_sock_pick()
{
	local kind field
	while read -r kind field _; do
		[[ $kind == "$1" ]] && printf '%s\n' "$field"
	done <<< "$_sock_out"
}

# The name of the value OPTION takes in $_sock_out, or nothing.
_sock_value_of()
{
	local kind opt val
	while read -r kind opt val _; do
		[[ $kind == o && $opt == "$1" && $val != - ]] && { printf '%s' "$val"; return; }
	done <<< "$_sock_out"
}

_sock_endpoint()
{
	local cur=$1 pre f
	case $cur in
	unix:@* | unix-dgram:@* | unix-seqpacket:@*) ;;
	unix:* | unix-dgram:* | unix-seqpacket:*)
		pre=${cur%%:*}:
		compopt -o nospace
		while IFS= read -r f; do
			[[ -d $f ]] && f+=/ || f+=' '
			COMPREPLY+=("$pre$f")
		done < <(compgen -f -- "${cur#*:}")
		;;
	/* | ./* | ../*) _filedir ;;
	*://*) ;;
	*)
		compopt -o nospace
		COMPREPLY=($(compgen -W "$_sock_schemes" -- "$cur"))
		;;
	esac
	__ltrim_colon_completions "$cur"
}

# sock list's FILTER: keywords, and the states after "state".
_sock_filter()
{
	case $2 in
	state) COMPREPLY=($(compgen -W "$_sock_states" -- "$1")) ;;
	netns) COMPREPLY=($(compgen -W "$(ls /run/netns 2> /dev/null)" -- "$1")) ;;
	comm) COMPREPLY=($(compgen -W "$(cat /proc/[0-9]*/comm 2> /dev/null | sort -u)" -- "$1")) ;;
	port | sport | dport | src | dst | pid | uid | cgroup) ;;
	*) COMPREPLY=($(compgen -W "$_sock_filter_keys" -- "$1")) ;;
	esac
}

# A value for an option whose help names it VALUE.
_sock_value()
{
	local cur=$1 opt=$2 val=$3
	case $val in
	FILE | PATH) _filedir ;;
	COMMAND) COMPREPLY=($(compgen -c -- "$cur")) ;;
	NS) COMPREPLY=($(compgen -W "$(ls /run/netns 2> /dev/null)" -- "$cur")) ;;
	MODE) [[ $opt == --io ]] && COMPREPLY=($(compgen -W "auto splice copy" -- "$cur")) ;;
	*'|'*) COMPREPLY=($(compgen -W "${val//|/ }" -- "$cur")) ;;
	*)
		[[ $opt == --proxy && $cur != *://* ]] || return
		compopt -o nospace
		COMPREPLY=($(compgen -W "socks5:// socks4a:// http://" -- "$cur"))
		__ltrim_colon_completions "$cur"
		;;
	esac
}

_sock()
{
	local cur prev words cword
	_init_completion -n := || return

	local bin=${words[0]/#\~/$HOME} cmd= i val globals
	for ((i = 1; i < cword; i++)); do
		[[ ${words[i]} == -* ]] || { cmd=${words[i]}; break; }
	done
	_sock_help "$bin"
	globals=$(_sock_pick o)
	if [[ -z $cmd || $cmd == help ]]; then
		if [[ $cur == -* && -z $cmd ]]; then
			COMPREPLY=($(compgen -W "$globals" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$(_sock_pick c) help version" -- "$cur"))
		fi
		return
	fi
	_sock_help "$bin" "$cmd"

	# --opt=VALUE, or a value after an option that takes one
	if [[ $cur == --*=* ]]; then
		val=$(_sock_value_of "${cur%%=*}")
		[[ -n $val ]] && _sock_value "${cur#*=}" "${cur%%=*}" "$val"
		return
	fi
	if [[ $prev == -* ]]; then
		val=$(_sock_value_of "$prev")
		[[ -n $val ]] && { _sock_value "$cur" "$prev" "$val"; return; }
	fi
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(printf '%s\n' $(_sock_pick o) $globals |
			sort -u)" -- "$cur"))
		return
	fi
	case $cmd in
	list) _sock_filter "$cur" "$prev" ;;
	connect | listen | relay | explain) _sock_endpoint "$cur" ;;
	*) COMPREPLY=($(compgen -W "$(_sock_pick w)" -- "$cur")) ;;
	esac
}
complete -F _sock sock
