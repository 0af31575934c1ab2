# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# Helpers shared by the faults suite (sourced by its test files): fault
# injection against hutch as it stands (SIGKILL at random moments, signals
# during startup, concurrent commands, stopped servers, broken host files).
# Each loop counts how often a defect shows and reports the figure as
# "FIGURE what: N of M" on stderr (see --verbose), then asserts it is 0.
#
# Other suites may run sandboxes as the same test user at the same time, so
# every sandbox a test starts is named with a prefix unique to that test
# ($FLT) and only those are ever stopped.

FLT=flt$$

# hutch as the test user, the command line made once: the loops race hutch
# against itself, and `cmd &` of this array makes $! hutch's own pid. A
# non-interactive shell starts background commands with SIGINT and SIGQUIT
# ignored, which hutch would inherit until it takes signals itself: env
# gives them back their default, as from a terminal.
user_argv "$TEST_USER"
HU=(env --default-signal=INT,QUIT "${USER_ARGV[@]}" "$HUTCH")
h() { "${HU[@]}" "$@"; }

runtime_root() { printf '%s/hutch\n' "$(user_runtime_dir "$TEST_USER")"; }

# state_field NAME KEY: KEY= of sandbox NAME's state file (empty if none).
state_field() { sed -n "s/^$2=//p" "$(runtime_root)/$1/state" 2>/dev/null; }

# dead PID: gone, or a zombie (hutch counts a zombie as dead, and a
# detached hutch's zombie waits for whoever reaps orphans).
dead() {
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
    stat=${stat##*) }
    [ "${stat:0:1}" = Z ]
}

# wait_dead PID [SECONDS]: until PID is dead; status 1 after SECONDS (5).
wait_dead() {
    local i
    for ((i = 0; i < ${2:-5} * 1000; i++)); do
        dead "$1" && return 0
        sleep 0.001
    done
    return 1
}

# kill_hutch NAME: SIGKILL sandbox NAME's hutch and wait until it is dead.
kill_hutch() {
    local pid
    pid=$(state_field "$1" HutchPid)
    [ -n "$pid" ] || return 1
    kill -KILL "$pid" && wait_dead "$pid"
}

# stop_ours: stop every sandbox whose name starts with $FLT.
stop_ours() {
    local name
    for name in $(h ls 2>/dev/null | awk 'NR > 1 { print $1 }' | grep "^$FLT" || true); do
        h stop --timeout 2 "$name" >/dev/null 2>&1
    done
}

teardown() {
    resume_services
    stop_ours
}

# service_pid x11|pulse: the pid of a server tests/services.sh started.
service_pid() {
    local name pid _start
    while read -r name pid _start; do
        if [ "$name" = "$1" ]; then
            echo "$pid"
            return 0
        fi
    done <"${HUTCH_SERVICES_DIR:-$(default_services_dir)}/pids"
    return 1
}

# stop_service x11|pulse: SIGSTOP that server; teardown lets it go on.
STOPPED_SERVICES=()
stop_service() {
    local pid
    pid=$(service_pid "$1") || return 1
    kill -STOP "$pid" && STOPPED_SERVICES+=("$pid")
}

resume_services() {
    local pid
    for pid in "${STOPPED_SERVICES[@]}"; do
        kill -CONT "$pid" 2>/dev/null
    done
    STOPPED_SERVICES=()
}

# figure WHAT BAD TOTAL: report a fault-injection figure and assert it is 0.
figure() {
    echo "FIGURE $1: $2 of $3" >&2
    assert_eq "0 of $3" "$2 of $3" "$1"
}

# now_ms: milliseconds since the epoch.
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# rand_delay MIN_MS MAX_MS: sleep a random time in that range.
rand_delay() {
    local ms=$(($1 + RANDOM % ($2 - $1 + 1)))
    sleep "$(printf '0.%03d' "$ms")"
}
