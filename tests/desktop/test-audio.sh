# SPDX-License-Identifier: LGPL-2.1-or-later
# Audio: a per-sandbox PulseAudio socket (module-native-protocol-unix) that
# goes away with the sandbox, even when hutch is killed.
. "$REPO/tests/desktop/desktop.sh"

SINK=hutchnull

teardown() {
    local pid
    for pid in ${BG_PID:-} ${PW_PID:-}; do
        kill "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
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

test_remote_sound_server_is_refused() {
    local name=audremote-$$
    assert_status 125 as_user env PULSE_SERVER=tcp:127.0.0.1:4713 "$HUTCH" run --name "$name" \
        --allow audio -- true
    assert_contains "$(last_stderr)" "the sound server tcp:127.0.0.1:4713 is not on this machine"
    assert_file_not_exists "$(user_runtime_dir "$TEST_USER")/hutch/$name" "no runtime dir left"
}

# Without PULSE_SERVER, hutch reads the server from client.conf like libpulse.
test_client_conf_default_server_is_followed() {
    need_pulse
    local real link=$T/alt-native
    real=$(user_runtime_dir "$TEST_USER")/pulse/native
    ln -s "$real" "$link"
    printf 'default-server = unix:%s\n' "$link" >"$T/client.conf"
    chmod 0755 "$T" && chmod 0644 "$T/client.conf"
    assert_status 0 as_user env -u PULSE_SERVER PULSE_CLIENTCONFIG="$T/client.conf" "$HUTCH" \
        run --dry-run --allow audio -- true
    assert_contains "$(last_stdout)" "at $link: a per-sandbox socket"
    printf 'default-server = unix:%s\n' "$T/none" >"$T/client.conf"
    assert_status 125 as_user env -u PULSE_SERVER PULSE_CLIENTCONFIG="$T/client.conf" "$HUTCH" \
        run --allow audio -- true
    assert_contains "$(last_stderr)" "cannot connect to the sound server at $T/none"
}

# A server that accepts but never answers fails the launch after the
# timeout instead of hanging it, and leaves nothing behind.
test_silent_sound_server_times_out() {
    need_cmd python3
    local name=audmute-$$ sock=$T/mute
    chmod 0777 "$T"
    local USER_ARGV
    user_argv "$TEST_USER"
    "${USER_ARGV[@]}" python3 -c 'import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(1)
c, _ = s.accept(); time.sleep(15)' "$sock" &
    BG_PID=$!
    wait_for test -S "$sock" || { assert_eq "listener" "none" ""; return; }
    local start end
    start=$(date +%s)
    assert_status 125 as_user env PULSE_SERVER="unix:$sock" "$HUTCH" run --name "$name" \
        --allow audio -- true
    end=$(date +%s)
    assert_contains "$(last_stderr)" "did not answer within 5 seconds"
    assert_eq 1 "$(( end - start <= 8 ))" "gave up after $(( end - start )) s"
    assert_file_not_exists "$(user_runtime_dir "$TEST_USER")/hutch/$name" "no runtime dir left"
}

# The module is loaded while the sandbox is built, and the app starts only
# once it is there. A server that hutch takes for PulseAudio (by the name of
# the process on the socket) but that never answers: the launch fails after
# the timeout, the app never ran and nothing is left.
test_app_never_runs_without_its_sound_socket() {
    [ -x /usr/bin/python3 ] || skip "no /usr/bin/python3"
    local name=audlate-$$ sock=$T/late
    chmod 0777 "$T"
    ln -s /usr/bin/python3 "$T/pulseaudio"
    local USER_ARGV
    user_argv "$TEST_USER"
    "${USER_ARGV[@]}" "$T/pulseaudio" -c 'import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(1)
c, _ = s.accept(); time.sleep(15)' "$sock" &
    BG_PID=$!
    wait_for test -S "$sock" || { assert_eq "listener" "none" ""; return; }
    assert_status 125 as_user env PULSE_SERVER="unix:$sock" "$HUTCH" run --name "$name" \
        --allow audio --rw "$T" -- touch "$T/ran"
    assert_contains "$(last_stderr)" "audio: cannot connect to the sound server: the sound server did not answer within 5 seconds"
    assert_file_not_exists "$T/ran" "the app did not run"
    assert_file_not_exists "$(user_runtime_dir "$TEST_USER")/hutch/$name" "no runtime dir left"
}

# pipewire-pulse cannot load module-native-protocol-unix, so its own socket
# is bound; told apart by the process on the socket (real run) and by the
# server's name (dry run, which also checks that answers arriving out of
# order, as pipewire-pulse sends them, are matched to their commands).
test_pipewire_pulse_socket_is_bound_as_it_is() {
    need_cmd pipewire pipewire-pulse pactl
    local run=$T/pw
    mkdir -m 0700 "$run" && chown "$TEST_USER" "$run" && chmod 0755 "$T"
    # Started directly rather than through as_user, a function: $! is then
    # the daemon itself, which teardown can stop.
    local USER_ARGV
    user_argv "$TEST_USER"
    "${USER_ARGV[@]}" env XDG_RUNTIME_DIR="$run" pipewire >"$T/pw.log" 2>&1 &
    PW_PID=$!
    wait_for test -S "$run/pipewire-0" || { assert_eq "pipewire socket" "none" "$(cat "$T/pw.log")"; return; }
    "${USER_ARGV[@]}" env XDG_RUNTIME_DIR="$run" pipewire-pulse >"$T/pwp.log" 2>&1 &
    BG_PID=$!
    wait_for test -S "$run/pulse/native" || { assert_eq "pipewire-pulse socket" "none" "$(cat "$T/pwp.log")"; return; }
    local env=(env PULSE_SERVER="unix:$run/pulse/native")
    assert_status 0 as_user "${env[@]}" "$HUTCH" run --dry-run --allow audio -- true
    assert_contains "$(last_stdout)" "PulseAudio (on PipeWire"
    assert_contains "$(last_stdout)" "its socket $run/pulse/native is bound as it is"
    assert_status 0 as_user "${env[@]}" "$HUTCH" run --allow audio -- pactl info
    assert_contains "$(last_stdout)" "Server Name: PulseAudio (on PipeWire"
    assert_contains "$(last_stdout)" "Server String: unix:/run/user/"
}
