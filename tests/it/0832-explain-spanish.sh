#!/usr/bin/env bash
# --explain in Spanish: po/parts/explain.po compiled on its own (the
# maintainer merges it into po/es.po) and used through SOCK_LOCALEDIR;
# the JSON keys stay English, only the "explain" sentence follows LANG.
. "$(dirname "$0")/lib.sh"
need msgfmt
HERE=$(cd "$(dirname "$0")" && pwd)
PART=$HERE/../../po/parts/explain.po
locale -a 2>/dev/null | grep -qi '^es_CL\.utf-\?8$' || skip_all "no es_CL.UTF-8 locale"
plan 5

mkdir -p "$T/locale/es/LC_MESSAGES"
check "po/parts/explain.po is complete and valid" sh -c \
	"LC_ALL=C msgfmt -c --statistics -o '$T/locale/es/LC_MESSAGES/sock.mo' '$PART' 2>&1 |
	 grep -v -e untranslated -e fuzzy | grep -q 'translated messages'"
es() { SOCK_LOCALEDIR=$T/locale LANG=es_CL.UTF-8 LC_ALL= LANGUAGE= "$SOCK" "$@"; }

bg "$SOCK" listen -k -v 127.0.0.1:0 > /dev/null 2> "$T/l.err"
port=$(wait_port "$T/l.err") || { echo "Bail out! no listener"; exit 1; }
es --explain list -tln "sport = :$port" > "$T/l1"
check "list --explain in Spanish" grep -q \
	"LISTEN: espera conexiones; se le puede llegar por 127.0.0.1, la dirección de loopback" "$T/l1"
es explain "127.0.0.1:$port" > "$T/e1"
check "sock explain in Spanish" grep -q \
	"^escucha:    127.0.0.1:$port, en manos de " "$T/e1"
es --explain connect 127.0.0.1:1 < /dev/null 2> "$T/x1"
check "next steps in Spanish" grep -q \
	"siguiente paso: ¿está corriendo el servidor? sock list -tln 'sport = :1'" "$T/x1"
es --explain list -tln --json "sport = :$port" > "$T/j"
check "--json --explain: English keys, a Spanish sentence" python3 -c '
import json, sys
o = json.load(open(sys.argv[1]))[0]
assert o["state"] == "listen" and o["explain"].startswith("LISTEN: espera")' "$T/j"

exit $_failed
