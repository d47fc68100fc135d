# shellcheck shell=bash
# Prometheus and promtool from Debian. Nothing is started here: a test starts its own Prometheus
# (plain process, free port, its own storage folder) with a scrape config naming the controller it
# started. Exports FLEET_TEST_PROMETHEUS and FLEET_TEST_PROMTOOL (paths of the binaries).

prometheus_start() {
    need_apt_packages prometheus
    export FLEET_TEST_PROMETHEUS=/usr/bin/prometheus FLEET_TEST_PROMTOOL=/usr/bin/promtool
    info "prometheus $("$FLEET_TEST_PROMETHEUS" --version 2>&1 | awk 'NR == 1 { print $3 }') (FLEET_TEST_PROMETHEUS, FLEET_TEST_PROMTOOL)"
}
