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

source bench/lib/controller-bench.sh
run_controller_bench connect ConnectBench "$agents" connect_s
