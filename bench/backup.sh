#!/usr/bin/env bash
# Backup benchmark: the agent's pipeline (pg_dump custom format uncompressed → zstd on worker
# threads → chunked AES-256-GCM → file:// store, through AddBackups) against `pg_dump -Fc > file`
# (pg_dump's own single-threaded zlib), on the same pgbench databases in the same run.
# Two database sizes show the agent's peak RSS does not grow with the database.
#   bench/backup.sh            (scales "20 70"; 70 ≈ 1 GB; BACKUP_BENCH_SCALES, BACKUP_BENCH_ROUNDS (2) override)
# Uses FLEET_TEST_PG/FLEET_PG_BIN when set, else starts a private PostgreSQL.
# Last line: backup_speed_ratio=… size_ratio=… peak_rss_mb=…   (ratios from the largest database)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
scales=${BACKUP_BENCH_SCALES:-"20 70"}
rounds=${BACKUP_BENCH_ROUNDS:-2}

if [[ -z ${FLEET_TEST_PG:-} ]]; then
    # shellcheck source=/dev/null
    source "$root/scripts/lib/common.sh"
    fleet_state_init backup-bench
    # shellcheck source=/dev/null
    source "$root/scripts/services/postgres.sh"
    postgres_start
    work=$FLEET_STATE/bench
    mkdir -p "$work"
else
    work=$(mktemp -d "${TMPDIR:-/tmp}/fleet-backup-bench.XXXXXX")
    trap 'rm -rf "$work"' EXIT
fi
bin=${FLEET_PG_BIN:?FLEET_PG_BIN must name the folder with pg_dump}
field() { tr ';' '\n' <<<"$FLEET_TEST_PG" | sed -n "s/^$1=//Ip" | head -n 1; }
host=$(field host) port=$(field port) user=$(field username)
pg=(-h "$host" -p "$port" -U "$user")
psql_q() { PGOPTIONS="-c client_min_messages=warning" "$bin/psql" "${pg[@]}" -X -q -At -v ON_ERROR_STOP=1 -d postgres -c "$1"; }
now() { date +%s.%N; }
calc() { awk "function min(a, b) { return a < b ? a : b } BEGIN { printf \"%.6f\", $1 }"; }

dotnet build "$root/bench/BackupBench" -c Release -o "$work/app" -v quiet -nologo >/dev/null
(umask 077 && head -c 32 /dev/urandom | base64 >"$work/backup.key")

ratio_speed="" ratio_size="" peak_mb=0
for scale in $scales; do
    db=fleet_bench_s$scale
    psql_q "DROP DATABASE IF EXISTS $db WITH (FORCE)"
    psql_q "CREATE DATABASE $db"
    "$bin/pgbench" "${pg[@]}" -i -s "$scale" -q "$db" >/dev/null 2>&1
    db_mb=$(psql_q "SELECT pg_database_size('$db') / 1048576")

    # Best of $rounds alternating runs each: the machine is shared and noisy.
    base_s=999999 agent_s=999999 raw_s=999999 rss_mb=0
    for ((round = 0; round < rounds; round++)); do
        t0=$(now)
        "$bin/pg_dump" "${pg[@]}" -Fc -f "$work/baseline.dump" "$db"
        t1=$(now)
        rm -rf "$work/store"
        out=$("$work/app/BackupBench" --host "$host" --port "$port" --user "$user" --database "$db" \
            --pg-bin "$bin" --store "$work/store" --key "$work/backup.key")
        t2=$(now)
        # The floor for any pg_dump-based pipeline: the dump itself, uncompressed, thrown away.
        "$bin/pg_dump" "${pg[@]}" -Fc -Z0 "$db" >/dev/null
        t3=$(now)
        base_s=$(calc "min($base_s, $t1 - $t0)") agent_s=$(calc "min($agent_s, $t2 - $t1)") raw_s=$(calc "min($raw_s, $t3 - $t2)")
        rss=$(($(sed -n 's/.*peak_rss_kb=\([0-9]*\).*/\1/p' <<<"$out") / 1024))
        ((rss > rss_mb)) && rss_mb=$rss
    done
    base_bytes=$(stat -c %s "$work/baseline.dump")
    agent_bytes=$(sed -n 's/.*size_bytes=\([0-9]*\).*/\1/p' <<<"$out")
    ratio_speed=$(printf '%.2f' "$(calc "$base_s / $agent_s")")
    ratio_size=$(printf '%.3f' "$(calc "$agent_bytes / $base_bytes")")
    ((rss_mb > peak_mb)) && peak_mb=$rss_mb
    printf 'scale=%s db_mb=%s  pg_dump -Fc: %.1fs %s bytes (%.0f MB/s)  agent: %.1fs %s bytes (%.0f MB/s) rss=%s MB  speed x%s size x%s  (uncompressed pg_dump alone: %.1fs, i.e. at most x%.2f)\n' \
        "$scale" "$db_mb" "$base_s" "$base_bytes" "$(calc "$db_mb / $base_s")" \
        "$agent_s" "$agent_bytes" "$(calc "$db_mb / $agent_s")" "$rss_mb" "$ratio_speed" "$ratio_size" \
        "$raw_s" "$(calc "$base_s / $raw_s")"
    rm -f "$work/baseline.dump"
    psql_q "DROP DATABASE $db WITH (FORCE)"
done
echo "backup_speed_ratio=$ratio_speed size_ratio=$ratio_size peak_rss_mb=$peak_mb"
