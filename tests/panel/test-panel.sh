# SPDX-License-Identifier: LGPL-2.1-or-later
# hutch-test-timeout: 180
# hutch panel: served on 127.0.0.1 to its user only, and driven in Debian's
# chromium (headless, through puppeteer-core): log in, the live table,
# freeze/thaw/stop, launch, profiles, images, and the refusals.
. "$REPO/tests/panel/panel.sh"

PANEL_BIN=${HUTCH%/hutch}/hutch-panel

test_hutch_itself_does_not_load_libsoup() {
    need_cmd ldd
    assert_not_contains "$(ldd "$HUTCH")" "libsoup" "hutch does not link libsoup"
    assert_contains "$(ldd "$PANEL_BIN")" "libsoup-3.0" "hutch-panel does (the control)"
    # A running sandbox's hutch has not loaded it either.
    assert_status 0 h run --detach --name "$PN-maps" -- sleep 60 || return
    local pid
    pid=$(h info "$PN-maps" | awk '$1 == "Hutch" && $2 == "PID:" { print $3 }')
    assert_match '^[0-9]+$' "$pid"
    assert_not_contains "$(cat "/proc/$pid/maps")" "libsoup" "the supervisor's memory map"
}

test_bad_options_are_one_clear_line() {
    assert_status 2 h panel --port 70000
    assert_eq "hutch: panel: --port: use a port from 1 to 65535, or leave it out for a free one" \
        "$(last_stderr)"
    assert_status 2 h panel --idle-timeout -5
    assert_contains "$(last_stderr)" "--idle-timeout"
    assert_status 2 h panel stray
    assert_contains "$(last_stderr)" "takes no arguments"
    assert_status 2 h panel --bogus
    assert_contains "$(last_stderr)" "Unknown option --bogus"
    assert_status 2 as_user "$PANEL_BIN" --no-browser
    assert_contains "$(last_stderr)" "start it as 'hutch panel'"
}

test_a_taken_port_is_an_error_naming_it() {
    start_panel || return
    assert_status 1 h panel --no-browser --port "$PANEL_PORT"
    assert_contains "$(last_stderr)" "cannot listen on 127.0.0.1:$PANEL_PORT"
    assert_contains "$(last_stderr)" "choose another --port"
}

test_listens_on_the_loopback_address_only() {
    start_panel || return
    local port_hex
    port_hex=$(printf '%04X' "$PANEL_PORT")
    # Listening sockets (state 0A) on the port: 127.0.0.1 only, no IPv6.
    assert_eq "0100007F:$port_hex" \
        "$(awk -v p=":$port_hex" '$4 == "0A" && substr($2, 9) == p { print $2 }' /proc/net/tcp)"
    assert_eq "" "$(awk -v p=":$port_hex" '$4 == "0A" && substr($2, 33) == p' /proc/net/tcp6)"
    assert_contains "$(cat "$T/panel.out")" "serving http://127.0.0.1:$PANEL_PORT/"
}

test_other_users_cannot_connect() {
    need_root
    need_cmd curl
    start_panel || return
    # The control: the panel's own user is answered (403: no session yet).
    assert_status 0 panel_curl -o /dev/null -w '%{http_code}' "$PANEL_BASE/"
    assert_eq 403 "$(last_stdout)"
    assert_status nonzero as_nosub curl -s --max-time 10 -o /dev/null "$PANEL_BASE/"
    assert_status nonzero curl -s --max-time 10 -o /dev/null "$PANEL_BASE/"
    assert_contains "$(cat "$T/panel.out")" \
        "refused a connection from uid $(user_uid "$NOSUB_USER") (only uid $(user_uid "$TEST_USER")"
    assert_contains "$(cat "$T/panel.out")" "refused a connection from uid 0"
}

test_the_secret_logs_in_once() {
    need_cmd curl
    start_panel || return
    assert_status 0 panel_curl -D - -c "$T/jar1" "$PANEL_URL"
    # A page that moves on by itself, not a redirect (see panel-session.c).
    assert_match "^HTTP/1.1 200" "$(last_stdout)"
    assert_contains "$(last_stdout)" '<meta http-equiv="refresh" content="0;url=/">'
    assert_not_contains "$(last_stdout)" "${PANEL_URL#*s=}" "the page does not repeat the secret"
    assert_match "Set-Cookie: hutch_session_$PANEL_PORT=[0-9a-f]{64}; Path=/; HttpOnly; SameSite=Strict" \
        "$(last_stdout)"
    assert_status 0 panel_curl -o /dev/null -w '%{http_code}' -b "$T/jar1" "$PANEL_BASE/"
    assert_eq 200 "$(last_stdout)" "the cookie opens the panel"
    assert_status 0 panel_curl -o /dev/null -w '%{http_code}' -c "$T/jar2" "$PANEL_URL"
    assert_eq 403 "$(last_stdout)" "the same link a second time does not"
    assert_status 0 panel_curl -o /dev/null -w '%{http_code}' "${PANEL_URL%?*}0"
    assert_eq 403 "$(last_stdout)" "nor does a wrong secret"
}

test_idle_timeout_stops_it_unless_a_page_is_open() {
    need_cmd curl
    start_panel --idle-timeout 2 || return
    panel_curl -o /dev/null -c "$T/jar" "$PANEL_URL"
    # An open page (its event stream) keeps the panel. (Started directly,
    # not through a function, so that $! is curl itself.)
    local USER_ARGV curl_pid
    user_argv "$TEST_USER"
    "${USER_ARGV[@]}" curl -s -N -b "$T/jar" "$PANEL_BASE/events" >"$T/events" &
    curl_pid=$!
    sleep 4
    assert_status 0 kill -0 "$PANEL_PID" "still serving the open page"
    assert_contains "$(cat "$T/events")" "event: sandboxes"
    kill "$curl_pid"
    wait "$curl_pid"
    WAIT_FOR_SECONDS=8 wait_for grep -q "unused for 2 seconds; stopping" "$T/panel.out"
    assert_contains "$(cat "$T/panel.out")" "unused for 2 seconds; stopping"
    wait "$PANEL_PID"
    assert_eq 0 "$?" "exit status"
    PANEL_PID=
}

test_ctrl_c_stops_it_cleanly() {
    need_cmd curl
    start_panel || return
    stop_panel
    assert_eq 0 "$PANEL_RC" "exit status after SIGINT"
    assert_contains "$(cat "$T/panel.out")" "hutch panel: stopped"
    assert_status nonzero panel_curl -o /dev/null "$PANEL_BASE/"
}

test_browser_sandbox_lifecycle() {
    need_browser || return
    start_panel || return
    browser lifecycle SANDBOX="$PN-life"
    assert_contains "$(last_stdout)" "ok - Freeze on the page: hutch info says FROZEN"
    assert_contains "$(last_stdout)" "ok - Thaw on the page: hutch info says RUNNING"
    assert_status 1 h info "$PN-life"
    assert_file_exists "$PANEL_ARTIFACTS/sandboxes.png"
    assert_file_exists "$PANEL_ARTIFACTS/sandbox.png"
}

test_browser_launch_from_a_profile() {
    need_browser || return
    start_panel || return
    browser launch SANDBOX="$PN-launch"
    assert_contains "$(last_stdout)" "ok - hutch info: running, profile default, the edited command"
    assert_file_exists "$PANEL_ARTIFACTS/launch.png"
}

test_browser_profiles_check_results_and_overrides() {
    need_browser || return
    local broken=$PN-broken good=$PN-good dir odir
    dir=$(user_home "$TEST_USER")/.config/hutch/profiles
    odir=$(user_home "$TEST_USER")/.config/hutch/overrides
    as_user mkdir -p "$dir" "$odir"
    # line 3: an unknown key; line 4: a section hutch does not know
    as_user sh -c "printf '%s\n' '[Profile]' 'description=broken on purpose' 'hoem=none' \
        '[Bogus]' > '$dir/$broken.profile'"
    # A good profile, and the user's override of it (line 2 decides home).
    as_user sh -c "printf '%s\n' '[Profile]' 'description=overridden' > '$dir/$good.profile'"
    as_user sh -c "printf '%s\n' '[Filesystem]' 'home=private' > '$odir/$good.profile'"
    start_panel || return
    browser broken-profile BROKEN="$broken" GOOD="$good"
    as_user rm -f "$dir/$broken.profile" "$dir/$good.profile" "$odir/$good.profile"
    assert_file_exists "$PANEL_ARTIFACTS/profile-broken.png"
    assert_file_exists "$PANEL_ARTIFACTS/profile-override.png"
}

test_browser_opened_with_xdg_open_not_the_secret() {
    need_browser || return
    need_cmd xdg-open
    # xdg-open, without a display, ends at $BROWSER (through run-mailcap
    # and sensible-browser where they are installed): a script that notes
    # what it was given, which the real browser then opens below.
    cat >"$T/note-browser" <<EOF
#!/bin/sh
printf '%s\\n' "\$@" > '$T/opened'
EOF
    chmod 0755 "$T/note-browser"
    local USER_ARGV
    user_argv "$TEST_USER"
    "${USER_ARGV[@]}" env -u DISPLAY -u WAYLAND_DISPLAY BROWSER="$T/note-browser" \
        "$HUTCH" panel >"$T/panel.out" 2>&1 &
    PANEL_PID=$!
    WAIT_FOR_SECONDS=10 wait_for test -s "$T/opened" || {
        assert_file_exists "$T/opened" "xdg-open ran the browser; the panel said: $(cat "$T/panel.out")"
        return
    }
    PANEL_URL=$(sed -n 's/^hutch panel: log in once with //p' "$T/panel.out")
    PANEL_BASE=${PANEL_URL%%/login*}
    PANEL_PORT=${PANEL_BASE##*:}
    local file
    file=$(cat "$T/opened")
    assert_eq "$(user_runtime_dir "$TEST_USER")/hutch-panel-$PANEL_PORT.html" "$file" \
        "the browser got a file in the runtime directory"
    assert_not_contains "$file" "${PANEL_URL#*s=}" "not the secret, which a command line shows to all"
    assert_contains "$(as_user cat "$file")" "$PANEL_URL" "the file sends the browser to the login URL"
    assert_eq "600 $(user_uid "$TEST_USER")" "$(stat -c '%a %u' "$file")" "only the user reads it"
    browser opened FILE="$file"
}

test_browser_images_create_refuse_destroy() {
    need_browser || return
    need_cmd tar
    local image=$PN-img
    make_tiny_tarball "$T/tiny.tar"
    start_panel || return
    browser images IMAGE="$image" SANDBOX="$PN-imguser" TARBALL="$T/tiny.tar"
    assert_not_contains "$(h images)" "$image"
    # Only a leftover of a browser step that failed: none is the good case.
    h destroy "$image" >/dev/null 2>&1 || true
}

test_browser_debian_progress_and_cancel() {
    need_browser || return
    need_cmd debootstrap
    local image=$PN-deb store
    store=$(user_home "$TEST_USER")/.local/share/hutch/images
    start_panel || return
    browser debian-cancel IMAGE="$image"
    assert_contains "$(last_stdout)" "ok - debootstrap's progress streams in"
    assert_file_not_exists "$store/$image.partial" "cancelling leaves nothing half-made"
    assert_file_not_exists "$store/$image"
}

test_browser_refusals_change_nothing() {
    need_browser || return
    start_panel || return
    assert_status 0 h run --detach --name "$PN-ref" -- sleep 120 || return
    browser refusals SANDBOX="$PN-ref"
    assert_contains "$(last_stdout)" "ok - refused with a rebound Host (DNS rebinding)"
    assert_eq RUNNING "$(h info "$PN-ref" | awk '$1 == "State:" { print $2 }')"
}

test_browser_shows_markup_as_text() {
    need_browser || return
    start_panel || return
    browser escaping SANDBOX="$PN-esc"
}

test_browser_pages_fit_320_px() {
    need_browser || return
    start_panel || return
    assert_status 0 h run --detach --name "$PN-narrow" -- sleep 120 || return
    # A profile whose name, description, file path and grants are long
    # words with nothing to break at: what the pages show must wrap,
    # wherever the checkout (and so the shipped profiles) lives. Written
    # after the last early return, so that it is always removed.
    local long dir word
    long=$PN-$(printf 'n%.0s' $(seq 100))
    word=$(printf 'w%.0s' $(seq 120))
    dir=$(user_home "$TEST_USER")/.config/hutch/profiles
    as_user mkdir -p "$dir"
    as_user sh -c "printf '%s\n' '[Profile]' 'description=$word' 'include=secrets.inc;history.inc' \
        '[Filesystem]' 'ro=-/opt/$word' > '$dir/$long.profile'"
    browser narrow SANDBOX="$PN-narrow" LONG="$long"
    as_user rm -f "$dir/$long.profile"
    assert_file_exists "$PANEL_ARTIFACTS/sandboxes-320.png"
    assert_file_exists "$PANEL_ARTIFACTS/launch-long-320.png"
}

test_sandboxes_reach_it_only_with_the_host_network() {
    need_cmd curl
    start_panel || return
    # A sandbox has a loopback of its own: nothing listens there.
    assert_status nonzero h run -- curl -s --max-time 5 -o /dev/null "$PANEL_BASE/"
    # With the host's network it reaches the panel as the user (the
    # control: the uid check lets it in), and without the session gets
    # nothing but the refusal.
    assert_status 0 h run --net host -- curl -s --max-time 5 -o /dev/null -w '%{http_code}' \
        "$PANEL_BASE/"
    assert_eq 403 "$(last_stdout)" "no session, no page"
    assert_status 0 h run --net host -- curl -s --max-time 5 -o /dev/null -w '%{http_code}' \
        -X POST -H "Origin: $PANEL_BASE" -d csrf=0 "$PANEL_BASE/launch"
    assert_eq 403 "$(last_stdout)" "no session, no launch"
}
