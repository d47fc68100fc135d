#!/usr/bin/env bash
# Fan-out benchmark: N simulated agents (default 10000; no Docker), each with its own certificate,
# TLS connection and Connect stream, labelled env=staging, on one real controller (Release) and a
# real PostgreSQL. A signed release (strategy all) is submitted through ReleasesService; for each
# agent the time from the submit call to the arrival of its ReleaseAssignment is measured, for the
# first release after the mass connect and for a warm one (agents acknowledge with an event).
# Last line (headline: the worse p99 of the two):
#   fanout_p99_ms=… p50_ms=… agents=N first_p99_ms=… warm_p99_ms=…
# Usage: bench/fanout.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/common.sh
agents=${1:-10000}
[[ $agents =~ ^[1-9][0-9]*$ ]] || die "usage: bench/fanout.sh [N]  (N: number of simulated agents, default 10000)"

fleet_state_init bench-fanout
# 10,000 TLS connections in one process need more descriptors than the usual soft limit.
ulimit -n "$(ulimit -Hn)"
source scripts/services/postgres.sh
step "Starting postgres"
postgres_start

step "Building (Release)"
for project in src/Controller bench/FanoutBench; do
    dotnet build -c Release -v q -nologo "$project" >"$FLEET_STATE/build.log" 2>&1 || { cat "$FLEET_STATE/build.log" >&2; die "build of $project failed"; }
done
controller_dll=artifacts/bin/Controller/release/fleet-controller.dll
bench_dll=artifacts/bin/FanoutBench/release/FanoutBench.dll

step "Running with $agents agents"
# The cluster is this run's own, so the controller may use its default database.
dotnet "$bench_dll" "$controller_dll" "$(service_dir controller)" "$FLEET_TEST_PG" "$agents" | tee "$FLEET_STATE/bench.out"
tail -n 1 "$FLEET_STATE/bench.out" | grep -q '^fanout_p99_ms=' || die "the benchmark did not finish"
