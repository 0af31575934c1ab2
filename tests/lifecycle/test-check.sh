# SPDX-License-Identifier: LGPL-2.1-or-later
# hutch check: one line per item, non-zero when sandboxes cannot start.
. "$REPO/tests/lifecycle/lifecycle.sh"

test_check_lists_every_item() {
    assert_status 0 h check || return
    local item
    for item in "user namespaces" "other namespaces" "overlayfs in user ns" newuidmap newgidmap \
        "subordinate ids" "id holder" seccomp hutch-init "cgroup v2 delegation" freeze "resource limits" \
        "X11 SECURITY" "X11 host access" "X11 nested" "Wayland security-context" "audio server" pasta; do
        assert_match "^$item: +(enabled|missing) — " "$(last_stdout | grep "^$item:")" "$item"
    done
    assert_match "user namespaces: +enabled" "$(last_stdout)"
}

test_check_knows_the_subordinate_ranges() {
    assert_status 0 h check
    assert_match "subordinate ids: +enabled — 65537 uids" "$(last_stdout)"
    assert_status 0 as_nosub "$HUTCH" check
    assert_match "subordinate ids: +missing — .*usermod --add-subuids" "$(last_stdout)"
}

test_check_fails_when_user_namespaces_are_off() {
    need_cmd unshare
    # Inside a user namespace of its own, the limit can be set to 0 for
    # hutch's view without touching the host.
    assert_status 1 as_user unshare -U -r sh -c "echo 0 >/proc/sys/user/max_user_namespaces && exec '$HUTCH' check"
    assert_match "user namespaces: +missing — .*user.max_user_namespaces" "$(last_stdout)"
    assert_contains "$(last_stderr)" "cannot start sandboxes"
}

test_check_fails_without_the_init_helper() {
    # A copy outside the build tree looks for its helpers where it would be installed.
    cp "$HUTCH" "$T/hutch"
    chmod 755 "$T/hutch"
    [ -e "$(strings "$HUTCH" | grep -m1 '/libexec/hutch$')/hutch-init" ] && skip "hutch is installed"
    assert_status 1 as_user "$T/hutch" check
    assert_match "hutch-init: +missing" "$(last_stdout)"
}

test_check_says_how_limits_and_freezing_work() {
    assert_status 0 h check
    if last_stdout | grep -q "cgroup v2 delegation: *missing"; then
        assert_match "freeze: +enabled — by SIGSTOP" "$(last_stdout)"
        assert_match "resource limits: +enabled — by rlimits" "$(last_stdout)"
    else
        assert_match "freeze: +enabled — by cgroup.freeze" "$(last_stdout)"
    fi
}

test_check_probes_the_x_server() {
    need_x11_security
    assert_status 0 h check
    assert_match "X11 SECURITY: +enabled" "$(last_stdout)"
    assert_status 0 as_user env DISPLAY=:999 "$HUTCH" check
    assert_match "X11 SECURITY: +missing — cannot connect" "$(last_stdout)"
}

test_check_says_whether_the_x_abstract_socket_is_reachable() {
    need_x11
    assert_status 0 h check
    assert_match "X11 abstract socket: +enabled — risk: the X server also listens on @/tmp/.X11-unix/X[0-9]+, which every process with the host's network reaches, sandboxes with --net host among them" "$(last_stdout)"
    assert_contains "$(last_stdout)" "sandboxes with their own network (none, user) cannot"
}

test_check_probes_the_audio_server() {
    need_pulse
    assert_status 0 h check
    assert_match "audio server: +enabled — (PulseAudio|pipewire-pulse)" "$(last_stdout)"
}

test_check_probes_the_compositor() {
    need_wayland
    assert_status 0 h check
    assert_match "Wayland security-context: +(enabled|missing) — the compositor" "$(last_stdout)"
}
