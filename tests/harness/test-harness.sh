# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# tests/harness/test-harness.sh — checks the test harness itself: the
# assertions, the users, the services and the runner.
# shellcheck disable=SC2030,SC2031  # nested() changes OUT_* in a subshell on purpose

# nested NAME CMD...: run CMD the way the runner runs a test body (run_body),
# with the assertion state in a fresh directory, and print the verdict the
# runner would give ("PASS", "FAIL<TAB>why" or "SKIP<TAB>why").
nested() {
    local state=$T/nested-$1 rc=0
    shift
    mkdir -p "$state"
    (
        HUTCH_TEST_STATE=$state
        OUT_STDOUT=$state/stdout
        # shellcheck disable=SC2034  # used by assert_status
        OUT_STDERR=$state/stderr
        run_body "$@"
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

test_a_silent_early_return_fails() {
    local v
    # shellcheck disable=SC2317  # called through nested
    fx_silent() { assert_eq 1 1; false || return; assert_eq 2 2; }
    fx_failed() { assert_eq 1 2 "first"; return 3; }
    fx_zero() { assert_eq 1 1; return 0; }
    v=$(nested ret fx_silent)
    assert_eq $'FAIL\treturned status 1 with no failed assertion (a step that failed silently?)' "$v"
    v=$(nested ret_after_fail fx_failed)
    assert_match $'^FAIL\t.*first: expected' "$v" "a recorded failure is the reason given"
    v=$(nested ret_zero fx_zero)
    assert_eq PASS "$v" "an early return 0 after an assertion is the test's own choice"
}

test_a_test_that_exits_before_its_end_fails() {
    local v
    v=$(nested exit0 eval 'assert_eq 1 1; exit 0')
    assert_eq $'FAIL\tdid not reach its end: exited with status 0 before its function returned (see stderr)' "$v"
    v=$(nested exit5 eval 'assert_eq 1 1; exit 5')
    assert_match $'^FAIL\tdid not reach its end: exited with status 5' "$v"
}

test_fail_records_a_failure() {
    local v
    v=$(nested failed eval 'assert_eq 1 1; fail "the daemon did not start"; true')
    assert_match $'^FAIL\t.*: the daemon did not start$' "$v"
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
test_returns_early() { assert_eq 1 1; false || return; assert_eq 2 2; }
test_exits_early() { assert_eq 1 1; exit 0; }
EOF
    printf 'test_broken() {\n' >"$1/fx/test-broken.sh"
    # setup's status is checked; a skip in setup still skips.
    cat >"$1/fx/test-setup.sh" <<'EOF'
setup() { [ "$FX_SETUP" = ok ] || { [ "$FX_SETUP" = skip ] && skip "setup says skip"; return 4; }; }
teardown() { echo torn-down >"$FX_TEARDOWN"; }
test_after_setup() { assert_eq 1 1; }
EOF
}

# run_fixture ARGS...: tests/run.sh on the fixture suites, outside CI and
# without the outer run's services, unless FX_CI / FX_NO_SERVICES say.
run_fixture() {
    env -u HUTCH_SERVICE_X11 -u HUTCH_SERVICE_PULSE -u HUTCH_SERVICE_WAYLAND \
        CI="${FX_CI:-}" HUTCH_TESTS_DIR="$T/suites" HUTCH_NO_SERVICES="${FX_NO_SERVICES:-1}" \
        HUTCH_TEST_TIMEOUT=2 HUTCH_TEST_COUNTS="${FX_COUNTS-$T/counts}" FX_PIDFILE="$T/pid" \
        FX_SETUP="${FX_SETUP:-ok}" FX_TEARDOWN="$T/teardown" \
        "$REPO/tests/run.sh" "$@"
}

test_runner_recaps_the_failures_above_its_count() {
    local out
    write_fixture_suite "$T/suites"
    FX_COUNTS= assert_status 1 run_fixture --filter 'test_fails|test_passes|test_skips'
    out=$(last_stdout)
    # the broken file fails whatever the filter
    assert_eq "failed:" "$(tail -n 4 <<<"$out" | head -n 1)"
    assert_contains "$(tail -n 3 <<<"$out")" "  fx/test-fx.sh:test_fails: test-fx.sh:2: one is not two"
    assert_match '^  fx/test-broken.sh: syntax error' "$(tail -n 3 <<<"$out")"
    assert_eq "1 passed, 2 failed, 1 skipped" "$(tail -n 1 <<<"$out")"
}

test_runner_stops_and_fails_a_test_that_leaves_a_sandbox_running() {
    mkdir -p "$T/suites/fx"
    cat >"$T/suites/fx/test-leak.sh" <<EOF
test_leaves_one() {
    as_user "\$HUTCH" run --detach --name leak-$$ -- sleep 60 >/dev/null
    assert_eq 1 1
}
test_cleans_up() {
    as_user "\$HUTCH" run --detach --name tidy-$$ -- sleep 60 >/dev/null
    as_user "\$HUTCH" stop tidy-$$ >/dev/null
    assert_eq 1 1
}
EOF
    assert_status 1 run_fixture
    assert_contains "$(last_stdout)" \
        "FAIL fx/test-leak.sh:test_leaves_one: left sandboxes running after it ended: leak-$$ (stopped now; stop them in its teardown)"
    assert_contains "$(last_stdout)" "PASS fx/test-leak.sh:test_cleans_up"
    assert_eq "" "$(as_user "$HUTCH" ls --json | jq -r '.[].name')" "the runner stopped it"
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
    assert_contains "$out" "FAIL fx/test-fx.sh:test_aborts: did not reach its end: exited with status 1"
    assert_contains "$out" "FAIL fx/test-fx.sh:test_returns_early: returned status 1 with no failed assertion"
    assert_contains "$out" "FAIL fx/test-fx.sh:test_exits_early: did not reach its end: exited with status 0"
    assert_contains "$out" "FAIL fx/test-broken.sh: syntax error"
    assert_contains "$out" "PASS fx/test-setup.sh:test_after_setup"
    assert_eq "2 passed, 7 failed, 1 skipped" "$(tail -n 1 <<<"$out")"
    # the counts, then the failures for ./dev test's recap, one per line
    assert_eq "2 7 1" "$(head -n 1 "$T/counts")"
    assert_eq 7 "$(tail -n +2 "$T/counts" | wc -l)"
    assert_contains "$(cat "$T/counts")" "fx/test-fx.sh:test_times_out: timed out after 2s"
    assert_not_contains "$out" "failed:" "./dev test recaps when it asked for the counts"
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
    assert_eq 8 "$(grep -c '^fx/test-fx.sh:test_' "$OUT_STDOUT")"
    assert_eq "fx/test-fx.sh:test_passes" "$(head -n 1 "$OUT_STDOUT")" "definition order"
    assert_status 2 run_fixture --suite nosuchsuite
}

test_runner_checks_the_setup_status() {
    write_fixture_suite "$T/suites"
    rm "$T/suites/fx/test-broken.sh"
    FX_SETUP=fails assert_status 1 run_fixture --filter test-setup
    assert_contains "$(last_stdout)" "FAIL fx/test-setup.sh:test_after_setup: setup returned status 4"
    assert_eq torn-down "$(cat "$T/teardown" 2>/dev/null)" "teardown runs after a failed setup"
    FX_SETUP=skip assert_status 0 run_fixture --filter test-setup
    assert_contains "$(last_stdout)" "SKIP fx/test-setup.sh:test_after_setup: setup says skip"
}

# CI=true: a skip fails unless tests/allowed-skips (here a fixture list)
# allows it by test and reason.
test_ci_fails_skips_not_on_the_allowlist() {
    write_fixture_suite "$T/suites"
    rm "$T/suites/fx/test-broken.sh"
    local only='test_(passes|skips)$'
    printf '# fixture: allowed because the fixture says so\nfx/test-fx.sh:test_skips not to*\n' >"$T/allowed"
    HUTCH_ALLOWED_SKIPS=$T/allowed FX_CI=true assert_status 0 run_fixture --filter "$only"
    assert_eq "1 passed, 0 failed, 1 skipped" "$(tail -n 1 "$OUT_STDOUT")" "an allowed skip"
    printf '# fixture: another reason\nfx/test-fx.sh:test_skips not tomorrow\n' >"$T/allowed"
    HUTCH_ALLOWED_SKIPS=$T/allowed FX_CI=true assert_status 1 run_fixture --filter "$only"
    assert_contains "$(last_stdout)" "FAIL fx/test-fx.sh:test_skips: skipped, and CI=true allows only the skips in $T/allowed: not today"
    HUTCH_ALLOWED_SKIPS=$T/allowed assert_status 0 run_fixture --filter "$only"
    assert_eq "1 passed, 0 failed, 1 skipped" "$(tail -n 1 "$OUT_STDOUT")" "outside CI a skip is a skip"
}

# A service that does not start fails a CI run (and its tests' skips fail);
# outside CI they only skip.  The X server here is one that exits at once.
test_ci_fails_when_a_service_does_not_start() {
    need_root
    write_fixture_suite "$T/suites"
    rm "$T/suites"/fx/test-*.sh
    printf 'test_needs_x() { need_x11; assert_eq 1 1; }\n' >"$T/suites/fx/test-needx.sh"
    mkdir -p "$T/bin"
    printf '#!/bin/sh\necho "fixture Xvfb: refusing to start" >&2\nexit 1\n' >"$T/bin/Xvfb"
    chmod 0755 "$T/bin/Xvfb"
    PATH=$T/bin:$PATH HUTCH_SERVICES_DIR=$T/services FX_NO_SERVICES=0 FX_CI=true \
        assert_status 1 run_fixture
    assert_contains "$(last_stdout)" "FAIL services/x11: did not start: Xvfb did not start"
    assert_contains "$(last_stdout)" "FAIL fx/test-needx.sh:test_needs_x: skipped, and CI=true"
    assert_eq "0 passed, 2 failed, 0 skipped" "$(tail -n 1 "$OUT_STDOUT")"
    PATH=$T/bin:$PATH HUTCH_SERVICES_DIR=$T/services FX_NO_SERVICES=0 \
        assert_status 0 run_fixture
    assert_contains "$(last_stdout)" "SKIP fx/test-needx.sh:test_needs_x: no X server: Xvfb did not start"
}

# Every entry of the real allowlist is under a comment saying why.
test_allowed_skips_are_each_explained() {
    local file=$REPO/tests/allowed-skips prev='' line n=0 entries=0
    assert_file_exists "$file" || return
    while IFS= read -r line; do
        n=$((n + 1))
        case $line in
            '' | '#'*) ;;
            *)
                entries=$((entries + 1))
                assert_match '^#' "$prev" "allowed-skips:$n: '$line' has no comment above it"
                assert_match '^[a-z0-9_-]+/test-[A-Za-z0-9_.-]+\.sh:test_[*A-Za-z0-9_]+ .+' "$line" \
                    "allowed-skips:$n: TEST-ID REASON"
                ;;
        esac
        prev=$line
    done <"$file"
    assert_ne 0 "$entries" "the allowlist has entries (or this test has nothing to check)"
}

# tests/bench/lib.py: a run that fails is no measurement. Its time is
# dropped, the table counts it, and finish() makes the benchmark fail.
test_bench_lib_drops_and_reports_failed_runs() {
    need_root
    need_cmd python3
    # shellcheck disable=SC2016  # the flaky command's own $1 and $(...)
    local script='
import sys
sys.dont_write_bytecode = True
sys.path.insert(0, sys.argv[1])
import lib
flaky = ["sh", "-c", "n=$(cat \"$1\" 2>/dev/null || echo 0); echo $((n + 1)) >\"$1\";"
         " [ $((n % 2)) = 0 ] || { echo odd run >&2; exit 3; }", "sh", sys.argv[2]]
runner = lib.Runner()
res = runner.bench({"steady": ["true"], "flaky": flaky, "broken": ["false"]}, runs=4, warmup=0)
lib.print_table(res, baseline="steady")
print("counts", len(res["flaky"]), res["flaky"].failed, len(res["broken"]), res["broken"].failed)
sys.exit(lib.finish(0))'
    assert_status 1 python3 -c "$script" "$REPO/tests/bench" "$T/count"
    local out
    out=$(last_stdout)
    assert_contains "$out" "counts 2 2 0 4" "flaky: 2 timed, 2 dropped; broken: none timed, 4 dropped"
    assert_match "flaky +[0-9.]+ +[0-9.]+ +[0-9.]+x +\(2 failed runs dropped\)" "$out"
    assert_contains "$out" "broken     no successful run  (4 failed runs dropped)"
    assert_not_contains "$(grep steady <<<"$out")" "dropped"
    assert_contains "$out" "6 failed run(s), dropped from the figures:"
    assert_contains "$out" "flaky: exit status 3: odd run"
    assert_status 0 python3 -c 'import sys; sys.dont_write_bytecode = True; sys.path.insert(0, sys.argv[1]); import lib; sys.exit(lib.finish(0))' \
        "$REPO/tests/bench"
}
