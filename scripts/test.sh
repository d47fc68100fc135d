#!/usr/bin/env bash
# Runs the whole test suite against real services, started here and stopped on exit.
# Prints as its last line "N passed, N failed[, N skipped]"; exits non-zero when a test failed,
# the build failed or no test ran. KEEP=1 keeps the state folder (logs) for inspection.
# FLEET_CONFIGURATION=Release|Debug (default Debug).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib/common.sh

configuration=${FLEET_CONFIGURATION:-Debug}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

step "Installing what is missing"
# systemd: systemd-analyze, used by the unit-file tests.
need_apt_packages postgresql docker.io docker-registry busybox-static systemd curl jq

fleet_state_init test
start_all_services scripts/services

# finish PASSED FAILED SKIPPED STATUS : stops the services first, so that the summary is the last
# line printed, then exits with STATUS.
finish() {
    trap - EXIT INT TERM
    fleet_stop_all
    printf '%s passed, %s failed%s\n' "$1" "$2" "$( (($3)) && printf ', %s skipped' "$3")"
    exit "$4"
}

step "Building Agents.sln ($configuration)"
if ! dotnet build Agents.sln -c "$configuration" -nologo -clp:ErrorsOnly >"$FLEET_STATE/build.log" 2>&1; then
    cat "$FLEET_STATE/build.log" >&2
    echo "build failed" >&2
    finish 0 0 0 1
fi

step "Running tests"
log=$FLEET_STATE/test.log
set +e
# Exit code 8 means "this test module has no tests": not an error while a project is still empty;
# an empty run as a whole is caught below. The timeout keeps a hung test from stalling CI.
dotnet test --solution Agents.sln -c "$configuration" --no-build --no-ansi --no-progress \
    --timeout 12m --ignore-exit-code 8 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e

# The runner ends with a summary block: "total: N", "failed: N", "succeeded: N", "skipped: N".
count() { sed -n "s/^[[:space:]]*$1:[[:space:]]*\([0-9][0-9]*\)[[:space:]]*$/\1/p" "$log" | tail -n 1; }
total=$(count total) failed=$(count failed) passed=$(count succeeded) skipped=$(count skipped)
status=0
((rc == 0 && ${failed:-0} == 0 && ${total:-0} > 0)) || status=1
finish "${passed:-0}" "${failed:-0}" "${skipped:-0}" "$status"
