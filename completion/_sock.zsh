#compdef sock
# zsh completion for sock(1).
#
# As the bash one (completion/sock.bash): commands and options come from
# `sock --help` and `sock COMMAND --help` of the sock being completed,
# read in the C locale once per shell; endpoint schemes and `sock list`'s
# filter words are listed here (test 1402 checks them against the code).

typeset -g _sock_help_awk
IFS= read -r -d '' _sock_help_awk <<'EOF_AWK'
@HELP_AWK@
EOF_AWK
(( ${+_sock_cache} )) || typeset -gA _sock_cache

# _sock_help BIN [COMMAND]: the lines the awk program makes of BIN
# [COMMAND] --help, in $reply.
_sock_help() {
	local key="$1|$2"
	if (( ! ${+_sock_cache[$key]} )); then
		_sock_cache[$key]="$(LC_ALL=C $1 ${2:+$2} --help 2>/dev/null \
			</dev/null | awk $_sock_help_awk)"
	fi
	reply=("${(@f)_sock_cache[$key]}")
}

_sock_endpoint() {
	if compset -P '(unix|unix-dgram|unix-seqpacket):'; then
		[[ $PREFIX == @* ]] || _files
	elif [[ $PREFIX == (/|./|../)* ]]; then
		_files
	elif [[ $PREFIX != *://* ]]; then
		compadd -S '' -- tcp:// tcp4:// tcp6:// udp:// udp4:// udp6:// \
			tls:// tls4:// tls6:// unix: unix-dgram: unix-seqpacket:
	fi
}

_sock_filter() {
	case $words[CURRENT-1] in
	state)
		compadd -- established syn-sent syn-recv fin-wait-1 fin-wait-2 \
			time-wait close close-wait last-ack listen closing \
			new-syn-recv all connected synchronized bucket big \
			listening closed unconnected closingstate synrecv ;;
	netns) compadd -- /run/netns/*(N:t) ;;
	comm) compadd -- ${(u)${(f)"$(cat /proc/[0-9]*/comm 2>/dev/null)"}} ;;
	port|sport|dport|src|dst|pid|uid|cgroup) ;;
	*) compadd -- state port sport dport src dst netns pid comm uid \
		cgroup and or not ;;
	esac
}

# _sock_value OPTION VALUE-NAME: complete a value of OPTION.
_sock_value() {
	case $2 in
	FILE|PATH) _files ;;
	COMMAND) _command_names -e ;;
	NS) compadd -- /run/netns/*(N:t) ;;
	MODE) [[ $1 == --io ]] && compadd -- auto splice copy ;;
	*'|'*) compadd -- ${(s:|:)2} ;;
	*) [[ $1 == --proxy ]] && compadd -S '' -- socks5:// socks4a:// http:// ;;
	esac
}

_sock() {
	local bin=${words[1]} cmd i line val
	local -a reply globals cmds opts alone
	for (( i = 2; i < CURRENT; i++ )); do
		[[ $words[i] == -* ]] || { cmd=$words[i]; break; }
	done
	_sock_help $bin
	for line in $reply; do
		case $line in
		(o\ *) globals+=(${${line#o }%% *}) ;;
		(c\ *) line=${line#c }; cmds+=("${line%% *}:${${line#* }##[[:space:]]#}") ;;
		esac
	done
	if [[ -z $cmd || $cmd == help ]]; then
		if [[ $PREFIX == -* && -z $cmd ]]; then
			compadd -- $globals
		else
			cmds+=('help:a command'\''s help' 'version:the version and features')
			_describe -t commands 'sock command' cmds
		fi
		return
	fi
	_sock_help $bin $cmd
	for line in $reply; do
		case $line in
		(o\ *) opts+=(${${line#o }%% *}) ;;
		(w\ *) alone+=(${line#w }) ;;
		esac
	done
	# a value after an option that takes one
	val=
	for line in $reply; do
		[[ $line == "o $words[CURRENT-1] "* ]] && val=${line##* }
	done
	if [[ -n $val && $val != - ]]; then
		_sock_value $words[CURRENT-1] $val
		return
	fi
	if [[ $PREFIX == -* ]]; then
		compadd -- ${(u)opts} ${globals:|opts}
		return
	fi
	case $cmd in
	list) _sock_filter ;;
	connect|listen|relay|explain) _sock_endpoint ;;
	*) (( $#alone )) && compadd -- $alone ;;
	esac
}

# Autoloaded from fpath (as installed) this file is _sock's body: run it;
# sourced, it registers itself.
if [[ $funcstack[1] == _sock ]]; then
	_sock "$@"
else
	compdef _sock sock
fi
