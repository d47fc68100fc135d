# shellcheck shell=bash
# Google Cloud Storage for tests: the Cloud Storage emulator of npm firebase-tools (the only GCS
# JSON-API emulator obtainable here), run by scripts/services/gcs-emulator.js on 127.0.0.1 and a
# free port. Installed once with npm into a cache folder that survives runs. Buckets are created
# by their first object. Exports FLEET_TEST_GCS_ENDPOINT (http://127.0.0.1:PORT) and
# FLEET_TEST_GCS_BUCKET.

FIREBASE_TOOLS_VERSION=15.34.2

gcs_start() {
    need_apt_packages curl
    command -v npm >/dev/null || need_apt_packages nodejs npm
    local cache=${FLEET_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/fleet}/firebase-tools-$FIREBASE_TOOLS_VERSION
    if [[ ! -f $cache/node_modules/firebase-tools/package.json ]]; then
        info "installing firebase-tools $FIREBASE_TOOLS_VERSION into $cache (a few minutes, once)"
        mkdir -p "$cache"
        # Without its optional native modules (re2 would be compiled from source here): the storage emulator needs none.
        npm install --prefix "$cache" --no-audit --no-fund --loglevel=error --omit=optional "firebase-tools@$FIREBASE_TOOLS_VERSION" >/dev/null ||
            die "npm install firebase-tools@$FIREBASE_TOOLS_VERSION failed"
    fi
    local dir port script
    dir=$(service_dir gcs)
    port=$(free_port)
    script=$(realpath scripts/services/gcs-emulator.js)
    mkdir -p "$dir/tmp"
    # The emulator keeps its objects under TMPDIR: one folder per instance.
    TMPDIR=$dir/tmp NODE_PATH=$cache/node_modules start_daemon "$dir/gcs.log" node "$script" "$port" fleet-test
    wait_for_daemon "GCS emulator (see $dir/gcs.log)" 60 curl -sS -o /dev/null "http://127.0.0.1:$port/"
    export FLEET_TEST_GCS_ENDPOINT="http://127.0.0.1:$port" FLEET_TEST_GCS_BUCKET=fleet-test
    info "GCS emulator at $FLEET_TEST_GCS_ENDPOINT, bucket fleet-test (FLEET_TEST_GCS_ENDPOINT)"
}
