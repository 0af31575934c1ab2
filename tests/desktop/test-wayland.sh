# SPDX-License-Identifier: LGPL-2.1-or-later
# Wayland: the compositor socket in the sandbox's runtime dir; a security
# context where the compositor has one, and failing closed when demanded.
. "$REPO/tests/desktop/desktop.sh"

COMPOSITOR=$PROBE_DIR/secctx-compositor

teardown() {
    if [ -n "${COMP_PID:-}" ]; then
        kill "$COMP_PID" 2>/dev/null
        wait "$COMP_PID" 2>/dev/null
    fi
}

# A compositor of the test's own that offers wp_security_context_v1
# (tests/desktop/secctx-compositor.c), as the test user.
start_secctx_compositor() {
    [ -x "$COMPOSITOR" ] || skip "secctx-compositor not built (needs libwayland-dev)"
    need_cmd wayland-info
    SC_NAME=wl-secctx-$$
    as_user "$COMPOSITOR" "$SC_NAME" >"$T/compositor.log" 2>&1 &
    COMP_PID=$!
    wait_for grep -q '^listening' "$T/compositor.log" ||
        skip "secctx-compositor did not start: $(cat "$T/compositor.log")"
}

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
    assert_contains "$(last_stderr)" "wayland: no Wayland compositor socket at"
    assert_contains "$(last_stderr)" "no-such-wayland"
}

test_security_context_used_where_offered() {
    start_secctx_compositor
    # Outside, the manager global is listed ...
    WAYLAND_DISPLAY=$SC_NAME assert_status 0 as_user wayland-info
    assert_contains "$(last_stdout)" "'wp_security_context_manager_v1'"
    # ... inside, the app connects through its own socket, tagged as sandboxed,
    # and the compositor hides the manager from it.
    WAYLAND_DISPLAY=$SC_NAME assert_status 0 hutch_run --name "sc-$$" --allow wayland -- \
        wayland-info
    assert_contains "$(last_stdout)" "'wl_shm'"
    assert_not_contains "$(last_stdout)" "wp_security_context_manager_v1"
    wait_for grep -q '^closed' "$T/compositor.log"
    assert_contains "$(cat "$T/compositor.log")" "context engine=hutch app_id=wayland-info instance=sc-$$"
    assert_contains "$(cat "$T/compositor.log")" "client sandboxed=1"
    assert_contains "$(cat "$T/compositor.log")" "closed instance=sc-$$" \
        "the compositor stops listening when the sandbox ends"
}

test_secure_mode_works_with_security_context() {
    start_secctx_compositor
    WAYLAND_DISPLAY=$SC_NAME assert_status 0 hutch_run --allow wayland --wayland secure -- \
        sh -c 'wayland-info >/dev/null && ls -A "$XDG_RUNTIME_DIR"'
    assert_eq "$SC_NAME" "$(last_stdout)"
    WAYLAND_DISPLAY=$SC_NAME assert_status 0 hutch_run --dry-run --allow wayland -- true
    assert_contains "$(last_stdout)" "the compositor offers wp_security_context_manager_v1"
    assert_match "bind +\\\$XDG_RUNTIME_DIR/hutch/[^ ]+/wayland-0 -> /run/user/[0-9]+/$SC_NAME" \
        "$(last_stdout)"
}
