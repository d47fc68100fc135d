# shellcheck shell=bash
# PostgreSQL for tests: a private cluster (initdb + pg_ctl) on 127.0.0.1 and a free port.
# Exports FLEET_TEST_PG (Npgsql connection string, superuser `fleet`) and FLEET_PG_BIN.

postgres_start() {
    need_apt_packages postgresql
    local bin dir port
    bin=$(find /usr/lib/postgresql -maxdepth 2 -name bin -type d | sort -V | tail -n 1)
    [[ -x $bin/initdb ]] || die "initdb not found under /usr/lib/postgresql"
    dir=$(service_dir postgres)
    port=$(free_port)
    # PostgreSQL refuses to run as root; the cluster belongs to the `postgres` user.
    local as=()
    if [[ $EUID -eq 0 ]]; then
        chown postgres:postgres "$dir"
        as=(runuser -u postgres --)
    fi
    "${as[@]}" "$bin/initdb" -D "$dir/data" -A trust -U fleet -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 ||
        die "initdb failed, see $dir/initdb.log"
    # fsync off: a throw-away test cluster trades durability for speed.
    "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" \
        start >/dev/null || die "PostgreSQL did not start, see $dir/postgres.log"
    # SIGINT is PostgreSQL's fast shutdown: it disconnects clients and stops cleanly.
    register_pid "$(head -n 1 "$dir/data/postmaster.pid")" INT
    export FLEET_PG_BIN=$bin
    export FLEET_TEST_PG="Host=127.0.0.1;Port=$port;Username=fleet;Database=postgres"
    info "PostgreSQL on 127.0.0.1:$port (FLEET_TEST_PG)"
}
