# SPDX-License-Identifier: LGPL-2.1-or-later
# hutch-test-timeout: 90
# The browsers under their own profiles: a local page rendered on the X
# server, their inner sandboxes on inside hutch's, ~/.ssh out of reach.
# Pages from a server through pasta: tests/net/test-apps.sh.
. "$REPO/tests/apps/apps.sh"

COLOUR="#12AB34"

# page: an HTML page of one colour in ~/Downloads, which browser.inc grants.
page() {
    printf '<html><body style="background:%s; margin:0"><h1>hutch</h1></body></html>\n' \
        "$COLOUR" >"$T/home/Downloads/page.html"
    chmod a+r "$T/home/Downloads/page.html"
}

# newest_of USER PATTERN: the newest process of the test user matching.
newest_of() { pgrep -n -u "$TEST_USER" -f -- "$1"; }

test_firefox_renders_a_local_page_with_its_sandbox_on() {
    need_cmd firefox-esr xdotool import
    need_x11
    need_pulse
    app_home
    page
    app_start firefox-esr --kiosk "file://$T/home/Downloads/page.html"
    local wid
    wid=$(app_window '^firefox' 60) || return
    app_shot_has "$wid" "$COLOUR" 30
    # A content process (a tab) under its own seccomp filter and namespaces.
    local main tab
    main=$(newest_of '^firefox-esr --kiosk')
    # The oldest tab process: it drew the page, so its sandbox is on (the
    # newest may be one Firefox forked ahead, a moment before its filter).
    tab=$(pgrep -o -u "$TEST_USER" -f -- 'firefox-esr -contentproc .* tab$')
    assert_match '^[0-9]+$' "$tab" "a firefox tab process" || return
    assert_inner_sandboxed "$main" "$tab"
    assert_not_contains "$(cat "$T/firefox-esr.err")" "sandbox" "no sandbox complaint"
    assert_file_exists "$(app_private_home firefox-esr)/.config/mozilla/firefox" "its profile in the private home"
    app_canary firefox-esr
}

test_chromium_renders_a_local_page_with_its_sandbox_on() {
    need_cmd chromium xdotool import
    need_x11
    need_pulse
    app_home
    page
    app_start chromium --kiosk "file://$T/home/Downloads/page.html"
    local wid
    wid=$(app_window '^chromium' 60) || return
    app_shot_has "$wid" "$COLOUR" 30
    local main='' renderer p
    for p in $(pgrep -u "$TEST_USER" -f '^/usr/lib/chromium/chromium '); do
        tr '\0' ' ' <"/proc/$p/cmdline" | grep -q -- --type= || main=$p
    done
    renderer=$(newest_of '/usr/lib/chromium/chromium --type=renderer')
    assert_match '^[0-9]+$' "$renderer" "a chromium renderer" || return
    assert_inner_sandboxed "$main" "$renderer"
    assert_not_contains "$(cat "$T/chromium.err")" "No usable sandbox" "the sandbox came up"
    assert_not_contains "$(tr '\0' ' ' <"/proc/$renderer/cmdline")" "--no-sandbox"
    assert_file_exists "$(app_private_home chromium)/.config/chromium" "its profile in the private home"
    app_canary chromium
}

test_dillo_renders_a_local_page_in_its_own_home() {
    need_cmd dillo xdotool import
    need_x11
    app_home
    page
    app_start dillo "file://$T/home/Downloads/page.html"
    local wid
    wid=$(app_window '^dillo' 30) || return
    app_shot_has "$wid" "$COLOUR" 20
    assert_file_exists "$(app_private_home dillo)/.dillo" "its settings in its own home"
    assert_file_not_exists "$T/home/.dillo" "nothing in the real home"
    app_canary dillo
}
