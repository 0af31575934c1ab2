#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/run.sh — run the hutch integration tests.
#
#   tests/run.sh [--suite NAME]... [--filter REGEX] [--list] [--verbose]
#
# Suites are the directories tests/<suite>/ holding test-*.sh files; every
# function test_* in those files is a test (see tests/lib.sh).  Run as root
# for the full matrix: it creates the test users and starts Xvfb, PulseAudio
# and weston (tests/services.sh).  As another user, tests that need root
# skip.  Prints one line per test, names the failures again, and ends with
# "N passed, N failed, N skipped"; exits 1 if any test failed.  A test that
# leaves a sandbox of the test users running fails, and the sandbox is
# stopped.
#
# Environment:
#   HUTCH_BUILD         build directory (default build), e.g. build-asan
#   HUTCH_TEST_TIMEOUT  seconds per test (default 60)
#   HUTCH_TEST_COUNTS   file to write "passed failed skipped" to, and the
#                       failures after it, one per line
#   HUTCH_TESTS_DIR     where the suites are (default: this directory)
#   HUTCH_NO_SERVICES=1 start no services (tests needing them skip)
#   HUTCH_KEEP_TMP=1    keep the per-test directories
#   CI=true             no silent gaps: a service that does not start fails
#                       the run, and so does a skip that tests/allowed-skips
#                       (HUTCH_ALLOWED_SKIPS) does not list
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/lib.sh
. "$HERE/lib.sh"

TESTS_DIR=${HUTCH_TESTS_DIR:-$HERE}
TIMEOUT=${HUTCH_TEST_TIMEOUT:-60}

# ---------------------------------------------------------------------------
# One test, in its own process (run.sh --run-one FILE FUNCTION).  The state
# directory and $T come from the environment.

run_one() {
    local file=$1 fn=$2
    set +e +o pipefail
    set -u
    cd "$T" || exit 1
    # shellcheck disable=SC1090
    . "$file" || { echo "cannot source $file" >&2; exit 1; }
    trap 'run_teardown' EXIT
    run_setup || exit 1
    run_body "$fn"
}

run_teardown() {
    if declare -F teardown >/dev/null; then
        teardown
    fi
}

if [ "${1:-}" = --run-one ]; then
    shift
    run_one "$@"
    exit 0
fi

# ---------------------------------------------------------------------------
# Options

SUITES=()
FILTER=
LIST=0
VERBOSE=0

usage() {
    sed -n '3,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'
    exit "${1:-0}"
}

parse_args() {
    while [ $# -gt 0 ]; do
        case $1 in
            --suite) SUITES+=("${2:?--suite needs a name}"); shift ;;
            --suite=*) SUITES+=("${1#*=}") ;;
            --filter) FILTER=${2:?--filter needs a regex}; shift ;;
            --filter=*) FILTER=${1#*=} ;;
            --list) LIST=1 ;;
            -v | --verbose) VERBOSE=1 ;;
            -h | --help) usage 0 ;;
            *) echo "run.sh: unknown argument '$1'" >&2; usage 2 >&2 ;;
        esac
        shift
    done
}

# ---------------------------------------------------------------------------
# Discovery

all_suites() {
    local d
    for d in "$TESTS_DIR"/*/; do
        d=${d%/}
        if compgen -G "$d/test-*.sh" >/dev/null; then
            basename "$d"
        fi
    done
}

selected_suites() {
    local s
    if [ ${#SUITES[@]} -eq 0 ]; then
        all_suites
        return
    fi
    for s in "${SUITES[@]}"; do
        if ! compgen -G "$TESTS_DIR/$s/test-*.sh" >/dev/null; then
            echo "run.sh: no suite '$s' (suites: $(all_suites | tr '\n' ' '))" >&2
            exit 2
        fi
        echo "$s"
    done
}

# test_functions FILE: its test_* functions, in the order they are defined.
test_functions() {
    (
        # shellcheck disable=SC1090
        . "$1" >/dev/null 2>&1
        shopt -s extdebug
        local fn
        for fn in $(compgen -A function test_); do
            declare -F "$fn"
        done
    ) | awk -v f="$1" '{ name = $1; line = $2; sub(/^[^ ]+ [^ ]+ /, "") }
                       $0 == f { print line, name }' | sort -n | cut -d' ' -f2
}

# ---------------------------------------------------------------------------
# Results

PASSED=0
FAILED=0
SKIPPED=0
FAILURES=()  # "ID: WHY" of each failure, recapped above the final count

report() {  # VERDICT ID WHY STDERR_FILE
    local verdict=$1 id=$2 why=$3 errfile=${4:-}
    case $verdict in
        PASS) PASSED=$((PASSED + 1)); echo "PASS $id" ;;
        SKIP) SKIPPED=$((SKIPPED + 1)); echo "SKIP $id: $why" ;;
        *) FAILED=$((FAILED + 1)); FAILURES+=("$id: $why"); echo "FAIL $id: $why" ;;
    esac
    if [ -n "$errfile" ] && [ -s "$errfile" ] &&
        { [ "$verdict" = FAIL ] || [ "$VERBOSE" = 1 ]; }; then
        local n
        n=$(wc -l <"$errfile")
        if [ "$n" -gt 20 ]; then
            echo "    ... ($((n - 20)) earlier lines of stderr omitted)"
        fi
        tail -n 20 "$errfile" | sed 's/^/    /'
    fi
}

# ---------------------------------------------------------------------------
# Running

RUN_TMP=
CURRENT_PGID=

make_test_dir() {  # DIR: writable by the test users
    mkdir -p "$1"
    if is_root && getent passwd "$TEST_USER" >/dev/null; then
        chown "$TEST_USER:" "$1"
    fi
    chmod 0777 "$1"
}

# file_timeout FILE: seconds per test of FILE; a file whose tests need
# longer (building an image) says "# hutch-test-timeout: N" in its header.
file_timeout() {
    local n
    n=$(sed -n 's/^# hutch-test-timeout: *\([0-9][0-9]*\)$/\1/p' "$1" | head -n 1)
    if [ -n "$n" ] && [ "$n" -gt "$TIMEOUT" ]; then echo "$n"; else echo "$TIMEOUT"; fi
}

# stop_leftover_sandboxes: the sandboxes of the test users still running
# after a test, stopped; prints their names. `--detach` escapes the test's
# process group, so a sandbox a test forgets outlives it and changes what
# later tests see (a runtime entry, an `ls` line, a name taken). Cheap when
# there are none: no hutch runs unless a state directory is there.
stop_leftover_sandboxes() {
    local user rt names name
    [ -x "$HUTCH" ] || return 0
    for user in "$TEST_USER" "$NOSUB_USER"; do
        getent passwd "$user" >/dev/null || continue
        if is_root; then
            rt=/run/user/$(user_uid "$user")/hutch
        elif [ "$user" = "$(id -un)" ]; then
            rt=${XDG_RUNTIME_DIR:-/run/user/$(id -u)}/hutch
        else
            continue
        fi
        compgen -G "$rt/[!.]*" >/dev/null || continue
        names=$(as_user_named "$user" "$HUTCH" ls --json 2>/dev/null | jq -r '.[].name' 2>/dev/null)
        for name in $names; do
            as_user_named "$user" "$HUTCH" stop --timeout 2 "$name" >/dev/null 2>&1
            echo "$name"
        done
    done
}

run_test() {  # SUITE FILE FUNCTION
    local suite=$1 file=$2 fn=$3 id state t rc=0 verdict why limit
    limit=$(file_timeout "$file")
    id="$suite/$(basename "$file"):$fn"
    state=$RUN_TMP/state/$suite.$(basename "$file" .sh).$fn
    t=$RUN_TMP/t/$suite.$(basename "$file" .sh).$fn
    mkdir -p "$state"
    make_test_dir "$t"

    # timeout(1) puts itself and the test in a new process group and kills
    # that group when time is up; we kill it again afterwards to reap
    # whatever the test left behind.
    HUTCH_TEST_STATE=$state T=$t \
        timeout -k 5 "$limit" bash "$HERE/run.sh" --run-one "$file" "$fn" \
        </dev/null >"$state/stdout" 2>"$state/stderr" &
    CURRENT_PGID=$!
    wait "$CURRENT_PGID" || rc=$?
    kill -KILL -- "-$CURRENT_PGID" 2>/dev/null || true
    CURRENT_PGID=

    IFS=$'\t' read -r verdict why < <(test_verdict "$state" "$rc" "$limit")
    local left
    left=$(stop_leftover_sandboxes | tr '\n' ' ')
    if [ -n "$left" ] && [ "$verdict" != FAIL ]; then
        verdict=FAIL
        why="left sandboxes running after it ended: ${left% } (stopped now; stop them in its teardown)"
    fi
    if [ "$verdict" = SKIP ] && in_ci && ! skip_allowed "$id" "$why"; then
        verdict=FAIL
        why="skipped, and CI=true allows only the skips in $(allowed_skips_file): $why"
    fi
    report "$verdict" "$id" "${why:-}" "$state/stderr"
    if [ "${HUTCH_KEEP_TMP:-0}" != 1 ]; then
        rm -rf "$t" "$state" 2>/dev/null || true
    fi
}

run_file() {  # SUITE FILE
    local suite=$1 file=$2 fn id found=0 err
    if ! err=$(bash -n "$file" 2>&1); then
        report FAIL "$suite/$(basename "$file")" "syntax error: $(_oneline "$err")"
        return
    fi
    for fn in $(test_functions "$file"); do
        found=1
        id="$suite/$(basename "$file"):$fn"
        if [ -n "$FILTER" ] && ! [[ $id =~ $FILTER ]]; then
            continue
        fi
        if [ "$LIST" = 1 ]; then
            echo "$id"
        else
            run_test "$suite" "$file" "$fn"
        fi
    done
    if [ "$found" = 0 ]; then
        report FAIL "$suite/$(basename "$file")" "defines no test_* function"
    fi
}

# selected_files: "suite file" lines
selected_files() {
    local suite file
    for suite in $(selected_suites); do
        for file in "$TESTS_DIR/$suite"/test-*.sh; do
            echo "$suite $file"
        done
    done
}

# needed_services: the services that the selected files ask for.
needed_services() {
    local files=() svc
    mapfile -t files < <(selected_files | cut -d' ' -f2-)
    [ ${#files[@]} -gt 0 ] || return 0
    for svc in x11 pulse wayland; do
        if grep -q "need_$svc" "${files[@]}"; then
            echo "$svc"
        fi
    done
}

cleanup() {
    local rc=$?
    if [ -n "$CURRENT_PGID" ]; then
        kill -KILL -- "-$CURRENT_PGID" 2>/dev/null || true
    fi
    if [ -n "${STARTED_SERVICES:-}" ]; then
        "$HERE/services.sh" stop || true
    fi
    if [ -n "$RUN_TMP" ] && [ "${HUTCH_KEEP_TMP:-0}" != 1 ]; then
        rm -rf "$RUN_TMP" 2>/dev/null || true
    fi
    exit "$rc"
}

start_services() {
    local wanted
    wanted=$(needed_services | tr '\n' ' ')
    if [ "${HUTCH_NO_SERVICES:-0}" = 1 ] || [ -z "$wanted" ]; then
        return
    fi
    export HUTCH_SERVICES_DIR=${HUTCH_SERVICES_DIR:-$(default_services_dir)}
    STARTED_SERVICES=1
    # shellcheck disable=SC2086
    "$HERE/services.sh" start $wanted || echo "warning: services.sh start failed"
    if [ -f "$HUTCH_SERVICES_DIR/env" ]; then
        # shellcheck disable=SC1091
        . "$HUTCH_SERVICES_DIR/env"
    fi
    # shellcheck disable=SC2086  # one word per service
    check_services $wanted
}

# check_services SERVICE...: with CI=true, a service the selected tests
# need that did not start is a failure of the run (its tests would only
# skip); elsewhere their tests skip, saying why.
check_services() {
    local svc var state
    in_ci || return 0
    for svc in "$@"; do
        var=HUTCH_SERVICE_${svc^^}
        state=${!var:-not started}
        if [ "$state" != ok ]; then
            report FAIL "services/$svc" "did not start: $state"
        fi
    done
}

# One run at a time per machine: runs share the test users, their
# PulseAudio socket and the services' state directory, so two at once would
# stop each other's servers.
take_run_lock() {
    # A run started by a test (the harness suite runs the runner) is inside
    # the outer run's lock already.
    [ -z "${HUTCH_RUN_LOCKED:-}" ] || return 0
    export HUTCH_RUN_LOCKED=1
    local lock=${HUTCH_RUN_LOCK:-${TMPDIR:-/tmp}/hutch-tests-$(id -u).lock}
    exec 8>>"$lock"
    if ! flock -n 8; then
        echo "waiting for another test run to finish ($lock)"
        flock 8
    fi
}

prepare_host() {
    if is_root; then
        ensure_test_users
        ensure_repo_access
    else
        echo "note: not root: tests that need the test users or root will skip"
    fi
    if [ ! -x "$HUTCH" ]; then
        echo "warning: $HUTCH does not exist (./dev build); tests that run it will fail"
    fi
}

# The counts, and the failures one per line after them, for ./dev test,
# which adds up its runs.
write_counts() {
    if [ -n "${HUTCH_TEST_COUNTS:-}" ]; then
        {
            echo "$PASSED $FAILED $SKIPPED"
            [ ${#FAILURES[@]} -eq 0 ] || printf '%s\n' "${FAILURES[@]}"
        } >"$HUTCH_TEST_COUNTS"
    fi
}

# A long run's failures scroll far out of sight, and a CI log is often seen
# only by its ends: name them again just above the count.
recap_failures() {
    [ ${#FAILURES[@]} -gt 0 ] || return 0
    echo "failed:"
    printf '  %s\n' "${FAILURES[@]}"
}

main() {
    local suite file
    parse_args "$@"
    selected_suites >/dev/null  # fail early on an unknown suite
    if [ "$LIST" = 1 ]; then
        while read -r suite file; do
            run_file "$suite" "$file"
        done < <(selected_files)
        return 0
    fi

    trap cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    take_run_lock
    prepare_host
    RUN_TMP=$(mktemp -d "${TMPDIR:-/tmp}/hutch-tests.XXXXXX")
    chmod 0755 "$RUN_TMP"
    start_services
    export HUTCH_TEST_TIMEOUT=$TIMEOUT

    while read -r suite file; do
        run_file "$suite" "$file"
    done < <(selected_files)

    write_counts
    [ -n "${HUTCH_TEST_COUNTS:-}" ] || recap_failures
    echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"
    [ "$FAILED" -eq 0 ]
}

main "$@"
