# SPDX-License-Identifier: LGPL-2.1-or-later
# x11=nested: the app gets an X server of its own, and xpra shows its
# windows on the user's display. What SECURITY leaves open to an untrusted
# client (the selections, CUT_BUFFER0, keyboard grabs) is shown working
# under untrusted and getting nothing under nested; the app's own window
# appears on the user's display and takes input.
. "$REPO/tests/desktop/desktop.sh"

setup() {
    need_x11_security
    need_probe
    need_cmd xpra Xvfb xsel xdotool xwd convert
    NAME=nested-$$
}

teardown() {
    local pid
    for pid in ${BG_PID:-} ${WINDOW_PID:-} ${SEL_PIDS:-}; do
        kill "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    if [ -n "${SEL_PIDS:-}" ]; then
        xprop -root -remove CUT_BUFFER0
    fi
}

# run_nested ARGS...: hutch run --x11 nested with the probe visible.
run_nested() {
    hutch_run --name "$NAME" --allow x11 --x11 nested --ro "$PROBE_DIR" "$@"
}

# own_selections: the user's clipboard, primary selection and cut buffer
# hold secrets, as another client of theirs would leave them. A window of
# theirs stays open meanwhile: a server whose last client leaves resets,
# dropping the cut buffer and refusing clients while it does.
own_selections() {
    as_user "$PROBE" window >"$T/window" &
    WINDOW_PID=$!
    wait_for test -s "$T/window" || { assert_eq "user's window" "mapped" ""; return; }
    SEL_PIDS=
    printf clip-secret | xsel -b -i -n &
    SEL_PIDS="$SEL_PIDS $!"
    printf prim-secret | xsel -p -i -n &
    SEL_PIDS="$SEL_PIDS $!"
    xprop -root -f CUT_BUFFER0 8s -set CUT_BUFFER0 cut-secret
    wait_for sh -c '[ "$(xsel -o -b)" = clip-secret ] && [ "$(xsel -o -p)" = prim-secret ]' ||
        assert_eq "selections set" "no" ""
}

# The xpra logs of sandbox $NAME, for a failure's message.
nested_logs() {
    local dir
    dir=$(user_runtime_dir "$TEST_USER")/hutch/$NAME
    tail -n 5 "$dir/xpra-client.log" "$dir/x11/xpra-server.log" "$dir/x11/Xvfb.log" 2>&1
    xwininfo -root -tree | grep -F "hutch: " || true
}

# The window of sandbox $NAME's app on the user's display, as xpra titles it.
app_window() {
    xwininfo -root -tree | awk -v t="x11probe (hutch: $NAME)" 'index($0, "\"" t "\"") { print $1; exit }'
}

test_nested_app_cannot_read_selections_or_cut_buffer() {
    own_selections
    local read='xsel -o -b -t 2000; echo; xsel -o -p -t 2000; echo; "$0" cutbuffer'
    # Positive control: an untrusted client reads them all.
    assert_status 0 hutch_run --allow x11 --ro "$PROBE_DIR" -- sh -c "$read" "$PROBE"
    assert_eq "clip-secret prim-secret cut-secret" "$(last_stdout | tr '\n' ' ' | sed 's/ $//')"
    assert_status 0 run_nested -- sh -c "$read" "$PROBE"
    assert_not_contains "$(last_stdout)" secret "selections under nested"
    assert_contains "$(last_stdout)" "(none)" "CUT_BUFFER0 under nested"
}

test_nested_app_cannot_read_the_screen() {
    as_user "$PROBE" window >"$T/window" &
    WINDOW_PID=$!
    wait_for test -s "$T/window" || { assert_eq "host window" "mapped" ""; return; }
    # Positive control: a trusted client sees the user's orange window.
    assert_status 0 hutch_run --allow x11 --x11 trusted --ro "$PROBE_DIR" -- "$PROBE" rootimage
    assert_match '^orange [1-9]' "$(last_stdout)" "trusted root window read"
    assert_status 0 run_nested -- "$PROBE" rootimage
    assert_eq "orange 0" "$(last_stdout)" "nested root window read"
}

# grab_logs MODE...: what a sandboxed keyboard grab takes while the user
# types "secret" into their own window.
grab_logs() {
    as_user "$PROBE" window >"$T/window" &
    WINDOW_PID=$!
    wait_for test -s "$T/window" || return
    as_user "$HUTCH" run --allow x11 --ro "$PROBE_DIR" "$@" -- "$PROBE" grab 8 >"$T/grab.out" 2>&1 &
    BG_PID=$!
    WAIT_FOR_SECONDS=20 wait_for grep -q grab "$T/grab.out"
    sleep 0.5 # nested: let xpra settle, so a late focus change does not hide a key
    xdotool windowfocus --sync "$(cat "$T/window")"
    xdotool key --delay 50 s e c r e t
    wait "$BG_PID"
    BG_PID=
    kill "$WINDOW_PID"
    wait "$WINDOW_PID" 2>/dev/null
    WINDOW_PID=
}

test_untrusted_keyboard_grab_logs_the_users_typing() {
    grab_logs
    assert_contains "$(cat "$T/grab.out")" "grabbed"
    assert_eq 6 "$(grep -c '^key ' "$T/grab.out")" "keys an untrusted grab took: $(cat "$T/grab.out")"
}

test_nested_keyboard_grab_takes_nothing_of_the_users() {
    grab_logs --name "$NAME" --x11 nested
    assert_contains "$(cat "$T/grab.out")" "grabbed" "the grab on its own server succeeds"
    assert_eq 0 "$(grep -c '^key ' "$T/grab.out")" "keys a nested grab took: $(cat "$T/grab.out")"
}

test_nested_window_shows_on_the_users_display_and_takes_input() {
    as_user "$HUTCH" run --name "$NAME" --allow x11 --x11 nested --ro "$PROBE_DIR" -- \
        "$PROBE" keys 40 >"$T/keys.out" 2>"$T/hutch.err" &
    BG_PID=$!
    WAIT_FOR_SECONDS=30 wait_for sh -c "[ -n \"\$(xwininfo -root -tree | grep -F 'x11probe (hutch: $NAME)')\" ]" ||
        { assert_eq "app window" "shown" "$(cat "$T/hutch.err"; nested_logs)"; return; }
    local wid mean
    wid=$(app_window)
    sleep 0.5 # let it draw
    assert_status 0 xwd -silent -id "$wid" -out "$T/app.xwd" || return
    mean=$(convert "xwd:$T/app.xwd" -format '%[fx:mean.r] %[fx:mean.g] %[fx:mean.b]' info:)
    assert_eq 1 "$(awk -v m="$mean" 'BEGIN { split(m, c, " "); print (c[1] > 0.9 && c[2] > 0.4 && c[2] < 0.6 && c[3] < 0.1) }')" \
        "the app's orange window on the user's display (mean colour $mean)"
    xdotool windowfocus --sync "$wid"
    xdotool key --delay 50 h i
    wait_for grep -q "key i" "$T/keys.out"
    assert_eq "mapped key h key i" "$(tr '\n' ' ' <"$T/keys.out" | sed 's/ $//')" "what the app received"
    # It ends with its sandbox: no window, no xpra, no X server left.
    assert_status 0 kill "$(hutch_pid "$NAME")"
    wait "$BG_PID"
    BG_PID=
    wait_for sh -c "[ -z \"\$(xwininfo -root -tree | grep -F '(hutch: $NAME)')\" ]"
    assert_eq "" "$(app_window)" "window after the sandbox ended"
    assert_eq "" "$(pgrep -u "$TEST_USER" -f "xpra .*hutch/$NAME/" || true)" "xpra left over"
}

test_killed_hutch_leaves_no_nested_server_or_client() {
    as_user "$HUTCH" run --name "$NAME" --allow x11 --x11 nested --ro "$PROBE_DIR" -- \
        "$PROBE" keys 40 >/dev/null 2>&1 &
    BG_PID=$!
    WAIT_FOR_SECONDS=30 wait_for sh -c "[ -n \"\$(xwininfo -root -tree | grep -F '(hutch: $NAME)')\" ]" ||
        { assert_eq "app window" "shown" ""; return; }
    assert_status 0 kill -KILL "$(hutch_pid "$NAME")"
    wait "$BG_PID"
    BG_PID=
    wait_for sh -c "! pgrep -u '$TEST_USER' -f 'xpra attach socket:.*/hutch/$NAME/'" ||
        assert_eq "xpra client" "gone" "still running"
    wait_for sh -c "[ -z \"\$(xwininfo -root -tree | grep -F '(hutch: $NAME)')\" ]" ||
        assert_eq "app window" "gone" "still shown"
    assert_eq "" "$(pgrep -u "$TEST_USER" -f 'hutch-x11-nested|Xvfb -displayfd' || true)" \
        "nested server processes left"
}

test_nested_clipboard_crosses_when_granted() {
    own_selections
    # Until xpra has attached and synchronised, the app may see no
    # clipboard: poll. While xpra attaches, a request can go unanswered
    # (xsel's own -t does not bound that): timeout. On failure, xpra's log.
    local poll='for i in $(seq 10); do v=$(timeout 3 xsel -o -b -t 1000); [ -n "$v" ] && break; sleep 0.2; done
        echo "clipboard ${v:-none}"; echo "primary $(timeout 3 xsel -o -p -t 1000)"
        [ -n "$v" ] || tail -n 8 /run/hutch/x11/xpra-server.log'
    assert_status 0 run_nested --allow clipboard -- sh -c "$poll"
    # The primary selection crosses with it (hutch(1) says so).
    assert_eq "clipboard clip-secret|primary prim-secret" "$(last_stdout | paste -sd '|')" \
        "the user's clipboard and primary selection, clipboard granted"
}

test_nested_clipboard_stays_out_when_not_granted() {
    own_selections
    # As long as it takes xpra to attach and pass the clipboard on when granted.
    assert_status 0 run_nested -- sh -c "sleep 5; timeout 3 xsel -o -b -t 1000; timeout 3 xsel -o -p -t 1000; echo none"
    assert_eq none "$(last_stdout)" "the user's clipboard, clipboard not granted"
}

test_nested_dry_run_and_missing_xpra() {
    assert_status 0 hutch_run --dry-run --allow x11 --x11 nested -- true
    assert_contains "$(last_stdout)" "x11: nested: the app gets an X server of its own"
    assert_contains "$(last_stdout)" "clipboard not shared"
    assert_not_contains "$(last_stdout)" "/tmp/.X11-unix/X$(display_number)" "the user's socket"
    # A PATH where xpra is not: one line, with the fix.
    mkdir "$T/bin"
    ln -s "$(command -v Xvfb)" "$T/bin/Xvfb"
    assert_status 125 as_user env PATH="$T/bin:/nonexistent" "$HUTCH" run --allow x11 --x11 nested -- true
    assert_eq 1 "$(last_stderr | wc -l)" "one line"
    assert_contains "$(last_stderr)" "xpra is not installed"
    assert_contains "$(last_stderr)" "--x11 untrusted"
}

# With network host the host's abstract X sockets are in reach, and Xlib
# tries them first: the app's own server must not share a number with one.
test_nested_with_network_host_reaches_its_own_server() {
    assert_status 0 run_nested --net host -- sh -c 'echo "$DISPLAY"; xdpyinfo | grep dimensions'
    assert_contains "$(last_stdout)" "3840x2400 pixels" "the app's own server"
    assert_not_contains "$(last_stdout | head -1)" ":$(display_number)" "the user's display number"
}
