#!/usr/bin/env bash
# Connect benchmark: N simulated agents (default 1000), each with its own certificate, TLS
# connection and Connect stream, against one real controller on a real PostgreSQL.
# Prints progress, then as its last line:
#   connect_s=… heartbeats_per_s=… kb_per_agent=… reconnect_s=… agents=N
# Usage: bench/connect.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/common.sh
agents=${1:-1000}
[[ $agents =~ ^[1-9][0-9]*$ ]] || die "usage: bench/connect.sh [N]  (N: number of simulated agents, default 1000)"

fleet_state_init bench-connect
# 10,000 TLS connections in one process need more descriptors than the usual soft limit.
ulimit -n "$(ulimit -Hn)"
source scripts/services/postgres.sh
step "Starting postgres"
postgres_start

step "Building (Release)"
for project in src/Controller bench/ConnectBench; do
    dotnet build -c Release -v q -nologo "$project" >"$FLEET_STATE/build.log" 2>&1 || { cat "$FLEET_STATE/build.log" >&2; die "build of $project failed"; }
done
controller_dll=artifacts/bin/Controller/release/fleet-controller.dll
bench_dll=artifacts/bin/ConnectBench/release/ConnectBench.dll

step "Running with $agents agents"
# The cluster is this run's own, so the controller may use its default database.
dotnet "$bench_dll" "$controller_dll" "$(service_dir controller)" "$FLEET_TEST_PG" "$agents" | tee "$FLEET_STATE/bench.out"
tail -n 1 "$FLEET_STATE/bench.out" | grep -q '^connect_s=' || die "the benchmark did not finish"
