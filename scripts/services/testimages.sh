# shellcheck shell=bash
# Sourced by scripts/test.sh. Builds busybox-based test images with `docker import`, pushes them
# to $FLEET_TEST_REGISTRY and exports their references pinned by digest (repo@sha256:...).
# Needs DOCKER_HOST and FLEET_TEST_REGISTRY (set by docker.sh and registry.sh).
#
# Every image serves /www with busybox httpd on 127.0.0.1:$PORT (host network):
#   GOOD     /www/health exists, /www/version says v1
#   GOOD_V2  same, /www/version says v2
#   BAD      no /www/health (404), logs "bad image: no health endpoint"
#   EXITS    prints a line and exits with code 3
#   SLOW     sleeps $SLOW_SECONDS (default 3) before serving
#   FLAKY    healthy, then deletes /www/health after $UNHEALTHY_AFTER seconds (default 4)

_testimages_build() { # name version extra-script health(yes|no) cmd
    local name=$1 version=$2 health=$3 cmd=$4
    local root="$FLEET_STATE/testimages/$name"
    rm -rf "$root" && mkdir -p "$root/bin" "$root/www" "$root/tmp"
    cp "$(command -v busybox)" "$root/bin/busybox"
    local applet
    for applet in sh httpd sleep echo rm cat wget nc true false; do
        ln -sf busybox "$root/bin/$applet"
    done
    echo "$version" >"$root/www/version"
    if [ "$health" = yes ]; then echo ok >"$root/www/health"; fi
    local tag="$FLEET_TEST_REGISTRY/fleet-test-$name:latest"
    tar -C "$root" -c . | docker import -c 'ENV PATH=/bin' -c "CMD [\"/bin/sh\",\"-c\",\"$cmd\"]" - "$tag" >/dev/null
    docker push "$tag" >/dev/null
    local ref
    ref=$(docker inspect --format "{{index .RepoDigests 0}}" "$tag") || return 1
    # Drop the local copy so that tests pull from the registry for real.
    docker rmi -f "$(docker inspect --format "{{.Id}}" "$tag")" >/dev/null && echo "$ref"
}

testimages_start() {
    : "${DOCKER_HOST:?testimages needs DOCKER_HOST (scripts/services/docker.sh)}"
    : "${FLEET_TEST_REGISTRY:?testimages needs FLEET_TEST_REGISTRY (scripts/services/registry.sh)}"
    command -v busybox >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq busybox-static >/dev/null
    local serve='exec httpd -f -p 127.0.0.1:$PORT -h /www'
    FLEET_TEST_IMAGE_GOOD=$(_testimages_build good v1 yes "echo serving v1 on \$PORT; $serve") || return 1
    FLEET_TEST_IMAGE_GOOD_V2=$(_testimages_build good-v2 v2 yes "echo serving v2 on \$PORT; $serve") || return 1
    FLEET_TEST_IMAGE_BAD=$(_testimages_build bad v3 no "echo bad image: no health endpoint; $serve") || return 1
    FLEET_TEST_IMAGE_EXITS=$(_testimages_build exits v4 yes "echo exits-immediately: giving up; exit 3") || return 1
    FLEET_TEST_IMAGE_SLOW=$(_testimages_build slow v5 yes "echo warming up; sleep \${SLOW_SECONDS:-3}; $serve") || return 1
    FLEET_TEST_IMAGE_FLAKY=$(_testimages_build flaky v6 yes "(sleep \${UNHEALTHY_AFTER:-4}; rm /www/health; echo now unhealthy) & $serve") || return 1
    export FLEET_TEST_IMAGE_GOOD FLEET_TEST_IMAGE_GOOD_V2 FLEET_TEST_IMAGE_BAD FLEET_TEST_IMAGE_EXITS \
        FLEET_TEST_IMAGE_SLOW FLEET_TEST_IMAGE_FLAKY
}
