#!/usr/bin/env bash
# Starts a local Fleet: Docker, a local registry with busybox sample images, a controller (--dev,
# with its own PostgreSQL) and one enrolled agent; waits until the agent is connected. Then signs
# and deploys releases: operator key, trust policy (controller and agent), sample app v1, upgrade
# to v2, a v3 whose health check fails and is rolled back automatically while v2 keeps serving;
# ends with `fleetctl status`. Stops everything on exit, unless --keep, which leaves it running
# and prints how to reach and stop it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib/common.sh
source scripts/services/docker.sh
source scripts/services/registry.sh
source scripts/services/testimages.sh
source scripts/lib/demo-releases.sh
source scripts/lib/demo-certs.sh
source scripts/lib/demo-backups.sh

usage() { echo "usage: $0 [--keep]" >&2; exit 2; }
keep=0
if (($# > 1)) || { (($# == 1)) && [[ $1 != --keep ]]; }; then usage; fi
(($# == 0)) || keep=1

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
bin=$PWD/artifacts/bin
controller=(dotnet "$bin/Controller/debug/fleet-controller.dll")
agent=(dotnet "$bin/Agent/debug/fleet-agent.dll")
fleetctl() { dotnet "$bin/Cli/debug/fleetctl.dll" "$@"; }
agent_name=demo-1

step "Installing what is missing"
# postgresql: the controller's --dev mode runs its own cluster; docker.io: the agent reports it.
# docker-registry, busybox-static: the local registry and the sample images the agent deploys.
need_apt_packages postgresql docker.io docker-registry busybox-static jq curl

fleet_state_init demo

step "Building controller, agent and fleetctl"
for project in Controller Agent Cli; do
    dotnet build "src/$project" -c Debug -nologo -v quiet -clp:ErrorsOnly >"$FLEET_STATE/build.log" 2>&1 ||
        { cat "$FLEET_STATE/build.log" >&2; die "building src/$project failed"; }
done
export FLEET_CONFIG_DIR=$FLEET_STATE/fleetctl

step "Starting Docker"
docker_start

step "Starting a local registry with sample images (busybox httpd answering /version)"
registry_start
testimages_start

step "Starting the controller (--dev: private PostgreSQL under its data folder)"
data=$FLEET_STATE/controller
controller_metrics=127.0.0.1:$(free_port)
start_daemon "$FLEET_STATE/controller.log" "${controller[@]}" --dev --data "$data" \
    --listen 127.0.0.1:0 --metrics-listen "$controller_metrics"
controller_pid=$DAEMON_PID
# First start: initdb, migrations, CA and certificates, then endpoint.json is written.
wait_for_daemon "controller" 180 test -s "$data/endpoint.json"
url=$(jq -er .url "$data/endpoint.json")
pin=$(jq -er .caPin "$data/endpoint.json")
admin_token_file=$(jq -er .adminTokenPath "$data/endpoint.json")
info "controller at $url (CA pin $pin), log $FLEET_STATE/controller.log"

step "Logging in with fleetctl (admin token from $admin_token_file)"
fleetctl login --controller "$url" --ca-pin "$pin" --token-file "$admin_token_file" --context demo

step "Creating a join token"
join_token=$(fleetctl tokens create --role agent-join --ttl 15m --uses 1 --description "scripts/demo.sh")
info "join token created (single use, 15 min)"

step "Enrolling agent $agent_name"
"${agent[@]}" enroll --controller "$url" --token "$join_token" --ca-pin "$pin" \
    --name "$agent_name" --label env=demo --state-dir "$FLEET_STATE/agent"

demo_certs_prepare "$FLEET_STATE/agent"
demo_backups_prepare "$FLEET_STATE/agent"

step "Starting the agent"
agent_metrics=127.0.0.1:$(free_port)
# A short drain keeps the demo quick; the default gives old containers 5 s to finish requests.
start_daemon "$FLEET_STATE/agent.log" env Deploy__DrainDelay=00:00:01 "${agent[@]}" run --state-dir "$FLEET_STATE/agent" \
    --metrics-listen "$agent_metrics"
agent_pid=$DAEMON_PID
agent_connected() {
    fleetctl status --output json | jq -e --arg name "$agent_name" \
        '[.agents[]? | select(.name == $name) | .state | tostring | ascii_downcase
          | test("(^|[_ ])connected$")] | any'
}
wait_for_daemon "agent $agent_name connected" 60 agent_connected

step "Generating operator key alice"
fleetctl keys generate --name alice

step "Signing a trust policy: alice signs releases for env demo (1 of 1)"
fleetctl trust init --root-key alice --env demo=alice:1 -o "$FLEET_STATE/trust.json"
fleetctl trust push "$FLEET_STATE/trust.json"
"${agent[@]}" trust install "$FLEET_STATE/trust.json" --state-dir "$FLEET_STATE/agent"

step "Deploying $DEMO_APP v1"
demo_release_file "$FLEET_STATE/v1.yaml" good
fleetctl deploy -f "$FLEET_STATE/v1.yaml" --env demo --key alice --watch
demo_expect_serving "$FLEET_STATE/agent" v1

step "Upgrading $DEMO_APP to v2"
demo_release_file "$FLEET_STATE/v2.yaml" good-v2
fleetctl deploy -f "$FLEET_STATE/v2.yaml" --env demo --key alice --watch
demo_expect_serving "$FLEET_STATE/agent" v2

step "Deploying $DEMO_APP v3, whose health check fails"
demo_release_file "$FLEET_STATE/v3.yaml" bad
if fleetctl deploy -f "$FLEET_STATE/v3.yaml" --env demo --key alice --watch; then
    die "v3 should have failed its health check"
fi
info "v3 failed as expected; the agent removed it and v2 kept serving:"
fleetctl rollout status --app "$DEMO_APP" --env demo
docker ps --filter "label=fleet.app=$DEMO_APP" --format '    container {{.Names}}: release {{.Label "fleet.release"}}, {{.Status}}' >&2
demo_expect_serving "$FLEET_STATE/agent" v2

demo_certs_show
demo_backups_run "$agent_name"

step "fleetctl status"
fleetctl status

if ((keep)); then
    cat >"$FLEET_STATE/stop.sh" <<STOP
#!/usr/bin/env bash
FLEET_STATE=$FLEET_STATE
source $PWD/scripts/lib/common.sh
fleet_cleanup
STOP
    chmod +x "$FLEET_STATE/stop.sh"
    trap - EXIT INT TERM
    cat <<KEEP

Fleet keeps running (state and logs in $FLEET_STATE):
  controller  $url  pid $controller_pid  metrics http://$controller_metrics/metrics
  agent       $agent_name  pid $agent_pid  metrics http://$agent_metrics/metrics
  docker      DOCKER_HOST=$DOCKER_HOST
Use fleetctl:
  export FLEET_CONFIG_DIR=$FLEET_CONFIG_DIR
  dotnet $bin/Cli/debug/fleetctl.dll agents list
Stop everything and remove the state:
  $FLEET_STATE/stop.sh
KEEP
else
    step "Done; stopping everything"
fi
