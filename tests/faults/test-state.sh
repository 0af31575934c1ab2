# SPDX-License-Identifier: LGPL-2.1-or-later
# hutch-test-timeout: 120
# The record of running sandboxes under faults: a sandbox's hutch SIGKILLed
# and its name launched again while other hutch commands clean up, and the
# cleanup of a dead sandbox while the servers it used do not answer.
. "$REPO/tests/faults/faults.sh"

# lost_sandbox NAME: the relaunched NAME runs but hutch no longer knows it.
lost_sandbox() {
    [ ! -f "$(runtime_root)/$1/state" ] || ! h stop --timeout 2 "$1" >/dev/null 2>&1
}

# relaunch_after_sigkill NAME TRIES WHAT [RUN-OPTIONS...]: TRIES times,
# start NAME, SIGKILL its hutch and launch NAME again while three `ls`
# clean up; the figures say how often the relaunch failed or its state was
# deleted by another command.
relaunch_after_sigkill() {
    local name=$1 tries=$2 what=$3 lost=0 failed=0 i j
    shift 3
    for ((i = 0; i < tries; i++)); do
        h run --detach --name "$name" "$@" -- sleep 30 >/dev/null 2>"$T/err" ||
            { assert_eq "started" "failed" "$(cat "$T/err")"; return; }
        kill_hutch "$name"
        for j in 1 2 3; do h ls >/dev/null 2>&1 & done
        if ! h run --detach --name "$name" "$@" -- sleep 30 >/dev/null 2>"$T/err"; then
            failed=$((failed + 1))
            echo "relaunch $i: $(cat "$T/err")" >&2
        elif lost_sandbox "$name"; then
            lost=$((lost + 1))
        fi
        wait
        h stop --timeout 2 "$name" >/dev/null 2>&1
    done
    figure "${what}relaunches whose state another command deleted" "$lost" "$tries"
    figure "${what}relaunches that failed" "$failed" "$tries"
}

test_relaunch_after_sigkill_while_ls_runs_keeps_the_new_state() {
    relaunch_after_sigkill "$FLT-re" 150 ""
}

test_relaunch_with_x11_and_audio_after_sigkill() {
    need_x11_security
    need_pulse
    relaunch_after_sigkill "$FLT-xa" 40 "x11+audio " --allow x11 --allow audio
}

# pulse_modules_of NAME: sound-server modules serving sandbox NAME.
pulse_modules_of() {
    as_user pactl list short modules | grep -F "/hutch/$1/pulse/native" || true
}

# timed_ls: `hutch ls`, its duration in ms in $LS_MS.
timed_ls() {
    local t0
    t0=$(now_ms)
    assert_status 0 h ls
    LS_MS=$(($(now_ms) - t0))
}

# assert_claimed_by_a_live_process NAME: the dead sandbox NAME's record is
# held, as .stale-PID-START-NAME, by a process that is alive and started
# at START (the background undo), and another command leaves it alone.
assert_claimed_by_a_live_process() {
    local stale pid start
    stale=$(ls -A "$(runtime_root)" | grep -- "-$1\$" || true)
    assert_match "^\.stale-[0-9]+-[0-9]+-$1\$" "$stale" "claimed" || return
    pid=${stale#.stale-}
    pid=${pid%%-*}
    start=${stale#.stale-"$pid"-}
    start=${start%%-*}
    assert_eq "$start" "$(awk '{ sub(/.*\) /, ""); print $20 }' "/proc/$pid/stat" 2>/dev/null)" \
        "the tag names a live process"
    h ls >/dev/null 2>&1
    assert_eq "$stale" "$(ls -A "$(runtime_root)" | grep -- "-$1\$" || true)" \
        "another command leaves a live undo alone"
}

# The audio relay lives in the sandbox's hutch and loads nothing into the
# server: a sandbox whose hutch died leaves nothing there to undo, so a
# stopped server cannot hold up the next command.
test_cleanup_with_the_sound_server_stopped_does_not_block() {
    need_pulse
    local name=$FLT-snd
    h run --detach --name "$name" --allow audio -- sleep 30 >/dev/null || return
    assert_eq "" "$(pulse_modules_of "$name")" "nothing loaded into the server"
    kill_hutch "$name"
    stop_service pulse || skip "cannot find the sound server's pid"
    timed_ls
    echo "FIGURE ls with the sound server stopped: $LS_MS ms" >&2
    assert_eq 1 "$((LS_MS < 1500))" "ls took $LS_MS ms"
    resume_services
    WAIT_FOR_SECONDS=15 wait_for sh -c "! ls -A '$(runtime_root)' | grep -q -- '-$name\$'"
    assert_eq "" "$(ls -A "$(runtime_root)" | grep -- "-$name\$" || true)" "no record is left"
}

test_cleanup_with_the_x_server_stopped_does_not_block() {
    need_x11_security
    local name=$FLT-xs
    h run --detach --name "$name" --allow x11 -- sleep 30 >/dev/null || return
    kill_hutch "$name"
    stop_service x11 || skip "cannot find the X server's pid"
    timed_ls
    echo "FIGURE ls with the X server stopped: $LS_MS ms" >&2
    assert_eq 1 "$((LS_MS < 1500))" "ls took $LS_MS ms"
    resume_services
    WAIT_FOR_SECONDS=15 wait_for sh -c "! ls -A '$(runtime_root)' | grep -q -- '-$name\$'"
    assert_eq "" "$(ls -A "$(runtime_root)" | grep -- "-$name\$" || true)" "no record is left"
}

# delegate_cgroup: a cgroup delegated to the test user, as in
# tests/lifecycle/test-cgroup.sh; sets CG (empty when impossible).
delegate_cgroup() {
    CG=
    need_root
    local mnt ctl uid
    mnt=$(findmnt -n -t cgroup2 -o TARGET | head -1)
    [ -n "$mnt" ] || skip "no cgroup2 hierarchy"
    CG=$mnt/hutch-faults-$$
    mkdir "$CG" "$CG/caller" || { CG=; skip "cannot make a cgroup in $mnt"; }
    uid=$(user_uid "$TEST_USER")
    chown "$uid" "$CG" "$CG/caller" "$CG"/cgroup.{procs,threads,subtree_control} \
        "$CG"/caller/cgroup.{procs,threads,subtree_control}
}

undelegate_cgroup() {
    [ -n "${CG:-}" ] || return 0
    local d
    for d in "$CG"/*/*/ "$CG"/*/; do rmdir "$d" 2>/dev/null; done
    rmdir "$CG" 2>/dev/null
}

# in_cg CMD...: CMD as the test user, started inside the delegated cgroup.
in_cg() {
    local USER_ARGV
    user_argv "$TEST_USER"
    sh -c 'echo $$ >"$1/cgroup.procs" && shift && exec "$@"' sh "$CG/caller" "${USER_ARGV[@]}" "$@"
}

# ls_until_gone PATH: one `hutch ls`, then PATH must be gone.
ls_until_gone() {
    h ls >/dev/null 2>&1
    [ ! -e "$1" ]
}

test_a_cleanup_that_fails_is_kept_and_retried() {
    delegate_cgroup
    local name=$FLT-cg cg stale
    in_cg "$HUTCH" run --detach --name "$name" -- sleep 30 >/dev/null || { undelegate_cgroup; return; }
    cg=$(state_field "$name" Cgroup)
    assert_match "/hutch-$name" "$cg" || { undelegate_cgroup; return; }
    # A cgroup with a child cannot be removed: the undo fails until it goes.
    mkdir "$cg/pinned"
    kill_hutch "$name"
    timed_ls
    assert_eq 1 "$((LS_MS < 1500))" "ls took $LS_MS ms"
    assert_contains "$(last_stderr)" "will retry"
    sleep 1
    stale=$(ls -A "$(runtime_root)" | grep -- "-$name\$" || true)
    assert_match '^\.stale-' "$stale" "the record of what is left is kept"
    assert_file_exists "$cg" "the cgroup is still there"
    rmdir "$cg/pinned"
    WAIT_FOR_SECONDS=15 wait_for ls_until_gone "$cg"
    assert_file_not_exists "$cg" "a later command removed the cgroup"
    assert_eq "" "$(ls -A "$(runtime_root)" | grep -- "-$name\$" || true)" "no record is left"
    undelegate_cgroup
}
