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
