# SPDX-License-Identifier: LGPL-2.1-or-later
# The state directory: what it records, names (generated, validated,
# unique under concurrency) and cleanup after a hutch that was SIGKILLed.
. "$REPO/tests/lifecycle/lifecycle.sh"

test_state_records_the_running_sandbox() {
    start st -- sleep 60 || return
    local dir
    dir=$(runtime_root)/$LC-st
    assert_status 0 as_user cat "$dir/state"
    local state
    state=$(last_stdout)
    assert_contains "$state" "Name=$LC-st"
    assert_contains "$state" "Phase=running"
    assert_contains "$state" "Command=sleep;60;"
    assert_match 'InitPid=[1-9][0-9]*' "$state"
    assert_match 'HutchStart=[1-9][0-9]*' "$state"
    assert_contains "$state" "[Namespaces]"
    assert_match 'pid=[0-9]+' "$state"
    assert_eq 700 "$(stat -c %a "$dir")" "state dir is private"
    local init
    init=$(sed -n 's/^InitPid=//p' <<<"$state")
    assert_eq "$init" "$(field "$LC-st" .pid)" "ls/info show init's pid"
}

test_generated_name_comes_from_the_command() {
    ln -s /bin/sleep "$T/$LC-gen"
    LC_STARTED+=("$LC-gen" "$LC-gen-2")
    assert_status 0 h run --detach --ro "$T" -- "$T/$LC-gen" 60 || return
    assert_eq "$LC-gen" "$(last_stdout)"
    assert_status 0 h run --detach --ro "$T" -- "$T/$LC-gen" 60
    assert_eq "$LC-gen-2" "$(last_stdout)" "second one gets -2"
    assert_status 0 h run --dry-run --ro "$T" -- "$T/$LC-gen" 1
    assert_contains "$(last_stdout)" "sandbox    $LC-gen"
}

test_bad_names_are_refused() {
    local name long
    long=$(printf 'x%.0s' $(seq 65))
    for name in "a/b" ".." "../x" ".hidden" "-x" "a b" "" "$long" 'x$y' "é"; do
        assert_status 2 h run --name "$name" -- true
        assert_contains "$(last_stderr)" "not a valid sandbox name" "--name '$name'"
    done
    assert_status 0 h run --name "$(printf 'y%.0s' $(seq 64))" -- true
    assert_status 2 h info "../x"
    assert_status 2 h stop "a/b"
    assert_status 2 h enter ".."
    assert_file_not_exists "$(runtime_root)/a"
}

test_name_in_use_is_refused() {
    start dup -- sleep 60 || return
    assert_status 2 h run --name "$LC-dup" -- true
    assert_contains "$(last_stderr)" "already running"
    assert_eq RUNNING "$(state_of "$LC-dup")" "the first one is untouched"
}

test_fifty_parallel_starts_get_unique_names() {
    need_cmd jq
    ln -s /bin/sleep "$T/$LC-par"
    local i
    for i in $(seq 50); do
        h run --detach --ro "$T" -- "$T/$LC-par" 120 >"$T/name.$i" 2>"$T/err.$i" &
    done
    # Readers at the same time must always see consistent state.
    for i in $(seq 10); do
        h ls --json >"$T/ls.$i" 2>&1 &
    done
    wait
    cat "$T"/name.* | sort >"$T/names"
    assert_eq 50 "$(wc -l <"$T/names")" "every start printed a name: $(cat "$T"/err.* | head -3)"
    assert_eq 50 "$(sort -u "$T/names" | wc -l)" "names are unique"
    { echo "$LC-par"; for i in $(seq 2 50); do echo "$LC-par-$i"; done; } | sort >"$T/want"
    assert_eq "$(cat "$T/want")" "$(cat "$T/names")" "base, base-2 ... base-50"
    for i in $(seq 10); do
        jq -e 'type == "array"' "$T/ls.$i" >/dev/null
        assert_eq 0 $? "concurrent ls $i printed valid JSON: $(head -c 200 "$T/ls.$i")"
    done
    assert_eq 50 "$(h ls --running | grep -c "^$LC-par")" "all 50 listed as running"
    assert_eq "" "$(ls -A "$(runtime_root)" | grep '^\.new-' | grep -F "$LC" || true)"
}

test_sigkilled_hutch_is_cleaned_by_the_next_command() {
    need_cmd jq
    start victim -- sleep 60 || return
    local hutch_pid init dir
    hutch_pid=$(field "$LC-victim" '."hutch-pid"')
    init=$(field "$LC-victim" .pid)
    dir=$(runtime_root)/$LC-victim
    assert_match '^[0-9]+$' "$hutch_pid" || return
    kill -KILL "$hutch_pid"
    # The sandbox dies with its hutch; its state stays until a command looks.
    wait_for sh -c "! kill -0 $init 2>/dev/null"
    assert_status 1 kill -0 "$init"
    assert_file_exists "$dir/state" "nothing cleaned yet"
    assert_status 0 h ls
    assert_not_contains "$(last_stdout)" "$LC-victim"
    assert_file_not_exists "$dir" "ls cleaned the dead sandbox"
    assert_status 0 h run --name "$LC-victim" -- true
}

test_every_command_cleans_stale_state() {
    local cmd dir
    for cmd in "info $LC-none" "stop $LC-none" "freeze $LC-none" "check" "run -- true"; do
        start dead -- sleep 60 || return
        dir=$(runtime_root)/$LC-dead
        kill -KILL "$(sed -n 's/^HutchPid=//p' "$dir/state")"
        wait_for sh -c "! kill -0 $(sed -n 's/^InitPid=//p' "$dir/state") 2>/dev/null"
        # shellcheck disable=SC2086
        h $cmd >/dev/null 2>&1
        assert_file_not_exists "$dir" "'hutch $cmd' cleaned the dead sandbox"
    done
}

test_dead_cleaners_leftovers_are_taken_over() {
    local root
    root=$(runtime_root)
    # A cleaner (pid 999999, long gone) renamed a stale dir and died;
    # a sandbox claim that died before its rename left a .new- dir.
    as_user mkdir -p "$root/.stale-999999-1-$LC-old" "$root/.new-999998-1"
    as_user sh -c "printf 'cgroup /nonexistent/hutch-$LC-old\n' >'$root/.stale-999999-1-$LC-old/cleanup'"
    assert_status 0 h ls
    assert_file_not_exists "$root/.stale-999999-1-$LC-old"
    assert_file_not_exists "$root/.new-999998-1"
}

test_live_sandbox_is_never_cleaned() {
    start alive -- sleep 60 || return
    local i
    for i in $(seq 20); do h ls >/dev/null & done
    wait
    assert_eq RUNNING "$(state_of "$LC-alive")"
    assert_file_exists "$(runtime_root)/$LC-alive/state"
}
