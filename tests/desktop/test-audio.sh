# SPDX-License-Identifier: LGPL-2.1-or-later
# hutch-test-timeout: 120
# Audio: the sandbox's own sound socket, relayed by its hutch to the user's
# server (PulseAudio or pipewire-pulse) through a filter that passes what
# playback (and, with microphone, recording) needs and refuses the rest;
# nothing of the sandbox stays on the server.
#
# Most tests use the suite's PulseAudio (tests/services.sh). The attack
# tests start servers of their own, a PulseAudio and a pipewire-pulse (with
# pipewire and wireplumber), each with two null sinks, so that the attacks'
# positive controls (on a direct connection, where they work) can change
# and restore them, and end with the server's own exit.
. "$REPO/tests/desktop/desktop.sh"

SINK=hutchnull
KILLER=$REPO/tests/desktop/pulse-kill.py

teardown() {
    local pid
    for pid in ${BG_PID:-} ${HOST_PID:-} ${HOST2_PID:-}; do
        kill "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    if [ -n "${SERVER_PGID:-}" ]; then
        kill -TERM -- "-$SERVER_PGID" 2>/dev/null
        sleep 0.2
        kill -KILL -- "-$SERVER_PGID" 2>/dev/null
        wait "$SERVER_PGID" 2>/dev/null
    fi
    [ -n "${SERVER_RUN:-}" ] && rm -rf "$SERVER_RUN"
    return 0
}

# rms FILE: RMS amplitude of raw s16le stereo 44.1 kHz audio.
rms() {
    sox -t raw -r 44100 -e signed -b 16 -c 2 "$1" -n stat 2>&1 |
        awk '/^RMS +amplitude/ { print $3 }'
}

# assert_loud FILE WHAT: the recording FILE holds the tone (RMS > 0.05).
assert_loud() {
    local level
    level=$(rms "$1")
    assert_match '^[0-9.]+$' "$level" "RMS of $2" || return
    assert_eq 1 "$(awk -v r="$level" 'BEGIN { print (r > 0.05) }')" "$2: RMS $level > 0.05"
}

make_tone() {
    [ -f "$T/tone.wav" ] && return
    sox -n -r 48000 -c 2 -b 16 "$T/tone.wav" synth 1.5 sine 440 vol 0.5
    sox "$T/tone.wav" -t raw -r 44100 -e signed -b 16 -c 2 "$T/tone.raw"
    chmod 0755 "$T"
    chmod 0644 "$T/tone.wav" "$T/tone.raw"
}

# record_monitor SECONDS: record the null sink's monitor on the host into
# $T/rec.raw, in the background (BG_PID). parec loses what it holds when a
# signal ends it, so the recording ends when head has what it wants.
record_monitor() {
    as_user sh -c 'timeout "$1" parec -d "$2" --raw --format=s16le --rate=44100 --channels=2 \
        --latency-msec=50 | head -c "$3"' sh "$(($1 + 3))" "$SINK.monitor" "$(($1 * 176400))" \
        >"$T/rec.raw" 2>"$T/parec.err" &
    BG_PID=$!
    sleep 0.5
}

# The same inside a sandbox with the microphone permission: one second
# into $T/in.raw.
RECORD_INSIDE='timeout 5 parec -d "$1" --raw --format=s16le --rate=44100 --channels=2 \
    --latency-msec=50 | head -c 176400 >"$2"; [ -s "$2" ]'

finish_recording() {
    wait "$BG_PID"
    BG_PID=
}

# The server's state an app must not change: modules, defaults, clients
# and streams (our own pactl left out).
server_state() {
    as_user pactl list short modules
    as_user pactl info | grep -E '^Default (Sink|Source):'
    as_user pactl list short clients | grep -v pactl
    as_user pactl list short sink-inputs
    as_user pactl list short source-outputs
}

# Conditions for wait_for.
count_inputs() { as_user pactl list short sink-inputs | wc -l; }
inputs_more_than() { [ "$(count_inputs)" -gt "$1" ]; }
inputs_are() { [ "$(count_inputs)" = "$1" ]; }
state_is() { [ "$(server_state)" = "$1" ]; }
not_running() { ! kill -0 "$1" 2>/dev/null; }
# a child of this shell has ended (a zombie until waited for, which kill -0
# still finds)
has_exited() { local st; st=$(ps -o stat= -p "$1" 2>/dev/null); [ -z "$st" ] || [[ $st == Z* ]]; }
tcp_listening() { ss -Hltn "sport = :$1" | grep -q LISTEN; }

# --- the suite's PulseAudio ---------------------------------------------------

test_paplay_inside_is_heard_on_the_null_sink() {
    need_pulse
    need_cmd sox paplay parec
    make_tone
    record_monitor 4
    assert_status 0 hutch_run --allow audio --ro "$T" -- paplay "$T/tone.wav"
    finish_recording
    assert_loud "$T/rec.raw" "paplay through the relay ($(cat "$T/parec.err"))"
}

test_mpv_inside_is_heard_on_the_null_sink() {
    need_pulse
    need_cmd sox mpv parec
    make_tone
    record_monitor 5
    # mpv's own profile (audio), without its display
    assert_status 0 hutch_run --deny x11 --deny wayland --ro "$T" -- \
        mpv --no-config --no-video --ao=pulse --really-quiet "$T/tone.wav"
    finish_recording
    assert_loud "$T/rec.raw" "mpv through the relay"
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
    assert_contains "$(last_stdout)" "enable-shm = no"
    assert_contains "$(last_stdout)" "autospawn = no"
    # The socket is there when the app starts.
    assert_eq "unix:/run/user/$uid/pulse/native client.conf native" \
        "$(last_stdout | head -3 | tr '\n' ' ' | sed 's/ $//')"
}

test_recording_needs_the_microphone_permission() {
    need_pulse
    need_cmd sox paplay parec
    make_tone
    # The host plays while the sandbox tries to record the sink's monitor.
    as_user sh -c 'for i in 1 2 3; do paplay "$1"; done' sh "$T/tone.wav" &
    HOST_PID=$!
    sleep 0.3
    assert_status nonzero hutch_run --allow audio -- \
        timeout 5 parec -d "$SINK.monitor" --raw --latency-msec=50
    assert_contains "$(last_stderr)" "Access denied"
    assert_status 0 hutch_run --allow audio --allow microphone --rw "$T" -- sh -c \
        "$RECORD_INSIDE" sh "$SINK.monitor" "$T/in.raw"
    assert_loud "$T/in.raw" "recorded inside with microphone"
    wait "$HOST_PID"
    HOST_PID=
}

# The user's cookie admits its holder to the whole protocol; it stays
# outside even when the sandbox shares the home.
test_cookie_is_not_readable_inside() {
    need_pulse
    local cookie
    cookie=$(user_home "$TEST_USER")/.config/pulse/cookie
    [ -f "$cookie" ] || skip "the test user has no $cookie"
    assert_eq 256 "$(as_user sh -c 'wc -c <"$1"' sh "$cookie")" "the user reads it outside"
    # --file-args keep: the path is the app's to try, not one to pass in.
    assert_status 0 hutch_run --home ro --allow audio --file-args keep -- sh -c \
        'pactl info >/dev/null && echo relayed; cat "$1" | wc -c' sh "$cookie"
    assert_eq "relayed 0" "$(last_stdout | tr '\n' ' ' | sed 's/ $//')"
    assert_status 0 hutch_run --home rw --file-args keep -- sh -c 'cat "$1" | wc -c' sh "$cookie"
    assert_eq 0 "$(last_stdout)" "covered without audio too"
    assert_status 0 hutch_run --allow audio --file-args keep -- sh -c 'cat "$1" 2>/dev/null | wc -c' sh "$cookie"
    assert_eq 0 "$(last_stdout)" "an empty home has none"
}

# Nothing of a sandbox stays on the server: no module ever, and its
# clients and streams go when it exits or its hutch is killed.
test_nothing_left_on_the_server_after_exit_or_kill() {
    need_pulse
    need_cmd pactl pacat
    local name=audkill-$$ before modules inputs
    before=$(server_state)
    modules=$(as_user pactl list short modules)
    inputs=$(count_inputs)
    as_user "$HUTCH" run --name "$name" --allow audio -- sh -c 'pacat </dev/zero' 2>"$T/err" &
    BG_PID=$!
    wait_for inputs_more_than "$inputs" ||
        { assert_eq "pacat plays" "no stream" "$(cat "$T/err")"; return; }
    assert_eq "$modules" "$(as_user pactl list short modules)" "no module loaded for the sandbox"
    assert_status 0 kill -KILL "$(hutch_pid "$name")"
    wait "$BG_PID"
    BG_PID=
    wait_for state_is "$before"
    assert_eq "$before" "$(server_state)" "nothing left after kill -9 of hutch"
    assert_status 0 hutch_run --allow audio -- sh -c 'timeout 1 pacat </dev/zero; true'
    wait_for state_is "$before"
    assert_eq "$before" "$(server_state)" "nothing left after exit"
}

# The relay runs beside the supervisor: signals still reach the app at once.
test_signals_reach_the_app_while_audio_plays() {
    need_pulse
    need_cmd pacat
    local name=audsig-$$ start end inputs
    inputs=$(count_inputs)
    as_user "$HUTCH" run --name "$name" --allow audio -- sh -c 'pacat </dev/zero' 2>"$T/err" &
    BG_PID=$!
    wait_for inputs_more_than "$inputs" ||
        { assert_eq "pacat plays" "no stream" "$(cat "$T/err")"; return; }
    start=$(date +%s%N)
    assert_status 0 kill -TERM "$(hutch_pid "$name")"
    wait "$BG_PID"
    end=$(date +%s%N)
    BG_PID=
    assert_eq 1 "$(( (end - start) < 2000000000 ))" "ended $(( (end - start) / 1000000 )) ms after SIGTERM"
}

# One sandbox cannot take the server's whole client limit.
test_connections_per_sandbox_are_limited() {
    need_pulse
    [ -x /usr/bin/python3 ] || skip "no /usr/bin/python3"
    assert_status 0 hutch_run --allow audio -- /usr/bin/python3 -c '
import os, socket, time
path = os.environ["XDG_RUNTIME_DIR"] + "/pulse/native"
conns = []
for _ in range(20):
    s = socket.socket(socket.AF_UNIX)
    s.connect(path)
    conns.append(s)
time.sleep(1)
open_ = 0
for s in conns:
    s.setblocking(False)
    try:
        if s.recv(1) != b"":
            open_ += 1
    except BlockingIOError:
        open_ += 1
print(open_)'
    assert_eq 16 "$(last_stdout)" "16 relayed, the rest turned away"
}

test_dry_run_describes_what_audio_permits() {
    need_pulse
    local name=auddry-$$ before
    before=$(server_state)
    assert_status 0 hutch_run --dry-run --name "$name" --allow audio -- true
    assert_contains "$(last_stdout)" "reached through hutch's relay from the sandbox's socket /run/user/"
    assert_contains "$(last_stdout)" "audio: refused: recording (needs the microphone permission), loading and unloading modules"
    assert_contains "$(last_stdout)" "audio: no shared memory"
    assert_contains "$(last_stdout)" "env        PULSE_SERVER=unix:"
    assert_status 0 hutch_run --dry-run --name "$name" --allow audio --allow microphone -- true
    assert_contains "$(last_stdout)" "audio: allowed: playing its own streams and recording"
    assert_status 0 hutch_run --dry-run --name "$name" --allow microphone -- true
    assert_contains "$(last_stdout)" "microphone: no effect without the audio permission"
    assert_eq "$before" "$(server_state)" "the server unchanged"
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
    assert_contains "$(last_stdout)" "at $link, reached through hutch's relay"
    printf 'default-server = unix:%s\n' "$T/none" >"$T/client.conf"
    assert_status 125 as_user env -u PULSE_SERVER PULSE_CLIENTCONFIG="$T/client.conf" "$HUTCH" \
        run --allow audio -- true
    assert_contains "$(last_stderr)" "cannot connect to the sound server at $T/none"
}

# The launch never waits for the server: one that accepts but never
# answers does not hold up an app that starts, and a dry run, which asks
# the server its name, gives up after 5 seconds.
test_silent_sound_server_does_not_hold_up_the_launch() {
    need_cmd python3
    local name=audmute-$$ sock=$T/mute start end
    chmod 0777 "$T"
    local USER_ARGV
    user_argv "$TEST_USER"
    "${USER_ARGV[@]}" python3 -c 'import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(8)
c = []
while True: c.append(s.accept())' "$sock" &
    BG_PID=$!
    wait_for test -S "$sock" || { assert_eq "listener" "none" ""; return; }
    start=$(date +%s%N)
    assert_status 0 as_user env PULSE_SERVER="unix:$sock" "$HUTCH" run --name "$name" \
        --allow audio -- test -S /run/user/"$(user_uid "$TEST_USER")"/pulse/native
    end=$(date +%s%N)
    assert_eq 1 "$(( (end - start) < 2000000000 ))" "started in $(( (end - start) / 1000000 )) ms"
    assert_file_not_exists "$(user_runtime_dir "$TEST_USER")/hutch/$name" "no runtime dir left"
}

# --- attacks, against servers of the test's own --------------------------------

# evil.so: a library whose constructor writes the pid of whoever loads it.
build_evil_library() {
    need_cmd gcc
    printf '#include <stdio.h>\n#include <unistd.h>\n__attribute__((constructor)) static void pwn(void) { FILE *f = fopen("%s", "w"); if (f) { fprintf(f, "%%d\\n", (int)getpid()); fclose(f); } }\n' \
        "$T/pwned" >"$T/evil.c"
    gcc -shared -fPIC -o "$T/evil.so" "$T/evil.c" || return 1
    chmod 0755 "$T" "$T/evil.so"
    chmod 0777 "$T"
}

# start_server_pulseaudio / start_server_pipewire: a server of this test's
# own as the test user, with null sinks hutchnull (default) and other;
# exports PULSE_SERVER, sets SERVER_PID (the process that loads modules)
# and SERVER_PGID (for teardown).
start_server_pulseaudio() {
    need_cmd pulseaudio pactl
    local run USER_ARGV
    # a socket path must fit in 108 bytes: $T is too deep
    run=$(mktemp -d /tmp/hutch-pa.XXXXXX)
    SERVER_RUN=$run
    chown "$TEST_USER" "$run" && chmod 0755 "$T"
    printf '%s\n' "load-module module-native-protocol-unix socket=$run/native" \
        "load-module module-null-sink sink_name=$SINK" "load-module module-null-sink sink_name=other" \
        "set-default-sink $SINK" >"$T/server.pa"
    chmod 0644 "$T/server.pa"
    user_argv "$TEST_USER"
    setsid "${USER_ARGV[@]}" env XDG_RUNTIME_DIR="$run" pulseaudio --daemonize=no \
        --exit-idle-time=-1 -n -F "$T/server.pa" --log-target=stderr >"$T/server.log" 2>&1 &
    SERVER_PGID=$!
    SERVER_PID=$SERVER_PGID
    export PULSE_SERVER=unix:$run/native
    wait_for as_user pactl info || { assert_eq "pulseaudio started" "no" "$(cat "$T/server.log")"; return 1; }
}

start_server_pipewire() {
    need_cmd pipewire pipewire-pulse wireplumber dbus-run-session pactl
    local run USER_ARGV
    # pipewire's socket path must fit in 108 bytes: $T is too deep
    run=$(mktemp -d /tmp/hutch-pw.XXXXXX)
    SERVER_RUN=$run
    mkdir -m 0700 "$T/pwstate" && chown "$TEST_USER" "$run" "$T/pwstate" && chmod 0755 "$T"
    cat >"$T/pw.sh" <<'EOF'
pipewire &
while [ ! -S "$XDG_RUNTIME_DIR/pipewire-0" ]; do sleep 0.05; done
wireplumber &
exec pipewire-pulse
EOF
    chmod 0644 "$T/pw.sh"
    user_argv "$TEST_USER"
    # wireplumber wants a session bus, and keeps its state in our directory
    setsid "${USER_ARGV[@]}" env XDG_RUNTIME_DIR="$run" XDG_STATE_HOME="$T/pwstate" \
        dbus-run-session -- sh "$T/pw.sh" >"$T/server.log" 2>&1 &
    SERVER_PGID=$!
    export PULSE_SERVER=unix:$run/pulse/native
    wait_for as_user pactl info || { assert_eq "pipewire-pulse started" "no" "$(cat "$T/server.log")"; return 1; }
    SERVER_PID=$(pgrep -s "$SERVER_PGID" -x pipewire-pulse)
    if ! { as_user pactl load-module module-null-sink sink_name="$SINK" >/dev/null &&
        as_user pactl load-module module-null-sink sink_name=other >/dev/null &&
        wait_for sink_is_there other && as_user pactl set-default-sink "$SINK" &&
        wait_for default_sink_is "$SINK"; }; then
        assert_eq "null sinks made" "no" "$(cat "$T/server.log")"
        return 1
    fi
}

sink_is_there() { [ -n "$(sink_index "$1")" ]; }
default_sink_is() { [ "$(default_sink)" = "$1" ]; }

# host_stream: a stream of the user's own outside the sandbox (HOST_PID),
# its sink input HOST_INPUT and client HOST_CLIENT.
host_stream() {
    local inputs old
    inputs=$(count_inputs)
    old=$(as_user pactl list short sink-inputs | awk '{ printf " %s ", $1 }')
    as_user pacat </dev/zero &
    HOST_PID=$!
    wait_for inputs_more_than "$inputs" || return 1
    HOST_INPUT=$(as_user pactl list short sink-inputs |
        awk -v old="$old" 'index(old, " " $1 " ") == 0 { print $1; exit }')
    HOST_CLIENT=$(as_user pactl list short sink-inputs | awk -v i="$HOST_INPUT" '$1 == i { print $3 }')
    [ -n "$HOST_INPUT" ]
}

default_sink() { as_user pactl info | sed -n 's/^Default Sink: //p'; }
sink_of_input() { as_user pactl list short sink-inputs | awk -v i="$1" '$1 == i { print $2 }'; }
sink_index() { as_user pactl list short sinks | awk -v n="$1" '$2 == n { print $1 }'; }
input_on_sink() { [ "$(sink_of_input "$1")" = "$(sink_index "$2")" ]; }

# Each attack works on a direct connection (positive control) and is
# refused through the relay, which leaves the server as it was.
attacks_are_refused() {
    local kind=$1 port=$((20000 + $$ % 20000)) module before
    build_evil_library || { assert_eq "evil.so built" "no" ""; return; }
    host_stream || { assert_eq "host stream" "none" "$(cat "$T/server.log")"; return; }

    # positive controls
    as_user pactl load-module module-ladspa-sink sink_name=fx plugin="$T/evil.so" label=x \
        >/dev/null 2>&1
    wait_for test -s "$T/pwned"
    assert_eq "$SERVER_PID" "$(cat "$T/pwned" 2>/dev/null)" \
        "$kind: on a direct connection the library ran inside the server"
    rm -f "$T/pwned"
    for m in $(as_user pactl list short modules | awk '/ladspa/ { print $1 }'); do
        as_user pactl unload-module "$m"
    done
    module=$(as_user pactl load-module module-native-protocol-tcp port="$port" listen=127.0.0.1)
    assert_match '^[0-9]+$' "$module" "$kind: the TCP module loads directly"
    wait_for tcp_listening "$port"
    assert_contains "$(ss -Hltn "sport = :$port")" "127.0.0.1:$port" "$kind: the server listened on TCP"
    as_user pactl unload-module "$module"
    module=$(as_user pactl load-module module-null-sink sink_name=spare)
    assert_status 0 as_user pactl unload-module "$module"
    assert_status 0 as_user pactl set-default-sink other
    assert_eq other "$(default_sink)" "$kind: the default sink changes directly"
    as_user pactl set-default-sink "$SINK"
    # pipewire's session manager moves streams after the default: let it
    wait_for default_sink_is "$SINK" && wait_for input_on_sink "$HOST_INPUT" "$SINK"
    assert_status 0 as_user pactl move-sink-input "$HOST_INPUT" other
    # On PulseAudio the stream is then on the other sink. pipewire's session
    # manager may move it back to its target before it can be seen there,
    # so on pipewire-pulse the accepted request is the control.
    if [ "$kind" = PulseAudio ]; then
        wait_for input_on_sink "$HOST_INPUT" other
        assert_eq "$(sink_index other)" "$(sink_of_input "$HOST_INPUT")" "$kind: a host stream moves directly"
    fi
    as_user pactl move-sink-input "$HOST_INPUT" "$SINK"
    wait_for input_on_sink "$HOST_INPUT" "$SINK"
    # the victim is the stream that appears now: on pipewire-pulse the host
    # stream's own index may have changed with the moves above
    local victim old
    old=$(as_user pactl list short sink-inputs | awk '{ printf " %s ", $1 }')
    as_user pacat </dev/zero &
    HOST2_PID=$!
    wait_for inputs_are 2
    victim=$(as_user pactl list short sink-inputs |
        awk -v old="$old" 'index(old, " " $1 " ") == 0 { print $3; exit }')
    assert_status 0 as_user "$KILLER" client "$victim"
    # bounded: a kill that missed would leave pacat playing for ever
    wait_for has_exited "$HOST2_PID"
    assert_eq yes "$(has_exited "$HOST2_PID" && echo yes || echo no)" \
        "$kind: a host client is killed directly (client $victim)"
    kill "$HOST2_PID" 2>/dev/null
    wait "$HOST2_PID"
    HOST2_PID=
    wait_for inputs_are 1

    # the same through the relay
    before=$(server_state)
    assert_status 0 hutch_run --allow audio --ro "$T" --ro "$REPO/tests/desktop" -- sh -c '
        try() { "$@" >>/tmp/err 2>&1; echo "${2%%-module}=$?"; }
        try pactl load-module module-ladspa-sink sink_name=fx plugin="$1" label=x
        try pactl load-module module-native-protocol-tcp port="$2" listen=127.0.0.1
        try pactl unload-module "$3"
        try pactl set-default-sink other
        try pactl move-sink-input "$4" other
        try pactl set-sink-input-volume "$4" 10%
        try "$6" client "$5"
        try "$6" sink-input "$4"
        try pactl exit
        cat /tmp/err' sh "$T/evil.so" "$port" "$(as_user pactl list short modules | awk 'NR == 1 { print $1 }')" \
        "$HOST_INPUT" "$HOST_CLIENT" "$KILLER"
    local out
    out=$(last_stdout)
    assert_eq 2 "$(grep -cx 'load=1' <<<"$out")" "$kind: both module loads refused"
    for cmd in unload set-default-sink move-sink-input set-sink-input-volume client sink-input \
        exit; do
        assert_eq 1 "$(grep -cx "$cmd=1" <<<"$out")" "$kind: $cmd refused"
    done
    assert_eq 9 "$(grep -c 'Access denied' <<<"$out")" "$kind: each answered 'Access denied'"
    sleep 0.3
    assert_file_not_exists "$T/pwned" "$kind: the library never reached the server"
    assert_eq "" "$(ss -Hltn "sport = :$port")" "$kind: nothing listens on TCP"
    assert_eq "$before" "$(server_state)" "$kind: modules, defaults, clients and streams unchanged"
    assert_status 0 kill -0 "$HOST_PID"
}

# Playback inside is heard on the host; recording only with microphone.
playback_and_recording() {
    local kind=$1
    need_cmd sox pacat parec
    make_tone
    record_monitor 4
    assert_status 0 hutch_run --allow audio --ro "$T" -- pacat --raw --format=s16le \
        --rate=44100 --channels=2 "$T/tone.raw"
    finish_recording
    assert_loud "$T/rec.raw" "$kind: pacat through the relay ($(cat "$T/parec.err"))"
    as_user sh -c 'for i in 1 2 3; do pacat --raw --format=s16le --rate=44100 --channels=2 "$1"; done' \
        sh "$T/tone.raw" &
    HOST2_PID=$!
    sleep 0.3
    assert_status nonzero hutch_run --allow audio -- timeout 5 parec -d "$SINK.monitor" --raw
    assert_contains "$(last_stderr)" "Access denied" "$kind: no recording without microphone"
    assert_status 0 hutch_run --allow audio --allow microphone --rw "$T" -- sh -c \
        "$RECORD_INSIDE" sh "$SINK.monitor" "$T/in.raw"
    assert_loud "$T/in.raw" "$kind: recorded inside with microphone"
    wait "$HOST2_PID"
    HOST2_PID=
}

nothing_left_after_exit_or_kill() {
    local kind=$1 name=audpw-$$ before inputs
    before=$(server_state)
    inputs=$(count_inputs)
    as_user "$HUTCH" run --name "$name" --allow audio -- sh -c 'pacat </dev/zero' 2>"$T/err" &
    BG_PID=$!
    wait_for inputs_more_than "$inputs"
    assert_ne "$before" "$(server_state)" "$kind: the sandbox's stream plays"
    kill -KILL "$(hutch_pid "$name")"
    wait "$BG_PID"
    BG_PID=
    wait_for state_is "$before"
    assert_eq "$before" "$(server_state)" "$kind: nothing left after kill -9 of hutch"
    assert_status 0 hutch_run --allow audio -- sh -c 'timeout 1 pacat </dev/zero; true'
    wait_for state_is "$before"
    assert_eq "$before" "$(server_state)" "$kind: nothing left after exit"
}

test_pulseaudio_attacks_are_refused_and_change_nothing() {
    start_server_pulseaudio || return
    attacks_are_refused PulseAudio
    # the last positive control: a direct connection can stop the server
    assert_status 0 as_user pactl exit
    wait_for not_running "$SERVER_PID"
    assert_status nonzero kill -0 "$SERVER_PID"
}

test_pipewire_pulse_plays_records_refuses_and_forgets() {
    start_server_pipewire || return
    assert_contains "$(as_user pactl info)" "on PipeWire"
    playback_and_recording pipewire-pulse
    attacks_are_refused pipewire-pulse
    nothing_left_after_exit_or_kill pipewire-pulse
    assert_status 0 hutch_run --dry-run --allow audio -- true
    assert_contains "$(last_stdout)" "PulseAudio (on PipeWire"
}

test_profile_show_says_what_audio_permits() {
    chmod 0755 "$T"
    local perms
    for perms in "" "audio" "audio;microphone" "microphone"; do
        printf '[Permissions]\nallow=%s\n' "$perms" >"$T/p-${perms//;/-}.profile"
        chmod 0644 "$T/p-${perms//;/-}.profile"
    done
    assert_status 0 as_user "$HUTCH" profile show "$T/p-.profile"
    assert_match "audio +none " "$(last_stdout)"
    assert_status 0 as_user "$HUTCH" profile show "$T/p-audio.profile"
    assert_match "audio +play only, filtered by hutch +$T/p-audio.profile:2" "$(last_stdout)"
    assert_status 0 as_user "$HUTCH" profile show "$T/p-audio-microphone.profile"
    assert_match "audio +play and record, filtered by hutch " "$(last_stdout)"
    assert_match "allow +microphone " "$(last_stdout)"
    assert_status 0 as_user "$HUTCH" profile show "$T/p-microphone.profile"
    assert_match "audio +none \(microphone needs audio\)" "$(last_stdout)"
}
