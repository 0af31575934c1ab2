# SPDX-License-Identifier: LGPL-2.1-or-later
# Bad input: one clear line, a distinct exit status, nothing left behind.

# Sandbox directories only: the dot entries are hutch's own housekeeping
# (the names lock, the id holder's record, a stale sandbox being undone in
# the background), which come and go with other commands.
# The entries of the user's hutch runtime directory, one per line. Tests
# check that a command added none: "no new names" is the property, since an
# entry may also go away meanwhile (a sandbox ending, or a stale one that
# every hutch command first cleans).
runtime_entries() { as_user sh -c 'ls "$XDG_RUNTIME_DIR/hutch" 2>/dev/null | sort'; }
assert_no_new_runtime_entries() {
    local before=$1 added
    added=$(comm -13 <(printf '%s\n' "$before") <(runtime_entries) | grep -v '^$')
    assert_eq "" "$added" "${2:-runtime entries the command left behind}"
}

test_missing_ro_path() {
    local before
    before=$(runtime_entries)
    assert_status 2 hutch_run --ro /no/such/path -- true
    assert_eq "hutch: --ro /no/such/path: No such file or directory (create it first, or drop the rule)" \
        "$(last_stderr)"
    assert_no_new_runtime_entries "$before" "no runtime dir left behind"
}

test_no_command() {
    assert_status 2 hutch_run
    assert_contains "$(last_stderr)" "no command given"
}

test_unknown_option() {
    assert_status 2 hutch_run --frobnicate -- true
    assert_eq 1 "$(last_stderr | wc -l)"
    assert_contains "$(last_stderr)" "--frobnicate"
}

test_bad_home_mode() {
    assert_status 2 hutch_run --home maybe -- true
    assert_eq "hutch: --home maybe: unknown mode (use none, private, ro or rw)" "$(last_stderr)"
}

test_bad_net_mode() {
    assert_status 2 hutch_run --net wifi -- true
    assert_contains "$(last_stderr)" "--net wifi: unknown mode"
}

test_bad_env() {
    assert_status 2 hutch_run --env NOEQUALS -- true
    assert_contains "$(last_stderr)" "--env NOEQUALS: expected KEY=VALUE"
}

test_bad_pass_fd() {
    assert_status 2 hutch_run --pass-fd 2 -- true
    assert_contains "$(last_stderr)" "--pass-fd 2"
    assert_status 2 hutch_run --pass-fd 77 -- true
    assert_contains "$(last_stderr)" "--pass-fd 77: not an open file descriptor"
}

test_relative_paths_and_dotdot_are_refused() {
    assert_status 2 hutch_run --ro relative/path -- true
    assert_contains "$(last_stderr)" "not an absolute path"
    assert_status 2 hutch_run --rw /usr/../etc -- true
    assert_contains "$(last_stderr)" "'..' is not allowed"
}

test_bad_hostname_and_chdir() {
    assert_status 2 hutch_run --hostname 'bad name' -- true
    assert_contains "$(last_stderr)" "--hostname bad name"
    assert_status 2 hutch_run --chdir relative -- true
    assert_contains "$(last_stderr)" "--chdir relative: must be an absolute path"
    assert_status 125 hutch_run --chdir /no/such/dir -- true
    assert_contains "$(last_stderr)" "chdir"
}

test_unknown_subcommand() {
    assert_status 2 as_user "$HUTCH" frob
    assert_contains "$(last_stderr)" "unknown command 'frob'"
}

test_dry_run_starts_nothing_and_shows_the_plan() {
    local before
    before=$(runtime_entries)
    assert_status 0 hutch_run --dry-run --ro /etc/hostname --tmpfs /srv --env A=B -- touch "$T/should-not-exist"
    assert_file_not_exists "$T/should-not-exist"
    local out
    out=$(last_stdout)
    assert_contains "$out" "namespaces user mount pid ipc uts"
    assert_contains "$out" "bind       /usr -> /usr ro"
    assert_contains "$out" "bind       /etc/hostname -> /etc/hostname ro"
    assert_contains "$out" "tmpfs      /srv"
    assert_contains "$out" "proc       /proc"
    assert_contains "$out" "devpts     /dev/pts"
    assert_contains "$out" "env        A=B"
    assert_contains "$out" "caps       all dropped"
    assert_no_new_runtime_entries "$before"
}

test_runtime_dir_removed_after_exit() {
    local before
    before=$(runtime_entries)
    assert_status 0 hutch_run -- true
    assert_no_new_runtime_entries "$before"
}

test_disabled_user_namespaces_give_a_reason() {
    need_cmd unshare
    # user.max_user_namespaces is per user namespace: set it to 0 inside one
    # of our own, so the host's setting is never touched.
    assert_status 125 as_user unshare -Ur sh -c \
        "echo 0 > /proc/sys/user/max_user_namespaces && exec '$HUTCH' run -- true"
    assert_eq 1 "$(last_stderr | wc -l)"
    assert_contains "$(last_stderr)" "user namespaces are disabled: set the sysctl user.max_user_namespaces"
}

# newuidmap without its setuid bit: a copy bound over the system binary in
# a mount namespace of this test's own, so nothing on the host changes even
# if the test is killed half-way. HUTCH_IDMAP=newuidmap: the id holder
# would spare the launch newuidmap (tests/lifecycle/test-idholder.sh).
test_failing_newuidmap_is_a_clear_error() {
    need_root
    local helper USER_ARGV
    helper=$(command -v newuidmap) || { fail "newuidmap is not installed (package uidmap)"; return; }
    cp "$helper" "$T/newuidmap"
    chmod 0755 "$T/newuidmap"
    user_argv "$TEST_USER"
    # shellcheck disable=SC2016  # expanded by the inner sh
    unshare -m --propagation private sh -c 'mount --bind "$1" "$2" && shift 2 && exec "$@"' \
        sh "$T/newuidmap" "$helper" "${USER_ARGV[@]}" HUTCH_IDMAP=newuidmap "$HUTCH" run -- true >"$T/out" 2>"$T/err"
    local rc=$?
    assert_eq 125 "$rc" "$(cat "$T/err")"
    assert_eq 1 "$(wc -l <"$T/err")"
    assert_contains "$(cat "$T/err")" "cannot map user ids: $helper failed"
    assert_eq 4755 "$(stat -c %a "$helper")" "the system newuidmap keeps its setuid bit"
}

test_misspelt_option_gets_a_suggestion() {
    assert_status 2 hutch_run --hoem ro -- true
    assert_eq "hutch: Unknown option --hoem (did you mean --home?); see 'hutch run --help'" \
        "$(last_stderr)"
}
