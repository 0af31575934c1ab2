# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# tests/lib.sh — the hutch test library.
#
# Sourced by every test file (through tests/run.sh), by tests/run.sh and
# tests/services.sh themselves, and by ./dev.  It must stay safe under
# `set -u` and must not change shell options of whoever sources it.
#
# Conventions for test files (tests/<suite>/test-*.sh):
#   - top level only defines functions; every function named test_* is a test;
#     optional `setup` / `teardown` run before / after each test;
#   - each test runs in its own bash process, cwd = $T (a fresh directory that
#     the test users can write to), with `set -u` and without `set -e`;
#   - assertions record failures and return 1 but do not stop the test;
#     write `assert_... || return` to stop at the first failure;
#   - a test passes only if it made at least one assertion, none failed,
#     and its function returned, with status 0: a test that asserts nothing,
#     that exits before its end, that returns non-zero without a recorded
#     failure or whose `setup` returns non-zero fails;
#   - `skip REASON` (and need_*) ends the test and marks it skipped; with
#     CI=true a skip fails unless tests/allowed-skips lists it.

# ---------------------------------------------------------------------------
# Paths and users

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
_hutch_build_dir=${HUTCH_BUILD:-build}
case $_hutch_build_dir in
    /*) ;;
    *) _hutch_build_dir=$REPO/$_hutch_build_dir ;;
esac
# HUTCH_BIN overrides the binary under test (e.g. an installed hutch).
HUTCH=${HUTCH_BIN:-$_hutch_build_dir/sandbox/hutch}
unset _hutch_build_dir
# In sanitizer builds: ASan's interception of __tls_get_addr misreads
# glibc 2.36's dynamic TLS of the X libraries hutch loads for x11 (a range
# like 0x228-0x100000132a), and LeakSanitizer's check at exit then crashes
# ("Tracer caught signal 11") in about 1 of 150 x11 launches on a busy
# machine. Without it, LeakSanitizer skips the dynamic TLS, which holds
# none of hutch's pointers.
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}intercept_tls_get_addr=0

TEST_USER=hutchtest
NOSUB_USER=hutchnosub
TEST_SUBID_START=200000
TEST_SUBID_COUNT=65536
TEST_USER_PATH=/usr/local/bin:/usr/bin:/bin

is_root() { [ "$(id -u)" -eq 0 ]; }

user_uid() { id -u "$1"; }
user_gid() { id -g "$1"; }
user_home() { getent passwd "$1" | cut -d: -f6; }

# user_runtime_dir USER: prints its XDG_RUNTIME_DIR, creating it if needed.
# As root that is /run/user/<uid> (0700, owned by USER).  As another user it
# is the current XDG_RUNTIME_DIR, else /run/user/<uid> if it exists, else a
# private directory under /tmp.
user_runtime_dir() {
    local user=$1 uid dir
    uid=$(user_uid "$user")
    if is_root; then
        dir=/run/user/$uid
        if [ ! -d "$dir" ]; then
            install -d -m 0755 /run/user
            install -d -m 0700 -o "$uid" -g "$(user_gid "$user")" "$dir"
        fi
    elif [ -n "${XDG_RUNTIME_DIR:-}" ] && [ -d "$XDG_RUNTIME_DIR" ]; then
        dir=$XDG_RUNTIME_DIR
    elif [ -d "/run/user/$uid" ] && [ -w "/run/user/$uid" ]; then
        dir=/run/user/$uid
    else
        dir=${TMPDIR:-/tmp}/hutch-runtime-$uid
        install -d -m 0700 "$dir"
    fi
    printf '%s\n' "$dir"
}

# user_argv USER: sets the array USER_ARGV to a command prefix that runs a
# command as USER with a clean environment.  Used by as_user/as_nosub and by
# services that must be started in the background with a known pid
# (`setsid "${USER_ARGV[@]}" daemon &` keeps $! = the daemon's pid).
user_argv() {
    local user=$1 uid gid home var
    USER_ARGV=()
    if is_root; then
        uid=$(user_uid "$user") || return 1
        gid=$(user_gid "$user")
        home=$(user_home "$user")
        USER_ARGV=(setpriv "--reuid=$uid" "--regid=$gid" --init-groups)
    else
        user=$(id -un)
        home=${HOME:-$(user_home "$user")}
    fi
    USER_ARGV+=(env -i "HOME=$home" "USER=$user" "LOGNAME=$user"
        "PATH=$TEST_USER_PATH" "XDG_RUNTIME_DIR=$(user_runtime_dir "$user")")
    for var in DISPLAY XAUTHORITY WAYLAND_DISPLAY PULSE_SERVER \
        ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS; do
        if [ -n "${!var:-}" ]; then
            USER_ARGV+=("$var=${!var}")
        fi
    done
}

# as_user CMD...: run CMD as $TEST_USER (as the current user when not root).
as_user() {
    as_user_named "$TEST_USER" "$@"
}

# as_nosub CMD...: run CMD as $NOSUB_USER, who has no subordinate id ranges.
# Not root: runs as the current user if that user has no ranges, else skips.
as_nosub() {
    if ! is_root; then
        if user_has_subids "$(id -un)"; then
            skip "as_nosub needs root (the current user has subordinate ids)"
        fi
    fi
    as_user_named "$NOSUB_USER" "$@"
}

# as_root CMD...: run CMD as root (skips the test when we are not root).
as_root() {
    is_root || skip "needs root"
    "$@"
}

# default_services_dir: where tests/services.sh keeps its state by default.
default_services_dir() {
    if is_root; then
        echo /run/hutch-tests
    else
        echo "${XDG_RUNTIME_DIR:-${TMPDIR:-/tmp}}/hutch-tests-$(id -u)"
    fi
}

# hutch_run ARGS...: `hutch run ARGS...` as the test user.
hutch_run() { as_user "$HUTCH" run "$@"; }

user_has_subids() {
    grep -q "^$1:" /etc/subuid 2>/dev/null || grep -q "^$1:" /etc/subgid 2>/dev/null
}

# ---------------------------------------------------------------------------
# Test users and file access (root only; used by run.sh and ./dev)

_ensure_user() {
    getent passwd "$1" >/dev/null && return 0
    useradd -m -s /bin/bash "$1"
}

# _set_subid_line FILE USER LINE: make LINE the only entry for USER in FILE
# (LINE empty: no entry).  Rewrites the file in place only when needed.
_set_subid_line() {
    local file=$1 user=$2 line=$3 current tmp
    [ -e "$file" ] || install -m 0644 /dev/null "$file"
    current=$(grep "^$user:" "$file" || true)
    [ "$current" = "$line" ] && return 0
    tmp=$(mktemp)
    grep -v "^$user:" "$file" >"$tmp" || true
    if [ -n "$line" ]; then
        printf '%s\n' "$line" >>"$tmp"
    fi
    cat "$tmp" >"$file"
    rm -f "$tmp"
}

# ensure_test_users: $TEST_USER with subordinate ids 200000:65536 and
# $NOSUB_USER with none.  Idempotent.
ensure_test_users() {
    local f
    is_root || return 0
    _ensure_user "$TEST_USER" || return 1
    _ensure_user "$NOSUB_USER" || return 1
    for f in /etc/subuid /etc/subgid; do
        _set_subid_line "$f" "$TEST_USER" "$TEST_USER:$TEST_SUBID_START:$TEST_SUBID_COUNT"
        _set_subid_line "$f" "$NOSUB_USER" ""
    done
    # pactl and friends must never autospawn a second daemon for the test
    # users: tests/services.sh starts the one they use.
    for f in "$TEST_USER" "$NOSUB_USER"; do
        _disable_pulse_autospawn "$f" ||
            echo "warning: could not write ~$f/.config/pulse/client.conf" >&2
    done
}

_disable_pulse_autospawn() {
    local user=$1 home conf
    home=$(user_home "$user")
    conf=$home/.config/pulse/client.conf
    [ -f "$conf" ] && grep -q '^autospawn *= *no' "$conf" && return 0
    # shellcheck disable=SC2016  # $HOME is the user's
    as_user_named "$user" sh -c 'mkdir -p "$HOME/.config/pulse" &&
        printf "autospawn = no\n" >"$HOME/.config/pulse/client.conf"'
}

# as_user_named USER CMD...: like as_user for any user.
as_user_named() {
    local USER_ARGV
    user_argv "$1" || return 1
    shift
    "${USER_ARGV[@]}" "$@"
}

# ensure_repo_access: the test users must reach $REPO and execute $HUTCH.
# If they cannot, give others search permission on every ancestor of the
# repository and read permission on the repository itself.
ensure_repo_access() {
    local dir
    is_root || return 0
    if as_user test -r "$REPO/tests/lib.sh" &&
        { [ ! -e "$HUTCH" ] || as_user test -x "$HUTCH"; }; then
        return 0
    fi
    echo "note: making $REPO and its parent directories accessible to $TEST_USER (chmod o+x parents, o+rX repo)"
    dir=$(dirname "$REPO")
    while [ "$dir" != / ]; do
        chmod o+x "$dir"
        dir=$(dirname "$dir")
    done
    chmod -R o+rX "$REPO"
}

# ---------------------------------------------------------------------------
# Assertions
#
# State lives in files under $HUTCH_TEST_STATE (set by run.sh) so that
# assertions made in subshells, pipelines and $(...) count too:
#   asserts   one line per assertion made
#   failures  one line per failed assertion (the message)
#   skip      the skip reason
#   done      the test function returned; holds its return status

if [ -n "${HUTCH_TEST_STATE:-}" ]; then
    OUT_STDOUT=$HUTCH_TEST_STATE/cmd.stdout
    OUT_STDERR=$HUTCH_TEST_STATE/cmd.stderr
else  # sourced outside the runner
    OUT_STDOUT=${TMPDIR:-/tmp}/hutch-cmd.$$.stdout
    OUT_STDERR=${TMPDIR:-/tmp}/hutch-cmd.$$.stderr
fi

# _where: "file:line" of the first caller outside this library.
_where() {
    local i
    for ((i = 1; i < ${#BASH_SOURCE[@]}; i++)); do
        if [ "${BASH_SOURCE[$i]}" != "${BASH_SOURCE[0]}" ]; then
            printf '%s:%s' "${BASH_SOURCE[$i]##*/}" "${BASH_LINENO[$((i - 1))]}"
            return
        fi
    done
    printf '?'
}

# _oneline TEXT: TEXT on one line, shortened, for messages.
_oneline() {
    local s=${1//$'\n'/\\n}
    if [ "${#s}" -gt 200 ]; then
        s="${s:0:200}..."
    fi
    printf '%s' "$s"
}

_pass() {
    if [ -n "${HUTCH_TEST_STATE:-}" ]; then
        echo . >>"$HUTCH_TEST_STATE/asserts"
    fi
    return 0
}

# _fail MSG: record a failed assertion (MSG already includes details).
_fail() {
    local msg
    msg="$(_where): $1"
    printf 'ASSERTION FAILED: %s\n' "$msg" >&2
    if [ -n "${HUTCH_TEST_STATE:-}" ]; then
        echo . >>"$HUTCH_TEST_STATE/asserts"
        printf '%s\n' "$(_oneline "$msg")" >>"$HUTCH_TEST_STATE/failures"
    fi
    return 1
}

_msg() { printf '%s' "${1:+$1: }"; }

# fail MSG: record a failure that no assertion expresses (a step the test
# needs did not work); returns 1, so `fail "..." || return` or
# `step || { fail "step failed"; return; }`.
fail() { _fail "$1"; }

# run_body CMD...: run a test body (or setup) the way the runner does and
# record how it ended: "done" holds CMD's return status.  A body that exits
# instead of returning leaves no "done" (test_verdict: did not reach its end).
run_body() {
    local rc=0
    "$@" || rc=$?
    printf '%s\n' "$rc" >"$HUTCH_TEST_STATE/done"
}

# run_setup: the file's `setup`, if any; a non-zero status is a failure
# (a skip inside setup still skips).  Status 1 when setup failed.
run_setup() {
    local rc=0
    declare -F setup >/dev/null || return 0
    setup || rc=$?
    [ "$rc" -eq 0 ] && return 0
    printf 'setup returned status %s\n' "$rc" | tee -a "$HUTCH_TEST_STATE/failures" >&2
    return 1
}

# assert_eq EXPECTED ACTUAL [MSG]
assert_eq() {
    if [ "$1" = "$2" ]; then _pass; else
        _fail "$(_msg "${3:-}")expected '$(_oneline "$1")', got '$(_oneline "$2")'"
    fi
}

# assert_ne UNEXPECTED ACTUAL [MSG]
assert_ne() {
    if [ "$1" != "$2" ]; then _pass; else
        _fail "$(_msg "${3:-}")expected anything but '$(_oneline "$1")'"
    fi
}

# assert_contains HAYSTACK NEEDLE [MSG]  (fixed string)
assert_contains() {
    if [[ $1 == *"$2"* ]]; then _pass; else
        _fail "$(_msg "${3:-}")'$(_oneline "$2")' not found in '$(_oneline "$1")'"
    fi
}

# assert_not_contains HAYSTACK NEEDLE [MSG]
assert_not_contains() {
    if [[ $1 != *"$2"* ]]; then _pass; else
        _fail "$(_msg "${3:-}")'$(_oneline "$2")' unexpectedly found in '$(_oneline "$1")'"
    fi
}

# assert_match REGEX STRING [MSG]  (bash ERE, unanchored)
assert_match() {
    if [[ $2 =~ $1 ]]; then _pass; else
        _fail "$(_msg "${3:-}")'$(_oneline "$2")' does not match /$1/"
    fi
}

# assert_not_match REGEX STRING [MSG]
assert_not_match() {
    if [[ ! $2 =~ $1 ]]; then _pass; else
        _fail "$(_msg "${3:-}")'$(_oneline "$2")' unexpectedly matches /$1/"
    fi
}

# assert_status EXPECTED CMD...: run CMD, compare its
# exit status with EXPECTED (a number, or "nonzero").  Its output is kept in
# the files $OUT_STDOUT and $OUT_STDERR (see last_stdout / last_stderr).
assert_status() {
    local expected=$1 status=0 ok=0
    shift
    "$@" >"$OUT_STDOUT" 2>"$OUT_STDERR" || status=$?
    case $expected in
        nonzero) [ "$status" -ne 0 ] && ok=1 ;;
        *) [ "$status" = "$expected" ] && ok=1 ;;
    esac
    if [ "$ok" = 1 ]; then
        _pass
        return 0
    fi
    if [ -s "$OUT_STDERR" ]; then
        echo "--- stderr of: $*" >&2
        head -n 20 "$OUT_STDERR" | sed 's/^/| /' >&2
    fi
    _fail "'$(_oneline "$*")' exited $status, expected $expected; stderr: '$(_oneline "$(head -c 300 "$OUT_STDERR")")'"
}

last_stdout() { cat "$OUT_STDOUT"; }
last_stderr() { cat "$OUT_STDERR"; }

# assert_file_exists PATH [MSG]
assert_file_exists() {
    if [ -e "$1" ] || [ -L "$1" ]; then _pass; else
        _fail "$(_msg "${2:-}")'$1' does not exist"
    fi
}

# assert_file_not_exists PATH [MSG]
assert_file_not_exists() {
    if [ ! -e "$1" ] && [ ! -L "$1" ]; then _pass; else
        _fail "$(_msg "${2:-}")'$1' exists"
    fi
}

# skip REASON: mark the test skipped and end it.  A test that already failed
# an assertion stays failed.  (Called inside $(...) it only ends that
# subshell, but the test is still reported as skipped.)
skip() {
    local reason=${1:-no reason given}
    printf 'SKIP: %s\n' "$reason" >&2
    if [ -n "${HUTCH_TEST_STATE:-}" ] && [ ! -s "$HUTCH_TEST_STATE/failures" ]; then
        printf '%s\n' "$(_oneline "$reason")" >"$HUTCH_TEST_STATE/skip"
    fi
    exit 0
}

# ---------------------------------------------------------------------------
# Requirements (skip when unmet)

need_root() { is_root || skip "needs root (run tests/run.sh as root)"; }

need_cmd() {
    local c
    for c in "$@"; do
        command -v "$c" >/dev/null 2>&1 || skip "needs '$c' (./dev deps installs it)"
    done
}

# need_x11 / need_pulse / need_wayland: the services from tests/services.sh.
need_x11() {
    if [ "${HUTCH_SERVICE_X11:-not started}" != ok ] || [ -z "${DISPLAY:-}" ]; then
        skip "no X server: ${HUTCH_SERVICE_X11:-not started}"
    fi
}

# need_x11_security: Xvfb with the SECURITY extension (untrusted cookies).
need_x11_security() {
    need_x11
    [ "${HUTCH_X11_SECURITY:-0}" = 1 ] || skip "X server lacks the SECURITY extension"
}

need_pulse() {
    [ "${HUTCH_SERVICE_PULSE:-not started}" = ok ] ||
        skip "no PulseAudio daemon: ${HUTCH_SERVICE_PULSE:-not started}"
}

need_wayland() {
    if [ "${HUTCH_SERVICE_WAYLAND:-not started}" != ok ] || [ -z "${WAYLAND_DISPLAY:-}" ]; then
        skip "no Wayland compositor: ${HUTCH_SERVICE_WAYLAND:-not started}"
    fi
}

# reap PID...: end background jobs the test started (SIGTERM) and wait for
# them.  Status 0 whatever they died of: the test chose to end them.  (A
# bare `wait PID` as a test's last line returns the job's status, 143 for
# one killed by SIGTERM, and fails the test.)
reap() {
    local pid
    for pid in "$@"; do
        kill "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    return 0
}

# wait_for CMD...: poll CMD every 0.1 s until it succeeds, for up to
# $WAIT_FOR_SECONDS (default 10) seconds; status 1 if it never did.
wait_for() {
    local i tries=$((${WAIT_FOR_SECONDS:-10} * 10))
    for ((i = 0; i < tries; i++)); do
        "$@" >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    return 1
}

# need_hutch_option OPTION: skip while `hutch run --help` does not list
# OPTION (features that are not implemented yet).  A missing hutch binary is
# a failure, not a skip.
need_hutch_option() {
    if [ ! -x "$HUTCH" ]; then
        _fail "hutch binary missing: $HUTCH (run ./dev build)"
        exit 0
    fi
    "$HUTCH" run --help 2>&1 | grep -q -- "$1" ||
        skip "hutch run has no $1 option yet"
}

# ---------------------------------------------------------------------------
# Verdict (used by run.sh and by the harness self-tests)

# test_verdict STATE_DIR EXIT_STATUS TIMEOUT: prints "PASS", "FAIL<TAB>why"
# or "SKIP<TAB>why" for a finished test (STATE_DIR as described above,
# EXIT_STATUS the test process's).
test_verdict() {
    local state=$1 rc=$2 timeout=${3:-60} asserts=0 returned
    if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
        printf 'FAIL\ttimed out after %ss\n' "$timeout"
    elif [ -s "$state/failures" ]; then
        printf 'FAIL\t%s\n' "$(head -n 1 "$state/failures")"
    elif [ -e "$state/skip" ]; then
        printf 'SKIP\t%s\n' "$(head -n 1 "$state/skip")"
    elif [ ! -e "$state/done" ]; then
        printf 'FAIL\tdid not reach its end: exited with status %s before its function returned (see stderr)\n' "$rc"
    elif returned=$(head -n 1 "$state/done") && [ "${returned:-0}" != 0 ]; then
        printf 'FAIL\treturned status %s with no failed assertion (a step that failed silently?)\n' "$returned"
    else
        [ -e "$state/asserts" ] && asserts=$(wc -l <"$state/asserts")
        if [ "$asserts" -eq 0 ]; then
            printf 'FAIL\tasserts nothing\n'
        else
            printf 'PASS\n'
        fi
    fi
}

# ---------------------------------------------------------------------------
# CI: skips are failures unless allowed

# in_ci: true when CI=true (or 1): a CI run accepts no silent gap.
in_ci() { [ "${CI:-}" = true ] || [ "${CI:-}" = 1 ]; }

# allowed_skips_file: the allowlist of skips (HUTCH_ALLOWED_SKIPS overrides).
allowed_skips_file() { printf '%s\n' "${HUTCH_ALLOWED_SKIPS:-$REPO/tests/allowed-skips}"; }

# skip_allowed ID REASON: does the allowlist have an entry for test ID
# (suite/test-file.sh:test_name) whose reason pattern matches REASON?
# Entries are "ID-GLOB REASON-GLOB" lines (bash patterns), each under a
# comment that says why the gap is the host's and not the suite's.
skip_allowed() {
    local id=$1 reason=$2 file idpat reasonpat
    file=$(allowed_skips_file)
    [ -r "$file" ] || return 1
    while read -r idpat reasonpat; do
        case $idpat in '' | '#'*) continue ;; esac
        # shellcheck disable=SC2053  # the entries are patterns
        if [[ $id == $idpat ]] && [[ $reason == $reasonpat ]]; then
            return 0
        fi
    done <"$file"
    return 1
}
