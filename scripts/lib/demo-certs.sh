# shellcheck shell=bash
# The certificates part of scripts/demo.sh: the agent obtains a certificate from a local Pebble
# (Let's Encrypt's test CA, scripts/services/pebble.sh) with HTTP-01, reports it, and
# `fleetctl certs list` shows it with its days left.
# Needs FLEET_STATE, step/info/die/wait_for (scripts/lib/common.sh) and a `fleetctl` function.

# Before the agent starts: Pebble, and the agent's settings.json declaring one certificate.
demo_certs_prepare() { # agent state folder
    local state=$1
    if ! port_is_free 14000 || ! port_is_free 5402; then
        info "Pebble's ports (14000, 5402) are in use (tests running?); skipping the certificate demo"
        return 0
    fi
    step "Starting Pebble (a local ACME CA) for the agent's certificate"
    source scripts/services/pebble.sh
    pebble_start >/dev/null
    merge_agent_settings "$state" "$(jq -n --arg dir "$FLEET_TEST_PEBBLE_DIRECTORY" --arg ca "$FLEET_TEST_PEBBLE_CA" --arg listen "127.0.0.1:$FLEET_TEST_PEBBLE_HTTP_PORT" '{
        Certificates: {
            DirectoryUrl: $dir, DirectoryTrustFile: $ca, Http01Listen: $listen, FirstCheckDelay: "00:00:00",
            Items: [{ Name: "demo-web", Domains: ["demo.fleet.test"], Challenge: { Type: "http-01" } }]
        }
    }')"
    DEMO_CERTS=1
}

# After the agent connected: wait for the report to reach the controller, then list.
demo_certs_show() {
    [[ ${DEMO_CERTS:-0} == 1 ]] || return 0
    step "fleetctl certs list (issued by the agent itself from Pebble, reported to the controller)"
    certificate_issued() {
        fleetctl certs list --output json | jq -e '[.certificates[] | select(.name == "demo-web" and .lastRenewalSucceeded == true)] | any' >/dev/null
    }
    wait_for "certificate demo-web reported" 60 certificate_issued
    fleetctl certs list
}
