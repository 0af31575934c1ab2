# SPDX-License-Identifier: LGPL-2.1-or-later
# The cgroup v2 path, with a cgroup delegated to the test user the way an
# administrator (or systemd's Delegate=yes) would: the subtree is chowned
# to the user and the caller runs inside it. Needs root to set that up.
. "$REPO/tests/lifecycle/lifecycle.sh"

# A host without a cgroup2 mount leaves CG empty (need_delegation skips);
# one where the delegated cgroup cannot be made fails the test.
setup() {
    is_root || return 0
    CG_MOUNT=$(findmnt -n -t cgroup2 -o TARGET | head -1)
    [ -n "$CG_MOUNT" ] || return 0
    CG=$CG_MOUNT/hutch-test-$$
    # The caller lives in a leaf below the delegated cgroup, so the
    # delegated one may hand controllers to the sandboxes' cgroups.
    local ctl
    for ctl in memory pids cpu; do
        grep -qw "$ctl" "$CG_MOUNT/cgroup.controllers" &&
            echo "+$ctl" >"$CG_MOUNT/cgroup.subtree_control" 2>/dev/null
    done
    mkdir "$CG" "$CG/caller" || return
    for ctl in memory pids cpu; do
        if grep -qw "$ctl" "$CG/cgroup.controllers"; then
            echo "+$ctl" >"$CG/cgroup.subtree_control" || return
        fi
    done
    local uid
    uid=$(user_uid "$TEST_USER")
    chown "$uid" "$CG" "$CG/caller" &&
        chown "$uid" "$CG"/cgroup.{procs,threads,subtree_control} "$CG"/caller/cgroup.{procs,threads,subtree_control}
}

teardown() {
    stop_ours
    [ -n "${CG:-}" ] || return 0
    local d
    for d in "$CG"/*/; do rmdir "$d" 2>/dev/null; done
    rmdir "$CG" 2>/dev/null
}

need_delegation() {
    need_root
    [ -n "${CG_MOUNT:-}" ] || skip "no cgroup2 hierarchy to delegate from"
}

# in_cg CMD...: CMD as the test user, started inside the delegated cgroup.
in_cg() {
    local USER_ARGV
    user_argv "$TEST_USER"
    sh -c 'echo $$ >"$1/cgroup.procs" && shift && exec "$@"' sh "$CG/caller" "${USER_ARGV[@]}" "$@"
}

test_delegated_cgroup_is_found_and_used() {
    need_delegation
    assert_status 0 in_cg "$HUTCH" check
    assert_match "cgroup v2 delegation: +enabled — $CG(/caller)? " "$(last_stdout)"
    assert_match "freeze: +enabled — by cgroup.freeze" "$(last_stdout)"
    LC_STARTED+=("$LC-cg")
    assert_status 0 in_cg "$HUTCH" run --detach --name "$LC-cg" -- sleep 60 || return
    local cg
    cg=$(field "$LC-cg" .cgroup)
    # hutch-NAME-PID-START: a dead sandbox's cgroup of the same name is
    # never this one.
    assert_match "^$CG(/caller)?/hutch-$LC-cg-$(field "$LC-cg" '."hutch-pid"')-[0-9]+\$" "$cg" \
        "a cgroup of its own in the delegated subtree"
    assert_eq cgroup "$(field "$LC-cg" '."freeze-method"')"
    local init
    init=$(field "$LC-cg" .pid)
    assert_contains "$(cat "$cg/cgroup.procs")" "$init"
}

test_sandbox_sees_its_cgroup_as_root() {
    need_delegation
    assert_status 0 in_cg "$HUTCH" run -- cat /proc/self/cgroup
    assert_eq "0::/" "$(last_stdout | grep '^0::')"
}

test_cgroup_freeze_stops_cpu_use() {
    need_delegation
    need_cmd jq
    LC_STARTED+=("$LC-cgbusy")
    assert_status 0 in_cg "$HUTCH" run --detach --name "$LC-cgbusy" -- sh -c 'while :; do :; done' || return
    sleep 0.5
    local cg
    cg=$(field "$LC-cgbusy" .cgroup)
    assert_status 0 h freeze "$LC-cgbusy" || return
    assert_contains "$(cat "$cg/cgroup.events")" "frozen 1"
    assert_eq FROZEN "$(state_of "$LC-cgbusy")"
    local c1 c2
    c1=$(field "$LC-cgbusy" .cpu)
    sleep 1
    c2=$(field "$LC-cgbusy" .cpu)
    assert_eq "$c1" "$c2" "no CPU used while frozen"
    assert_status 0 h thaw "$LC-cgbusy"
    assert_contains "$(cat "$cg/cgroup.events")" "frozen 0"
}

test_entered_process_joins_the_cgroup() {
    need_delegation
    LC_STARTED+=("$LC-cgenter")
    assert_status 0 in_cg "$HUTCH" run --detach --name "$LC-cgenter" -- sleep 60 || return
    in_cg "$HUTCH" enter "$LC-cgenter" -- sleep 1 &
    local enter=$!
    sleep 0.3
    local cg
    cg=$(field "$LC-cgenter" .cgroup)
    assert_eq 4 "$(wc -l <"$cg/cgroup.procs")" "init, sleep, hutch enter and the entered sleep"
    wait "$enter"
}

test_cgroup_goes_with_the_sandbox() {
    need_delegation
    LC_STARTED+=("$LC-cggone")
    assert_status 0 in_cg "$HUTCH" run --detach --name "$LC-cggone" -- sleep 60 || return
    local cg
    cg=$(field "$LC-cggone" .cgroup)
    assert_file_exists "$cg"
    assert_status 0 h stop "$LC-cggone"
    assert_file_not_exists "$cg"
}

test_cgroup_of_a_sigkilled_hutch_is_removed() {
    need_delegation
    LC_STARTED+=("$LC-cgkill")
    assert_status 0 in_cg "$HUTCH" run --detach --name "$LC-cgkill" -- sleep 60 || return
    local cg
    cg=$(field "$LC-cgkill" .cgroup)
    kill -KILL "$(field "$LC-cgkill" '."hutch-pid"')"
    sleep 0.3
    assert_file_exists "$cg" "left behind by the killed hutch"
    assert_status 0 h ls
    assert_file_not_exists "$cg" "removed by the next command's cleanup"
}

test_cgroup_limits_where_controllers_are_delegated() {
    need_delegation
    grep -qw memory "$CG/cgroup.subtree_control" && grep -qw pids "$CG/cgroup.subtree_control" ||
        skip "this host's cgroup2 has no memory/pids controller to delegate ($(cat "$CG_MOUNT/cgroup.controllers"))"
    assert_status 0 in_cg "$HUTCH" run --dry-run --memory 128M --pids 20 --cpu-weight 50 -- true
    assert_match "limit memory 128.0 MiB by cgroup memory.max \\(no swap\\)" "$(last_stdout)"
    assert_match "limit processes 20 by cgroup pids.max" "$(last_stdout)"
    assert_status 0 in_cg "$HUTCH" run --pids 20 --ro "$LC_BIN" -- "$LC_BIN/forkbomb" 150
    assert_status 0 float_ge 20 "$(last_stdout | awk '{ print $4 }')" "$(last_stdout)"
    assert_status 137 in_cg "$HUTCH" run --memory 128M --ro "$LC_BIN" -- "$LC_BIN/bigalloc" 300
}
