# shellcheck shell=bash
# Helpers for the release part of scripts/demo.sh. Source it after common.sh; needs the
# `fleetctl` function, FLEET_STATE, FLEET_TEST_REGISTRY (scripts/services/registry.sh) and the
# images pushed by scripts/services/testimages.sh.

DEMO_APP=hello

# demo_release_file FILE IMAGE_NAME : writes a fleet.yaml for one web service running the test image
# IMAGE_NAME (good, good-v2, bad: see scripts/services/testimages.sh) by tag; fleetctl deploy pins it.
demo_release_file() {
    cat >"$1" <<YAML
app: $DEMO_APP
services:
  web:
    image: $FLEET_TEST_REGISTRY/fleet-test-$2:latest
    health: { type: http, path: /health, port: 8080, interval: 1s, timeout: 1s, retries: 3 }
min_healthy_time: 3s
healthy_deadline: 1m
YAML
}

# The endpoint (127.0.0.1:PORT) the agent's journal names as serving the app's web service.
demo_endpoint() {
    jq -er --arg app "$DEMO_APP" '.services[] | select(.app == $app and .service == "web") | .applied.endpoint' \
        "$1/deploy/journal.json"
}

# demo_expect_serving AGENT_STATE_DIR VERSION : fails the demo unless the app answers VERSION.
demo_expect_serving() {
    local endpoint answer
    endpoint=$(demo_endpoint "$1") || die "the agent's journal names no endpoint for $DEMO_APP"
    answer=$(curl -fsS "http://$endpoint/version") || die "http://$endpoint/version does not answer"
    [[ $answer == "$2" ]] || die "expected $2 to serve, got '$answer'"
    info "curl http://$endpoint/version -> $answer"
}
