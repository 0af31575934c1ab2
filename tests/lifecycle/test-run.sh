# SPDX-License-Identifier: LGPL-2.1-or-later
# hutch run --json-status-fd and --detach, for game launchers.
. "$REPO/tests/lifecycle/lifecycle.sh"

test_json_status_fd_reports_start_and_exit() {
    need_cmd jq
    assert_status 3 as_user bash -c "'$HUTCH' run --name $LC-js --json-status-fd 3 -- sh -c 'sleep 0.5; exit 3' 3>'$T/status'" || return
    assert_eq 2 "$(wc -l <"$T/status")" "two lines: $(cat "$T/status")"
    local first last
    first=$(sed -n 1p "$T/status")
    last=$(sed -n 2p "$T/status")
    assert_eq "$LC-js" "$(jq -r .name <<<"$first")"
    assert_match '^[0-9]+$' "$(jq -r .pid <<<"$first")"
    assert_match '^[0-9]+$' "$(jq -r '."init-pid"' <<<"$first")"
    local n
    for n in user mnt pid ipc uts net; do
        assert_match '^[0-9]+$' "$(jq -r ".namespaces.$n" <<<"$first")" "$n namespace id"
    done
    assert_eq 3 "$(jq -r '."exit-code"' <<<"$last")"
}

test_json_status_pid_is_the_app_host_view() {
    need_cmd jq
    LC_STARTED+=("$LC-jp")
    assert_status 0 as_user bash -c "'$HUTCH' run --detach --name $LC-jp --json-status-fd 3 -- sleep 60 3>'$T/status'" || return
    local line pid
    line=$(head -1 "$T/status")
    pid=$(jq -r .pid <<<"$line")
    assert_eq "sleep60" "$(tr -d '\0' <"/proc/$pid/cmdline")" "pid is the app as the host sees it"
    assert_eq "pid:[$(jq -r .namespaces.pid <<<"$line")]" "$(readlink "/proc/$pid/ns/pid")"
    assert_eq "$(app_pid "$LC-jp")" "$pid"
}

test_detach_returns_once_the_app_runs() {
    LC_STARTED+=("$LC-det")
    local t0 t1
    t0=$(date +%s%N)
    assert_status 0 h run --detach --name "$LC-det" -- sleep 60 || return
    t1=$(date +%s%N)
    assert_eq "$LC-det" "$(last_stdout)" "prints the name"
    assert_status 0 float_ge 2000 "$(((t1 - t0) / 1000000))" "returned within 2 s"
    assert_eq RUNNING "$(state_of "$LC-det")"
    local hutch_pid
    hutch_pid=$(field "$LC-det" '."hutch-pid"')
    assert_eq "$hutch_pid" "$(ps -o sid= -p "$hutch_pid" | tr -d ' ')" "the supervisor leads its own session"
}

test_detach_does_not_hold_the_caller_pipes() {
    LC_STARTED+=("$LC-pipe")
    assert_status 0 as_user timeout 10 sh -c "'$HUTCH' run --detach --name $LC-pipe -- sh -c 'echo noise; sleep 60' | cat"
    assert_eq "$LC-pipe" "$(last_stdout)" "only the name reaches the pipe"
}

test_detach_keeps_a_log_file() {
    LC_STARTED+=("$LC-log")
    as_user touch "$T/log"
    assert_status 0 as_user sh -c "'$HUTCH' run --detach --name $LC-log -- sh -c 'echo logged; sleep 60' >>'$T/log'"
    wait_for grep -q logged "$T/log"
    assert_contains "$(cat "$T/log")" "logged"
}

test_detach_reports_failures() {
    assert_status 127 h run --detach --name "$LC-missing" -- no-such-command
    assert_contains "$(last_stderr)" "command not found"
    assert_status 2 h run --detach --name "bad/name" -- true
    start once -- sleep 60 || return
    assert_status 2 h run --detach --name "$LC-once" -- true
    assert_contains "$(last_stderr)" "already running"
}
