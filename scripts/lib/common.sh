# shellcheck shell=bash
# Shared helpers for scripts/*.sh and scripts/services/*.sh. Source it; do not run it.
#
# State: every run gets its own FLEET_STATE folder (fleet_state_init). Services started in the
# background are recorded in "$FLEET_STATE/pids" (register_pid), one "PID SIGNAL" per line; the
# EXIT trap (fleet_cleanup) stops them newest first, then removes FLEET_STATE unless KEEP=1.

FLEET_STOP_TIMEOUT=${FLEET_STOP_TIMEOUT:-30}

step() { printf '\n==> %s\n' "$*" >&2; }
info() { printf '    %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Installs the Debian packages that are missing; runs `apt-get update` only when one is.
need_apt_packages() {
    local pkg missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
    done
    ((${#missing[@]})) || return 0
    [[ $EUID -eq 0 ]] || die "missing packages ${missing[*]}; install them as root (apt-get install ${missing[*]})"
    info "installing ${missing[*]}"
    local log rc=0
    log=$(mktemp)
    # NEEDRESTART_SUSPEND: needrestart (if installed) must not ask about restarting daemons.
    (
        export DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1
        apt-get -q -o DPkg::Lock::Timeout=300 update &&
            apt-get -q -o DPkg::Lock::Timeout=300 install -y "${missing[@]}"
    ) >"$log" 2>&1 || rc=$?
    ((rc == 0)) || cat "$log" >&2
    rm -f "$log"
    ((rc == 0)) || die "apt-get install ${missing[*]} failed"
}

port_is_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Prints a TCP port nobody listens on at 127.0.0.1; the preferred one when it is free. Ports
# handed out in this run are remembered so two services never get the same one.
# shellcheck disable=SC2120 # the argument is optional
free_port() {
    local preferred=${1:-} taken="$FLEET_STATE/ports" port attempt low=20000 high
    # Below the kernel's ephemeral range: a port the kernel hands to some outgoing connection (or a
    # listener on port 0) between this check and the service's bind would make the bind fail.
    high=$(awk '{print $1}' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
    ((high > low + 1000)) || { low=10000; high=20000; }
    touch "$taken"
    for ((attempt = 0; attempt < 200; attempt++)); do
        if [[ -n $preferred && $attempt -eq 0 ]]; then port=$preferred; else port=$((low + RANDOM % (high - low))); fi
        grep -qx "$port" "$taken" && continue
        if port_is_free "$port"; then
            echo "$port" >>"$taken"
            echo "$port"
            return 0
        fi
    done
    die "no free TCP port found on 127.0.0.1"
}

# poll PID DESCRIPTION SECONDS COMMAND... : runs COMMAND every 0.2 s until it succeeds; fails after
# SECONDS, or at once when PID (if not empty) has exited, showing the end of DAEMON_LOG.
poll() {
    local pid=$1 what=$2 seconds=$3
    shift 3
    local deadline=$((SECONDS + seconds))
    until "$@" >/dev/null 2>&1; do
        if [[ -n $pid ]] && ! pid_alive "$pid"; then
            printf 'error: %s: the process exited; end of %s:\n' "$what" "$DAEMON_LOG" >&2
            tail -n 25 "$DAEMON_LOG" >&2
            return 1
        fi
        if ((SECONDS >= deadline)); then
            printf 'error: %s: not ready after %ss\n' "$what" "$seconds" >&2
            return 1
        fi
        sleep 0.2
    done
}

# wait_for DESCRIPTION SECONDS COMMAND... : a bounded poll for COMMAND to succeed.
wait_for() { poll "" "$@"; }

# wait_for_daemon DESCRIPTION SECONDS COMMAND... : wait_for, failing early if the daemon started
# last by start_daemon exits meanwhile.
wait_for_daemon() { poll "$DAEMON_PID" "$@"; }

# The folder of one service inside FLEET_STATE, created on first use.
service_dir() {
    local dir="$FLEET_STATE/$1"
    mkdir -p "$dir"
    echo "$dir"
}

# register_pid PID [SIGNAL] : the cleanup trap sends SIGNAL (default TERM) to PID.
register_pid() { echo "$1 ${2:-TERM}" >>"$FLEET_STATE/pids"; }

# start_daemon LOGFILE COMMAND... : runs COMMAND in the background, in its own session (a Ctrl-C
# in the terminal reaches only this script, whose trap then stops the daemons in order), with its
# output in LOGFILE. Registers its pid and sets DAEMON_PID and DAEMON_LOG.
start_daemon() {
    DAEMON_LOG=$1
    shift
    setsid "$@" >"$DAEMON_LOG" 2>&1 </dev/null &
    DAEMON_PID=$!
    register_pid "$DAEMON_PID"
}

pid_alive() {
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    stat=${stat##*) }
    [[ ${stat%% *} != Z ]]
}

# The EXIT trap: fleet_stop_all, then exit with the script's status.
fleet_cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    fleet_stop_all
    exit "$rc"
}

# Stops every registered process (newest first), waits for them up to FLEET_STOP_TIMEOUT seconds,
# kills what is left, stops any PostgreSQL cluster left under FLEET_STATE (e.g. one a controller
# started itself), unmounts what is mounted below it, and removes it unless KEEP=1.
fleet_stop_all() {
    # Best effort to the end, whatever fails on the way; `local -` keeps `set +e` in here.
    local - pid signal pids=() deadline pidfile mnt
    set +e
    [[ -n ${FLEET_STATE:-} && -d $FLEET_STATE ]] || return 0
    if [[ -f $FLEET_STATE/pids ]]; then
        while read -r pid signal; do
            pids+=("$pid")
            pid_alive "$pid" && kill -s "$signal" "$pid" 2>/dev/null
        done < <(tac "$FLEET_STATE/pids")
    fi
    while read -r pidfile; do
        pid=$(head -n 1 "$pidfile" 2>/dev/null)
        [[ $pid =~ ^[0-9]+$ ]] && pid_alive "$pid" && kill -s INT "$pid" 2>/dev/null && pids+=("$pid")
    done < <(find "$FLEET_STATE" -name postmaster.pid 2>/dev/null)
    deadline=$((SECONDS + FLEET_STOP_TIMEOUT))
    for pid in "${pids[@]}"; do
        while pid_alive "$pid" && ((SECONDS < deadline)); do sleep 0.1; done
        if pid_alive "$pid"; then
            printf 'warning: pid %s did not stop in %ss; killing it\n' "$pid" "$FLEET_STOP_TIMEOUT" >&2
            kill -s KILL "$pid" 2>/dev/null
        fi
    done
    wait 2>/dev/null
    while read -r mnt; do
        umount -l "$mnt" 2>/dev/null
    done < <(awk -v s="$FLEET_STATE/" 'index($2, s) == 1 { print $2 }' /proc/mounts | sort -r)
    if [[ ${KEEP:-0} == 1 ]]; then
        printf 'state kept in %s\n' "$FLEET_STATE" >&2
    else
        rm -rf "$FLEET_STATE"
    fi
}

# Creates and exports FLEET_STATE and arms the cleanup trap (INT and TERM go through EXIT).
fleet_state_init() {
    FLEET_STATE=$(mktemp -d "${TMPDIR:-/tmp}/fleet-$1.XXXXXX")
    export FLEET_STATE
    # Services that drop privileges (PostgreSQL runs as `postgres`) must reach their subfolders.
    chmod 711 "$FLEET_STATE"
    trap fleet_cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
}

# Sources every scripts/services/*.sh and calls each *_start function it defines, in file order.
start_all_services() {
    local dir=$1 file fn before
    for file in "$dir"/*.sh; do
        before=$(declare -F)
        # shellcheck source=/dev/null
        source "$file"
        for fn in $(comm -13 <(sort <<<"$before") <(declare -F | sort) | awk '$3 ~ /_start$/ { print $3 }'); do
            step "Starting ${fn%_start}"
            "$fn"
        done
    done
}

# Merges a JSON object into an agent's STATE/settings.json (created 0600 when missing), so that
# several demo features can each add their own section.
merge_agent_settings() { # state-dir json
    local file=$1/settings.json
    [[ -s $file ]] || (umask 077 && echo '{}' >"$file")
    jq -s '.[0] * .[1]' "$file" - <<<"$2" >"$file.new" && mv "$file.new" "$file"
}
