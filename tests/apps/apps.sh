# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# The harness of the apps suite: each shipped profile's real program, run
# as `hutch run APP ...` with no other flags, against the suite's Xvfb and
# PulseAudio, as an X11 session (no Wayland). A test says what is
# particular to its app in a few lines:
#   app_home                         fresh HOME, XDG dirs and a canary secret
#   app_start APP ARGS...            hutch run APP ARGS... in the background
#   app_run APP ARGS...              the same in the foreground (assert_status)
#                                    (APP a name or a path, as a user types it)
#   app_window CLASS [SECONDS]       the id of the app's visible window
#   app_shot_has WID COLOUR          a screenshot of WID holds COLOUR (#rrggbb)
#   app_record                       record the null sink while the app plays
#   app_canary APP                   the profile cannot read ~/.ssh
# stdout and stderr of a background app are in $T/NAME.out and .err (NAME
# APP's base name);
# teardown stops it; app_window says its stderr when no window shows.
# With $APP_NETNS set, the apps run in that network namespace (the net
# suite's made-up host), and a suite with a teardown of its own calls
# apps_teardown from it.

APP_PIDS=()
SINK=hutchnull

teardown() { apps_teardown; }
apps_teardown() {
    local pid
    for pid in "${APP_PIDS[@]}" "${REC_PID:-}" "${X_KEEPER:-}"; do
        [ -n "$pid" ] || continue
        kill -TERM "$pid" 2>/dev/null
    done
    for pid in "${APP_PIDS[@]}" "${REC_PID:-}" "${X_KEEPER:-}"; do
        [ -n "$pid" ] || continue
        wait "$pid" 2>/dev/null
    done
}

# app_home: HOME under $T, with the user folders the profiles name and a
# secret the apps must not read. The XDG base directories are HOME's
# defaults, as on a desktop: private homes go to ~/.local/share/hutch.
app_home() {
    mkdir -p "$T/home/.ssh" "$T/home/Documents" "$T/home/Downloads" "$T/home/Music" \
        "$T/home/Pictures"
    echo "canary-ssh-$$" >"$T/home/.ssh/id_canary"
    chmod -R a+rwX "$T/home"
    app_keep_x
}

# app_keep_x: a client of the test X server held for the whole test. Xvfb
# resets when its last client leaves, and a connection made during that
# reset is dropped: the app's must not meet the previous test's reset.
app_keep_x() {
    [ -n "${DISPLAY:-}" ] && command -v xprop >/dev/null || return 0
    xprop -root -spy >/dev/null 2>&1 &
    X_KEEPER=$!
    WAIT_FOR_SECONDS=10 wait_for xdpyinfo
}

# app_env: the test user's argv with the per-test home, on an X11 session:
# without WAYLAND_DISPLAY the apps draw on the test X server, where the
# harness finds their windows and takes screenshots.
app_env() {
    local WAYLAND_DISPLAY=
    user_argv "$TEST_USER" || return 1
    APP_ARGV=()
    [ -z "${APP_NETNS:-}" ] || APP_ARGV=(ip netns exec "$APP_NETNS")
    APP_ARGV+=("${USER_ARGV[@]}" HOME="$T/home" "$HUTCH" run)
}

# app_private_home APP: where a home=private profile keeps APP's home.
app_private_home() { printf '%s' "$T/home/.local/share/hutch/homes/$1"; }

# app_run: in the foreground, for at most $APP_TIMEOUT seconds (default 100).
app_run() {
    local USER_ARGV APP_ARGV
    app_env || return 1
    (cd "$T/home" && timeout "${APP_TIMEOUT:-100}" "${APP_ARGV[@]}" "$@")
}

app_start() {
    local app=${1##*/} USER_ARGV APP_ARGV
    app_env || return 1
    (cd "$T/home" && exec "${APP_ARGV[@]}" "$@") >"$T/$app.out" 2>"$T/$app.err" &
    APP_PIDS+=($!)
}

# app_window CLASS [SECONDS]: wait for a visible window of CLASS (a regex on
# WM_CLASS) and print its id; fails with the apps' stderr when none shows.
app_window() {
    local class=$1 limit=${2:-60} i wid
    for ((i = 0; i < limit * 2; i++)); do
        wid=$(xdotool search --onlyvisible --class "$class" 2>/dev/null | tail -n 1)
        if [ -n "$wid" ]; then
            printf '%s' "$wid"
            return 0
        fi
        sleep 0.5
    done
    _fail "no window of class $class within ${limit}s; stderr: $(tail -c 600 "$T"/*.err 2>/dev/null)"
}

# app_shot_has WID COLOUR [SECONDS]: within SECONDS (default 30), a
# screenshot of window WID has at least 1000 pixels of COLOUR (#RRGGBB).
app_shot_has() {
    local wid=$1 colour=${2^^} limit=${3:-30} i n
    for ((i = 0; i < limit; i++)); do
        if import -silent -window "$wid" "$T/shot.png" 2>/dev/null; then
            n=$(convert "$T/shot.png" -format %c histogram:info:- 2>/dev/null |
                awk -v c="$colour" '$3 == c { sub(":", "", $1); print $1 }')
            if [ "${n:-0}" -ge 1000 ]; then
                _pass
                return 0
            fi
        fi
        sleep 1
    done
    _fail "window $wid shows no $colour within ${limit}s (top colours: $(convert "$T/shot.png" -format %c histogram:info:- 2>/dev/null | sort -rn | head -n 3 | awk '{ print $3 }' | paste -sd ' '))"
}

# app_record: record the null sink's monitor in the background, to
# $T/rec.raw (s16le stereo 44.1 kHz), until app_loudness stops it and
# prints the recording's RMS amplitude.
app_record() {
    local USER_ARGV
    user_argv "$TEST_USER" || return 1
    # parec itself is REC_PID (setpriv and env exec it): killed, it stops.
    "${USER_ARGV[@]}" parec -d "$SINK.monitor" --raw --format=s16le --rate=44100 \
        --channels=2 >"$T/rec.raw" 2>"$T/parec.err" &
    REC_PID=$!
    sleep 0.5
}
app_loudness() {
    sleep 0.5
    kill -TERM "$REC_PID" 2>/dev/null
    wait "$REC_PID" 2>/dev/null
    REC_PID=
    sox -t raw -r 44100 -e signed -b 16 -c 2 "$T/rec.raw" -n stat 2>&1 |
        awk '/^RMS +amplitude/ { print $3 }'
}
# assert_heard: the recording is not silent.
assert_heard() {
    local level
    level=$(app_loudness)
    assert_match '^[0-9.]+$' "$level" "RMS of the recording ($(wc -c <"$T/rec.raw") bytes; $(cat "$T/parec.err"))" || return
    assert_eq 1 "$(awk -v r="$level" 'BEGIN { print (r > 0.02) }')" \
        "recorded RMS $level > 0.02 (the app said: $(last_stderr | tail -n 5 | tr '\n' ' '))"
}

# app_canary APP: the secret is readable outside (the positive control) and
# not from inside APP's profile, by its absolute path.
app_canary() {
    assert_status 0 as_user cat "$T/home/.ssh/id_canary"
    assert_status 0 app_run --profile "$1" -- sh -c "cat '$T/home/.ssh/id_canary' 2>&1; true"
    assert_not_contains "$(last_stdout)" "canary-ssh-$$" "$1 reads no ~/.ssh"
}

# inner_sandboxed PARENT_PID CHILD_PID: CHILD, one of an app's own sandboxed
# processes, has more seccomp filters than PARENT and user and network
# namespaces of its own: the app's inner sandbox is on inside hutch's.
assert_inner_sandboxed() {
    local parent=$1 child=$2 pf cf
    pf=$(awk '/^Seccomp_filters:/ { print $2 }' "/proc/$parent/status")
    cf=$(awk '/^Seccomp_filters:/ { print $2 }' "/proc/$child/status")
    assert_match '^[0-9]+$' "$pf" "seccomp filters of $parent" || return
    assert_eq 1 "$((cf > pf))" "child $child: $cf seccomp filters, its parent $pf"
    assert_ne "$(readlink "/proc/$parent/ns/user")" "$(readlink "/proc/$child/ns/user")" \
        "child $child has its own user namespace"
    assert_ne "$(readlink "/proc/$parent/ns/net")" "$(readlink "/proc/$child/ns/net")" \
        "child $child has its own network namespace"
}

# colour_pdf FILE: a one-page PDF filled with #12AB34, written by hand.
colour_pdf() {
    local content="0.0706 0.6706 0.2039 rg 0 0 300 300 re f" i offsets=() out xref
    local objs=(
        "<< /Type /Catalog /Pages 2 0 R >>"
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 300] /Contents 4 0 R >>"
        "<< /Length ${#content} >> stream"$'\n'"$content"$'\n'"endstream"
    )
    out="%PDF-1.4"$'\n'
    for i in "${!objs[@]}"; do
        offsets+=("${#out}")
        out+="$((i + 1)) 0 obj ${objs[$i]} endobj"$'\n'
    done
    xref=${#out}
    out+="xref"$'\n'"0 5"$'\n'"0000000000 65535 f "$'\n'
    for i in "${offsets[@]}"; do
        out+=$(printf '%010d 00000 n ' "$i")$'\n'
    done
    out+="trailer << /Size 5 /Root 1 0 R >>"$'\n'"startxref"$'\n'"$xref"$'\n'"%%EOF"$'\n'
    printf '%s' "$out" >"$1"
    chmod a+r "$1"
}
