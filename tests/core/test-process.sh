# SPDX-License-Identifier: LGPL-2.1-or-later
# Processes, signals, exit status and the security baseline.

test_only_sandbox_processes_in_proc() {
    assert_status 0 hutch_run -- sh -c 'ls /proc | grep -E "^[0-9]+$" | tr "\n" " "'
    # init (1), sh (2) and the ls/grep/tr of the pipeline: all small pids.
    local pid
    for pid in $(last_stdout); do
        [ "$pid" -lt 20 ] || { assert_eq "small pid" "$pid" "host process visible"; return; }
    done
    assert_contains " $(last_stdout)" " 1 " "init is pid 1"
}

test_host_process_cannot_be_signalled() {
    as_user sleep 30 &
    local victim=$!
    sleep 0.2
    local host_pid
    host_pid=$(pgrep -u "$TEST_USER" -n -x sleep)
    assert_status 0 hutch_run -- sh -c "kill -TERM $host_pid 2>&1; echo rc=\$?"
    assert_contains "$(last_stdout)" "rc=1"
    assert_status 0 kill -0 "$host_pid"
    kill "$host_pid" 2>/dev/null
    reap "$victim"
}

test_capabilities_are_all_zero() {
    assert_status 0 hutch_run -- grep -E '^Cap(Inh|Prm|Eff|Bnd|Amb)' /proc/self/status
    assert_eq 5 "$(last_stdout | grep -c '0000000000000000$')"
}

test_no_new_privs_is_set() {
    assert_status 0 hutch_run -- grep NoNewPrivs /proc/self/status
    assert_eq "NoNewPrivs:	1" "$(last_stdout)"
}

# A real setuid binary, owned by a uid that is mapped inside (the test
# user's second subordinate id, so the id map alone does not stop it): on a
# fresh tmpfs without nosuid it runs as its owner for the test user outside
# hutch, and as the caller inside (grants are nosuid, and no_new_privs).
test_setuid_binaries_do_not_elevate() {
    need_root
    local owner=$((TEST_SUBID_START + 1)) dir=$T/suid USER_ARGV
    mkdir "$dir"
    user_argv "$TEST_USER"
    # shellcheck disable=SC2016  # expanded by the inner bash
    unshare -m --propagation private bash -c '
        dir=$1 owner=$2 hutch=$3
        shift 3
        mount -t tmpfs -o mode=0755 tmpfs "$dir" &&
            cp "$(command -v id)" "$dir/id" && chown "$owner:$owner" "$dir/id" && chmod 4755 "$dir/id" ||
            exit 1
        "$@" "$dir/id" -u >"$dir.outside"
        cd / && "$@" "$hutch" run --ro "$dir" -- "$dir/id" -u >"$dir.inside"' \
        bash "$dir" "$owner" "$HUTCH" "${USER_ARGV[@]}" 2>"$T/err"
    assert_eq 0 "$?" "setting up the setuid binary: $(cat "$T/err")"
    assert_eq "$owner" "$(cat "$dir.outside")" "the control: outside, it runs as its owner"
    assert_eq "$(user_uid "$TEST_USER")" "$(cat "$dir.inside")" "inside, it runs as the caller"
}

# no_new_privs itself, where nothing else would stop the elevation: in a
# user and mount namespace of the app's own (nested-sandbox), the bounding
# set is full again and a fresh tmpfs is not nosuid, so a file capability
# (CAP_NET_RAW on a copy of grep) raises an unprivileged (SECBIT_NOROOT)
# process's effective set; outside hutch it does, inside no_new_privs
# keeps it out.
test_file_capabilities_do_not_elevate_under_no_new_privs() {
    need_cmd setcap setpriv unshare
    # setcap is in /usr/sbin, off the test user's PATH.
    local script
    # shellcheck disable=SC2016  # expanded by the sandboxed sh
    script='mount -t tmpfs t /tmp && cp "$(command -v grep)" /tmp/capgrep &&
        '"$(command -v setcap)"' cap_net_raw+ep /tmp/capgrep &&
        setpriv --securebits +noroot -- sh -c "exec /tmp/capgrep -E \"^(CapEff|NoNewPrivs)\" /proc/self/status"'
    assert_status 0 as_user unshare -Urm sh -c "$script"
    assert_eq "CapEff:	0000000000002000
NoNewPrivs:	0" "$(last_stdout)" "the control: outside hutch the file capability raises CAP_NET_RAW"
    assert_status 0 hutch_run --allow nested-sandbox -- unshare -Urm sh -c "$script"
    assert_eq "CapEff:	0000000000000000
NoNewPrivs:	1" "$(last_stdout)" "inside, no_new_privs keeps it out"
}

test_fds_above_2_are_closed() {
    assert_status 0 as_user bash -c "exec 7</etc/hostname 9>/dev/null; '$HUTCH' run -- ls /proc/self/fd"
    assert_eq "0 1 2 3" "$(last_stdout | tr '\n' ' ' | sed 's/ $//')"
}

test_pass_fd_passes_one_descriptor() {
    assert_status 0 as_user bash -c "exec 7<<<'through fd 7' 9>/dev/null; '$HUTCH' run --pass-fd 7 -- sh -c 'cat <&7; ls /proc/self/fd | tr \"\n\" \" \"'"
    assert_contains "$(last_stdout)" "through fd 7"
    assert_not_contains "$(last_stdout)" " 9 "
}

test_exit_status_propagates() {
    assert_status 42 hutch_run -- sh -c 'exit 42'
    assert_status 0 hutch_run -- true
    assert_status 1 hutch_run -- false
}

test_death_by_signal_is_128_plus_n() {
    assert_status 143 hutch_run -- sh -c 'kill -TERM $$'
    assert_status 137 hutch_run -- sh -c 'kill -KILL $$'
}

test_command_not_found_is_127() {
    assert_status 127 hutch_run -- no-such-command-here
    assert_contains "$(last_stderr)" "no-such-command-here: command not found"
}

test_not_executable_is_126() {
    local f=$T/notexec
    echo 'echo hi' >"$f"
    chmod 0644 "$f"
    assert_status 126 hutch_run --ro "$f" -- "$f"
    assert_contains "$(last_stderr)" "Permission denied"
}

# hutch-init finds the command as execvp does (it has no libc to ask):
# along PATH, past a directory whose file is not executable, and a script
# with no #! line runs under /bin/sh.
test_command_is_found_along_path_as_execvp_finds_it() {
    mkdir -p "$T/a" "$T/b"
    printf 'echo from-a\n' >"$T/a/tool"
    chmod 0644 "$T/a/tool"
    printf 'echo "from-b $1"\n' >"$T/b/tool"
    chmod 0755 "$T/b/tool"
    assert_status 0 hutch_run --ro "$T" --env "PATH=$T/a:$T/b:/usr/bin:/bin" -- tool arg
    assert_eq "from-b arg" "$(last_stdout)" "the executable one, with its argument, through sh"
    assert_status 126 hutch_run --ro "$T" --env "PATH=$T/a:/usr/bin:/bin" -- tool
    assert_contains "$(last_stderr)" "tool: cannot execute: Permission denied"
    assert_status 127 hutch_run --ro "$T" --env "PATH=$T/b-not-there" -- tool
    assert_contains "$(last_stderr)" "tool: command not found inside the sandbox"
    assert_status 126 hutch_run -- /etc
    assert_contains "$(last_stderr)" "/etc: cannot execute: Permission denied"
}

test_command_named_like_an_option_is_a_command() {
    assert_status 127 hutch_run -- --bind
    assert_contains "$(last_stderr)" "--bind: command not found"
}

test_signals_are_forwarded_to_the_app() {
    local sig
    for sig in TERM INT HUP USR1 USR2 QUIT; do
        as_user "$HUTCH" run --rw "$T" -- sh -c "trap 'echo got-$sig > $T/sig-$sig; exit 3' $sig; echo ready > $T/ready-$sig; while :; do sleep 0.05; done" &
        local pid=$! i=0
        while [ ! -s "$T/ready-$sig" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
        # The hutch process is the child of setpriv/env; signal hutch itself.
        local hpid
        hpid=$(pgrep -P "$pid" -x hutch || echo "$pid")
        kill -s "$sig" "$hpid"
        wait "$pid"
        assert_eq 3 "$?" "exit status after SIG$sig"
        assert_eq "got-$sig" "$(cat "$T/sig-$sig" 2>/dev/null)"
    done
}

test_orphans_are_reaped() {
    # The app leaves a grandchild that exits early; it must not linger as a zombie.
    assert_status 0 hutch_run -- sh -c '(sh -c "exit 0" &) ; sleep 0.3; ps -eo stat,comm 2>/dev/null || cat /proc/[0-9]*/stat'
    assert_not_match '(^| )Z' "$(last_stdout)"
}

test_sigkill_of_hutch_kills_the_sandbox() {
    as_user "$HUTCH" run --rw "$T" -- sh -c "echo \$\$ > $T/ready; sleep 300" &
    local pid=$! i=0
    while [ ! -s "$T/ready" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
    local hpid
    hpid=$(pgrep -P "$pid" -x hutch || echo "$pid")
    local sleeper
    sleeper=$(pgrep -u "$TEST_USER" -f "sleep 300" | head -1)
    assert_ne "" "$sleeper" "the sandboxed sleep is running"
    kill -KILL "$hpid"
    wait "$pid" 2>/dev/null
    # Dead means gone or a zombie: this machine's pid 1 may not reap.
    alive() { [ -e "/proc/$1" ] && ! grep -q '^[0-9]* ([^)]*) Z' "/proc/$1/stat" 2>/dev/null; }
    i=0
    while alive "$sleeper" && [ $i -lt 50 ]; do sleep 0.05; i=$((i + 1)); done
    assert_status 1 alive "$sleeper"
}

test_new_session_when_not_interactive() {
    assert_status 0 hutch_run -- sh -c 'ps -o sid= -p $$ 2>/dev/null || awk "{print \$6}" /proc/self/stat'
    local sid
    sid=$(last_stdout | tr -d ' ')
    assert_eq 1 "$sid" "the sandbox's init leads its own session"
}

test_pid_namespace_init_is_hutch_init() {
    assert_status 0 hutch_run -- cat /proc/1/comm
    assert_eq hutch-init "$(last_stdout)"
}
