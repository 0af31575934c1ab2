# SPDX-License-Identifier: LGPL-2.1-or-later
# The shipped profiles' bus rules, with real apps: a GUI profile reaches
# the notification service and nothing else, and mpv (with mpv-mpris) is
# controlled through MPRIS from outside its sandbox.
. "$REPO/tests/dbus/dbus.sh"

teardown() {
    stop_recorded
}

mpris() {
    on_bus gdbus call -e -d org.mpris.MediaPlayer2.mpv -o /org/mpris/MediaPlayer2 -m "$@"
}

playback_status() {
    mpris org.freedesktop.DBus.Properties.Get org.mpris.MediaPlayer2.Player PlaybackStatus
}

test_gui_profile_talks_to_notifications_and_nothing_else() {
    need_dbus
    need_x11
    need_cmd notify-send
    start_session_bus && start_services org.freedesktop.Notifications org.example.Other ||
        { assert_eq "services" "not started" "$(cat "$T/services.out")"; return; }
    assert_status 0 hutch_bus --profile mousepad -- notify-send "from mousepad's sandbox"
    assert_contains "$(cat "$T/services.log")" "notify from mousepad's sandbox"
    assert_status 0 hutch_bus --profile mousepad -- python3 "$CLIENT" names
    assert_contains "$(last_stdout)" " org.freedesktop.Notifications"
    assert_not_contains "$(last_stdout)" "org.example.Other"
    assert_status 0 hutch_bus --profile mousepad -- python3 "$CLIENT" call org.example.Other Allowed
    assert_eq "call Allowed: org.freedesktop.DBus.Error.ServiceUnknown" "$(last_stdout)"
    assert_status 0 hutch_bus --profile mousepad -- sh -c 'echo "$GTK_USE_PORTAL"'
    assert_eq 1 "$(last_stdout)" "GTK and GLib use the portals"
}

test_mpv_is_controlled_through_mpris_from_outside() {
    need_dbus
    need_x11
    need_pulse
    need_cmd mpv sox gdbus
    [ -e /etc/mpv/scripts/mpris.so ] || skip "needs mpv-mpris"
    start_session_bus || { assert_eq "bus" "not started" ""; return; }
    sox -n -r 44100 -c 2 -b 16 "$T/tone.wav" synth 2 sine 440 vol 0.1
    chmod 0644 "$T/tone.wav"
    bg_as_user env DBUS_SESSION_BUS_ADDRESS="$SESSION_BUS" "$HUTCH" run --profile mpv --ro "$T" \
        -- mpv --vo=null --loop-file=inf "$T/tone.wav" >"$T/mpv.out" 2>&1
    local hutch_pid=$LAST_PID
    wait_for playback_status || { assert_eq "mpv on the bus" "not there" "$(tail -5 "$T/mpv.out")"; return; }
    assert_eq "(<'Playing'>,)" "$(playback_status)"
    assert_status 0 mpris org.mpris.MediaPlayer2.Player.Pause
    assert_eq "(<'Paused'>,)" "$(playback_status)" "paused from outside"
    assert_status 0 mpris org.mpris.MediaPlayer2.Player.PlayPause
    assert_eq "(<'Playing'>,)" "$(playback_status)" "playing again"
    assert_status 0 mpris org.mpris.MediaPlayer2.Quit
    wait "$hutch_pid"
    assert_eq 0 "$?" "mpv quit when asked"
}

# What a new user tried: `hutch run mousepad ~/notes.txt` opened an empty
# buffer and saved into the throwaway home. Now the file comes in through
# the document portal, and the edit lands in the user's file.
test_mousepad_edits_and_saves_the_file_given_on_the_command_line() {
    need_dbus
    need_x11
    need_cmd mousepad xdotool
    start_session_bus && start_doc_portal || { assert_eq "portal" "not started" "$(cat "$T/doc-mount")"; return; }
    printf 'first line\n' >"$T/notes.txt"
    chown "$TEST_USER" "$T/notes.txt"
    # X11, where xdotool finds and types into the window (the profile's
    # display would be Wayland where the suite runs a compositor).
    bg_as_user env -u WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS="$SESSION_BUS" "$HUTCH" run mousepad "$T/notes.txt" \
        >"$T/mousepad.out" 2>&1
    local hutch_pid=$LAST_PID window
    WAIT_FOR_SECONDS=15 wait_for as_user xdotool search --name 'notes.txt - Mousepad' ||
        { assert_eq "a mousepad window" "none" "$(tail -3 "$T/mousepad.out")"; return; }
    window=$(as_user xdotool search --name 'notes.txt - Mousepad' | head -n 1)
    assert_match "^/run/user/$(user_uid "$TEST_USER")/doc/[0-9a-f]+/notes.txt - Mousepad( \(hutch: [a-z0-9-]+\))?$" \
        "$(as_user xdotool getwindowname "$window")" "it opened the document"
    as_user xdotool windowfocus --sync "$window"
    as_user xdotool key ctrl+End
    as_user xdotool type --delay 20 "typed in the sandbox"
    as_user xdotool key Return ctrl+s
    wait_for grep -q "typed in the sandbox" "$T/notes.txt"
    as_user xdotool key ctrl+q
    wait "$hutch_pid"
    assert_eq "first line
typed in the sandbox" "$(cat "$T/notes.txt")" "saved into the user's file"
}
