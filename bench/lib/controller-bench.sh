# shellcheck shell=bash
# Shared by the benchmarks of simulated agents on one real controller (bench/connect.sh,
# bench/fanout.sh). Source it after scripts/lib/common.sh.

# run_controller_bench NAME PROJECT AGENTS LAST_KEY : starts a private PostgreSQL, builds the
# controller and bench/PROJECT (Release), runs PROJECT with the controller, its data folder, the
# cluster and AGENTS, and fails unless the output ends with a line starting LAST_KEY=.
run_controller_bench() {
    local name=$1 project=$2 agents=$3 key=$4 path
    fleet_state_init "bench-$name"
    # 10,000 TLS connections in one process need more descriptors than the usual soft limit.
    ulimit -n "$(ulimit -Hn)"
    source scripts/services/postgres.sh
    step "Starting postgres"
    postgres_start

    step "Building (Release)"
    for path in src/Controller "bench/$project"; do
        dotnet build -c Release -v q -nologo "$path" >"$FLEET_STATE/build.log" 2>&1 || { cat "$FLEET_STATE/build.log" >&2; die "build of $path failed"; }
    done

    step "Running with $agents agents"
    # The cluster is this run's own, so the controller may use its default database.
    dotnet "artifacts/bin/$project/release/$project.dll" artifacts/bin/Controller/release/fleet-controller.dll \
        "$(service_dir controller)" "$FLEET_TEST_PG" "$agents" | tee "$FLEET_STATE/bench.out"
    tail -n 1 "$FLEET_STATE/bench.out" | grep -q "^$key=" || die "the benchmark did not finish"
}
