# The words `sock [CMD] --help` offers (read in the C locale), one a line:
#   o OPTION ARG   an option; ARG is its value's name (FILE, SECONDS, a|b),
#                  or - when it takes none
#   w WORD         a word that may stand alone (demo's kinds and scenarios)
#   c NAME SUMMARY a command (sock --help's "commands:" list)
# Options: every -X or --long on a line that starts with one (the rule of
# tests/it/docs_check.py), and a --long anywhere; a value is a word
# written one space after the option: an upper-case name or a|b|c.
function value(rest,    v) {
	if (match(rest, /^ [A-Z][A-Z_]*/) || match(rest, /^ [a-z0-9]+(\|[a-z0-9-]+)+/)) {
		v = substr(rest, 2, RLENGTH - 1)
		rest = substr(rest, RLENGTH + 1)
		if (rest == "" || rest ~ /^(  |\]| *$)/)
			return v
	}
	return "-"
}
# An option may be named in prose before its own line: the value wins.
function note(o, v) {
	if (!(o in opt)) order[++nopt] = o
	if (!(o in opt) || v != "-") opt[o] = v
}
/^[a-z]+:$/ { section = $1; next }
/^$/ { section = "" }
section == "commands:" && /^  [a-z]/ { sub(/^  /, ""); print "c", $0; next }
{
	optline = $0 ~ /^[ \t]+-/
	s = " " $0
	alias = ""
	while (match(s, /[ \t,[(|]--?[A-Za-z0-9][-A-Za-z0-9]*/)) {
		o = substr(s, RSTART + 1, RLENGTH - 1)
		s = substr(s, RSTART + RLENGTH)
		if (o !~ /^--[a-z][-a-z]*$/ && !(optline && o ~ /^-[A-Za-z0-9]$/))
			continue
		# "-w, --timeout SECONDS": -w takes what --timeout takes
		if (s ~ /^, --?[A-Za-z0-9]/) {
			alias = alias " " o
			continue
		}
		v = value(s)
		note(o, v)
		n = split(alias, a, " ")
		for (i = 1; i <= n; i++)
			note(a[i], v)
		alias = ""
	}
}
# usage: ... [tcp|udp|unix] ...: alternatives that are not options
/^usage: / {
	s = $0
	while (match(s, /\[[a-z][-a-z0-9]*(\|[a-z][-a-z0-9]*)+\]/)) {
		n = split(substr(s, RSTART + 1, RLENGTH - 2), alt, "|")
		for (i = 1; i <= n; i++)
			print "w", alt[i]
		s = substr(s, RSTART + RLENGTH)
	}
}
# "  normal           connect, one exchange": a word and its meaning
/^  [a-z][-a-z0-9]+  +[^ -]/ && section != "commands:" { print "w", $1 }
END { for (i = 1; i <= nopt; i++) print "o", order[i], opt[order[i]] }
