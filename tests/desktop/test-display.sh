# SPDX-License-Identifier: LGPL-2.1-or-later
# hutch-test-timeout: 240
# The display permission: Wayland where the session has a compositor (apps
# draw natively), X11 only where it does not. Real compositors: the suite's
# weston, and a weston of the test's own with a seat (x11 backend on a
# private Xvfb, pixman renderer, --debug for screenshots) where apps must
# draw; the suite's Xvfb for the X11 fallback.
. "$REPO/tests/desktop/desktop.sh"

COMPOSITOR=$PROBE_DIR/secctx-compositor
# A window has appeared when this many pixels of the screen changed (the
# screens are 800x600 and 1280x1024; the clocks change a few hundred).
WINDOW_PIXELS=20000

teardown() {
    local pid
    for pid in ${APP_PID:-} ${COMP_PID:-} ${WESTON_PID:-} ${XVFB_PID:-}; do
        kill "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
}

# The session without its compositor, or without any display.
without_wayland() { (unset WAYLAND_DISPLAY && "$@"); }
without_any_display() { (unset WAYLAND_DISPLAY DISPLAY && "$@"); }

# free_display: a display number nothing uses, above the suite's. A lock
# whose server is gone (a run that was killed) counts as free once its
# lock and socket are removed: a stale socket would pass for the new
# server's before it listens.
free_display() {
    local n pid
    for n in $(seq 120 160); do
        pid=$(tr -dc '0-9' <"/tmp/.X$n-lock" 2>/dev/null)
        if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
            continue
        fi
        [ -n "$pid" ] || [ ! -e "/tmp/.X11-unix/X$n" ] || continue
        rm -f "/tmp/.X$n-lock" "/tmp/.X11-unix/X$n"
        echo "$n"
        return 0
    done
    return 1
}

# start_wayland_session [WESTON-OPTIONS...]: weston with a seat, as the test
# user, on its own Xvfb; sets SESSION_WL (its socket name) and SESSION_LOG.
start_wayland_session() {
    need_cmd weston Xvfb weston-screenshooter compare
    local n runtime
    n=$(free_display) || skip "no free X display number"
    as_user Xvfb ":$n" -screen 0 1024x768x24 -nolisten tcp >"$T/xvfb.log" 2>&1 &
    XVFB_PID=$!
    wait_for test -S "/tmp/.X11-unix/X$n" ||
        { assert_eq "Xvfb :$n started" "no: $(cat "$T/xvfb.log")"; return 1; }
    SESSION_WL=wl-session-$$
    SESSION_LOG=$T/weston.log
    DISPLAY=:$n as_user weston --backend=x11-backend.so --use-pixman --debug --idle-time=0 \
        --width=800 --height=600 --socket="$SESSION_WL" "$@" >"$SESSION_LOG" 2>&1 &
    WESTON_PID=$!
    runtime=$(user_runtime_dir "$TEST_USER")
    wait_for test -S "$runtime/$SESSION_WL" ||
        { assert_eq "weston started" "no: $(tail -5 "$SESSION_LOG")"; return 1; }
}

# wl_screenshot FILE: the session's screen, through weston's screenshooter.
wl_screenshot() {
    rm -f "$T"/wayland-screenshot-*.png
    (cd "$T" && WAYLAND_DISPLAY=$SESSION_WL as_user timeout 10 weston-screenshooter) ||
        return 1
    mv "$T"/wayland-screenshot-*.png "$1"
}

# x_windows: ids of the suite's X server's top-level windows.
x_windows() {
    as_user xwininfo -display "$DISPLAY" -root -children | awk '/^ +0x/ { print $1 }' | sort
}

# x_window_drawn BEFORE-LIST FILE: a viewable top-level window of at least
# 100x100 that is not in BEFORE-LIST and holds a picture (16 colours or
# more) is captured into FILE. The root may be black like an app's window,
# so windows are looked at rather than pixels of the whole screen.
x_window_drawn() {
    local id info
    for id in $(comm -13 "$1" <(x_windows)); do
        info=$(as_user xwininfo -display "$DISPLAY" -id "$id") || continue
        grep -q "Map State: IsViewable" <<<"$info" || continue
        [ "$(awk '/Width:/ { print $2 }' <<<"$info")" -ge 100 ] || continue
        as_user import -display "$DISPLAY" -window "$id" "$2" 2>/dev/null || continue
        [ "$(convert "$2" -format %k info:)" -ge 16 ] && return 0
    done
    return 1
}

# changed_pixels A B
changed_pixels() { compare -metric AE "$1" "$2" null: 2>&1 | cut -d' ' -f1; }

# window_appears SESSION BEFORE: poll for up to 20 s until the app's
# window shows: on Wayland, a screenshot differing from BEFORE (a
# screenshot) by a window's worth of pixels; on X11, a new drawn top-level
# window (BEFORE: the window list). The picture is left in $T/after.png.
window_appears() {
    local session=$1 before=$2 i n
    for i in $(seq 20); do
        sleep 1
        if [ "$session" = x11 ]; then
            x_window_drawn "$before" "$T/after.png" && return 0
            continue
        fi
        wl_screenshot "$T/after.png" 2>/dev/null || continue
        n=$(changed_pixels "$before" "$T/after.png")
        [ "${n%%.*}" -ge "$WINDOW_PIXELS" ] 2>/dev/null && return 0
    done
    return 1
}

# shows_window SESSION WHAT HUTCH-RUN-ARGS...: start the app in the
# background on SESSION (wayland: the test's weston; x11: the suite's Xvfb,
# with no compositor in reach) and assert that its window shows.
shows_window() {
    local session=$1 what=$2 name=disp-$$-$2-$1
    shift 2
    if [ "$session" = wayland ]; then
        wl_screenshot "$T/before" || { assert_eq "screenshot" "failed"; return 1; }
        WAYLAND_DISPLAY=$SESSION_WL hutch_run --name "$name" "$@" >"$T/app.log" 2>&1 &
    else
        x_windows >"$T/before"
        without_wayland hutch_run --name "$name" "$@" >"$T/app.log" 2>&1 &
    fi
    APP_PID=$!
    if window_appears "$session" "$T/before"; then
        assert_eq ok ok "$what shows its window on $session"
        cp "$T/after.png" "$T/$what-$session.png"
    else
        assert_eq "$what window on $session" "none; app said: $(grep -v '^GL ext' "$T/app.log" | tail -5)"
    fi
    as_user "$HUTCH" stop --timeout 3 "$name" >/dev/null 2>&1
    wait "$APP_PID" 2>/dev/null
    APP_PID=
}

test_display_is_wayland_on_a_wayland_session() {
    need_wayland
    need_cmd wayland-info
    assert_status 0 hutch_run --dry-run --allow display -- true
    assert_contains "$(last_stdout)" "note       display: Wayland, the session's compositor at"
    assert_contains "$(last_stdout)" "allow wayland (display (--allow))"
    assert_contains "$(last_stdout)" "env        QT_QPA_PLATFORM=wayland"
    assert_contains "$(last_stdout)" "env        SDL_VIDEODRIVER=wayland"
    assert_contains "$(last_stdout)" "env        MOZ_ENABLE_WAYLAND=1"
    assert_not_contains "$(last_stdout)" "allow x11"
    # The host has an X display too; the app gets none.
    assert_ne "" "${DISPLAY:-}" "the suite runs an X server"
    # shellcheck disable=SC2016
    assert_status 0 hutch_run --allow display -- sh -c \
        'echo "${DISPLAY:-unset} $XDG_SESSION_TYPE"; wayland-info >/dev/null && echo drawn'
    assert_eq "unset wayland
drawn" "$(last_stdout)"
}

test_display_falls_back_to_x11_without_a_compositor() {
    need_x11_security
    need_cmd xdpyinfo
    assert_status 0 without_wayland hutch_run --dry-run --allow display -- true
    assert_contains "$(last_stdout)" "note       display: X11 at DISPLAY=$DISPLAY, since no Wayland compositor"
    assert_contains "$(last_stdout)" "allow x11 (display (--allow))"
    assert_contains "$(last_stdout)" "env        QT_QPA_PLATFORM=xcb"
    assert_not_contains "$(last_stdout)" "allow wayland"
    # shellcheck disable=SC2016
    assert_status 0 without_wayland hutch_run --allow display -- sh -c \
        'xdpyinfo >/dev/null && echo "drawn ${WAYLAND_DISPLAY:-none} $XDG_SESSION_TYPE"'
    assert_eq "drawn none x11" "$(last_stdout)"
}

test_display_besides_x11_gives_both_on_wayland() {
    need_wayland
    need_x11
    assert_status 0 hutch_run --dry-run --allow display --allow x11 --x11 trusted -- true
    assert_contains "$(last_stdout)" "display: Wayland"
    assert_contains "$(last_stdout)" "X11 too, which the profile grants on its own"
    assert_contains "$(last_stdout)" "env        QT_QPA_PLATFORM=wayland;xcb"
    assert_contains "$(last_stdout)" "env        SDL_VIDEODRIVER=wayland,x11"
    assert_contains "$(last_stdout)" "env        DISPLAY="
}

test_no_display_at_all_is_one_clear_line() {
    assert_status 125 without_any_display hutch_run --allow display -- touch "$T/ran"
    assert_eq 1 "$(last_stderr | wc -l)" "one line"
    assert_contains "$(last_stderr)" "hutch: display: this session has no display"
    assert_contains "$(last_stderr)" "DISPLAY is unset"
    assert_file_not_exists "$T/ran"
}

test_check_says_which_display() {
    need_wayland
    assert_status 0 as_user "$HUTCH" check
    assert_match "display: +enabled — Wayland: the session's compositor at" "$(last_stdout)"
    assert_status 0 without_wayland as_user "$HUTCH" check
    assert_match "display: +enabled — X11 at DISPLAY=" "$(last_stdout)"
}

# GTK, SDL and Qt programs draw natively on Wayland inside: the host's X
# display is not given to them, so the window in the compositor's
# screenshot can only be a Wayland surface.
test_native_wayland_apps_draw_on_the_compositor() {
    need_cmd gtk3-widget-factory featherpad
    local sdl=/usr/libexec/installed-tests/SDL2/testspriteminimal
    [ -x "$sdl" ] || skip "libsdl2-tests not installed"
    start_wayland_session || return
    shows_window wayland gtk3 --allow display -- gtk3-widget-factory
    shows_window wayland sdl2 --allow display --ro "$sdl" -- "$sdl"
    shows_window wayland qt5 --allow display -- featherpad
}

# The shipped GUI profiles on both sessions: natively on Wayland, and on
# X11 (untrusted) where the session has no compositor.
test_shipped_gui_profiles_run_on_both_sessions() {
    need_x11_security
    need_pulse
    need_cmd mousepad evince mpv /usr/games/neverball
    start_wayland_session || return
    local profile
    for profile in mousepad evince mpv neverball; do
        shows_window wayland "$profile" --profile "$profile"
        shows_window x11 "$profile" --profile "$profile"
    done
}

# X11 apps on a Wayland session get the session's Xwayland under the X11
# rules: weston's Xwayland has no SECURITY extension, so untrusted is
# refused with the reason and trusted works.
test_x11_app_on_a_wayland_session_uses_xwayland() {
    need_cmd xeyes xdpyinfo
    start_wayland_session --xwayland || return
    local n
    wait_for grep -q "xserver listening on display" "$SESSION_LOG"
    n=$(grep -o "xserver listening on display :[0-9]*" "$SESSION_LOG" | grep -o ":[0-9]*$")
    [ -n "$n" ] || { assert_eq "Xwayland display" "none in the weston log"; return; }
    WAYLAND_DISPLAY=$SESSION_WL DISPLAY=$n assert_status 125 hutch_run --allow x11 -- true
    assert_contains "$(last_stderr)" "lacks the SECURITY extension"
    DISPLAY=$n shows_window wayland xeyes --allow x11 --x11 trusted -- xeyes
}

# The security context lets the compositor keep privileged protocols
# (screen copies, virtual keyboards, clipboard managers) from sandboxed
# clients: listed outside, absent inside.
test_privileged_protocols_are_hidden_from_sandboxed_clients() {
    [ -x "$COMPOSITOR" ] || skip "secctx-compositor not built (needs libwayland-dev)"
    need_cmd wayland-info
    local name=wl-priv-$$ proto
    as_user "$COMPOSITOR" "$name" >"$T/compositor.log" 2>&1 &
    COMP_PID=$!
    wait_for grep -q '^listening' "$T/compositor.log" ||
        { assert_eq "compositor started" "no: $(cat "$T/compositor.log")"; return; }
    WAYLAND_DISPLAY=$name assert_status 0 as_user wayland-info
    local outside=$(last_stdout)
    WAYLAND_DISPLAY=$name assert_status 0 hutch_run --allow display -- wayland-info
    local inside=$(last_stdout)
    for proto in zwlr_screencopy_manager_v1 zwp_virtual_keyboard_manager_v1 \
        zwlr_data_control_manager_v1; do
        assert_contains "$outside" "'$proto'" "listed to an ordinary client"
        assert_not_contains "$inside" "$proto" "hidden from the sandbox"
    done
    assert_contains "$inside" "'wl_shm'"
}
