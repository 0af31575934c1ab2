# SPDX-License-Identifier: LGPL-2.1-or-later
# hutch-test-timeout: 120
# A server takes a limited number of clients (PulseAudio 64): a running
# sandbox must hold no connection to it beyond its app's own.
. "$REPO/tests/faults/faults.sh"

# pulse_clients: how many clients the sound server has (pactl among them).
pulse_clients() { as_user pactl list short clients | wc -l; }

test_audio_sandboxes_hold_no_sound_server_connection() {
    need_pulse
    local n=8 i before during
    before=$(pulse_clients)
    for ((i = 0; i < n; i++)); do
        h run --detach --name "$FLT-cl$i" --allow audio -- sleep 60 >/dev/null 2>"$T/err" ||
            { assert_eq "started" "failed" "$(cat "$T/err")"; return; }
    done
    during=$(pulse_clients)
    figure "sound-server connections held by idle audio sandboxes" "$((during - before))" "$n"
    # The count sees a sandbox's connections: an app's own is one more.
    h run --detach --name "$FLT-clapp" --allow audio -- pactl subscribe >/dev/null ||
        { assert_eq "started" "failed"; return; }
    wait_for test "$(pulse_clients)" -gt "$during"
    assert_eq "$((during + 1))" "$(pulse_clients)" "the app's own connection is counted"
    # The relay (desktop/pulse-relay.c) connects upstream per app
    # connection: no module is loaded for a sandbox.
    assert_not_contains "$(as_user pactl list short modules)" "/hutch/$FLT-cl" \
        "no per-sandbox module"
}
