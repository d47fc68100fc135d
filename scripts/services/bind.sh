# Sourced by scripts/test.sh: BIND 9 as the authoritative server of fleet.test on 127.0.0.1:8553,
# accepting RFC 2136 updates of TXT records signed with a TSIG key (hmac-sha256).

bind_start() {
    if ! command -v named >/dev/null || ! command -v tsig-keygen >/dev/null; then
        apt-get install -y -qq bind9 bind9-dnsutils >/dev/null
    fi
    local dir="$FLEET_STATE/bind" zone=fleet.test key=fleet-test-key port=8553
    mkdir -p "$dir"
    tsig-keygen -a hmac-sha256 "$key" >"$dir/key.conf"
    chmod 600 "$dir/key.conf"
    cat >"$dir/$zone.zone" <<ZONE
\$TTL 60
@   IN SOA ns1.$zone. hostmaster.$zone. (1 60 60 600 60)
    IN NS  ns1.$zone.
ns1 IN A   127.0.0.1
ZONE
    cat >"$dir/named.conf" <<CONF
include "$dir/key.conf";
options {
    directory "$dir";
    pid-file "$dir/named.pid";
    listen-on port $port { 127.0.0.1; };
    listen-on-v6 { none; };
    recursion no;
    dnssec-validation no;
    notify no;
};
controls { };
zone "$zone" {
    type primary;
    file "$dir/$zone.zone";
    update-policy { grant $key zonesub TXT; };
};
CONF
    named -g -u root -c "$dir/named.conf" >"$dir/named.log" 2>&1 &
    register_pid $!
    local i
    for i in $(seq 1 100); do
        if dig +short +time=1 +tries=1 -p "$port" @127.0.0.1 "$zone" SOA 2>/dev/null | grep -q ns1; then break; fi
        sleep 0.1
    done
    if [ "$i" = 100 ]; then echo "bind.sh: named did not answer on 127.0.0.1:$port" >&2; cat "$dir/named.log" >&2; return 1; fi

    export FLEET_TEST_DNS_SERVER="127.0.0.1:$port"
    export FLEET_TEST_DNS_ZONE="$zone"
    export FLEET_TEST_TSIG_NAME="$key"
    export FLEET_TEST_TSIG_SECRET="$(sed -n 's/.*secret "\(.*\)";.*/\1/p' "$dir/key.conf")"
}
