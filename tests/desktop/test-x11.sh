# X11: the display socket alone, untrusted cookies by default, trusted on
# request; the host's abstract socket out of reach.
. "$REPO/tests/desktop/desktop.sh"

teardown() {
    if [ -n "${BG_PID:-}" ]; then
        kill "$BG_PID" 2>/dev/null
        wait "$BG_PID" 2>/dev/null
    fi
    if [ -n "${XVFB_PID:-}" ]; then
        kill "$XVFB_PID" 2>/dev/null
        wait "$XVFB_PID" 2>/dev/null
        rm -f "/tmp/.X${XVFB_N}-lock" "/tmp/.X11-unix/X${XVFB_N}"
    fi
}

test_xdpyinfo_works_untrusted() {
    need_x11_security
    assert_status 0 hutch_run --allow x11 -- xdpyinfo
    assert_contains "$(last_stdout)" "name of display:    :$(display_number)"
}

test_xdpyinfo_works_trusted() {
    need_x11
    assert_status 0 hutch_run --allow x11 --x11 trusted -- xdpyinfo
    assert_contains "$(last_stdout)" "name of display:    :$(display_number)"
}

# Start xeyes in a sandbox, wait for its window, take a screenshot of it from
# the host and check that it is not one flat colour.
xeyes_screenshot() {
    need_cmd xeyes xwininfo xwd convert
    as_user "$HUTCH" run --name "xeyes-$$" --allow x11 "$@" -- xeyes 2>"$T/xeyes.err" &
    BG_PID=$!
    wait_for sh -c 'xwininfo -root -tree | grep -q "\"xeyes\""' ||
        { assert_eq "xeyes window" "none" "$(cat "$T/xeyes.err")"; return; }
    local wid
    wid=$(xwininfo -root -tree | awk '/"xeyes"/ { print $1; exit }')
    sleep 0.3 # let it draw
    assert_status 0 xwd -silent -id "$wid" -out "$T/xeyes.xwd" || return
    local dev
    dev=$(convert "xwd:$T/xeyes.xwd" -format '%[fx:standard_deviation]' info:)
    assert_match '^0\.[0-9]' "$dev" "standard deviation of the screenshot"
    assert_eq 1 "$(awk -v d="$dev" 'BEGIN { print (d > 0.05) }')" "screenshot is not blank ($dev)"
    # Still running (it was not refused), and it ends with its sandbox.
    assert_status 0 kill "$(hutch_pid "xeyes-$$")"
    wait "$BG_PID"
    BG_PID=
}

test_xeyes_draws_untrusted() {
    need_x11_security
    xeyes_screenshot
}

test_xeyes_draws_trusted() {
    need_x11
    xeyes_screenshot --x11 trusted
}

# A trusted client (the host user) maps a window; the sandboxed one tries to
# read it and to fake a key press.
probe_trusted_window() {
    as_user "$PROBE" window >"$T/window" &
    BG_PID=$!
    wait_for test -s "$T/window" || { assert_eq "window id" "" ""; return 1; }
    WINDOW=$(cat "$T/window")
}

test_untrusted_cannot_read_windows_or_inject_input() {
    need_x11_security
    need_probe
    probe_trusted_window || return
    assert_status 0 hutch_run --allow x11 --ro "$PROBE_DIR" -- "$PROBE" getimage "$WINDOW"
    assert_eq denied "$(last_stdout)" "XGetImage of a trusted window"
    assert_status 0 hutch_run --allow x11 --ro "$PROBE_DIR" -- "$PROBE" xtest
    assert_eq denied "$(last_stdout)" "XTEST fake key press"
}

test_trusted_can_read_windows_and_inject_input() {
    need_x11
    need_probe
    probe_trusted_window || return
    assert_status 0 hutch_run --allow x11 --x11 trusted --ro "$PROBE_DIR" -- \
        "$PROBE" getimage "$WINDOW"
    assert_eq allowed "$(last_stdout)" "XGetImage of a trusted window"
    assert_status 0 hutch_run --allow x11 --x11 trusted --ro "$PROBE_DIR" -- "$PROBE" xtest
    assert_eq allowed "$(last_stdout)" "XTEST fake key press"
}

test_without_x11_display_unreachable_by_path_and_abstract_socket() {
    need_x11
    need_probe
    local n
    n=$(display_number)
    # The probe itself reaches both from the host, so "unreachable" means something.
    assert_status 0 as_user "$PROBE" socket "$n"
    assert_eq "path reachable abstract reachable" "$(last_stdout | tr '\n' ' ' | sed 's/ $//')"
    assert_status 0 hutch_run --ro "$PROBE_DIR" -- "$PROBE" socket "$n"
    assert_eq "path unreachable abstract unreachable" "$(last_stdout | tr '\n' ' ' | sed 's/ $//')"
    assert_status nonzero hutch_run --env "DISPLAY=:$n" -- xdpyinfo
}

test_with_x11_only_the_path_socket_is_used() {
    need_x11_security
    need_probe
    local n
    n=$(display_number)
    assert_status 0 hutch_run --allow x11 --ro "$PROBE_DIR" -- "$PROBE" socket "$n"
    assert_eq "path reachable abstract unreachable" "$(last_stdout | tr '\n' ' ' | sed 's/ $//')"
    assert_status 0 hutch_run --allow x11 -- ls -A /tmp/.X11-unix
    assert_eq "X$n" "$(last_stdout)" "only this display's socket"
}

test_glxinfo_llvmpipe_trusted() {
    need_x11
    need_cmd glxinfo
    assert_status 0 hutch_run --allow x11 --x11 trusted -- glxinfo -B
    assert_contains "$(last_stdout)" "llvmpipe"
}

test_tcp_display_refused() {
    assert_status 125 env DISPLAY=localhost:10.0 "$HUTCH" run --allow x11 -- true
    assert_contains "$(last_stderr)" "DISPLAY=localhost:10.0 is a TCP display"
}

test_untrusted_cookie_revoked_at_exit() {
    need_x11_security
    local name=revoke-$$
    as_user "$HUTCH" run --name "$name" --allow x11 --rw "$T" -- \
        sh -c "cp \"\$XAUTHORITY\" '$T/cookie' && touch '$T/copied' && sleep 30" &
    BG_PID=$!
    wait_for test -e "$T/copied" || { assert_eq "cookie copied" "no" ""; return; }
    XAUTHORITY=$T/cookie assert_status 0 as_user xdpyinfo
    assert_status 0 kill "$(hutch_pid "$name")"
    wait "$BG_PID"
    BG_PID=
    XAUTHORITY=$T/cookie assert_status nonzero as_user xdpyinfo
    assert_contains "$(last_stderr)" "Invalid MIT-MAGIC-COOKIE-1 key"
}

# An X server of the test's own; arguments go to Xvfb.
start_own_xvfb() {
    need_root
    need_cmd Xvfb xauth mcookie
    local n
    for n in $(seq 150 199); do
        [ -e "/tmp/.X$n-lock" ] || [ -e "/tmp/.X11-unix/X$n" ] || break
    done
    XVFB_N=$n
    xauth -q -f "$T/plain.auth" add ":$n" . "$(mcookie)"
    chmod 0644 "$T/plain.auth"
    Xvfb ":$n" -auth "$T/plain.auth" -nolisten tcp "$@" -screen 0 320x240x24 \
        >"$T/xvfb.log" 2>&1 &
    XVFB_PID=$!
    wait_for env DISPLAY=":$n" XAUTHORITY="$T/plain.auth" xdpyinfo ||
        skip "Xvfb :$n did not start"
}

test_no_security_extension_fails_closed_unless_trusted() {
    start_own_xvfb -extension SECURITY
    DISPLAY=:$XVFB_N XAUTHORITY=$T/plain.auth assert_status 125 \
        hutch_run --allow x11 -- xdpyinfo
    assert_contains "$(last_stderr)" "lacks the SECURITY extension"
    assert_contains "$(last_stderr)" "--x11 trusted"
    DISPLAY=:$XVFB_N XAUTHORITY=$T/plain.auth assert_status 0 \
        hutch_run --allow x11 --x11 trusted -- xdpyinfo
    assert_contains "$(last_stdout)" "name of display:    :$XVFB_N"
}

test_dry_run_says_whether_abstract_socket_is_reachable() {
    need_x11_security
    assert_status 0 hutch_run --dry-run --allow x11 -- true
    assert_contains "$(last_stdout)" "out of reach (own network namespace)"
    assert_contains "$(last_stdout)" "untrusted cookie from the SECURITY extension"
    assert_status 0 hutch_run --dry-run --net host -- true
    assert_contains "$(last_stdout)" "network is host, so the abstract socket"
}

test_x_server_gone_keeps_the_app_exit_status() {
    start_own_xvfb +extension SECURITY
    DISPLAY=:$XVFB_N XAUTHORITY=$T/plain.auth as_user "$HUTCH" run --allow x11 -- \
        sh -c 'sleep 1.5; exit 7' &
    local hutch=$!
    sleep 0.7
    kill "$XVFB_PID"
    wait "$XVFB_PID"
    XVFB_PID=
    wait "$hutch"
    assert_eq 7 "$?" "exit status after the X server went away"
}

test_cookie_of_killed_hutch_revoked_by_next_command() {
    need_x11_security
    need_probe
    # A client that stays, so the server does not reset (and forget the
    # cookie by itself) when the killed hutch's connection drops.
    probe_trusted_window || return
    local name=xkill-$$
    as_user "$HUTCH" run --name "$name" --allow x11 --rw "$T" -- \
        sh -c "cp \"\$XAUTHORITY\" '$T/cookie' && touch '$T/copied' && sleep 30" &
    local hutch=$!
    wait_for test -e "$T/copied" || { assert_eq "cookie copied" "no" ""; return; }
    assert_status 0 kill -KILL "$(hutch_pid "$name")"
    wait "$hutch"
    XAUTHORITY=$T/cookie assert_status 0 as_user xdpyinfo
    assert_status 0 hutch_run -- true
    XAUTHORITY=$T/cookie assert_status nonzero as_user xdpyinfo
    assert_contains "$(last_stderr)" "Invalid MIT-MAGIC-COOKIE-1 key"
}
