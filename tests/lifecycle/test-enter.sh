# SPDX-License-Identifier: LGPL-2.1-or-later
# hutch enter: a new process inside a running sandbox, under its rules.
. "$REPO/tests/lifecycle/lifecycle.sh"

test_enter_joins_every_namespace() {
    need_cmd jq
    start ns --hostname boxy -- sleep 60 || return
    assert_status 0 h enter "$LC-ns" -- sh -c 'hostname; cat /proc/1/comm; for n in user mnt pid ipc uts net cgroup; do readlink /proc/self/ns/$n; done' || return
    local out
    out=$(last_stdout)
    assert_eq boxy "$(sed -n 1p <<<"$out")" "uts"
    assert_eq hutch-init "$(sed -n 2p <<<"$out")" "pid 1 is the sandbox's init"
    local n
    for n in user mnt pid ipc uts net cgroup; do
        assert_contains "$out" "$n:[$(field "$LC-ns" ".namespaces.$n")]" "$n namespace"
    done
}

test_enter_sees_the_sandbox_root_and_files() {
    start files -- sh -c 'echo from-the-app >/tmp/marker; exec sleep 60' || return
    wait_for h enter "$LC-files" -- test -e /tmp/marker
    assert_status 0 h enter "$LC-files" -- cat /tmp/marker
    assert_eq from-the-app "$(last_stdout)"
    assert_status 1 h enter "$LC-files" -- test -e "$REPO/tests/lib.sh"
    assert_status 0 h enter "$LC-files" -- sh -c 'echo $HUTCH_SANDBOX; pwd'
    assert_eq "$LC-files" "$(last_stdout | head -1)" "the sandbox's environment"
}

test_enter_is_inside_the_pid_namespace() {
    start pids -- sleep 60 || return
    assert_status 0 h enter "$LC-pids" -- sh -c 'echo $$; ls /proc | grep -cE "^[0-9]+$"'
    assert_match '^[0-9]$' "$(last_stdout | head -1)" "a small pid inside"
    assert_status 0 float_ge 6 "$(last_stdout | tail -1)"
}

test_enter_has_same_uid_no_capabilities_and_no_new_privs() {
    start caps -- sleep 60 || return
    assert_status 0 h enter "$LC-caps" -- sh -c 'id -u; grep -E "^(Cap(Inh|Prm|Eff|Bnd|Amb)|NoNewPrivs)" /proc/self/status'
    assert_eq "$(user_uid "$TEST_USER")" "$(last_stdout | head -1)"
    assert_eq 5 "$(last_stdout | grep -c '0000000000000000$')" "every capability set empty"
    assert_contains "$(last_stdout)" "NoNewPrivs:	1"
    assert_status nonzero h enter "$LC-caps" -- sh -c 'mount -t tmpfs none /tmp 2>&1'
}

# One lockdown sequence (sandbox/launch/lockdown.c) for the app and for an
# entered process: their security fields and limits are the same.
test_enter_and_the_app_have_identical_security_fields_and_limits() {
    local fields='^(Cap(Inh|Prm|Eff|Bnd|Amb)|NoNewPrivs|Seccomp)'
    start same --pids 40 --memory 512M --cpu-weight 1 -- sh -c \
        "grep -E '$fields' /proc/self/status >/tmp/app.status; cat /proc/self/limits >/tmp/app.limits; nice >/tmp/app.nice; exec sleep 60" || return
    wait_for h enter "$LC-same" -- test -s /tmp/app.nice
    assert_status 0 h enter "$LC-same" -- cat /tmp/app.status
    local app_status=$(last_stdout)
    assert_contains "$app_status" "NoNewPrivs:	1"
    assert_status 0 h enter "$LC-same" -- grep -E "$fields" /proc/self/status
    assert_eq "$app_status" "$(last_stdout)" "CapEff/CapBnd/CapAmb/NoNewPrivs/Seccomp"
    assert_status 0 h enter "$LC-same" -- cat /tmp/app.limits
    local app_limits=$(last_stdout)
    assert_contains "$app_limits" "Max processes             40"
    assert_status 0 h enter "$LC-same" -- cat /proc/self/limits
    assert_eq "$app_limits" "$(last_stdout)" "rlimits"
    assert_status 0 h enter "$LC-same" -- sh -c 'cat /tmp/app.nice; nice'
    assert_eq "$(last_stdout | sed -n 1p)" "$(last_stdout | sed -n 2p)" "nice value"
}

test_enter_runs_under_the_sandbox_seccomp_filter() {
    start sc -- sleep 60 || return
    [ "$(field "$LC-sc" .seccomp)" = true ] || skip "this build runs sandboxes without a seccomp filter"
    assert_status 0 h run -- grep -E '^Seccomp' /proc/self/status
    local in_run=$(last_stdout)
    assert_status 0 h enter "$LC-sc" -- grep -E '^Seccomp' /proc/self/status
    assert_eq "$in_run" "$(last_stdout)" "same filter mode and count as a sandboxed app"
    assert_contains "$(last_stdout)" "Seccomp:	2"
    # What the filter refuses the app, it refuses the entered process.
    need_cmd unshare
    assert_status nonzero h run -- unshare -U true
    local app_err=$(last_stderr)
    assert_status nonzero h enter "$LC-sc" -- unshare -U true
    assert_contains "$(last_stderr)" "Operation not permitted"
    assert_contains "$app_err" "Operation not permitted"
}

test_enter_without_the_saved_filter_refuses() {
    start nofilter -- sleep 60 || return
    [ "$(field "$LC-nofilter" .seccomp)" = true ] || skip "this build runs sandboxes without a seccomp filter"
    as_user rm "$(runtime_root)/$LC-nofilter/seccomp.bpf"
    assert_status 125 h enter "$LC-nofilter" -- true
    assert_contains "$(last_stderr)" "seccomp filter"
}

test_enter_gets_the_sandbox_limits() {
    start lim --pids 40 --cpu-weight 1 -- sleep 60 || return
    assert_status 0 h enter "$LC-lim" -- sh -c 'nice; grep "Max processes" /proc/self/limits'
    assert_eq 19 "$(last_stdout | head -1)" "nice of the sandbox"
    assert_match "Max processes +40 +40" "$(last_stdout)"
}

test_enter_refuses_a_frozen_sandbox() {
    start cold -- sleep 60 || return
    assert_status 0 h freeze "$LC-cold"
    assert_status 125 h enter "$LC-cold" -- true
    assert_contains "$(last_stderr)" "thaw it first"
    assert_status 0 h thaw "$LC-cold"
    assert_status 0 h enter "$LC-cold" -- true
}

test_enter_exit_status_and_default_shell() {
    start st -- sleep 60 || return
    assert_status 7 h enter "$LC-st" -- sh -c 'exit 7'
    assert_status 127 h enter "$LC-st" -- no-such-command
    assert_contains "$(last_stderr)" "command not found inside the sandbox"
    assert_status 0 as_user sh -c "echo 'echo via-default-shell' | '$HUTCH' enter $LC-st"
    assert_eq via-default-shell "$(last_stdout)"
}

test_entered_process_ends_with_the_sandbox() {
    start end -- sleep 60 || return
    as_user "$HUTCH" enter "$LC-end" -- sleep 60 &
    local enter=$!
    sleep 0.5
    assert_status 0 h stop "$LC-end"
    local i
    for i in $(seq 50); do kill -0 "$enter" 2>/dev/null || break; sleep 0.1; done
    assert_status 1 kill -0 "$enter"
    local status=0
    wait "$enter" || status=$?
    assert_eq 137 "$status" "the entered sleep was killed with its sandbox"
}

# From a terminal, the entered command gets a pseudo-terminal of the
# sandbox's own devpts (the user's terminal never enters the sandbox: see
# tests/escape's test_entered_command_does_not_hand_its_terminal_to_the_sandbox),
# relayed with the window size, keys, signals and exit status.
PTY_RUN=$REPO/tests/escape/pty-run.py

test_enter_from_a_terminal_gets_a_terminal_of_its_own() {
    need_cmd python3
    start tty -- sleep 60 || return
    # shellcheck disable=SC2016  # expanded inside
    assert_status 7 as_user python3 "$PTY_RUN" --termios --winsize 30x100 -- \
        "$HUTCH" enter "$LC-tty" -- sh -c 'tty; test -c "$(tty)" && echo exists inside; stty size; exit 7'
    local out
    out=$(last_stdout | tr -d '\r')
    assert_match '^/dev/pts/[0-9]+$' "$(sed -n 1p <<<"$out")" "a terminal of the sandbox's devpts"
    assert_contains "$out" "exists inside"
    assert_contains "$out" "30 100" "the caller's window size"
    assert_contains "$(last_stderr)" "terminal settings restored"
}

test_enter_relays_keys_window_size_and_signals() {
    need_cmd python3
    start keys -- sleep 60 || return
    assert_status 5 as_user python3 "$PTY_RUN" --termios --winsize 24x80 --wait '$ ' \
        --send 'stty size\n' --wait '24 80' --resize 40x120 --send 'stty size\n' --wait '40 120' \
        --send 'exit 5\n' -- "$HUTCH" enter "$LC-keys" -- sh -i
    assert_contains "$(last_stdout | tr -d '\r')" "40 120" "a new size reaches the command"
    assert_contains "$(last_stderr)" "terminal settings restored"
    # SIGWINCH itself, as a full-screen program waits for it.
    assert_status 0 as_user python3 "$PTY_RUN" --winsize 24x80 --wait ready --resize 50x132 \
        --wait winch -- "$HUTCH" enter "$LC-keys" -- sh -c \
        'trap "stty size; echo winch; exit 0" WINCH; echo ready; while :; do sleep 0.1; done'
    assert_contains "$(last_stdout | tr -d '\r')" "50 132"
    # ^C typed goes to the command, through its own terminal.
    assert_status 3 as_user python3 "$PTY_RUN" --termios --wait ready --send '\x03' -- \
        "$HUTCH" enter "$LC-keys" -- sh -c \
        'trap "echo got-int; exit 3" INT; echo ready; while :; do sleep 0.1; done'
    assert_contains "$(last_stdout)" "got-int"
    # A signal sent to hutch is passed on; the terminal is restored.
    assert_status 4 as_user python3 "$PTY_RUN" --termios --wait ready --signal TERM -- \
        "$HUTCH" enter "$LC-keys" -- sh -c \
        'trap "echo got-term; exit 4" TERM; echo ready; while :; do sleep 0.1; done'
    assert_contains "$(last_stdout)" "got-term"
    assert_contains "$(last_stderr)" "terminal settings restored"
    # Killed by a signal: 128+N, as without a terminal.
    assert_status 137 as_user python3 "$PTY_RUN" -- "$HUTCH" enter "$LC-keys" -- sh -c 'kill -9 $$'
}

test_enter_from_a_terminal_with_output_to_a_file() {
    need_cmd python3
    start redir -- sleep 60 || return
    assert_status 0 as_user python3 "$PTY_RUN" -- sh -c \
        "'$HUTCH' enter $LC-redir -- sh -c 'echo to-file; tty' >'$T/out'"
    assert_contains "$(cat "$T/out")" "to-file"
    assert_match "/dev/pts/[0-9]+" "$(cat "$T/out")" "stdin is still a terminal, the sandbox's"
}
