# shellcheck shell=bash
# Container registry for tests (distribution, Debian's docker-registry) on 127.0.0.1, port 5000
# when free, storage under FLEET_STATE. Exports FLEET_TEST_REGISTRY (host:port).

registry_start() {
    need_apt_packages docker-registry curl
    local dir port
    dir=$(service_dir registry)
    port=$(free_port 5000)
    cat >"$dir/config.yml" <<YAML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $dir/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
YAML
    start_daemon "$dir/registry.log" docker-registry serve "$dir/config.yml"
    wait_for_daemon registry 30 curl -fsS "http://127.0.0.1:$port/v2/"
    export FLEET_TEST_REGISTRY="127.0.0.1:$port"
    info "registry at $FLEET_TEST_REGISTRY"
}
