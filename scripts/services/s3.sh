# shellcheck shell=bash
# S3-compatible object storage for tests: s3rver (filesystem-backed) on 127.0.0.1 and a free
# port, data under FLEET_STATE. s3rver is installed once with npm into a cache folder that
# survives runs. Exports FLEET_TEST_S3_ENDPOINT (http://127.0.0.1:PORT) and FLEET_TEST_S3_BUCKET.
# s3rver accepts the access key S3RVER with the secret S3RVER.

S3RVER_VERSION=3.7.1

s3_start() {
    need_apt_packages curl
    # Node.js may come from elsewhere than Debian (its npm package then conflicts): only install when absent.
    command -v npm >/dev/null || need_apt_packages nodejs npm
    local cache=${FLEET_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/fleet}/s3rver-$S3RVER_VERSION
    local bin=$cache/node_modules/.bin/s3rver
    if [[ ! -x $bin ]]; then
        info "installing s3rver $S3RVER_VERSION into $cache"
        mkdir -p "$cache"
        npm install --prefix "$cache" --no-audit --no-fund --loglevel=error "s3rver@$S3RVER_VERSION" >/dev/null ||
            die "npm install s3rver@$S3RVER_VERSION failed"
    fi
    local dir port bucket=fleet-test
    dir=$(service_dir s3)
    port=$(free_port)
    mkdir -p "$dir/data"
    start_daemon "$dir/s3rver.log" "$bin" --address 127.0.0.1 --port "$port" --directory "$dir/data" \
        --configure-bucket "$bucket" --silent
    wait_for "s3rver (see $dir/s3rver.log)" 30 curl -fsS -o /dev/null "http://127.0.0.1:$port/$bucket"
    export FLEET_TEST_S3_ENDPOINT="http://127.0.0.1:$port" FLEET_TEST_S3_BUCKET=$bucket
    info "s3rver at $FLEET_TEST_S3_ENDPOINT, bucket $bucket (FLEET_TEST_S3_ENDPOINT)"
}
