# SPDX-License-Identifier: LGPL-2.1-or-later
# Network clients under their own profiles (user-mode network): each starts
# with its settings in its private home, not the real one.
. "$REPO/tests/apps/apps.sh"

test_transmission_starts_with_its_settings_in_its_private_home() {
    need_cmd transmission-gtk xdotool
    need_x11
    app_home
    app_start transmission-gtk
    app_window '^transmission' 40 >/dev/null || return
    # Its state (torrents, resume data) in its own home; settings.json is
    # written when it quits.
    local state
    state=$(app_private_home transmission-gtk)/.config/transmission
    WAIT_FOR_SECONDS=10 wait_for test -d "$state/torrents"
    assert_file_exists "$state/torrents"
    assert_file_exists "$state/resume"
    assert_file_not_exists "$T/home/.config/transmission" "nothing in the real home"
    app_canary transmission-gtk
}

test_hexchat_starts_with_its_settings_in_its_private_home() {
    need_cmd hexchat xdotool
    need_x11
    app_home
    app_start hexchat
    local wid
    wid=$(app_window '^hexchat' 40) || return
    assert_contains "$(xdotool getwindowname "$wid")" "HexChat"
    assert_file_exists "$(app_private_home hexchat)/.config/hexchat"
    assert_file_not_exists "$T/home/.config/hexchat" "nothing in the real home"
    app_canary hexchat
}

test_pidgin_starts_with_its_accounts_in_its_private_home() {
    need_cmd pidgin xdotool
    need_x11
    app_home
    app_start pidgin
    app_window '^pidgin' 40 >/dev/null || return
    WAIT_FOR_SECONDS=10 wait_for test -d "$(app_private_home pidgin)/.purple"
    assert_file_exists "$(app_private_home pidgin)/.purple"
    assert_file_not_exists "$T/home/.purple" "nothing in the real home"
    app_canary pidgin
}

test_qbittorrent_starts_with_its_settings_in_its_private_home() {
    need_cmd qbittorrent xdotool
    need_x11
    app_home
    app_start qbittorrent
    local wid
    # The first start asks to accept its legal notice.
    wid=$(app_window '^qbittorrent' 40) || return
    assert_contains "$(xdotool getwindowname "$wid")" "Legal notice"
    assert_file_exists "$(app_private_home qbittorrent)/.config/qBittorrent"
    assert_file_not_exists "$T/home/.config/qBittorrent" "nothing in the real home"
    app_canary qbittorrent
}
