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

source bench/lib/controller-bench.sh
run_controller_bench fanout FanoutBench "$agents" fanout_p99_ms
