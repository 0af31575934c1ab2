# SPDX-License-Identifier: LGPL-2.1-or-later
# The id holder (sandbox/base/idholder.h): one process per user whose user
# namespace maps the subordinate ranges; launches join it instead of running
# newuidmap/newgidmap. Each test gives the test user a runtime directory of
# its own, so the holder it makes is its own, and ends with the directory.

IH_BIN=${HUTCH%/sandbox/hutch}/helpers/hutch-idholder
IH_NAME=ih$$

setup() {
    need_root
    RT=$T/rt
    as_user mkdir -m 0700 "$RT"
}

teardown() {
    [ -z "${IH_FORGED:-}" ] || kill "$IH_FORGED" 2>/dev/null
    [ -n "${RT:-}" ] || return 0
    as_user env "XDG_RUNTIME_DIR=$RT" "$HUTCH" stop --timeout 2 "$IH_NAME" >/dev/null 2>&1
    local pid
    pid=$(holder_pid)
    rm -rf "$RT"
    [ -z "$pid" ] || wait_for gone "$pid" || kill -KILL "$pid" 2>/dev/null
    true
}

# hr ARGS...: hutch as the test user, with this test's runtime directory.
hr() { as_user env "XDG_RUNTIME_DIR=$RT" "$HUTCH" "$@"; }

holder_pid() { awk '{ print $1 }' "$RT/hutch/.idholder" 2>/dev/null; }

# gone PID: no such process, or only its zombie.
gone() { ! [ -e "/proc/$1" ] || awk '{ exit $3 != "Z" }' "/proc/$1/stat" 2>/dev/null; }

start_time() { sed 's/.*) //' "/proc/$1/stat" | awk '{ print $20 }'; }

# ns_parent PID: inode of the parent of PID's user namespace (NS_GET_PARENT).
ns_parent() {
    python3 -c 'import fcntl, os, sys
fd = os.open(f"/proc/{sys.argv[1]}/ns/user", os.O_RDONLY)
print(os.fstat(fcntl.ioctl(fd, 0xb702)).st_ino)' "$1"
}

test_launch_makes_and_uses_the_id_holder() {
    need_cmd jq
    local uid start pid init
    uid=$(user_uid "$TEST_USER")
    start=$(grep "^$TEST_USER:" /etc/subuid | head -1 | cut -d: -f2)
    assert_status 0 hr run -- true
    pid=$(holder_pid)
    assert_match '^[0-9]+$' "$pid" "the launch recorded a holder"
    assert_eq hutch-idholder "$(cat "/proc/$pid/comm" 2>/dev/null)"
    assert_eq "$uid" "$(stat -c %u "/proc/$pid")" "the holder runs as the user"
    assert_eq "$pid" "$(ps -o sid= -p "$pid" | tr -d ' ')" "in a session of its own"
    assert_eq 0000000000000000 "$(awk '/^CapEff/ { print $2 }' "/proc/$pid/status")" "holding no capability"
    assert_contains "$(tr -s ' ' <"/proc/$pid/uid_map")" " $start $start " "its namespace maps the ranges to themselves"
    assert_contains "$(tr -s ' ' <"/proc/$pid/uid_map")" " $uid $uid 1"
    assert_status 0 hr run --dry-run -- true
    assert_contains "$(last_stdout)" "idmap  method holder: subordinate ranges from /etc/subuid and /etc/subgid, written by hutch in the user namespace of the id holder, pid $pid"
    # A sandbox's user namespace is its own, nested in the holder's.
    assert_status 0 hr run --detach --name "$IH_NAME" -- sleep 60 || return
    init=$(hr info --json "$IH_NAME" | jq -r .pid)
    assert_ne "$(stat -L -c %i "/proc/$pid/ns/user")" "$(stat -L -c %i "/proc/$init/ns/user")"
    assert_eq "$(stat -L -c %i "/proc/$pid/ns/user")" "$(ns_parent "$init")" "nested in the holder's"
    assert_status 0 hr enter "$IH_NAME" -- cat /proc/self/uid_map
    assert_contains "$(last_stdout | tr -s ' ')" " 0 $start $uid" "the sandbox's map is the usual layout"
    assert_status 0 hr run -- true
    assert_eq "$pid" "$(holder_pid)" "the next launch joins the same holder"
    assert_status 0 hr check
    assert_match "id holder: +enabled — pid $pid; launches join it" "$(last_stdout)"
}

# newuidmap without its setuid bit, bound over the system's in a mount
# namespace of this test's own: with the holder made, launches succeed, so
# they run no newuidmap; with HUTCH_IDMAP=newuidmap the same launch fails
# (the positive control).
test_launch_with_a_holder_runs_no_setuid_helper() {
    local helper USER_ARGV
    helper=$(command -v newuidmap) || { fail "newuidmap is not installed (package uidmap)"; return; }
    assert_status 0 hr run -- true
    cp "$helper" "$T/newuidmap"
    chmod 0755 "$T/newuidmap"
    user_argv "$TEST_USER"
    # shellcheck disable=SC2016  # expanded by the inner sh
    local bound='mount --bind "$1" "$2" && shift 2 && exec "$@"'
    assert_status 125 unshare -m --propagation private sh -c "$bound" sh "$T/newuidmap" "$helper" \
        "${USER_ARGV[@]}" "XDG_RUNTIME_DIR=$RT" HUTCH_IDMAP=newuidmap "$HUTCH" run -- true
    assert_contains "$(last_stderr)" "cannot map user ids: $helper failed"
    assert_status 0 unshare -m --propagation private sh -c "$bound" sh "$T/newuidmap" "$helper" \
        "${USER_ARGV[@]}" "XDG_RUNTIME_DIR=$RT" "$HUTCH" run -- cat /proc/self/uid_map
    assert_eq 3 "$(last_stdout | wc -l)" "the full map, written without newuidmap"
}

# reaped ARGV...: ARGV as the test user under a subreaper that, as Steam's
# reaper does, waits for every process the launch leaves behind; 124 when
# one is still there after 15 seconds.
reaped() {
    # shellcheck disable=SC2016  # python, not shell
    as_user env "XDG_RUNTIME_DIR=$RT" timeout 15 python3 -c 'import ctypes, os, sys
ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
while True:
    try:
        os.wait()
    except ChildProcessError:
        break' "$@"
}

# A holder lives until logout: made under Steam's reaper, Steam would show
# the game running forever. A Steam launch joins a running holder and never
# starts one.
test_a_steam_launch_starts_no_holder_but_joins_one() {
    assert_status 0 as_user env "XDG_RUNTIME_DIR=$RT" SteamAppId=77 "$HUTCH" run --dry-run -- true
    assert_contains "$(last_stdout)" "(no id holder: none is running; a Steam launch does not start one (Steam would wait for it))"
    assert_status 0 reaped env SteamAppId=77 "$HUTCH" run -- true
    assert_file_not_exists "$RT/hutch/.idholder" "the Steam launch started no holder"
    assert_eq "" "$(pgrep -u "$TEST_USER" -f "^hutch-idholder $RT/hutch\$")" "no holder process"
    # The control: any other launch starts one, which the reaper waits for.
    assert_status 124 reaped "$HUTCH" run -- true
    local pid init
    pid=$(holder_pid)
    assert_match '^[0-9]+$' "$pid" "the plain launch made a holder"
    # The holder made, a Steam launch joins it.
    assert_status 0 as_user env "XDG_RUNTIME_DIR=$RT" SteamAppId=77 "$HUTCH" run --detach \
        --name "$IH_NAME" -- sleep 60 || return
    init=$(hr info --json "$IH_NAME" | jq -r .pid)
    assert_eq "$(stat -L -c %i "/proc/$pid/ns/user")" "$(ns_parent "$init")" "nested in the holder's"
}

test_killed_holder_is_harmless_and_made_again() {
    local old new
    assert_status 0 hr run --detach --name "$IH_NAME" -- sleep 60 || return
    old=$(holder_pid)
    assert_match '^[0-9]+$' "$old"
    kill -KILL "$old"
    wait_for gone "$old" || fail "the holder did not die"
    assert_status 0 hr enter "$IH_NAME" -- id -u
    assert_eq "$(user_uid "$TEST_USER")" "$(last_stdout)" "enter works in a sandbox whose holder died"
    assert_status 0 hr ls
    assert_contains "$(last_stdout)" "$IH_NAME"
    assert_status 0 hr run -- cat /proc/self/uid_map
    assert_eq 3 "$(last_stdout | wc -l)" "the next launch has the full map"
    new=$(holder_pid)
    assert_ne "$old" "$new" "a new holder"
    assert_eq hutch-idholder "$(cat "/proc/$new/comm" 2>/dev/null)"
}

# A record naming a process that is not a holder of the user's is not
# trusted: another user's process, and a hutch-idholder of the user whose
# namespace root made (the owner is wrong).
test_forged_holder_is_refused() {
    local uid gid forged other real
    uid=$(user_uid "$TEST_USER")
    gid=$(user_gid "$TEST_USER")
    assert_status 0 hr run -- true
    forged=$(python3 "$REPO/tests/lifecycle/forged-holder.py" "$uid" "$gid" "$IH_BIN" "$T")
    IH_FORGED=$forged
    assert_match '^[0-9]+$' "$forged" "the forged holder started" || return
    wait_for grep -qx hutch-idholder "/proc/$forged/comm"
    assert_eq 0 "$(python3 -c 'import fcntl, os, struct, sys
fd = os.open(f"/proc/{sys.argv[1]}/ns/user", os.O_RDONLY)
print(struct.unpack("I", fcntl.ioctl(fd, 0xb704, b"\0" * 4))[0])' "$forged")" "root owns its namespace (NS_GET_OWNER_UID)"
    assert_eq "$uid" "$(stat -c %u "/proc/$forged")" "the forged holder runs as the user"
    assert_ne "$(stat -L -c %i /proc/self/ns/user)" "$(stat -L -c %i "/proc/$forged/ns/user")" "in a user namespace"
    echo "$forged $(start_time "$forged")" | as_user tee "$RT/hutch/.idholder" >/dev/null
    assert_status 0 hr run --dry-run -- true
    assert_contains "$(last_stdout)" "idmap  method newuidmap: subordinate ranges from /etc/subuid and /etc/subgid (no id holder: the user namespace of pid $forged is not owned by you; a launch makes one)"
    assert_status 0 hr run -- true
    real=$(holder_pid)
    assert_ne "$forged" "$real" "a real holder replaced the forged one"
    assert_eq hutch-idholder "$(cat "/proc/$real/comm" 2>/dev/null)"
    assert_status 0 kill -0 "$forged" # not killed: hutch ends only its own stale holders
    kill "$forged"
    IH_FORGED=

    sleep 60 &
    other=$!
    echo "$other $(start_time "$other")" | as_user tee "$RT/hutch/.idholder" >/dev/null
    assert_status 0 hr run --dry-run -- true
    assert_contains "$(last_stdout)" "(no id holder: pid $other is not yours;"
    assert_status 0 hr run -- true
    assert_ne "$other" "$(holder_pid)"
    assert_status 0 kill -0 "$other"
    reap "$other"
}

# /etc/subuid and /etc/subgid with a smaller range, bound in a mount
# namespace of this test's own: the holder's maps no longer match, so the
# launch ends it and makes one with the new range.
test_holder_is_made_again_when_subuid_changes() {
    local old new start USER_ARGV
    start=$(grep "^$TEST_USER:" /etc/subuid | head -1 | cut -d: -f2)
    assert_status 0 hr run -- true
    old=$(holder_pid)
    sed "s/^\($TEST_USER:[0-9]*\):.*/\1:1000/" /etc/subuid >"$T/subuid"
    sed "s/^\($TEST_USER:[0-9]*\):.*/\1:1000/" /etc/subgid >"$T/subgid"
    user_argv "$TEST_USER"
    # shellcheck disable=SC2016  # expanded by the inner sh
    assert_status 0 unshare -m --propagation private \
        sh -c 'mount --bind "$1" /etc/subuid && mount --bind "$2" /etc/subgid && shift 2 && exec "$@"' \
        sh "$T/subuid" "$T/subgid" "${USER_ARGV[@]}" "XDG_RUNTIME_DIR=$RT" "$HUTCH" run -- cat /proc/self/uid_map
    assert_contains "$(last_stdout | tr -s ' ')" " 0 $start 1000" "the new, smaller range"
    new=$(holder_pid)
    assert_ne "$old" "$new" "a new holder"
    wait_for gone "$old" || fail "the stale holder $old still runs"
    assert_status 0 hr run -- cat /proc/self/uid_map
    assert_contains "$(last_stdout | tr -s ' ')" " 0 $start $(user_uid "$TEST_USER")" "back to the full range"
    assert_ne "$new" "$(holder_pid)" "made again for the real files"
}

test_no_holder_without_subordinate_ranges() {
    local rt=$T/rt-nosub
    as_nosub mkdir -m 0700 "$rt"
    assert_status 0 as_nosub env "XDG_RUNTIME_DIR=$rt" "$HUTCH" run -- cat /proc/self/uid_map
    assert_eq 1 "$(last_stdout | wc -l)" "only the user's own id"
    assert_file_not_exists "$rt/hutch/.idholder"
    assert_eq "" "$(pgrep -u "$NOSUB_USER" -x hutch-idholder)" "no holder runs"
    assert_status 0 as_nosub env "XDG_RUNTIME_DIR=$rt" "$HUTCH" check
    assert_match "id holder: +missing — not used: no subordinate range for $NOSUB_USER" "$(last_stdout)"
    rm -rf "$rt"
}

test_holder_ends_with_the_runtime_directory() {
    local pid
    assert_status 0 hr run -- true
    pid=$(holder_pid)
    assert_match '^[0-9]+$' "$pid"
    rm -rf "$RT/hutch"
    assert_status 0 wait_for gone "$pid"
}
