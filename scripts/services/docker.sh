# shellcheck shell=bash
# Docker engine for tests: a private dockerd with its socket, data and exec roots under
# FLEET_STATE. No bridge and no iptables: containers use host networking on 127.0.0.1 only.
# Exports DOCKER_HOST.

docker_start() {
    need_apt_packages docker.io
    local dir
    dir=$(service_dir docker)
    start_daemon "$dir/dockerd.log" dockerd \
        --data-root "$dir/data" --exec-root "$dir/exec" \
        -H "unix://$dir/docker.sock" --pidfile "$dir/docker.pid" \
        --bridge=none --iptables=false --ip-masq=false --ip6tables=false \
        --shutdown-timeout 5
    export DOCKER_HOST="unix://$dir/docker.sock"
    wait_for_daemon dockerd 60 docker version
    info "Docker $(docker version --format '{{.Server.Version}}') at $DOCKER_HOST"
}
