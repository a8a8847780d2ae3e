#!/usr/bin/env bash
# --explain in Spanish, from the build tree's catalog (SOCK_LOCALEDIR, as
# `make check` sets it; else the locale/ beside $SOCK): the sentences name
# TCP states as sock list's Estado column does (po/es.po's ESCUCHAR,
# ESPERA_TIEMPO...); the JSON keys stay English, only the "explain"
# sentence follows LANG.
. "$(dirname "$0")/lib.sh"
[ -n "${SOCK_LOCALEDIR:-}" ] || SOCK_LOCALEDIR=$(dirname "$SOCK")/locale
locale -a 2>/dev/null | grep -qi '^es_CL\.utf-\?8$' || skip_all "no es_CL.UTF-8 locale"
plan 6

check "the build tree's catalog exists ($SOCK_LOCALEDIR)" test -s "$SOCK_LOCALEDIR/es/LC_MESSAGES/sock.mo"
es() { SOCK_LOCALEDIR=$SOCK_LOCALEDIR LANG=es_CL.UTF-8 LC_ALL= LANGUAGE= "$SOCK" "$@"; }

bg "$SOCK" listen -k -v 127.0.0.1:0 > /dev/null 2> "$T/l.err"
port=$(wait_port "$T/l.err") || { echo "Bail out! no listener"; exit 1; }
es --explain list -tln "sport = :$port" > "$T/l1"
check "list --explain in Spanish" grep -q \
	"^ *ESCUCHAR: espera conexiones; se le puede llegar por 127.0.0.1, la dirección de loopback" "$T/l1"
check "the row's state and its sentence's are spelled alike (ESCUCHAR, no LISTEN)" sh -c \
	"grep -qE '127\.0\.0\.1:$port +0\.0\.0\.0:\* +ESCUCHAR *$' '$T/l1' && ! grep -q LISTEN '$T/l1'"
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
assert o["state"] == "listen" and o["explain"].startswith("ESCUCHAR: espera")' "$T/j"

exit $_failed
