#!/usr/bin/env bash
# Issues certificates from the same Pebble (HTTP-01, PEBBLE_VA_NOSLEEP=1) with the agent's ACME
# client (bench/AcmeBench) and with lego, alternating, RUNS times each, timing each whole process.
# Uses the Pebble from scripts/services/pebble.sh: an already running one (FLEET_TEST_PEBBLE_* set)
# or one it starts itself. Last line: acme_ratio=<fleet/lego> fleet_ms=<median> lego_ms=<median>.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${RUNS:-5}"

source scripts/lib/common.sh
# The trap stops what this run starts (Pebble) and removes its state folder.
fleet_state_init acme
work="$FLEET_STATE/work"
mkdir -p "$work"

if [ -z "${FLEET_TEST_PEBBLE_DIRECTORY:-}" ]; then
    # shellcheck source=../scripts/services/pebble.sh
    source scripts/services/pebble.sh
    pebble_start
fi
command -v lego >/dev/null || apt-get install -y -qq lego >/dev/null

dotnet build bench/AcmeBench -c Release -v quiet -nologo >/dev/null
bench_dll="artifacts/bin/AcmeBench/release/AcmeBench.dll"
listen="127.0.0.1:${FLEET_TEST_PEBBLE_HTTP_PORT}"

now_ms() { date +%s%3N; }

fleet_once() { # domain
    dotnet "$bench_dll" --directory "$FLEET_TEST_PEBBLE_DIRECTORY" --ca "$FLEET_TEST_PEBBLE_CA" \
        --listen "$listen" --domain "$1" --out "$work/fleet-$1" >/dev/null
}

lego_once() { # domain
    LEGO_CA_CERTIFICATES="$FLEET_TEST_PEBBLE_CA" lego --server "$FLEET_TEST_PEBBLE_DIRECTORY" --accept-tos \
        --email bench@example.test --domains "$1" --http --http.port "$listen" --path "$work/lego-$1" run \
        >"$work/lego-$1.log" 2>&1 || { cat "$work/lego-$1.log" >&2; return 1; }
}

timed() { # command domain → elapsed ms on stdout
    local start end
    start=$(now_ms)
    "$1" "$2" || return 1
    end=$(now_ms)
    echo $((end - start))
}

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

fleet_once "warmup-fleet.example.test" # first start pays for JIT and disk cache, as does lego's
lego_once "warmup-lego.example.test"
: >"$work/fleet.ms"
: >"$work/lego.ms"
for i in $(seq 1 "$RUNS"); do
    ms=$(timed fleet_once "fleet-$i.example.test") || { echo "fleet run $i failed" >&2; exit 1; }; echo "fleet run $i: ${ms} ms"; echo "$ms" >>"$work/fleet.ms"
    ms=$(timed lego_once "lego-$i.example.test") || { echo "lego run $i failed" >&2; exit 1; }; echo "lego run $i: ${ms} ms"; echo "$ms" >>"$work/lego.ms"
done

fleet_ms=$(median <"$work/fleet.ms")
lego_ms=$(median <"$work/lego.ms")
ratio=$(awk -v f="$fleet_ms" -v l="$lego_ms" 'BEGIN { printf "%.2f", f / l }')
echo "acme_ratio=$ratio fleet_ms=$fleet_ms lego_ms=$lego_ms"
