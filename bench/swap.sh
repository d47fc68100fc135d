#!/usr/bin/env bash
# Swap benchmark: the agent's swap of one service (SwapEngine.ApplyAsync through AddDeploy:
# Docker.DotNet, host network, HTTP health check with the fleet.yaml defaults) against the same
# steps with the docker CLI and a curl loop (docker run the new container beside the old one with
# its own PORT, curl /health every 0.1 s until it answers, docker stop + docker rm the old one).
# Same busybox test images (scripts/services/testimages.sh), pulled before timing on both sides,
# swaps alternating agent/CLI in one run; each swap goes v1→v2 or back. Neither side drains
# (the agent's Deploy:DrainDelay is 0 here); both stop the old container with the same grace
# (STOP_GRACE seconds, default 0: busybox httpd as PID 1 ignores SIGTERM, so any grace is the
# same pure wait on both sides).
#   bench/swap.sh            (ROUNDS=5 swaps per side, medians)
# Last line: swap_ratio=<agent/cli> agent_ms=<median> cli_ms=<median>
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/common.sh
rounds=${ROUNDS:-5}
grace=${STOP_GRACE:-0}
[[ $rounds =~ ^[1-9][0-9]*$ && $grace =~ ^[0-9]+$ ]] || die "ROUNDS must be a positive integer, STOP_GRACE a number of seconds"

fleet_state_init bench-swap
for service in docker registry testimages; do
    source "scripts/services/$service.sh"
    step "Starting $service"
    "${service}_start"
done

step "Building (Release)"
dotnet build -c Release -v q -nologo bench/SwapBench >"$FLEET_STATE/build.log" 2>&1 || { cat "$FLEET_STATE/build.log" >&2; die "build of bench/SwapBench failed"; }
bench_dll=artifacts/bin/SwapBench/release/SwapBench.dll

images=("$FLEET_TEST_IMAGE_GOOD" "$FLEET_TEST_IMAGE_GOOD_V2")
for image in "${images[@]}"; do docker pull -q "$image" >/dev/null; done

# The CLI side: container cli-0 or cli-1 on its own port, as the agent's two slots.
cli_ports=("$(free_port)" "$(free_port)")
cli_start() { # slot image
    docker run -d --name "swapbench-cli-$1" --network host --restart unless-stopped \
        -e "PORT=${cli_ports[$1]}" "$2" >/dev/null
    local deadline=$((SECONDS + 60))
    until curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:${cli_ports[$1]}/health"; do
        ((SECONDS < deadline)) || die "CLI side: slot $1 not healthy after 60 s"
        sleep 0.1
    done
}
cli_swap() { # from-slot to-slot image
    cli_start "$2" "$3"
    docker stop -t "$grace" "swapbench-cli-$1" >/dev/null
    docker rm "swapbench-cli-$1" >/dev/null
}
now_ms() { date +%s%3N; }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

step "Swapping, $rounds rounds per side"
coproc AGENT { exec dotnet "$bench_dll" "$(service_dir swapbench)" "${images[0]}" "${images[1]}" "$grace" 2>"$FLEET_STATE/swapbench.err"; }
register_pid "$AGENT_PID"
agent_swap() {
    local line
    echo swap >&"${AGENT[1]}"
    read -r line <&"${AGENT[0]}" || { cat "$FLEET_STATE/swapbench.err" >&2; die "the agent side stopped"; }
    [[ $line == ms=* ]] || die "the agent side said: $line"
    echo "${line#ms=}"
}
read -r line <&"${AGENT[0]}" && [[ $line == ready ]] || { cat "$FLEET_STATE/swapbench.err" >&2; die "the agent side did not start"; }
cli_start 0 "${images[0]}"
# One untimed swap each: the first pays for JIT, connection pools and the kernel's caches.
agent_swap >/dev/null
cli_swap 0 1 "${images[1]}"
slot=1
: >"$FLEET_STATE/agent.ms"
: >"$FLEET_STATE/cli.ms"
for ((round = 1; round <= rounds; round++)); do
    ms=$(agent_swap)
    echo "$ms" >>"$FLEET_STATE/agent.ms"
    start=$(now_ms)
    cli_swap "$slot" $((1 - slot)) "${images[slot % 2 == 1 ? 0 : 1]}"
    cli=$(($(now_ms) - start))
    slot=$((1 - slot))
    echo "$cli" >>"$FLEET_STATE/cli.ms"
    info "round $round: agent ${ms} ms, docker CLI ${cli} ms"
done
exec {AGENT[1]}>&-
wait "$AGENT_PID" || true
docker rm -f "swapbench-cli-$slot" >/dev/null

agent_ms=$(median <"$FLEET_STATE/agent.ms")
cli_ms=$(median <"$FLEET_STATE/cli.ms")
echo "swap_ratio=$(awk -v a="$agent_ms" -v c="$cli_ms" 'BEGIN { printf "%.2f", a / c }') agent_ms=$agent_ms cli_ms=$cli_ms"
