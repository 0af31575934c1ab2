# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# Helpers shared by the desktop suite (sourced by its test files).

# x11probe, built with hutch (tests/desktop/x11probe.c).
PROBE_DIR=${HUTCH%/sandbox/hutch}/tests/desktop
PROBE=$PROBE_DIR/x11probe

need_probe() {
    [ -x "$PROBE" ] || skip "x11probe not built ($PROBE; needs libx11-dev, libxext-dev, libxtst-dev)"
}

# display_number: N of the test X server's :N.
display_number() {
    local n=${DISPLAY#*:}
    printf '%s' "${n%%.*}"
}

# hutch_pid NAME: pid of the hutch supervising sandbox NAME.
hutch_pid() {
    pgrep -o -u "$TEST_USER" -f -- "--name $1 " || pgrep -o -f -- "--name $1 "
}

# Sound-server modules whose socket is in sandbox NAME's runtime dir.
pulse_modules_of() {
    as_user pactl list short modules | grep -F "/hutch/$1/pulse/native" || true
}

has_pulse_module() { [ -n "$(pulse_modules_of "$1")" ]; }

# An X server of the test's own; arguments go to Xvfb.
start_own_xvfb() {
    need_root
    need_cmd Xvfb xauth mcookie
    local n
    for n in $(seq 150 199); do
        [ -e "/tmp/.X$n-lock" ] || [ -e "/tmp/.X11-unix/X$n" ] || break
    done
    XVFB_N=$n
    xauth -q -f "$T/plain.auth" add ":$n" . "$(mcookie)"
    chmod 0644 "$T/plain.auth"
    Xvfb ":$n" -auth "$T/plain.auth" -nolisten tcp "$@" -screen 0 320x240x24 \
        >"$T/xvfb.log" 2>&1 &
    XVFB_PID=$!
    wait_for env DISPLAY=":$n" XAUTHORITY="$T/plain.auth" xdpyinfo ||
        skip "Xvfb :$n did not start"
}

stop_own_xvfb() {
    if [ -n "${XVFB_PID:-}" ]; then
        kill "$XVFB_PID" 2>/dev/null
        wait "$XVFB_PID" 2>/dev/null
        rm -f "/tmp/.X${XVFB_N}-lock" "/tmp/.X11-unix/X${XVFB_N}"
        XVFB_PID=
    fi
}
