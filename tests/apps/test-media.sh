# SPDX-License-Identifier: LGPL-2.1-or-later
# The media players under their own profiles: a tone from ~/Music heard on
# the sound server's null sink, and ~/.ssh out of reach.
. "$REPO/tests/apps/apps.sh"

# tone: 1.5 s of 440 Hz in ~/Music, which media.inc grants read-only.
tone() {
    sox -n -r 44100 -c 2 -b 16 "$T/home/Music/tone.wav" synth 1.5 sine 440 vol 0.5
    chmod a+r "$T/home/Music/tone.wav"
}

test_mpv_plays_a_tone_heard_on_the_sink() {
    need_cmd mpv sox parec
    need_x11
    need_pulse
    app_home
    tone
    app_record
    # The profile's command is mpv's pseudo-GUI mode (as from the menu),
    # which prints nothing: status 0 before the timeout is the end of file.
    APP_TIMEOUT=20 assert_status 0 app_run mpv "$T/home/Music/tone.wav"
    assert_heard
    app_canary mpv
}

test_vlc_plays_a_tone_heard_on_the_sink() {
    need_cmd vlc sox parec
    need_x11
    need_pulse
    app_home
    tone
    app_record
    APP_TIMEOUT=30 assert_status 0 app_run vlc -I dummy --play-and-exit "$T/home/Music/tone.wav"
    assert_heard
    app_canary vlc
}

test_audacious_plays_a_tone_heard_on_the_sink() {
    need_cmd audacious sox parec
    need_x11
    need_pulse
    app_home
    tone
    app_record
    # Headless (-H), quitting at the end of the playlist (-q): status 0
    # before the timeout is the end of the file.
    APP_TIMEOUT=30 assert_status 0 app_run audacious -H -q "$T/home/Music/tone.wav"
    assert_heard
    app_canary audacious
}
