# SPDX-License-Identifier: LGPL-2.1-or-later
# hutch-test-timeout: 900
# Image rootfs: a Debian tree made by `hutch create --template debian`
# (debootstrap as the user, in a user namespace with the subordinate ids)
# runs its own programs with its own owners; tarball imports, --rw-image,
# overlays over images, destroy, and the refusals without subordinate ids.
. "$REPO/tests/rootfs/rootfs.sh"

TINY=hutch-test-tiny

teardown() {
    if [ -n "${BG_PID:-}" ]; then
        kill "$BG_PID" 2>/dev/null
        wait "$BG_PID" 2>/dev/null
    fi
    if [ -n "${OVERLAY_NAME:-}" ]; then
        as_user rm -rf "$(store_dir)/overlays/$OVERLAY_NAME"
    fi
}

test_create_debian_image() {
    ensure_debian_image || return
    assert_status 0 as_user "$HUTCH" images
    assert_match "$IMAGE +[0-9.]+ [MG]B +[0-9-]+ [0-9:]+ +Debian GNU/Linux 12 \(bookworm\)" \
        "$(last_stdout)"
    local root
    root=$(store_dir)/images/$IMAGE/rootfs
    # Package files got their real owners: the image's root is the test
    # user's first subordinate id, its shadow group that plus 42.
    assert_eq "$TEST_SUBID_START:$((TEST_SUBID_START + 42))" "$(stat -c %u:%g "$root/etc/shadow")"
    assert_file_not_exists "$(store_dir)/images/$IMAGE.partial"
}

# start_create NAME ARGS...: `hutch create` in the background as the test
# user, its output in $T/log; BG_PID is hutch's own pid.
start_create() {
    local USER_ARGV
    user_argv "$TEST_USER"
    "${USER_ARGV[@]}" "$HUTCH" create "$@" >"$T/log" 2>&1 &
    BG_PID=$!
}

test_debootstrap_progress_is_shown_and_stopping_leaves_nothing() {
    # Checked on a create stopped early: the full build is
    # ensure_debian_image's, once per build directory. (SIGTERM: a
    # background job of a script ignores SIGINT, as hutch then does too.)
    need_cmd debootstrap
    local name=hutch-test-progress-$$ partial
    partial=$(store_dir)/images/$name.partial
    start_create "$name" --template debian --release bookworm
    wait_for grep -q "Retrieving" "$T/log" || assert_contains "$(cat "$T/log")" "Retrieving"
    assert_file_exists "$partial/rootfs"
    kill -TERM "$BG_PID"
    wait "$BG_PID"
    local rc=$?
    BG_PID=
    assert_eq 143 "$rc" "exit status after SIGTERM"
    assert_contains "$(cat "$T/log")" "debootstrap bookworm"
    assert_contains "$(cat "$T/log")" "$name: I: Retrieving"
    assert_contains "$(cat "$T/log")" "interrupted by SIGTERM; removing what was built"
    assert_file_not_exists "$partial" "nothing half-made is left"
    assert_file_not_exists "$(store_dir)/images/$name"
}

# live_in_pid_namespace NS: the pids of the processes (zombies aside) whose
# pid namespace is NS (as readlink /proc/PID/ns/pid shows it).
live_in_pid_namespace() {
    local p
    for p in /proc/[0-9]*; do
        [ "$(readlink "$p/ns/pid" 2>/dev/null)" = "$1" ] || continue
        [ "$(sed 's/.*) //; s/ .*//' "$p/stat" 2>/dev/null)" = Z ] && continue
        echo "${p#/proc/}"
    done
}

test_killed_create_is_cleaned_up_later() {
    need_cmd debootstrap
    local name=hutch-test-killed-$$ partial
    partial=$(store_dir)/images/$name.partial
    start_create "$name" --template debian
    wait_for test -d "$partial/rootfs/debootstrap" || true
    local init ns=
    if is_root; then # the builder's ids are not ours otherwise
        init=$(pgrep -P "$BG_PID")
        ns=$(readlink "/proc/$init/ns/pid")
        assert_match "^pid:" "$ns" "the builder runs in a pid namespace of its own"
    fi
    kill -KILL "$BG_PID"
    wait "$BG_PID"
    BG_PID=
    assert_file_exists "$partial" "a SIGKILLed create leaves its partial tree"
    # Its lock goes free only once no process of the builder is left to
    # write into the tree. (It went free while debootstrap ran on for a
    # second: the id change had cleared the parent-death signal, and a
    # dying pid 1 drops its fds first. destroy's rm raced its writers.)
    wait_for as_user flock -n "$partial" true
    assert_status 0 as_user flock -n "$partial" true
    if [ -n "$ns" ]; then
        assert_eq "" "$(live_in_pid_namespace "$ns")" "no builder process outlives the lock"
    fi
    assert_eq "" "$(as_user "$HUTCH" images | awk -v n="$name" '$1 == n')" "but no image"
    assert_status 0 as_user "$HUTCH" destroy "$name"
    assert_contains "$(last_stderr)" "removed what an interrupted create or destroy of $name left"
    assert_file_not_exists "$partial"
}

test_image_runs_its_own_shell() {
    ensure_debian_image || return
    local root
    root=$(store_dir)/images/$IMAGE/rootfs
    assert_status 0 hutch_run --image "$IMAGE" -- /bin/sh -c \
        'stat -L -c "%d:%i" /proc/$$/exe; cat /etc/debian_version'
    local inside_ino
    inside_ino=$(last_stdout | head -n 1 | cut -d: -f2)
    assert_eq "$(stat -L -c %i "$root/bin/sh")" "$inside_ino" "/bin/sh is the image's file"
    assert_eq "$(cat "$root/etc/debian_version")" "$(last_stdout | tail -n 1)"
}

test_dpkg_lists_the_image_packages() {
    ensure_debian_image || return
    assert_status 0 hutch_run --image "$IMAGE" -- dpkg -l
    assert_match "ii +dpkg +[0-9]" "$(last_stdout)"
    assert_match "ii +base-files +12" "$(last_stdout)"
    assert_match "ii +x11-apps " "$(last_stdout)"
    local installed
    installed=$(grep -c '^Status: install ok installed' \
        "$(store_dir)/images/$IMAGE/rootfs/var/lib/dpkg/status")
    assert_eq "$installed" "$(last_stdout | grep -c '^ii ')" "every installed package is listed"
    assert_status 0 hutch_run --image "$IMAGE" -- dpkg --verify coreutils
}

test_owners_inside_match_the_image() {
    ensure_debian_image || return
    local f root
    root=$(store_dir)/images/$IMAGE/rootfs
    assert_status 0 hutch_run --image "$IMAGE" -- stat -c '%n %u %g %U %G %a' \
        /etc/shadow /usr/bin/chage /var/mail /var/log/apt /usr/bin/passwd /root
    for f in /etc/shadow /usr/bin/chage /var/mail /var/log/apt /usr/bin/passwd /root; do
        local host_uid host_gid
        host_uid=$(stat -c %u "$root$f")
        host_gid=$(stat -c %g "$root$f")
        assert_contains "$(last_stdout)" \
            "$f $((host_uid - TEST_SUBID_START)) $((host_gid - TEST_SUBID_START)) " "owner of $f"
    done
    assert_contains "$(last_stdout)" "/etc/shadow 0 42 root shadow 640"
    assert_contains "$(last_stdout)" "/var/mail 0 8 root mail 2775"
    assert_contains "$(last_stdout)" "/usr/bin/passwd 0 0 root root 4755"
}

test_user_is_known_inside() {
    ensure_debian_image || return
    assert_status 0 hutch_run --image "$IMAGE" -- sh -c 'id -un; echo $HOME; getent passwd root'
    assert_eq "$TEST_USER
$(test_home)
root:x:0:0:root:/root:/bin/bash" "$(last_stdout)"
}

test_image_is_read_only_by_default() {
    ensure_debian_image || return
    assert_status 1 hutch_run --image "$IMAGE" -- touch /opt/probe
    assert_contains "$(last_stderr)" "Read-only file system"
    assert_status 0 hutch_run --image "$IMAGE" -- sh -c 'echo t > /tmp/t && cat /tmp/t'
}

test_setuid_in_image_grants_nothing() {
    ensure_debian_image || return
    # The image's passwd is setuid root; the sandbox mounts it nosuid.
    assert_status 0 hutch_run --image "$IMAGE" -- sh -c 'grep " /usr " /proc/self/mountinfo'
    assert_contains "$(last_stdout)" "nosuid"
}

test_overlay_over_image_keeps_the_image_untouched() {
    ensure_debian_image || return
    OVERLAY_NAME=hutch-img-ov-$$
    local root
    root=$(store_dir)/images/$IMAGE/rootfs
    assert_status 0 hutch_run --image "$IMAGE" --rootfs overlay --persist --name "$OVERLAY_NAME" \
        -- sh -c 'echo layered > /etc/hutch-layered && cat /etc/hutch-layered'
    assert_eq layered "$(last_stdout)"
    assert_file_not_exists "$root/etc/hutch-layered" "the image is untouched"
    assert_eq layered "$(as_user cat "$(store_dir)/overlays/$OVERLAY_NAME/upper/etc/hutch-layered")"
    assert_status 0 hutch_run --image "$IMAGE" --rootfs overlay --persist --name "$OVERLAY_NAME" \
        -- cat /etc/hutch-layered
    assert_eq layered "$(last_stdout)"
    # An overlay made over the image is not reused over another tree.
    assert_status 2 hutch_run --rootfs overlay --persist --name "$OVERLAY_NAME" -- true
    assert_contains "$(last_stderr)" "was made over image $IMAGE, not the host"
}

test_x11_window_from_the_images_client() {
    need_x11
    need_cmd xwininfo
    ensure_debian_image || return
    hutch_run --dry-run --allow x11 -- true | grep -q X11-unix ||
        skip "--allow x11 does not bind the display in this build"
    local root
    root=$(store_dir)/images/$IMAGE/rootfs
    as_user "$HUTCH" run --name "xlogo-$$" --image "$IMAGE" --allow x11 -- \
        xlogo -geometry 120x120 2>"$T/xlogo.err" &
    BG_PID=$!
    wait_for sh -c 'xwininfo -root -tree | grep -q "\"xlogo\""' ||
        { assert_eq "xlogo window" "none" "$(cat "$T/xlogo.err")"; return; }
    local wid pid found=no
    wid=$(xwininfo -root -tree | awk '/"xlogo"/ { print $1; exit }')
    assert_contains "$(xwininfo -id "$wid")" "Map State: IsViewable"
    # The client is the image's xlogo, not the host's.
    for pid in $(pgrep -x xlogo); do
        if [ "$(stat -L -c %d:%i "/proc/$pid/exe" 2>/dev/null)" = \
            "$(stat -L -c %d:%i "$root/usr/bin/xlogo")" ]; then
            found=yes
        fi
    done
    assert_eq yes "$found" "an xlogo process runs the image's binary"
}

test_tarball_import_rw_image_and_destroy() {
    need_root
    local uid gid
    uid=$(user_uid "$TEST_USER")
    gid=$(user_gid "$TEST_USER")
    make_tiny_rootfs "$T/tiny" "$uid:$gid"
    tar --numeric-owner -C "$T/tiny" -czf "$T/tiny.tar.gz" .
    chmod 0644 "$T/tiny.tar.gz"
    as_user "$HUTCH" destroy "$TINY" >/dev/null 2>&1
    assert_status 0 as_user "$HUTCH" create "$TINY" --from-tar "$T/tiny.tar.gz" || return
    assert_status 0 as_user "$HUTCH" images
    assert_match "$TINY +[0-9.]+ [kM]B .* hutch tiny test root" "$(last_stdout)"
    local root
    root=$(store_dir)/images/$TINY/rootfs
    assert_eq "$TEST_SUBID_START:$((TEST_SUBID_START + 50))" "$(stat -c %u:%g "$root/etc/group")"
    assert_eq "$uid:$gid" "$(stat -c %u:%g "$root/data")" "the user's own id maps to itself"

    assert_status nonzero hutch_run --image "$TINY" -- sh -c 'echo x > /data/f'
    assert_contains "$(last_stderr)" "Read-only file system"
    assert_status 0 hutch_run --image "$TINY" --rw-image -- sh -c 'echo kept > /data/f'
    assert_eq kept "$(as_user cat "$root/data/f")" "--rw-image changes the image"

    assert_status 0 as_user "$HUTCH" destroy "$TINY"
    assert_file_not_exists "$(store_dir)/images/$TINY"
    assert_eq "" "$(as_user "$HUTCH" images | awk -v n="$TINY" '$1 == n')"
    assert_status 1 as_user "$HUTCH" destroy "$TINY"
    assert_contains "$(last_stderr)" "no image '$TINY'"
}

test_tarball_that_is_not_a_rootfs_is_refused() {
    mkdir -p "$T/notroot/stuff"
    echo hi >"$T/notroot/stuff/file"
    tar -C "$T/notroot" -cf "$T/notroot.tar" .
    chmod -R a+rX "$T/notroot.tar"
    assert_status 2 as_user "$HUTCH" create hutch-test-notroot --from-tar "$T/notroot.tar"
    assert_contains "$(last_stderr)" "not a root filesystem"
    assert_file_not_exists "$(store_dir)/images/hutch-test-notroot.partial"
    assert_status 2 as_user "$HUTCH" create hutch-test-x --from-tar "$T/missing.tar"
    assert_status 2 as_user "$HUTCH" create hutch-test-x --template fedora
    assert_contains "$(last_stderr)" "unknown --template"
    assert_status 2 as_user "$HUTCH" create ../evil --template debian
    assert_contains "$(last_stderr)" "is not an image name"
}

test_destroy_is_refused_while_a_sandbox_runs_the_image() {
    ensure_debian_image || return
    as_user "$HUTCH" run --name "inuse-$$" --image "$IMAGE" -- sleep 30 &
    BG_PID=$!
    wait_for test -e "$(user_runtime_dir "$TEST_USER")/hutch/inuse-$$/image" ||
        { assert_eq "sandbox started" "no"; return; }
    assert_status 1 as_user "$HUTCH" destroy "$IMAGE"
    assert_contains "$(last_stderr)" "image $IMAGE is in use by sandbox inuse-$$; stop it first"
    assert_status 0 test -d "$(store_dir)/images/$IMAGE/rootfs"
}

test_no_subordinate_ids_create_is_refused() {
    need_root
    assert_status 125 as_nosub "$HUTCH" create hutch-test-nosub --template debian
    assert_contains "$(last_stderr)" "hutch create needs subordinate ids"
    assert_contains "$(last_stderr)" "add the line '$NOSUB_USER:100000:65536' to /etc/subuid and to /etc/subgid"
}

test_no_subordinate_ids_image_of_several_owners_is_refused() {
    need_root
    local uid gid
    uid=$(user_uid "$NOSUB_USER")
    gid=$(user_gid "$NOSUB_USER")
    make_tiny_rootfs "$T/multi" "$uid:$gid"
    assert_status 125 as_nosub "$HUTCH" run --image "$T/multi" -- sh -c 'echo ran'
    assert_contains "$(last_stderr)" "has files of several owners"
    assert_contains "$(last_stderr)" "add the line '$NOSUB_USER:100000:65536' to /etc/subuid"
    # A tree of the user's own files runs with the single-id map.
    chown -hR "$uid:$gid" "$T/multi"
    assert_status 0 as_nosub "$HUTCH" run --image "$T/multi" -- sh -c 'echo ran'
    assert_eq ran "$(last_stdout)"
}

test_unknown_image_is_reported() {
    assert_status 125 hutch_run --image hutch-test-nonexistent -- true
    assert_contains "$(last_stderr)" "no image 'hutch-test-nonexistent' ('hutch images' lists them"
    assert_status 2 hutch_run --image relative/path -- true
    assert_contains "$(last_stderr)" "--image relative/path: not an image name"
    assert_contains "$(last_stderr)" "nor an absolute path"
    assert_status 125 hutch_run --image /nonexistent/rootfs -- true
    assert_contains "$(last_stderr)" "--image /nonexistent/rootfs: not a directory"
}

# Last: the Debian image goes; the next run imports it again from the cache.
test_destroy_debian_image() {
    ensure_debian_image || return
    assert_status 0 as_user "$HUTCH" destroy "$IMAGE"
    assert_contains "$(last_stderr)" "image $IMAGE removed"
    assert_file_not_exists "$(store_dir)/images/$IMAGE"
    assert_eq "" "$(as_user "$HUTCH" images | awk -v n="$IMAGE" '$1 == n')"
    assert_eq "" "$(ls -A "$(store_dir)/images" | grep -F "$IMAGE")" "nothing of it left in the store"
}
