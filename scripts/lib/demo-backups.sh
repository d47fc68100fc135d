# shellcheck shell=bash
# Demo of issue 4 (sourced by scripts/demo.sh after common.sh): a database backed up by the
# agent, restored into a new database, compared with the original, and verified.
#   demo_backups_prepare AGENT_STATE_DIR  before the agent starts: PostgreSQL with a pgbench
#                                         database "shop", a key and the agent's settings.json
#   demo_backups_run AGENT_NAME           fleetctl backups run, list, restore, verify
# Needs the demo's fleetctl function.
source scripts/services/postgres.sh

demo_backups_prepare() {
    local state=$1
    step "Starting PostgreSQL with a small pgbench database to back up"
    postgres_start
    DEMO_PG_PORT=${FLEET_TEST_PG#*Port=}
    DEMO_PG_PORT=${DEMO_PG_PORT%%;*}
    "$FLEET_PG_BIN/createdb" -h 127.0.0.1 -p "$DEMO_PG_PORT" -U fleet shop
    "$FLEET_PG_BIN/pgbench" -i -s 1 -q -h 127.0.0.1 -p "$DEMO_PG_PORT" -U fleet shop >/dev/null 2>&1 ||
        die "pgbench -i failed"
    # The key never leaves the host (keep a copy elsewhere in real life: without it no restore).
    (umask 077 && head -c 32 /dev/urandom | base64 >"$state/backup.key")
    merge_agent_settings "$state" "$(jq -n --arg bin "$FLEET_PG_BIN" --argjson port "$DEMO_PG_PORT" --arg key "$state/backup.key" \
        --arg store "file://$state/backup-store" '{Backups: {PostgresBinDirectory: $bin, Declarations: [
            {App: "host", Name: "db", Host: "127.0.0.1", Port: $port, User: "fleet", Database: "shop",
             EncryptionKeyFile: $key, Store: {Url: $store}, Schedule: "0 30 2 * * ?",
             VerifySchedule: "0 0 5 ? * SUN"}]}}')"
    info "agent settings: $state/settings.json (backup host/db of database shop, daily at 02:30 UTC)"
}

# Row count and md5 of every pgbench table, one line each.
demo_backups_fingerprint() {
    local table
    for table in pgbench_accounts pgbench_branches pgbench_history pgbench_tellers; do
        "$FLEET_PG_BIN/psql" -h 127.0.0.1 -p "$DEMO_PG_PORT" -U fleet -d "$1" -Atq -c \
            "SELECT '$table ' || count(*) || ' ' || md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM $table t"
    done
}

demo_backups_listed() { fleetctl backups list --agent "$1" --output json | jq -e '.runs | length > 0'; }

demo_backups_run() {
    local agent=$1 id
    step "Backing up database shop on $agent (fleetctl backups run)"
    fleetctl backups run --agent "$agent" --app host --name db
    wait_for "the backup report at the controller" 60 demo_backups_listed "$agent"
    fleetctl backups list --agent "$agent"
    id=$(fleetctl backups list --agent "$agent" --app host --output json | jq -er '.runs[0].backupId')

    step "Restoring backup $id into a new database shop_restored"
    fleetctl backups restore --agent "$agent" --app host --name db --backup "$id" --to-database shop_restored
    diff <(demo_backups_fingerprint shop) <(demo_backups_fingerprint shop_restored) >/dev/null ||
        die "the restored database differs from shop"
    info "every table of shop_restored equals shop (row counts and md5 of all rows)"

    step "Verifying the backup (restore into a scratch database, sanity query, drop)"
    fleetctl backups verify --agent "$agent" --app host --name db --backup "$id"
}
