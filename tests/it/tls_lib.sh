# tests/it/tls_lib.sh - sourced by the TLS tests (1000-1019) after lib.sh:
# make_certs DIR writes, with openssl, a CA (ca.pem), a server certificate
# for localhost and 127.0.0.1 (srv.pem/srv.key), one for good.example
# only (other.pem/other.key), an expired one for localhost
# (old.pem/old.key), a client certificate (cli.pem/cli.key), a CA nobody
# trusts (evil-ca.pem) and a server certificate it signed (evil.pem/.key).

# Sign a certificate request: sign DIR NAME CA SAN DAYS [START]
_tls_sign() {
	local d=$1 name=$2 ca=$3 san=$4 days=$5 start=${6:-}
	local cn=${san#DNS:}
	cn=${cn%%,*}
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$d/$name.key" -out "$d/$name.csr" \
		-subj "/CN=$cn" 2>/dev/null || return 1
	printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth,clientAuth\n' \
		"$san" >"$d/$name.ext"
	if [ -n "$start" ]; then
		# openssl ca takes explicit dates: an expired certificate.
		openssl x509 -req -in "$d/$name.csr" -CA "$d/$ca.pem" \
			-CAkey "$d/$ca.key" -CAcreateserial -out "$d/$name.pem" \
			-extfile "$d/$name.ext" -days 1 2>/dev/null || return 1
		_tls_backdate "$d" "$name" "$ca" "$start"
		return
	fi
	openssl x509 -req -in "$d/$name.csr" -CA "$d/$ca.pem" -CAkey "$d/$ca.key" \
		-CAcreateserial -out "$d/$name.pem" -extfile "$d/$name.ext" \
		-days "$days" 2>/dev/null
}

# Re-issue DIR/NAME.pem valid from START to 2020-01-02 (both past):
# openssl ca accepts -startdate/-enddate.
_tls_backdate() {
	local d=$1 name=$2 ca=$3 start=$4
	mkdir -p "$d/ca-db"
	: >"$d/ca-db/index.txt"
	cat >"$d/ca-db/ca.cnf" <<CNF
[ ca ]
default_ca = c
[ c ]
database = $d/ca-db/index.txt
new_certs_dir = $d/ca-db
serial = $d/ca-db/serial
default_md = sha256
policy = p
copy_extensions = copy
unique_subject = no
[ p ]
commonName = supplied
CNF
	echo 1000 >"$d/ca-db/serial"
	openssl ca -batch -config "$d/ca-db/ca.cnf" -cert "$d/$ca.pem" \
		-keyfile "$d/$ca.key" -in "$d/$name.csr" -out "$d/$name.pem" \
		-startdate "$start" -enddate 20200102000000Z \
		-extfile "$d/$name.ext" -notext 2>/dev/null
}

_tls_ca() {
	local d=$1 name=$2 cn=$3
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$d/$name.key" -out "$d/$name.pem" -days 30 \
		-subj "/CN=$cn" 2>/dev/null
}

make_certs() {
	local d=$1
	_tls_ca "$d" ca "sock test CA" &&
		_tls_ca "$d" evil-ca "Nobody Trusts Me CA" &&
		_tls_sign "$d" srv ca "DNS:localhost,IP:127.0.0.1" 30 &&
		_tls_sign "$d" other ca "DNS:good.example" 30 &&
		_tls_sign "$d" cli ca "DNS:client.example" 30 &&
		_tls_sign "$d" evil evil-ca "DNS:localhost,IP:127.0.0.1" 30 &&
		_tls_sign "$d" old ca "DNS:localhost,IP:127.0.0.1" 1 \
			20200101000000Z
}

# The SHA-256 fingerprint of a PEM certificate, as --pin takes it.
cert_sha256() {
	openssl x509 -in "$1" -noout -fingerprint -sha256 | sed 's/.*=//'
}

# Start openssl s_server on a free port of 127.0.0.1 with ARGS; sets
# S_PID and S_PORT.  Output goes to $T/s_server.out.
start_s_server() {
	S_PORT=$(free_port tcp)
	openssl s_server -accept "127.0.0.1:$S_PORT" -quiet "$@" \
		>"$T/s_server.out" 2>"$T/s_server.err" &
	S_PID=$!
	PIDS+=($S_PID)
	wait_for port_open "$S_PORT"
}

# port_open PORT: something accepts on 127.0.0.1:PORT
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# port_listening PORT: a TCP socket listens on PORT (without connecting
# to it, which a one-client server would count)
port_listening() {
	local hex
	hex=$(printf ':%04X ' "$1")
	grep -q "$hex.* 0A " /proc/net/tcp /proc/net/tcp6 2>/dev/null
}
