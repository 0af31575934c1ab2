# SPDX-License-Identifier: LGPL-2.1-or-later
# hutch-test-timeout: 240
# The app menu through hutch (hutch desktop), launches from the menu the way
# a desktop starts them (gtk-launch), a second launch, and what a launch
# with no terminal leaves: a log line and a desktop notification.

apps_dir() { echo "$T/home/.local/share/applications"; }

setup() {
    mkdir -p "$T/home" "$T/share/applications" "$T/share/dbus-1/services"
    chown -R "$TEST_USER:" "$T/home"
    chmod -R a+rX "$T/share"
}

teardown() {
    local pid
    for pid in ${BUS_PID:-} ${NOTIFY_PID:-} ${X_KEEPER:-}; do
        kill "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    local name
    for name in $(as_user "$HUTCH" ls 2>/dev/null |
        awk 'NR > 1 && ($2 == "mousepad" || $2 == "firefox-esr") { print $1 }'); do
        as_user "$HUTCH" stop --timeout 2 "$name" >/dev/null 2>&1
    done
    as_user "$HUTCH" stop --timeout 2 "logged-$$" >/dev/null 2>&1
    return 0
}

# as the test user with $T/home as home and $T/share before the system's
# entries
hd() {
    as_user env HOME="$T/home" XDG_DATA_DIRS="$T/share:/usr/local/share:/usr/share" "$@"
}

test_enable_list_disable() {
    need_cmd mpv mousepad desktop-file-validate
    assert_status 0 hd "$HUTCH" desktop enable mpv mousepad
    local mpv=$(apps_dir)/mpv.desktop
    assert_file_exists "$mpv"
    assert_file_exists "$(apps_dir)/org.xfce.mousepad.desktop" "every entry of the profile"
    assert_status 0 desktop-file-validate "$mpv" "$(apps_dir)/org.xfce.mousepad.desktop"
    assert_eq "Exec=$HUTCH run --join --profile mpv -- mpv --player-operation-mode=pseudo-gui -- %U" \
        "$(grep '^Exec=' "$mpv")" "Exec runs the menu's command through hutch, field codes kept"
    local key
    for key in TryExec Icon StartupWMClass MimeType 'Name\[de\]' 'Comment\[fr\]'; do
        assert_eq "$(grep "^$key=" /usr/share/applications/mpv.desktop)" "$(grep "^$key=" "$mpv")" "$key kept"
    done
    assert_contains "$(cat "$mpv")" "X-Hutch-Source=/usr/share/applications/mpv.desktop"
    # Actions too.
    assert_eq 2 "$(grep -c "^Exec=$HUTCH run --join --profile mousepad -- mousepad" \
        "$(apps_dir)/org.xfce.mousepad.desktop")" "the entry's and its action's Exec"
    assert_status 0 hd "$HUTCH" desktop list
    assert_match "mpv +mpv.desktop +on " "$(last_stdout)"
    assert_match "neverball +neverball.desktop +off " "$(last_stdout)"
    # Idempotent.
    local before=$(cat "$mpv")
    assert_status 0 hd "$HUTCH" desktop enable mpv
    assert_eq "$before" "$(cat "$mpv")"
    assert_status 0 hd "$HUTCH" desktop disable --all
    assert_file_not_exists "$mpv" "disable restores the menu as installed"
    assert_file_not_exists "$(apps_dir)/org.xfce.mousepad.desktop"
}

test_users_own_entry_is_left_alone() {
    need_cmd mpv
    mkdir -p "$(apps_dir)"
    printf '[Desktop Entry]\nType=Application\nName=My mpv\nExec=mpv --mine\n' >"$(apps_dir)/mpv.desktop"
    chown -R "$TEST_USER:" "$T/home"
    local mine=$(cat "$(apps_dir)/mpv.desktop")
    assert_status 1 hd "$HUTCH" desktop enable mpv
    assert_contains "$(last_stderr)" "is your own entry; hutch leaves it alone"
    assert_status 0 hd "$HUTCH" desktop enable --all
    assert_contains "$(last_stdout)" "mpv: skipped (your own entry mpv.desktop)"
    assert_status 0 hd "$HUTCH" desktop disable mpv
    assert_eq "$mine" "$(cat "$(apps_dir)/mpv.desktop")" "neither replaced nor removed"
    assert_match "mpv +mpv.desktop +off \(your own" "$(hd "$HUTCH" desktop list)"
}

# A D-Bus activatable app would be started by the bus from its service file,
# bypassing Exec: the entry turns that off, and the service runs through
# hutch too.
test_dbus_activatable_app() {
    need_cmd mousepad
    printf '[Desktop Entry]\nType=Application\nName=Test\nExec=mousepad %%U\nDBusActivatable=true\n' \
        >"$T/share/applications/org.example.Test.desktop"
    printf '[D-BUS Service]\nName=org.example.Test\nExec=/usr/bin/mousepad --gapplication-service\n' \
        >"$T/share/dbus-1/services/org.example.Test.service"
    chmod -R a+rX "$T/share"
    assert_status 0 hd "$HUTCH" desktop enable org.example.Test
    assert_contains "$(cat "$(apps_dir)/org.example.Test.desktop")" "DBusActivatable=false"
    local service=$T/home/.local/share/dbus-1/services/org.example.Test.service
    assert_contains "$(cat "$service")" "Exec=$HUTCH run --join --profile mousepad -- /usr/bin/mousepad --gapplication-service"
    assert_status 0 hd "$HUTCH" desktop disable org.example.Test
    assert_file_not_exists "$service"
}

# mousepad_pids: the mousepad processes of the sandbox of that profile.
sandbox_of_mousepad() { as_user "$HUTCH" ls | awk 'NR > 1 && $2 == "mousepad" { print $1 }'; }

# mousepad_windows: how many mapped windows on the display are mousepad's.
mousepad_windows() { as_user xdotool search --onlyvisible --name 'Mousepad' 2>/dev/null | wc -l; }
mousepad_windows_at_least() { [ "$(mousepad_windows)" -ge "$1" ]; }

# Launched as a desktop does (gtk-launch runs the entry's Exec): the app
# starts in a sandbox and shows its window; a second launch joins it.
test_menu_launch_and_second_launch() {
    need_cmd gtk-launch mousepad xwininfo xdotool
    need_x11_security
    assert_status 0 hd "$HUTCH" desktop enable mousepad
    # No compositor: the display is the suite's X server, where windows
    # can be listed.
    (unset WAYLAND_DISPLAY && hd gtk-launch org.xfce.mousepad) >"$T/launch1.log" 2>&1
    wait_for as_user sh -c "'$HUTCH' ls | awk '\$2 == \"mousepad\"' | grep -q RUNNING" ||
        { assert_eq "a mousepad sandbox" "none: $(cat "$T/launch1.log")"; return; }
    WAIT_FOR_SECONDS=20 wait_for sh -c "as_user xwininfo -root -tree | grep -qi mousepad"
    assert_contains "$(as_user xwininfo -root -tree)" "Mousepad" "its window"
    local name
    name=$(sandbox_of_mousepad)
    (unset WAYLAND_DISPLAY && hd gtk-launch org.xfce.mousepad) >"$T/launch2.log" 2>&1
    # Joined, the second mousepad reaches the first the way it expects
    # (over the session bus where there is one, else as a process of its
    # own): either way a second window, from the same sandbox.
    WAIT_FOR_SECONDS=20 wait_for mousepad_windows_at_least 2
    assert_eq 1 "$(sandbox_of_mousepad | wc -l)" "one sandbox: the second launch joined the first"
    assert_eq 2 "$(mousepad_windows)" "two mousepad windows"
    # --new-instance: a sandbox of its own.
    (unset WAYLAND_DISPLAY && hd "$HUTCH" run --join --new-instance --profile mousepad -- \
        mousepad >/dev/null 2>&1 &)
    WAIT_FOR_SECONDS=20 wait_for sh -c "[ \$('$HUTCH' ls | awk '\$2 == \"mousepad\"' | wc -l) = 2 ]"
    assert_eq 2 "$(sandbox_of_mousepad | wc -l)"
}

# firefox_title_has TEXT: a window on the display has TEXT in its title
# (read as the UTF-8 name: Firefox's titles hold an em dash, which
# xdotool's --name match on the legacy name misses).
firefox_title_has() {
    as_user xdotool search --name . getwindowname %@ 2>/dev/null | grep -qF -- "$1"
}

# The issue's own case: with Firefox running in hutch, a second launch from
# the menu (--join) opens the URL in the running browser, through its
# remote service on the sandbox's session bus, instead of "Firefox is
# already running, but is not responding".
test_second_firefox_launch_opens_the_url_in_the_running_browser() {
    need_cmd firefox-esr xdotool xprop dbus-daemon
    need_x11_security
    need_pulse
    local addr page
    as_user dbus-daemon --session --nofork --print-address=3 --address="unix:tmpdir=/tmp" \
        3>"$T/bus.addr" >/dev/null 2>&1 &
    BUS_PID=$!
    wait_for test -s "$T/bus.addr" || { assert_eq "a session bus" "none"; return; }
    addr=$(head -1 "$T/bus.addr")
    mkdir -p "$T/pages"
    for page in one two; do
        printf '<html><head><title>hutch page %s</title></head><body>%s</body></html>\n' \
            "$page" "$page" >"$T/pages/$page.html"
    done
    chmod -R a+rX "$T/pages"
    # A client of our own for the whole test: Xvfb resets when its last
    # client leaves, and a connection made during the reset is dropped.
    as_user xprop -root -spy >/dev/null 2>&1 &
    X_KEEPER=$!
    # X11, where xdotool reads the window titles.
    (unset WAYLAND_DISPLAY && hd env DBUS_SESSION_BUS_ADDRESS="$addr" "$HUTCH" run --join --detach \
        --profile firefox-esr --ro "$T/pages" -- firefox-esr "file://$T/pages/one.html") \
        </dev/null >"$T/ff1.log" 2>&1
    # A first start makes Firefox's profile: a minute or more on a busy
    # 2-core machine.
    WAIT_FOR_SECONDS=90 wait_for firefox_title_has "hutch page one" ||
        { assert_eq "Firefox showing page one" "none: $(tail -3 "$T/ff1.log")"; return; }
    (unset WAYLAND_DISPLAY && hd env DBUS_SESSION_BUS_ADDRESS="$addr" "$HUTCH" run --join \
        --profile firefox-esr --ro "$T/pages" -- firefox-esr "file://$T/pages/two.html") \
        </dev/null >"$T/ff2.log" 2>&1
    assert_eq 0 "$?" "the second launch handed the URL over: $(tail -3 "$T/ff2.log")"
    WAIT_FOR_SECONDS=30 wait_for firefox_title_has "hutch page two"
    assert_status 0 firefox_title_has "hutch page two" "the running browser opened the second URL"
    assert_status 1 firefox_title_has "Close Firefox" "no 'already running' dialog"
    assert_eq 1 "$(as_user "$HUTCH" ls | awk 'NR > 1 && $2 == "firefox-esr"' | wc -l)" \
        "one Firefox sandbox"
}

# No terminal (a menu launch): a failed launch is logged and notified
# through the session bus.
test_failed_launch_without_a_terminal_notifies_and_logs() {
    need_cmd dbus-daemon
    /usr/bin/python3 -c 'import dbus, gi' 2>/dev/null || skip "python3-dbus or python3-gi not installed"
    local addr
    # (a socket path under $T would be too long for a unix socket)
    as_user dbus-daemon --session --nofork --print-address=3 --address="unix:tmpdir=/tmp" \
        3>"$T/bus.addr" >/dev/null 2>&1 &
    BUS_PID=$!
    wait_for test -s "$T/bus.addr" || { assert_eq "a session bus" "none"; return; }
    addr=$(head -1 "$T/bus.addr")
    : >"$T/notes"
    chmod 0666 "$T/notes"
    as_user env DBUS_SESSION_BUS_ADDRESS="$addr" /usr/bin/python3 "$REPO/tests/cli/notify-service.py" \
        "$T/notes" >"$T/notify.out" 2>&1 &
    NOTIFY_PID=$!
    wait_for grep -q ready "$T/notify.out" ||
        { assert_eq "the notification service" "$(cat "$T/notify.out")"; return; }
    hd env DBUS_SESSION_BUS_ADDRESS="$addr" "$HUTCH" run --profile no-such-app -- true \
        </dev/null >"$T/out" 2>"$T/err"
    assert_eq 125 "$?"
    assert_contains "$(cat "$T/notes")" "hutch|hutch could not start no-such-app|no profile named 'no-such-app'"
    assert_status 0 hd "$HUTCH" log
    assert_match "hutch run --profile no-such-app -- true: no profile named 'no-such-app'" "$(last_stdout)"
    # On a terminal, the error is printed there only: no notification.
    : >"$T/notes"
    assert_status 125 as_user /usr/bin/python3 "$REPO/tests/escape/pty-run.py" \
        env HOME="$T/home" DBUS_SESSION_BUS_ADDRESS="$addr" "$HUTCH" run --profile no-such-app -- true
    assert_contains "$(last_stdout)" "no profile named 'no-such-app'" "printed on the terminal"
    sleep 0.5
    assert_eq "" "$(cat "$T/notes")" "no notification with a terminal"
}

test_detached_output_is_kept_in_the_log() {
    # Output to pipes (not files, which the caller chose) goes to the log.
    # (The app runs long enough for hutch to see it, so the caller gets
    # its name.)
    hd "$HUTCH" run --detach --name "logged-$$" -- sh -c 'echo out-line; echo err-line >&2; sleep 5' \
        </dev/null 2>&1 | cat >"$T/out"
    assert_eq "logged-$$" "$(cat "$T/out")" "the caller gets the name"
    WAIT_FOR_SECONDS=10 wait_for sh -c "grep -q err-line '$T/home/.local/state/hutch/logs/logged-$$.log'"
    assert_status 0 hd "$HUTCH" log "logged-$$"
    assert_contains "$(last_stdout)" "out-line"
    assert_contains "$(last_stdout)" "err-line"
}
