# Wayland: the compositor socket in the sandbox's runtime dir; a security
# context where the compositor has one, and failing closed when demanded.
. "$REPO/tests/desktop/desktop.sh"

test_wayland_info_lists_globals_inside() {
    need_wayland
    need_cmd wayland-info
    assert_status 0 hutch_run --allow wayland -- wayland-info
    assert_contains "$(last_stdout)" "'wl_compositor'"
    assert_contains "$(last_stdout)" "'wl_shm'"
}

test_socket_is_in_the_sandbox_runtime_dir() {
    need_wayland
    assert_status 0 hutch_run --allow wayland -- sh -c \
        'echo "$WAYLAND_DISPLAY ${WAYLAND_SOCKET:-unset}"; ls -A "$XDG_RUNTIME_DIR"'
    assert_eq "$WAYLAND_DISPLAY unset
$WAYLAND_DISPLAY" "$(last_stdout)"
}

test_without_wayland_cannot_connect() {
    need_wayland
    need_cmd wayland-info
    local runtime
    runtime=$(user_runtime_dir "$TEST_USER")
    # wayland-info reaches the compositor from the host ...
    assert_status 0 as_user wayland-info
    # ... but not from a sandbox without the permission, by name or by path.
    assert_status nonzero hutch_run --env "WAYLAND_DISPLAY=$WAYLAND_DISPLAY" -- wayland-info
    assert_status nonzero hutch_run --env "WAYLAND_DISPLAY=$runtime/$WAYLAND_DISPLAY" -- \
        wayland-info
}

test_secure_mode_fails_closed_without_security_context() {
    need_wayland
    assert_status 125 hutch_run --allow wayland --wayland secure --rw "$T" -- touch "$T/ran"
    assert_contains "$(last_stderr)" "wp_security_context_manager_v1"
    assert_contains "$(last_stderr)" "a security context is required"
    assert_file_not_exists "$T/ran" "the app did not start"
}

test_dry_run_says_the_compositor_lacks_security_context() {
    need_wayland
    assert_status 0 hutch_run --dry-run --allow wayland -- true
    assert_contains "$(last_stdout)" "the compositor does not offer wp_security_context_manager_v1"
    assert_contains "$(last_stdout)" "env        WAYLAND_DISPLAY=$WAYLAND_DISPLAY"
    assert_status 0 hutch_run --dry-run --allow wayland --wayland plain -- true
    assert_contains "$(last_stdout)" "bound as it is (--wayland plain)"
}

test_no_compositor_is_a_clear_error() {
    assert_status 125 as_user env WAYLAND_DISPLAY=no-such-wayland "$HUTCH" run \
        --allow wayland -- true
    assert_contains "$(last_stderr)" "wayland: no compositor socket at"
    assert_contains "$(last_stderr)" "no-such-wayland"
}
