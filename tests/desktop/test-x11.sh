# SPDX-License-Identifier: LGPL-2.1-or-later
# X11: the display socket alone, untrusted cookies by default, trusted on
# request; the host's abstract socket out of reach.
. "$REPO/tests/desktop/desktop.sh"

teardown() {
    if [ -n "${BG_PID:-}" ]; then
        kill "$BG_PID" 2>/dev/null
        wait "$BG_PID" 2>/dev/null
    fi
    if [ -n "${STALL_PID:-}" ]; then
        kill "$STALL_PID" 2>/dev/null
        wait "$STALL_PID" 2>/dev/null
        rm -f "$STALL_SOCKET"
    fi
    stop_own_xvfb
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

# No record of the cookie is needed for it to go: it was made with an
# expiry, and with hutch and the app gone nothing holds it.
test_cookie_of_killed_hutch_expires_by_itself() {
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
    wait_for sh -c "! pgrep -u '$TEST_USER' -f 'sleep 30' >/dev/null"
    # Valid still (this client's own visit restarts its expiry) ...
    XAUTHORITY=$T/cookie assert_status 0 as_user xdpyinfo
    # ... and gone once no client has used it for the expiry (10 s).
    sleep 11
    XAUTHORITY=$T/cookie assert_status nonzero as_user xdpyinfo
    assert_contains "$(last_stderr)" "Invalid MIT-MAGIC-COOKIE-1 key"
}

# assert_no_sandbox_left NAME: not listed, and no runtime dir of it on the host.
assert_no_sandbox_left() {
    assert_status 0 as_user "$HUTCH" ls
    assert_not_contains "$(last_stdout)" "$1"
    local dir
    dir=$(user_runtime_dir "$TEST_USER")/hutch/$1
    assert_eq absent "$([ -e "$dir" ] && echo present || echo absent)" "$dir"
}

test_wrong_cookie_is_one_clear_line_and_leaves_no_sandbox() {
    need_x11
    need_cmd xauth mcookie
    local n mode name=badcookie-$$
    n=$(display_number)
    xauth -q -f "$T/wrong.auth" add ":$n" . "$(mcookie)" 2>/dev/null
    chmod 0644 "$T/wrong.auth"
    for mode in untrusted trusted; do
        XAUTHORITY=$T/wrong.auth assert_status 125 \
            hutch_run --name "$name" --allow x11 --x11 "$mode" -- true
        assert_eq 1 "$(last_stderr | wc -l)" "one line of error ($mode)"
        assert_contains "$(last_stderr)" \
            "DISPLAY=:$n refused the connection: Invalid MIT-MAGIC-COOKIE-1 key"
        assert_contains "$(last_stderr)" "$T/wrong.auth"
        assert_no_sandbox_left "$name"
    done
}

test_no_cookie_names_the_xauthority_file() {
    need_x11
    local n
    n=$(display_number)
    XAUTHORITY=$T/none.auth assert_status 125 hutch_run --allow x11 -- true
    assert_eq 1 "$(last_stderr | wc -l)" "one line of error"
    assert_contains "$(last_stderr)" "DISPLAY=:$n refused the connection"
    assert_contains "$(last_stderr)" "$T/none.auth holds no cookie for :$n"
}

# A socket where an X server should be that accepts and never answers.
test_server_that_never_answers_times_out() {
    need_root
    need_cmd python3
    local n
    for n in $(seq 150 199); do
        [ -e "/tmp/.X$n-lock" ] || [ -e "/tmp/.X11-unix/X$n" ] || break
    done
    STALL_SOCKET=/tmp/.X11-unix/X$n
    python3 -c '
import os, socket, sys
os.umask(0)
s = socket.socket(socket.AF_UNIX)
s.bind(sys.argv[1])
s.listen()
held = []
while True:
    held.append(s.accept()[0])
' "$STALL_SOCKET" &
    STALL_PID=$!
    wait_for test -S "$STALL_SOCKET" || { assert_eq "stalled server" "listening" ""; return; }
    local start=$SECONDS took
    DISPLAY=:$n assert_status 125 hutch_run --name "stall-$$" --allow x11 -- true
    took=$((SECONDS - start))
    assert_contains "$(last_stderr)" \
        "X server at DISPLAY=:$n did not answer the connection setup within 5 s"
    assert_eq 1 "$((took >= 4 && took <= 10))" "gave up after about 5 s (took $took s)"
    assert_no_sandbox_left "stall-$$"
}

# The server refuses the revoke at exit (the cookie is gone already): a
# warning, and the app's exit status still comes back. The cookie's id is
# in the server's audit log.
test_revoke_refused_at_exit_is_a_warning() {
    need_probe
    start_own_xvfb +extension SECURITY -audit 4
    local name=xrevoked-$$ id status
    DISPLAY=:$XVFB_N XAUTHORITY=$T/plain.auth as_user "$HUTCH" run --name "$name" \
        --allow x11 --rw "$T" -- \
        sh -c "touch '$T/started'; while [ ! -e '$T/go' ]; do sleep 0.05; done; exit 3" \
        2>"$T/hutch.err" &
    BG_PID=$!
    wait_for test -e "$T/started" || { assert_eq "app started" "no" ""; return; }
    id=$(sed -n 's/.*generated authorization \([0-9]*\) trust 1 .*/\1/p' "$T/xvfb.log" | tail -1)
    assert_match '^[0-9]+$' "$id" "cookie id from the audit log"
    DISPLAY=:$XVFB_N XAUTHORITY=$T/plain.auth assert_status 0 as_user "$PROBE" revoke "$id"
    assert_eq revoked "$(last_stdout)" "cookie $id revoked by another client"
    touch "$T/go"
    status=0
    wait "$BG_PID" || status=$?
    BG_PID=
    assert_eq 3 "$status" "exit status of the app"
    assert_contains "$(cat "$T/hutch.err")" "the X server refused to revoke cookie $id (X error"
}

# Events reach the connection hutch keeps open (MappingNotify goes to every
# client); the revoke at exit reads past them.
test_events_on_the_kept_connection_do_not_disturb_the_revoke() {
    need_cmd xmodmap
    start_own_xvfb +extension SECURITY
    local name=xevents-$$ i
    DISPLAY=:$XVFB_N XAUTHORITY=$T/plain.auth as_user "$HUTCH" run --name "$name" \
        --allow x11 --rw "$T" -- \
        sh -c "cp \"\$XAUTHORITY\" '$T/cookie' && touch '$T/copied' && sleep 30" \
        2>"$T/hutch.err" &
    BG_PID=$!
    wait_for test -e "$T/copied" || { assert_eq "cookie copied" "no" ""; return; }
    for i in 1 2 3; do
        DISPLAY=:$XVFB_N XAUTHORITY=$T/plain.auth assert_status 0 \
            xmodmap -e "keycode 20$i = F2$i"
    done
    DISPLAY=:$XVFB_N XAUTHORITY=$T/cookie assert_status 0 as_user xdpyinfo
    assert_status 0 kill "$(hutch_pid "$name")"
    wait "$BG_PID"
    BG_PID=
    assert_eq "" "$(cat "$T/hutch.err")" "hutch's stderr"
    DISPLAY=:$XVFB_N XAUTHORITY=$T/cookie assert_status nonzero as_user xdpyinfo
    assert_contains "$(last_stderr)" "Invalid MIT-MAGIC-COOKIE-1 key"
}
