# SPDX-License-Identifier: LGPL-2.1-or-later
# --rootfs overlay over the host's tree: writes land in the upper layer and
# never in the lower one; ephemeral uppers die with the sandbox, persistent
# ones stay; what overlayfs refuses is said clearly.
. "$REPO/tests/rootfs/rootfs.sh"

teardown() {
    teardown_fuse
    if [ -n "${BG_PID:-}" ]; then
        kill "$BG_PID" 2>/dev/null
        wait "$BG_PID" 2>/dev/null
    fi
    if [ -n "${OVERLAY_NAME:-}" ]; then
        as_user rm -rf "$(store_dir)/overlays/$OVERLAY_NAME"
    fi
    if [ -n "${CLEANUP_DIR:-}" ]; then
        umount "$CLEANUP_DIR/merged" 2>/dev/null
        rm -rf "$CLEANUP_DIR"
    fi
}

test_writes_land_in_the_upper_layer_not_the_lower() {
    OVERLAY_NAME=hutch-ov-upper-$$
    local file=/usr/hutch-overlay-probe-$$
    assert_status 0 hutch_run --rootfs overlay --persist --name "$OVERLAY_NAME" -- \
        sh -c "echo written > $file && cat $file && grep ' /usr ' /proc/self/mountinfo"
    assert_contains "$(last_stdout)" "written"
    assert_match ' - (overlay|fuse\.fuse-overlayfs) ' "$(last_stdout)" "/usr is an overlay"
    assert_file_not_exists "$file" "the host's /usr is untouched"
    assert_eq written "$(as_user cat "$(store_dir)/overlays/$OVERLAY_NAME/upper/usr/${file#/usr/}")"
}

test_lower_files_read_through_unchanged() {
    assert_status 0 hutch_run --rootfs overlay -- sha256sum /usr/bin/env
    assert_eq "$(sha256sum /usr/bin/env)" "$(last_stdout)"
}

test_ephemeral_upper_is_gone_after_exit() {
    local file=/usr/hutch-ephemeral-$$
    assert_status 0 hutch_run --rootfs overlay -- sh -c "echo once > $file && cat $file"
    assert_eq once "$(last_stdout)"
    assert_status 0 hutch_run --rootfs overlay -- sh -c "cat $file 2>&1 || echo absent"
    assert_contains "$(last_stdout)" "absent"
    assert_file_not_exists "$file"
}

test_persistent_upper_survives() {
    OVERLAY_NAME=hutch-ov-keep-$$
    assert_status 0 hutch_run --rootfs overlay --persist --name "$OVERLAY_NAME" -- \
        sh -c 'mkdir /opt/app && echo state-1 > /opt/app/state'
    assert_status 0 hutch_run --rootfs overlay --persist --name "$OVERLAY_NAME" -- \
        sh -c 'cat /opt/app/state && echo state-2 >> /opt/app/state'
    assert_eq state-1 "$(last_stdout)"
    assert_status 0 hutch_run --rootfs overlay --persist --name "$OVERLAY_NAME" -- \
        cat /opt/app/state
    assert_eq "state-1
state-2" "$(last_stdout)"
    assert_file_not_exists /opt/app/state
}

test_unwritable_lower_directories_stay_unwritable() {
    # The app runs as the user: a lower directory owned by root stays
    # closed to it, overlay or not.
    assert_status 1 hutch_run --rootfs overlay -- touch /usr/bin/hutch-probe
    assert_contains "$(last_stderr)" "Permission denied"
}

test_persistent_overlay_is_named_after_the_app_without_name() {
    OVERLAY_NAME=env
    as_user rm -rf "$(store_dir)/overlays/env"
    assert_status 0 hutch_run --rootfs overlay --persist -- env sh -c "echo app > /usr/hutch-app-$$"
    assert_eq app "$(as_user cat "$(store_dir)/overlays/env/upper/usr/hutch-app-$$")"
}

test_persistent_overlay_in_use_is_refused() {
    OVERLAY_NAME=hutch-ov-busy-$$
    as_user "$HUTCH" run --rootfs overlay --persist --name "$OVERLAY_NAME" -- sleep 20 &
    BG_PID=$!
    wait_for test -e "$(user_runtime_dir "$TEST_USER")/hutch/$OVERLAY_NAME" ||
        { assert_eq "sandbox started" "no"; return; }
    # The same overlay from another runtime dir (another session, or two
    # sandboxes of one profile) would write the same upper layer.
    as_user mkdir -p "$T/runtime"
    assert_status 125 as_user env XDG_RUNTIME_DIR="$T/runtime" "$HUTCH" run --rootfs overlay \
        --persist --name "$OVERLAY_NAME" -- true
    assert_contains "$(last_stderr)" "in use by another sandbox"
}

test_option_combinations_are_checked() {
    assert_status 2 hutch_run --persist -- true
    assert_contains "$(last_stderr)" "--persist keeps an overlay's upper layer: add --rootfs overlay"
    assert_status 2 hutch_run --rw-image -- true
    assert_contains "$(last_stderr)" "--rw-image needs --image NAME"
    assert_status 2 hutch_run --rootfs bogus -- true
    assert_contains "$(last_stderr)" "--rootfs bogus: unknown mode (use host or overlay)"
}

test_overlapping_layers_are_refused() {
    need_root
    [ -d /opt ] || skip "no /opt on this host"
    CLEANUP_DIR=/opt/hutch-test-$$
    install -d -o "$TEST_USER" "$CLEANUP_DIR"
    assert_status 125 as_user env XDG_DATA_HOME="$CLEANUP_DIR" "$HUTCH" run --rootfs overlay \
        --persist --name overlap -- true
    assert_contains "$(last_stderr)" "overlap"
    assert_contains "$(last_stderr)" "set XDG_DATA_HOME to a directory outside /opt"
}

test_upper_on_overlayfs_falls_back_or_says_why() {
    need_root
    CLEANUP_DIR=$T/ovl
    mkdir -p "$CLEANUP_DIR"/{lower,upper,work,merged}
    mount -t overlay overlay -o "lowerdir=$CLEANUP_DIR/lower,upperdir=$CLEANUP_DIR/upper,workdir=$CLEANUP_DIR/work" \
        "$CLEANUP_DIR/merged" || skip "cannot mount an overlayfs here"
    chown "$TEST_USER" "$CLEANUP_DIR/merged"
    as_user env XDG_DATA_HOME="$CLEANUP_DIR/merged" "$HUTCH" run --rootfs overlay --persist \
        --name on-overlay -- sh -c 'echo x > /usr/hutch-on-overlay && cat /usr/hutch-on-overlay' \
        >"$T/out" 2>"$T/err"
    local rc=$?
    if fuse_usable; then
        assert_eq 0 "$rc" "fuse-overlayfs takes over: $(cat "$T/err")"
        assert_eq x "$(cat "$T/out")"
    else
        assert_eq 125 "$rc"
        assert_contains "$(cat "$T/err")" "is on overlayfs, which the kernel's overlayfs cannot use"
    fi
}

test_fuse_overlayfs_fallback_works() {
    need_cmd fuse-overlayfs
    grant_fuse
    OVERLAY_NAME=hutch-ov-fuse-$$
    local file=/usr/hutch-fuse-probe-$$
    assert_status 0 as_user env HUTCH_OVERLAY_METHOD=fuse "$HUTCH" run --rootfs overlay --persist \
        --name "$OVERLAY_NAME" -- sh -c "echo via-fuse > $file && cat $file && cat /proc/mounts"
    assert_contains "$(last_stdout)" "via-fuse"
    assert_contains "$(last_stdout)" "fuse-overlayfs /usr fuse.fuse-overlayfs"
    assert_file_not_exists "$file"
    assert_eq via-fuse "$(as_user cat "$(store_dir)/overlays/$OVERLAY_NAME/upper/usr/${file#/usr/}")"
    # The daemon lives in the sandbox's pid namespace and ends with it.
    assert_eq "" "$(pgrep -u "$TEST_USER" -f "upper/usr.*$OVERLAY_NAME|$OVERLAY_NAME.*upper/usr" || true)"
}

test_fuse_overlayfs_over_a_tree_under_tmp() {
    # fuse-overlayfs starts before the sandbox covers /tmp: layers there work.
    need_root
    grant_fuse
    make_tiny_rootfs "$T/tree" "$(user_uid "$TEST_USER"):$(user_gid "$TEST_USER")"
    echo lower >"$T/tree/data/f"
    chown "$(user_uid "$TEST_USER"):$(user_gid "$TEST_USER")" "$T/tree/data/f"
    assert_status 0 as_user env HUTCH_OVERLAY_METHOD=fuse "$HUTCH" run --image "$T/tree" \
        --rootfs overlay -- sh -c 'read l < /data/f; echo "$l"; echo upper > /data/f && read l < /data/f; echo "$l"'
    assert_eq "lower
upper" "$(last_stdout)"
    assert_eq lower "$(cat "$T/tree/data/f")" "the lower tree is untouched"
}

test_fuse_overlayfs_unusable_is_explained() {
    if ! fuse_usable; then
        assert_status 125 as_user env HUTCH_OVERLAY_METHOD=fuse "$HUTCH" run --rootfs overlay -- true
        assert_match "fuse-overlayfs is not installed \(apt install fuse-overlayfs\)|/dev/fuse is not usable" \
            "$(last_stderr)"
        return
    fi
    # Where fuse works, take it away from this one run: in a mount namespace
    # of its own, /dev/fuse is a file only root may open.
    need_root
    : >"$T/no-fuse"
    chmod 0600 "$T/no-fuse"
    local USER_ARGV
    user_argv "$TEST_USER"
    # shellcheck disable=SC2016  # expanded by the inner sh
    assert_status 125 unshare -m --propagation private sh -c \
        'mount --bind "$1" /dev/fuse && shift && exec "$@"' sh "$T/no-fuse" \
        "${USER_ARGV[@]}" env HUTCH_OVERLAY_METHOD=fuse "$HUTCH" run --rootfs overlay -- true
    assert_contains "$(last_stderr)" "/dev/fuse is not usable: Permission denied"
}

test_dry_run_shows_the_overlay() {
    assert_status 0 hutch_run --rootfs overlay --dry-run -- true
    assert_match "(overlay +/usr \(lowerdir=/oldroot/usr,upperdir=/overlay/upper/usr|fuse-overlay +/usr)" \
        "$(last_stdout)"
    assert_contains "$(last_stdout)" "upper layers in a tmpfs, discarded at exit"
}
