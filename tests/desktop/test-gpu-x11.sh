# SPDX-License-Identifier: LGPL-2.1-or-later
# gpu over an untrusted X11 connection: the X server hides GLX from the app,
# so hutch warns at plan time; trusted X11 gives GLX and no warning.
. "$REPO/tests/desktop/desktop.sh"

WARNING="gpu is granted over an untrusted X11 connection and without Wayland"

test_gpu_over_untrusted_x11_warns_and_glx_is_hidden() {
    need_x11_security
    need_cmd glxinfo
    # The failure the warning is about: no GLX through the untrusted cookie.
    assert_status 0 hutch_run --allow x11 --allow gpu -- glxinfo -B
    assert_contains "$(last_stderr)" "hutch: warning: $WARNING"
    assert_contains "$(last_stderr)" "couldn't find RGB GLX visual"
    assert_not_contains "$(last_stdout)" "OpenGL renderer string"
    assert_status 0 hutch_run --allow x11 --allow gpu --dry-run -- glxinfo -B
    assert_contains "$(last_stdout)" "warning: $WARNING"
    assert_not_contains "$(last_stderr)" "$WARNING" "a dry run only lists it"
}

test_gpu_over_trusted_x11_has_glx_and_no_warning() {
    need_x11
    need_cmd glxinfo
    assert_status 0 hutch_run --allow x11 --allow gpu --x11 trusted -- glxinfo -B
    assert_contains "$(last_stdout)" "OpenGL renderer string"
    assert_not_contains "$(last_stderr)" "$WARNING"
    # Nor without gpu: the warning is about the grant that does nothing.
    assert_status 0 hutch_run --allow x11 --dry-run -- true
    assert_not_contains "$(last_stdout)" "$WARNING"
}
