#!/usr/bin/env bash
# sock in Spanish (GNU gettext, the build tree's catalog through
# SOCK_LOCALEDIR): errors with their plain-words hints, usage errors,
# help, -v lines (durations keep their decimal point), the trace's
# explanations; the usual variables (LANG, LC_MESSAGES, LC_ALL,
# LANGUAGE with C.UTF-8), English with LC_ALL=C, and the trace's call
# syntax the same in every locale.
. "$(dirname "$0")/lib.sh"
locale -a 2>/dev/null | grep -qi '^es_CL.utf-\?8$' || skip_all "no es_CL.UTF-8 locale (make deps)"
plan 17

# es COMMAND...: sock in es_CL, nothing else overriding it
es() { env -u LC_ALL -u LC_MESSAGES -u LANGUAGE LANG=es_CL.UTF-8 "$SOCK" "$@"; }
# first_line FILE EXPECTED DESCRIPTION
first_line() { check "$3" test "$(head -1 "$1")" = "$2"; }

# 1: a runtime error and its hint
p=$(free_port tcp)
es connect "127.0.0.1:$p" 2> "$T/e1"; rc=$?
check "connection refused: Spanish explanation, exit 1" \
	test "$rc|$(sed "s/:$p:/:P:/" "$T/e1")" = \
	"1|sock: conectarse a 127.0.0.1:P: Conexión rehusada: nadie está escuchando en esa dirección y puerto"

# 2: a bad endpoint, with its caret
es connect tcp://127.0.0.1:99999 2> "$T/e2"; rc=$?
printf '%s\n' "sock: extremo inválido: puerto mayor que 65535" "  tcp://127.0.0.1:99999" \
	"                  ^" > "$T/x2"
check "bad endpoint: reason in Spanish, caret in place, exit 2" \
	test "$rc|$(cat "$T/e2")" = "2|$(cat "$T/x2")"

# 3-5: usage errors
es bogus 2> "$T/e3"
first_line "$T/e3" "sock: comando desconocido 'bogus' (prueben: sock --help)" "unknown command"
es list -q 2> "$T/e4"
first_line "$T/e4" "sock list: opción desconocida 'q' en '-q' (prueben: sock list --help)" "unknown list flag"
es connect -w x 127.0.0.1:1 2> "$T/e5"
first_line "$T/e5" "sock connect: número de segundos inválido 'x' (un número hasta 2000000, más que 0) (prueben: sock connect --help)" \
	"bad -w value"

# 6-7: help
es --help > "$T/h6"
first_line "$T/h6" "uso: sock [-v] [--trace] [--explain] [-4|-6] COMANDO [ARGS...]" "sock --help"
check "sock --help: the commands' summaries" grep -qx '  list     los sockets de la máquina, como netstat -tulpn' "$T/h6"
es help list > "$T/h7"
first_line "$T/h7" "uso: sock list [-tuwxlanpeimo46] [--json] [--dump ARCHIVO] [FILTRO]" "sock help list"

# 8-10: -v lines; the duration keeps its decimal point
# (the listener in C: listen_bg reads its English "listening on")
echo from-peer > "$T/in8"
LC_ALL=C listen_bg l 127.0.0.1:0 < "$T/in8"
echo from-sock | es -v connect "127.0.0.1:$port" > "$T/o8" 2> "$T/e8"
check "-v: connected, in Spanish" grep -qE "^sock: conectado a 127\.0\.0\.1:$port desde 127\.0\.0\.1:[0-9]+$" "$T/e8"
check "-v: closed, bytes, 'en 0.123 s' with a decimal point" \
	grep -qE "^sock: cerrada 127\.0\.0\.1:$port: 10 bytes enviados, 10 bytes recibidos en [0-9]+\.[0-9]{3} s$" "$T/e8"
wait_exit "$lpid" 5
bg env -u LC_ALL -u LC_MESSAGES -u LANGUAGE LANG=es_CL.UTF-8 "$SOCK" -v listen 127.0.0.1:0 \
	< /dev/null > /dev/null 2> "$T/e10"
lp=$!
wait_for grep -q 'escuchando en' "$T/e10"
check "-v: listening, in Spanish" grep -qE '^sock: escuchando en 127\.0\.0\.1:[0-9]+ \(tcp\)$' "$T/e10"
kill "$lp" 2> /dev/null

# 11-12: the trace explains errors in Spanish; its call syntax does not change
es --trace connect "127.0.0.1:$p" 2> "$T/t.es"
LC_ALL=C "$SOCK" --trace connect "127.0.0.1:$p" 2> "$T/t.c"
check "--trace: the explanation in Spanish" \
	grep -qF "= -1 ECONNREFUSED (nadie está escuchando en esa dirección y puerto)" "$T/t.es"
calls() { grep -E '^[a-z_0-9]+\(' "$1" | sed 's/ (.*)$//'; }
check "--trace: the same calls, arguments, results and errno names in C and es_CL" \
	test "$(calls "$T/t.c")" = "$(calls "$T/t.es")" -a -n "$(calls "$T/t.c")"

# 13-16: which variables choose Spanish
want="sock: comando desconocido 'x' (prueben: sock --help)"
out=$(env -u LC_ALL -u LANG -u LANGUAGE LC_MESSAGES=es_CL.UTF-8 "$SOCK" x 2>&1)
check "LC_MESSAGES=es_CL.UTF-8" test "$out" = "$want"
out=$(env -u LC_ALL -u LC_MESSAGES LANG=C.UTF-8 LANGUAGE=es "$SOCK" x 2>&1)
check "LANGUAGE=es with LANG=C.UTF-8" test "$out" = "$want"
if locale -a | grep -qi '^es_ES.utf-\?8$'; then
	out=$(env -u LC_ALL -u LC_MESSAGES -u LANGUAGE LANG=es_ES.UTF-8 "$SOCK" x 2>&1)
	check "LANG=es_ES.UTF-8 (the es catalog)" test "$out" = "$want"
else
	ok 0 "# SKIP no es_ES.UTF-8 locale"
fi
out=$(LC_ALL=C LANG=es_CL.UTF-8 LANGUAGE=es "$SOCK" x 2>&1)
check "LC_ALL=C: English" test "$out" = "sock: unknown command 'x' (try: sock --help)"
done_testing
