# shellcheck shell=bash
# Two registries that want credentials (Debian's docker-registry on 127.0.0.1, free ports, storage
# under FLEET_STATE), with one test image pushed to each through `docker login` and `docker push`:
#   FLEET_TEST_BASIC_REGISTRY   htpasswd (bcrypt) Basic authentication
#   FLEET_TEST_TOKEN_REGISTRY   token mode, behind registry-token-server.js (RS256 JWTs with x5c) at
#                               FLEET_TEST_TOKEN_SERVER; anonymous tokens pull fleet-test-public/*
# Both accept FLEET_TEST_REGISTRY_USER / FLEET_TEST_REGISTRY_PASSWORD (random per run).
# FLEET_TEST_BASIC_REGISTRY_IMAGE and FLEET_TEST_TOKEN_REGISTRY_IMAGE are the pushed image
# (fleet-test-private/web, busybox httpd on 127.0.0.1:$PORT serving /www/health) pinned by digest.
# Needs DOCKER_HOST (scripts/services/docker.sh).

_registry_auth_serve() { # dir port auth-yaml
    cat >"$1/config.yml" <<YAML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $1/data
http:
  addr: 127.0.0.1:$2
auth:
$3
YAML
    start_daemon "$1/registry.log" docker-registry serve "$1/config.yml"
    # 401 is the answer of a registry that is up and wants credentials.
    wait_for_daemon "registry on port $2" 30 sh -c "curl -sS -o /dev/null -w '%{http_code}' http://127.0.0.1:$2/v2/ | grep -qx 401"
}

_registry_auth_push() { # registry image-tar ; prints repository@digest
    local tag="$1/fleet-test-private/web:1" ref
    # docker login warns on stderr that the (private, throw-away) config holds the password.
    docker import -c 'ENV PATH=/bin' -c 'CMD ["/bin/sh","-c","exec httpd -f -p 127.0.0.1:$PORT -h /www"]' "$2" "$tag" >/dev/null &&
        docker login -u "$FLEET_TEST_REGISTRY_USER" --password-stdin "$1" <<<"$FLEET_TEST_REGISTRY_PASSWORD" >/dev/null 2>&1 &&
        docker push "$tag" >/dev/null &&
        docker logout "$1" >/dev/null || return 1
    ref=$(docker inspect --format "{{index .RepoDigests 0}}" "$tag") || return 1
    # Drop the local copy so that tests pull from the registry for real.
    docker rmi -f "$tag" >/dev/null && echo "$ref"
}

registry_auth_start() {
    : "${DOCKER_HOST:?registry-auth needs DOCKER_HOST (scripts/services/docker.sh)}"
    need_apt_packages docker-registry apache2-utils openssl curl busybox-static
    command -v node >/dev/null || need_apt_packages nodejs
    local dir basic token server
    dir=$(service_dir registry-auth)
    mkdir -p "$dir/basic" "$dir/token" "$dir/image/bin" "$dir/image/www"
    FLEET_TEST_REGISTRY_USER=fleet-test
    FLEET_TEST_REGISTRY_PASSWORD=$(openssl rand -hex 16)
    export FLEET_TEST_REGISTRY_USER FLEET_TEST_REGISTRY_PASSWORD

    basic=$(free_port)
    htpasswd -Bbc "$dir/basic/htpasswd" "$FLEET_TEST_REGISTRY_USER" "$FLEET_TEST_REGISTRY_PASSWORD" 2>/dev/null
    _registry_auth_serve "$dir/basic" "$basic" "  htpasswd:
    realm: fleet-test
    path: $dir/basic/htpasswd" || return 1

    token=$(free_port)
    server=$(free_port)
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=fleet-test-token-server \
        -keyout "$dir/token/key.pem" -out "$dir/token/cert.pem" 2>/dev/null
    (umask 077 && echo "$FLEET_TEST_REGISTRY_USER:$FLEET_TEST_REGISTRY_PASSWORD" >"$dir/token/users")
    start_daemon "$dir/token/token-server.log" node "$(dirname "${BASH_SOURCE[0]}")/registry-token-server.js" \
        "$server" "$dir/token/key.pem" "$dir/token/cert.pem" "$dir/token/users" fleet-test-issuer fleet-test-registry
    wait_for_daemon "registry token server" 30 curl -fsS "http://127.0.0.1:$server/requests"
    _registry_auth_serve "$dir/token" "$token" "  token:
    realm: http://127.0.0.1:$server/token
    service: fleet-test-registry
    issuer: fleet-test-issuer
    rootcertbundle: $dir/token/cert.pem" || return 1

    cp "$(command -v busybox)" "$dir/image/bin/busybox"
    ln -sf busybox "$dir/image/bin/sh" && ln -sf busybox "$dir/image/bin/httpd"
    echo ok >"$dir/image/www/health"
    tar -C "$dir/image" -cf "$dir/image.tar" .
    # A private docker config: `docker login` must not touch the user's own ~/.docker/config.json.
    export FLEET_TEST_BASIC_REGISTRY=127.0.0.1:$basic FLEET_TEST_TOKEN_REGISTRY=127.0.0.1:$token \
        FLEET_TEST_TOKEN_SERVER=http://127.0.0.1:$server
    FLEET_TEST_BASIC_REGISTRY_IMAGE=$(DOCKER_CONFIG=$dir/docker-config _registry_auth_push "$FLEET_TEST_BASIC_REGISTRY" "$dir/image.tar") || return 1
    FLEET_TEST_TOKEN_REGISTRY_IMAGE=$(DOCKER_CONFIG=$dir/docker-config _registry_auth_push "$FLEET_TEST_TOKEN_REGISTRY" "$dir/image.tar") || return 1
    export FLEET_TEST_BASIC_REGISTRY_IMAGE FLEET_TEST_TOKEN_REGISTRY_IMAGE
    info "registries with credentials: Basic at $FLEET_TEST_BASIC_REGISTRY, token at $FLEET_TEST_TOKEN_REGISTRY (token server $FLEET_TEST_TOKEN_SERVER)"
}
