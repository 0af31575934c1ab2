# Audio: a per-sandbox PulseAudio socket (module-native-protocol-unix) that
# goes away with the sandbox, even when hutch is killed.
. "$REPO/tests/desktop/desktop.sh"

SINK=hutchnull

teardown() {
    if [ -n "${BG_PID:-}" ]; then
        kill "$BG_PID" 2>/dev/null
        wait "$BG_PID" 2>/dev/null
    fi
}

# rms FILE: RMS amplitude of raw s16le stereo 44.1 kHz audio.
rms() {
    sox -t raw -r 44100 -e signed -b 16 -c 2 "$1" -n stat 2>&1 |
        awk '/^RMS +amplitude/ { print $3 }'
}

test_paplay_inside_is_heard_on_the_null_sink() {
    need_pulse
    need_cmd sox paplay parec
    sox -n -r 44100 -c 2 -b 16 "$T/tone.wav" synth 1.5 sine 440 vol 0.5
    as_user timeout 5 parec -d "$SINK.monitor" --raw --format=s16le --rate=44100 \
        --channels=2 >"$T/rec.raw" 2>"$T/parec.err" &
    BG_PID=$!
    sleep 0.5
    assert_status 0 hutch_run --allow audio --ro "$T" -- paplay "$T/tone.wav"
    wait "$BG_PID"
    BG_PID=
    local level
    level=$(rms "$T/rec.raw")
    assert_match '^[0-9.]+$' "$level" "RMS of the recording ($(cat "$T/parec.err"))" || return
    assert_eq 1 "$(awk -v r="$level" 'BEGIN { print (r > 0.05) }')" "recorded RMS $level > 0.05"
}

test_without_audio_no_sound_server() {
    need_pulse
    need_cmd pactl
    assert_status nonzero hutch_run -- pactl info
    # Not even by naming the host's socket: it is not in the sandbox.
    assert_status nonzero hutch_run --env "PULSE_SERVER=unix:$(user_runtime_dir "$TEST_USER")/pulse/native" -- pactl info
}

test_sandbox_sees_only_its_own_socket_and_config() {
    need_pulse
    assert_status 0 hutch_run --allow audio -- sh -c \
        'echo "$PULSE_SERVER"; ls -A "$XDG_RUNTIME_DIR/pulse"; cat "$PULSE_CLIENTCONFIG"'
    local uid
    uid=$(user_uid "$TEST_USER")
    assert_contains "$(last_stdout)" "unix:/run/user/$uid/pulse/native"
    assert_contains "$(last_stdout)" "enable-shm = no"
    assert_contains "$(last_stdout)" "autospawn = no"
    assert_eq "unix:/run/user/$uid/pulse/native client.conf native" \
        "$(last_stdout | head -3 | tr '\n' ' ' | sed 's/ $//')"
}

test_module_loaded_while_running_and_gone_after_exit() {
    need_pulse
    local name=aud-$$
    as_user "$HUTCH" run --name "$name" --allow audio -- sleep 30 2>"$T/hutch.err" &
    BG_PID=$!
    wait_for has_pulse_module "$name" ||
        { assert_eq "module of $name loaded" "not loaded" "$(cat "$T/hutch.err")"; return; }
    assert_contains "$(pulse_modules_of "$name")" "module-native-protocol-unix"
    assert_contains "$(pulse_modules_of "$name")" "auth-anonymous=1"
    assert_status 0 kill "$(hutch_pid "$name")"
    wait "$BG_PID"
    BG_PID=
    assert_eq "" "$(pulse_modules_of "$name")" "module unloaded at exit"
}

test_module_of_killed_hutch_unloaded_by_next_command() {
    need_pulse
    local name=audkill-$$ runtime
    runtime=$(user_runtime_dir "$TEST_USER")/hutch/$name
    as_user "$HUTCH" run --name "$name" --allow audio -- sleep 30 2>"$T/hutch.err" &
    BG_PID=$!
    wait_for has_pulse_module "$name" ||
        { assert_eq "module of $name loaded" "not loaded" "$(cat "$T/hutch.err")"; return; }
    assert_status 0 kill -KILL "$(hutch_pid "$name")"
    wait "$BG_PID"
    BG_PID=
    assert_contains "$(pulse_modules_of "$name")" "module-native-protocol-unix" \
        "module outlives a killed hutch"
    assert_status 0 hutch_run -- true
    assert_eq "" "$(pulse_modules_of "$name")" "the next hutch unloaded it"
    assert_file_not_exists "$runtime/pulse"
}

test_orphan_cleanup_leaves_live_sandboxes_alone() {
    need_pulse
    local name=audlive-$$
    as_user "$HUTCH" run --name "$name" --allow audio -- sleep 30 2>"$T/hutch.err" &
    BG_PID=$!
    wait_for has_pulse_module "$name" ||
        { assert_eq "module of $name loaded" "not loaded" "$(cat "$T/hutch.err")"; return; }
    assert_status 0 hutch_run -- true
    assert_contains "$(pulse_modules_of "$name")" "module-native-protocol-unix"
    kill "$(hutch_pid "$name")"
    wait "$BG_PID"
    BG_PID=
}

test_dry_run_names_the_method_and_loads_nothing() {
    need_pulse
    local name=auddry-$$
    assert_status 0 hutch_run --dry-run --name "$name" --allow audio -- true
    assert_contains "$(last_stdout)" "a per-sandbox socket (module-native-protocol-unix"
    assert_contains "$(last_stdout)" "env        PULSE_SERVER=unix:"
    assert_eq "" "$(pulse_modules_of "$name")" "no module loaded"
    assert_file_not_exists "$(user_runtime_dir "$TEST_USER")/hutch/$name" "no runtime dir made"
}

test_no_sound_server_is_a_clear_error() {
    assert_status 125 as_user env PULSE_SERVER=unix:/nonexistent/native "$HUTCH" run \
        --allow audio -- true
    assert_contains "$(last_stderr)" "audio: cannot connect to the sound server"
    assert_contains "$(last_stderr)" "drop the audio permission"
}
