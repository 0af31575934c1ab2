# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# tests/harness/test-harness.sh — checks the test harness itself: the
# assertions, the users, the services and the runner.
# shellcheck disable=SC2030,SC2031  # nested() changes OUT_* in a subshell on purpose

# nested NAME CMD...: run CMD the way a test body runs, with the assertion
# state in a fresh directory, and print the verdict the runner would give
# ("PASS", "FAIL<TAB>why" or "SKIP<TAB>why").
nested() {
    local state=$T/nested-$1 rc=0
    shift
    mkdir -p "$state"
    (
        HUTCH_TEST_STATE=$state
        OUT_STDOUT=$state/stdout
        # shellcheck disable=SC2034  # used by assert_status
        OUT_STDERR=$state/stderr
        "$@"
        : >"$HUTCH_TEST_STATE/done"
    ) 2>/dev/null || rc=$?
    test_verdict "$state" "$rc" 60
}

# pid_alive PID: running and not a zombie.
pid_alive() {
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    stat=${stat##*) }
    [ "${stat:0:1}" != Z ]
}

test_assert_status_catches_wrong_exit_code() {
    local v
    v=$(nested wrong assert_status 0 sh -c 'exit 3')
    assert_match '^FAIL' "$v" "assert_status 0 on exit 3 must fail"
    assert_contains "$v" "exited 3, expected 0"
    v=$(nested right assert_status 3 sh -c 'exit 3')
    assert_eq PASS "$v" "assert_status 3 on exit 3 must pass"
    v=$(nested nonzero assert_status nonzero true)
    assert_match '^FAIL' "$v" "assert_status nonzero on exit 0 must fail"
}

test_assert_status_keeps_output() {
    assert_status 3 sh -c 'echo out; echo err >&2; exit 3'
    assert_eq out "$(last_stdout)"
    assert_eq err "$(last_stderr)"
    assert_eq out "$(cat "$OUT_STDOUT")" "OUT_STDOUT is a file"
    assert_status nonzero false
}

test_assertions_pass_and_fail() {
    local case v i=0
    local passing=(
        "assert_eq a a"
        "assert_ne a b"
        "assert_contains hello ell"
        "assert_not_contains hello xyz"
        "assert_match ^h.l+o$ hello"
        "assert_not_match ^x hello"
        "assert_file_exists /"
        "assert_file_not_exists /nonexistent-hutch"
    )
    local failing=(
        "assert_eq a b"
        "assert_ne a a"
        "assert_contains hello xyz"
        "assert_not_contains hello ell"
        "assert_match ^x hello"
        "assert_not_match ^h hello"
        "assert_file_exists /nonexistent-hutch"
        "assert_file_not_exists /"
    )
    for case in "${passing[@]}"; do
        i=$((i + 1))
        # shellcheck disable=SC2086
        v=$(nested "p$i" $case)
        assert_eq PASS "$v" "$case"
    done
    for case in "${failing[@]}"; do
        i=$((i + 1))
        # shellcheck disable=SC2086
        v=$(nested "f$i" $case)
        assert_match '^FAIL' "$v" "$case"
    done
}

test_failure_message_names_the_line() {
    local v
    v=$(nested where assert_eq 1 2 "numbers")
    assert_match $'^FAIL\ttest-harness.sh:[0-9]+: numbers: expected .1., got .2.' "$v"
}

test_zero_assertions_fail() {
    local v
    v=$(nested none true)
    assert_eq $'FAIL\tasserts nothing' "$v"
}

test_skip_marks_skipped() {
    local v
    v=$(nested skipped skip "no frobnicator")
    assert_eq $'SKIP\tno frobnicator' "$v"
    v=$(nested failed_then_skipped eval 'assert_eq 1 2; skip "late"')
    assert_match '^FAIL' "$v" "a failed test stays failed after skip"
}

test_test_users_and_subids() {
    need_root
    assert_eq "$TEST_USER:$TEST_SUBID_START:$TEST_SUBID_COUNT" "$(grep "^$TEST_USER:" /etc/subuid)"
    assert_eq "$TEST_USER:$TEST_SUBID_START:$TEST_SUBID_COUNT" "$(grep "^$TEST_USER:" /etc/subgid)"
    assert_eq "" "$(grep "^$NOSUB_USER:" /etc/subuid /etc/subgid)" "$NOSUB_USER has no ranges"
}

test_as_user_runs_as_test_user() {
    need_root
    local uid env
    uid=$(id -u "$TEST_USER")
    assert_eq "$uid" "$(as_user id -u)"
    assert_eq "$(id -g "$TEST_USER")" "$(as_user id -g)"
    env=$(as_user env)
    assert_contains "$env" "HOME=$(user_home "$TEST_USER")"
    assert_contains "$env" "XDG_RUNTIME_DIR=/run/user/$uid"
    assert_not_contains "$env" "HUTCH_TEST_STATE" "the environment is clean"
    assert_eq "700 $TEST_USER" "$(stat -c '%a %U' "/run/user/$uid")"
}

test_as_nosub_runs_without_subids() {
    need_root
    assert_eq "$NOSUB_USER" "$(as_nosub id -un)"
    assert_status 1 grep -q "^$NOSUB_USER:" /etc/subuid
}

test_T_is_writable_by_test_users() {
    need_root
    assert_status 0 as_user touch "$T/by-user"
    assert_status 0 as_nosub touch "$T/by-nosub"
    assert_file_exists "$T/by-user"
    assert_eq "$TEST_USER" "$(stat -c %U "$T/by-user")"
}

test_as_user_can_execute_hutch_path() {
    need_root
    assert_status 0 as_user test -r "$REPO/tests/lib.sh"
    if [ -e "$HUTCH" ]; then
        assert_status 0 as_user test -x "$HUTCH"
    fi
}

test_xvfb_has_security_extension() {
    need_x11
    assert_status 0 as_user xdpyinfo -queryExtensions
    assert_contains "$(last_stdout)" "SECURITY"
}

test_pulse_answers_test_user() {
    need_pulse
    assert_status 0 as_user pactl info
    assert_contains "$(last_stdout)" "Server Name:"
    if is_root; then
        assert_contains "$(last_stdout)" "Default Sink: hutchnull"
    fi
}

test_weston_answers_test_user() {
    need_wayland
    assert_status 0 as_user wayland-info
    assert_contains "$(last_stdout)" "wl_compositor"
}

# A fixture suite for the runner: one test of each outcome.
write_fixture_suite() {
    mkdir -p "$1/fx"
    cat >"$1/fx/test-fx.sh" <<'EOF'
test_passes() { assert_eq 1 1; }
test_fails() { echo "diagnostic-xyz" >&2; assert_eq 1 2 "one is not two"; }
test_skips() { skip "not today"; }
test_empty() { true; }
test_times_out() { sleep 300 & echo $! >"$FX_PIDFILE"; assert_eq 1 1; sleep 300; }
test_aborts() { echo "$undefined_variable"; assert_eq 1 1; }
EOF
    printf 'test_broken() {\n' >"$1/fx/test-broken.sh"
}

run_fixture() {  # ARGS...
    HUTCH_TESTS_DIR=$T/suites HUTCH_NO_SERVICES=1 HUTCH_TEST_TIMEOUT=2 \
        HUTCH_TEST_COUNTS=$T/counts FX_PIDFILE=$T/pid \
        "$REPO/tests/run.sh" "$@"
}

test_runner_reports_each_outcome() {
    local out
    write_fixture_suite "$T/suites"
    assert_status 1 run_fixture
    out=$(last_stdout)
    assert_contains "$out" "PASS fx/test-fx.sh:test_passes"
    assert_match 'FAIL fx/test-fx.sh:test_fails: test-fx.sh:2: one is not two' "$out"
    assert_contains "$out" "    diagnostic-xyz" "stderr of a failed test is shown"
    assert_contains "$out" "SKIP fx/test-fx.sh:test_skips: not today"
    assert_contains "$out" "FAIL fx/test-fx.sh:test_empty: asserts nothing"
    assert_contains "$out" "FAIL fx/test-fx.sh:test_times_out: timed out after 2s"
    assert_contains "$out" "FAIL fx/test-fx.sh:test_aborts: test aborted"
    assert_contains "$out" "FAIL fx/test-broken.sh: syntax error"
    assert_eq "1 passed, 5 failed, 1 skipped" "$(tail -n 1 <<<"$out")"
    assert_eq "1 5 1" "$(cat "$T/counts")"
    assert_file_exists "$T/pid"
    if ! pid_alive "$(cat "$T/pid")"; then
        assert_eq 1 1
    else
        assert_eq "dead" "alive" "a timed-out test's background process was killed"
    fi
}

test_runner_filter_and_list() {
    write_fixture_suite "$T/suites"
    rm "$T/suites/fx/test-broken.sh"
    assert_status 0 run_fixture --filter 'test_passes$'
    assert_eq "1 passed, 0 failed, 0 skipped" "$(tail -n 1 "$OUT_STDOUT")"
    assert_status 0 run_fixture --list --suite fx
    assert_eq 6 "$(grep -c '^fx/test-fx.sh:test_' "$OUT_STDOUT")"
    assert_eq "fx/test-fx.sh:test_passes" "$(head -n 1 "$OUT_STDOUT")" "definition order"
    assert_status 2 run_fixture --suite nosuchsuite
}
