#!/usr/bin/env bash
# sock list in Spanish, in a private network namespace with sockets in
# known states on fixed ports (tests/data/i18n-hold.py): the slide's
# titles and header, every state shown in Spanish, columns aligned by
# display width (ó, ñ: one column, two bytes), the Unix table, and
# --json identical in C and es_CL.
. "$(dirname "$0")/lib.sh"
need python3
HERE=$(cd "$(dirname "$0")" && pwd)
locale -a 2>/dev/null | grep -qi '^es_CL.utf-\?8$' || skip_all "no es_CL.UTF-8 locale (make deps)"
if [ -z "$SOCK_I18N_NETNS" ]; then
	unshare -rn true 2>/dev/null || skip_all "unshare -rn not permitted"
	exec timeout -k 2 60 unshare -rn env SOCK_I18N_NETNS=1 bash "$0"
fi
plan 7

ip link set lo up
mkfifo "$T/hold.in"
bg sh -c 'exec python3 "$0" "$1" < "$1/hold.in" > "$1/hold.out"' \
	"$HERE/../data/i18n-hold.py" "$T"
exec 3> "$T/hold.in"
wait_for grep -q ready "$T/hold.out" || { echo "Bail out! holder did not start"; exit 1; }

es() { LANG=es_CL.UTF-8 LANGUAGE= LC_ALL= "$SOCK" "$@"; }
# Rows sorted (the kernel's order varies), the holder's pid as PID
# (its cell keeps its width), Unix inodes as INODE, the scratch path as DIR.
norm() {
	sed "s|$T|DIR|" | python3 -c 'import re,sys
for l in sys.stdin:
    l = re.sub(r"\d+/señal *", lambda m: "PID/señal".ljust(len(m.group(0))), l)
    sys.stdout.write(re.sub(r"^(unix .{45})\d+ +", r"\1INODE    ", l))' |
		{ IFS= read -r a; IFS= read -r b; printf '%s\n%s\n' "$a" "$b"; LC_ALL=C sort; }
}
same() { # DESCRIPTION EXPECTED ACTUAL
	if cmp -s "$2" "$3"; then ok 0 "$1"; else
		ok 1 "$1"; diff "$2" "$3" | sed 's/^/# /'; fi
}

# 1: -tulpn reads like the slide
es list -tulpn | norm > "$T/a1"
cat > "$T/e1" <<'X'
Conexiones activas de Internet (solo servidores)
Proto  Recib Enviad Dirección local         Dirección remota        Estado        PID/Program name    
tcp        0     16 127.0.0.1:8080          0.0.0.0:*               ESCUCHAR      PID/señal           
udp        0      0 127.0.0.1:5353          0.0.0.0:*                             PID/señal           
X
same "-tulpn: Spanish title, header and ESCUCHAR, aligned by display width" "$T/e1" "$T/a1"

# 2: every state of the holder's sockets, -a's title
es list -tuan | norm | sed 's/ *$//' > "$T/a2"
cat > "$T/e2" <<'X'
Conexiones activas de Internet (servidores y establecidos)
Proto  Recib Enviad Dirección local         Dirección remota        Estado
tcp        0      0 127.0.0.1:40001         127.0.0.1:8080          ESTABLECIDO
tcp        0      0 127.0.0.1:40002         127.0.0.1:8080          FIN_ESPERA2
tcp        0      0 127.0.0.1:40003         127.0.0.1:8080          ESPERA_TIEMPO
tcp        0      0 127.0.0.1:8080          127.0.0.1:40001         ESTABLECIDO
tcp        0     16 127.0.0.1:8080          0.0.0.0:*               ESCUCHAR
tcp        1      0 127.0.0.1:8080          127.0.0.1:40002         ESPERA_CIERRE
udp        0      0 127.0.0.1:40004         127.0.0.1:5353          ESTABLECIDO
udp        0      0 127.0.0.1:5353          0.0.0.0:*
X
same "-tuan: ESTABLECIDO, FIN_ESPERA2, ESPERA_TIEMPO, ESPERA_CIERRE" "$T/e2" "$T/a2"

# 3: no servers: the title
es list -t | head -1 > "$T/a3"
echo "Conexiones activas de Internet (sin servidores)" > "$T/e3"
same "-t: (sin servidores)" "$T/e3" "$T/a3"

# 4: the Unix table, with a program name of non-ASCII text before Path
es list -xap | norm | grep -v ' - *$' | grep -e DIR -e Proto -e Sockets > "$T/a4"
cat > "$T/e4" <<'X'
Sockets activos de dominio UNIX (servidores y establecidos)
Proto Refs   Marcas      Tipo       Estado        I-Nodo   PID/Program name     Ruta
unix  2      [ ACC ]     FLUJO      ESCUCHANDO    INODE    PID/señal            DIR/s.sock
unix  2      [ ACC ]     SEQPACKET  ESCUCHANDO    INODE    PID/señal            DIR/q.sock
unix  2      [ ]         DATAGRAMA                INODE    PID/señal            DIR/d.sock
X
same "-xap: Unix title, header, types and states in Spanish, aligned" "$T/e4" "$T/a4"

# 5: the same listing in English with LC_ALL=C (a byte a column there)
LC_ALL=C LANG=es_CL.UTF-8 "$SOCK" list -tln | head -2 > "$T/a5"
printf '%s\n' "Active Internet connections (only servers)" \
	"Proto Recv-Q Send-Q Local Address           Foreign Address         State      " > "$T/e5"
same "LC_ALL=C: netstat's English title and header" "$T/e5" "$T/a5"

# 6: --json is machine output: the same bytes in C and es_CL
LC_ALL=C "$SOCK" list -tuxan --json > "$T/j.c"
es list -tuxan --json > "$T/j.es"
check "--json: identical in C and es_CL" cmp -s "$T/j.c" "$T/j.es"

# 7: ... and the human listing of the same sockets is not
LC_ALL=C "$SOCK" list -tuan > "$T/t.c"
es list -tuan > "$T/t.es"
check "the table itself does change with the locale" test "$(cat "$T/t.c")" != "$(cat "$T/t.es")"

exec 3>&-
done_testing
