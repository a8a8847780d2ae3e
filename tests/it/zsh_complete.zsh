#!/usr/bin/env zsh
# zsh_complete.zsh FILE LINE: the candidates zsh offers at the end of LINE,
# one a line, with FILE sourced after compinit (the way of
# zsh-capture-completion: an interactive zsh on a pty, compadd wrapped to
# print what it adds).  Test 1402 uses it.
zmodload zsh/zpty || exit 2
zpty z zsh -f -i
zpty -w z "PS1=''; unsetopt zle_bracketed_paste 2>/dev/null; autoload -U compinit; compinit -u -D; source ${(q)1}"
zpty -w z 'compadd() { [[ ${@[1,-1]} == *-(O|A|D)\ * ]] && { builtin compadd "$@"; return }; local -a __hits; builtin compadd -A __hits "$@"; local h; for h in $__hits; do print -r -- "@""@<$IPREFIX$h>"; done; }'
zpty -w z "finish() { print -r -- '@''@END'; exit }; comppostfuncs=(finish)"
zpty -n -w z "$2"$'\t'
local line
while zpty -r z line; do
	[[ -n $ZDEBUG ]] && print -r -- "RAW: ${(q+)line}"
	[[ $line == *@@END* ]] && break
	[[ $line == *@@\<*\>* ]] && { line=${line#*@@<}; print -r -- ${line%%>*}; }
done
zpty -d z
