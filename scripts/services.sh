#!/usr/bin/env bash
# Starts the test services (the same ones ./scripts/test.sh starts) and keeps them running until
# this script is stopped, for running single tests by hand while developing:
#   ./scripts/services.sh ENV_FILE &    # then: source ENV_FILE && dotnet test ... --filter ...
# ENV_FILE receives the variables the tests read (DOCKER_HOST, FLEET_TEST_*, FLEET_PG_BIN).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib/common.sh

env_file=${1:?usage: scripts/services.sh ENV_FILE}
need_apt_packages postgresql docker.io docker-registry busybox-static systemd curl jq
fleet_state_init services
start_all_services scripts/services
export -p | grep -E ' (DOCKER_HOST|FLEET_STATE|FLEET_PG_BIN|FLEET_TEST_[A-Z0-9_]*)=' >"$env_file"
step "Services ready; variables in $env_file. Stop with Ctrl-C or kill $$"
sleep infinity &
wait $!
