# Sourced by scripts/test.sh: Pebble (Let's Encrypt's test CA) for the ACME tests.
# Three Pebble instances share one TLS certificate:
#   14000  HTTP-01, names resolved by pebble-challtestsrv to 127.0.0.1, validation on port 5402
#   14100  DNS-01, TXT records looked up in BIND (scripts/services/bind.sh, 127.0.0.1:8553); never
#          reuses authorizations, so every renewal really updates DNS (the failure tests rely on it)
#   14200  like 14000 but rejecting 50 % of good nonces (PEBBLE_WFE_NONCEREJECT=50) and always
#          reusing valid authorizations (PEBBLE_AUTHZREUSE=100)
# Each has an alternate root (PEBBLE_ALTERNATE_ROOTS=1) for preferred-chain tests; management API
# of the first on 15000.
# Pebble's validation delays are off (PEBBLE_VA_NOSLEEP=1).

pebble_wait_port() { # host:port, label
    local i
    for i in $(seq 1 100); do
        if (exec 3<>"/dev/tcp/${1%:*}/${1#*:}") 2>/dev/null; then return 0; fi
        sleep 0.1
    done
    echo "pebble.sh: $2 did not open $1" >&2
    return 1
}

pebble_instance() { # name, acme port, management port, dns server, nonce reject %, authz reuse %
    local dir="$FLEET_STATE/pebble"
    cat >"$dir/$1.json" <<JSON
{"pebble":{"listenAddress":"127.0.0.1:$2","managementListenAddress":"127.0.0.1:$3",
 "certificate":"$dir/tls.crt","privateKey":"$dir/tls.key","httpPort":5402,"tlsPort":5401,
 "ocspResponderURL":"","externalAccountBindingRequired":false}}
JSON
    PEBBLE_VA_NOSLEEP=1 PEBBLE_WFE_NONCEREJECT="$5" PEBBLE_AUTHZREUSE="$6" PEBBLE_ALTERNATE_ROOTS=1 \
        pebble -config "$dir/$1.json" -dnsserver "$4" >"$dir/$1.log" 2>&1 &
    register_pid $!
    pebble_wait_port "127.0.0.1:$2" "pebble $1"
}

pebble_start() {
    if ! command -v pebble >/dev/null || ! command -v pebble-challtestsrv >/dev/null; then
        apt-get install -y -qq pebble >/dev/null
    fi
    local dir="$FLEET_STATE/pebble"
    mkdir -p "$dir"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 \
        -subj /CN=localhost -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
        -keyout "$dir/tls.key" -out "$dir/tls.crt" 2>/dev/null
    chmod 600 "$dir/tls.key"

    pebble-challtestsrv -defaultIPv4 127.0.0.1 -defaultIPv6 "" -dns01 127.0.0.1:8053 \
        -http01 "" -https01 "" -tlsalpn01 "" -management 127.0.0.1:8055 \
        >"$dir/challtestsrv.log" 2>&1 &
    register_pid $!
    pebble_wait_port 127.0.0.1:8055 pebble-challtestsrv || return 1

    pebble_instance http 14000 15000 127.0.0.1:8053 5 50 || return 1
    pebble_instance dns 14100 15100 127.0.0.1:8553 5 0 || return 1
    pebble_instance nonce50 14200 15200 127.0.0.1:8053 50 100 || return 1

    export FLEET_TEST_PEBBLE_CA="$dir/tls.crt"
    export FLEET_TEST_PEBBLE_DIRECTORY="https://127.0.0.1:14000/dir"
    export FLEET_TEST_PEBBLE_DNS_DIRECTORY="https://127.0.0.1:14100/dir"
    export FLEET_TEST_PEBBLE_NONCE50_DIRECTORY="https://127.0.0.1:14200/dir"
    export FLEET_TEST_PEBBLE_HTTP_PORT=5402
    export FLEET_TEST_PEBBLE_MANAGEMENT="https://127.0.0.1:15000"
}
