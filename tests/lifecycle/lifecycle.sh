# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# Helpers shared by the lifecycle suite (sourced by its test files).
#
# Other suites may run sandboxes as the same test user at the same time, so
# every sandbox a test starts is named with a prefix unique to that test
# ($LC) and only those are ever stopped.

LC_BIN=${HUTCH%/sandbox/hutch}/tests/lifecycle
LC=lc$$
LC_STARTED=()

h() { as_user "$HUTCH" "$@"; }

# runtime_root: the test user's $XDG_RUNTIME_DIR/hutch.
runtime_root() { printf '%s/hutch\n' "$(user_runtime_dir "$TEST_USER")"; }

# start SUFFIX [RUN-OPTIONS...] -- CMD...: a detached sandbox named
# $LC-SUFFIX, stopped again by teardown.  A start that fails is a recorded
# failure (status 1), so `start ... || return` never ends a test silently.
start() {
    local name=$LC-$1 err
    shift
    LC_STARTED+=("$name")
    if ! err=$(h run --detach --name "$name" "$@" 2>&1 >/dev/null); then
        fail "could not start sandbox $name: $(_oneline "$err")"
        return 1
    fi
}

# stop_ours: stop every sandbox whose name starts with $LC.
stop_ours() {
    local name
    for name in $(h ls 2>/dev/null | awk 'NR > 1 { print $1 }' | grep "^$LC" || true); do
        h stop --timeout 2 "$name" >/dev/null 2>&1
    done
}

teardown() { stop_ours; }

# field NAME JQ-FILTER: one field of `hutch info --json NAME`.
field() { h info --json "$1" | jq -r "$2"; }

# state_of NAME: RUNNING, FROZEN, ...
state_of() { field "$1" .state; }

listed() { h ls | awk 'NR > 1 { print $1 }' | grep -qx -- "$1"; }
not_listed() { ! listed "$1"; }

# app_pid NAME: host pid of the sandbox's app (init's first child).
app_pid() {
    local init
    init=$(field "$1" .pid)
    cat "/proc/$init/task/$init/children" | awk '{ print $1 }'
}

# float_ge A B: A >= B for decimal numbers.
float_ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }'; }
