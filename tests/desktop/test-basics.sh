# SPDX-License-Identifier: LGPL-2.1-or-later
# Desktop basics for GUI permissions: fonts (system and the user's), themes
# and toolkit settings read-only, session variables; none of it without a
# GUI permission, and the user's own path rules win.
. "$REPO/tests/desktop/desktop.sh"

teardown() {
    if [ -n "${MADE_FONTS:-}" ]; then
        rm -rf "$MADE_FONTS"
    fi
}

# A file in the test user's ~/.local/share/fonts (created for the test).
make_user_font_file() {
    local home
    home=$(user_home "$TEST_USER")
    [ -e "$home/.local/share/fonts" ] && skip "$home/.local/share/fonts exists already"
    as_user mkdir -p "$home/.local/share/fonts" || return 1
    MADE_FONTS=$home/.local/share/fonts
    as_user sh -c "echo hutch >'$MADE_FONTS/marker'"
}

test_system_fonts_same_as_host_without_warnings() {
    need_x11
    need_cmd fc-list fc-match
    local host
    host=$(as_user fc-list | sort | md5sum)
    assert_status 0 hutch_run --allow x11 -- sh -c 'fc-list | sort | md5sum'
    assert_eq "$host" "$(last_stdout)" "fc-list inside and outside"
    assert_status 0 hutch_run --allow x11 -- fc-match sans
    assert_eq "" "$(last_stderr)" "no fontconfig warnings"
}

test_user_fonts_read_only_with_gui_permission() {
    need_x11
    make_user_font_file || return
    assert_status 0 hutch_run --allow x11 -- sh -c \
        "cat '$MADE_FONTS/marker'; touch '$MADE_FONTS/new' 2>&1; true"
    assert_contains "$(last_stdout)" "hutch"
    assert_contains "$(last_stdout)" "Read-only file system"
    assert_status nonzero hutch_run -- cat "$MADE_FONTS/marker"
}

test_user_path_rule_wins_over_basics() {
    need_x11
    make_user_font_file || return
    assert_status nonzero hutch_run --allow x11 --hide "$MADE_FONTS" -- cat "$MADE_FONTS/marker"
    assert_status 0 hutch_run --allow x11 --rw "$MADE_FONTS" -- touch "$MADE_FONTS/new"
    assert_file_exists "$MADE_FONTS/new"
}

test_session_variables() {
    need_x11
    assert_status 0 hutch_run --allow x11 -- sh -c \
        'echo "$XDG_SESSION_TYPE|$XDG_DATA_DIRS|$XDG_CONFIG_DIRS|$NO_AT_BRIDGE"'
    assert_eq "x11|/usr/local/share:/usr/share|/etc/xdg|1" "$(last_stdout)"
    assert_status 0 hutch_run -- sh -c 'echo "${XDG_SESSION_TYPE:-unset}"'
    assert_eq unset "$(last_stdout)"
}

test_locale_passed() {
    need_x11
    assert_status 0 as_user env LANG=C.UTF-8 LC_TIME=C.UTF-8 "$HUTCH" run --allow x11 -- \
        sh -c 'echo "$LANG $LC_TIME"; locale 2>&1 >/dev/null'
    assert_eq "C.UTF-8 C.UTF-8" "$(last_stdout)" "locale variables, and no locale warnings"
}

test_x_app_starts_without_font_warnings() {
    need_x11
    need_cmd xmessage
    # xmessage exits after -timeout; it draws text, so it loads fonts.
    assert_status 0 hutch_run --allow x11 --x11 trusted -- xmessage -timeout 1 hutch
    assert_eq "" "$(last_stderr)" "stderr of xmessage"
}

test_env_options_win_over_passthroughs() {
    need_x11
    assert_status 0 hutch_run --allow x11 --env XDG_SESSION_TYPE=custom \
        --unset-env NO_AT_BRIDGE -- sh -c 'echo "$XDG_SESSION_TYPE ${NO_AT_BRIDGE:-unset}"'
    assert_eq "custom unset" "$(last_stdout)"
}
