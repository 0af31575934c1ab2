#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/services.sh — display and audio servers for the tests.
#
#   tests/services.sh start [x11] [pulse] [wayland]   (default: all three)
#   tests/services.sh stop
#   tests/services.sh status
#
# start: Xvfb (+extension SECURITY, a cookie readable by the test user),
# a PulseAudio daemon with a null sink and weston (headless), the last two
# running as the test user (as the current user when not root).  A service
# that fails is reported, never fatal.  Results go to $HUTCH_SERVICES_DIR
# (default: see default_services_dir in lib.sh):
#   env    shell lines to source: DISPLAY, XAUTHORITY, WAYLAND_DISPLAY,
#          HUTCH_SERVICE_{X11,PULSE,WAYLAND} ("ok" or why not),
#          HUTCH_X11_SECURITY (1 when the SECURITY extension is there)
#   pids   "name pid starttime" per started daemon; `stop` kills exactly
#          these (each is a session leader: its whole group goes)
#   *.log  the daemons' output
# start first stops whatever a previous (crashed) run left in pids.
set -euo pipefail

# shellcheck source=tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DIR=${HUTCH_SERVICES_DIR:-$(default_services_dir)}
WAYLAND_SOCKET=wayland-hutch
PULSE_SINK=hutchnull

# The user that owns the session services.
svc_user() { if is_root; then echo "$TEST_USER"; else id -un; fi; }
svc_as() { as_user_named "$(svc_user)" "$@"; }

setenv() { printf 'export %s=%q\n' "$1" "$2" >>"$DIR/env"; }

# proc_starttime PID: field 22 of /proc/PID/stat (empty if gone).
proc_starttime() {
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
    stat=${stat##*) }
    # shellcheck disable=SC2086
    set -- $stat
    printf '%s' "${20}"
}

# alive PID: running and not a zombie.
alive() {
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    stat=${stat##*) }
    [ "${stat:0:1}" != Z ]
}

record_pid() { echo "$1 $2 $(proc_starttime "$2")" >>"$DIR/pids"; }

# wait_until SECONDS PID CMD...: poll CMD until it succeeds; give up when
# PID dies or SECONDS pass.
wait_until() {
    local tries=$(($1 * 10)) pid=$2
    shift 2
    while [ "$tries" -gt 0 ]; do
        "$@" >/dev/null 2>&1 && return 0
        alive "$pid" || return 1
        sleep 0.1
        tries=$((tries - 1))
    done
    return 1
}

# kill_group PID: TERM the process group led by PID, KILL after 3 s.
kill_group() {
    local pid=$1 i
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || return 0
    for i in $(seq 30); do
        alive "$pid" || return 0
        sleep 0.1
    done
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
}

have_cmds() {
    local c
    for c in "$@"; do
        command -v "$c" >/dev/null 2>&1 || return 1
    done
}

# ---------------------------------------------------------------------------
# X11: Xvfb on the first free display from :77.

x11_answers() {  # DISPLAY AUTHFILE: the service user can connect
    DISPLAY=$1 XAUTHORITY=$2 svc_as xdpyinfo
}

start_x11() {
    local n pid exts auth=$DIR/Xauthority
    if ! have_cmds Xvfb xauth xdpyinfo; then
        setenv HUTCH_SERVICE_X11 "Xvfb, xauth or xdpyinfo not installed"
        return
    fi
    for n in $(seq 77 99); do
        if [ -e "/tmp/.X$n-lock" ] || [ -e "/tmp/.X11-unix/X$n" ]; then
            continue
        fi
        rm -f "$auth"
        xauth -q -f "$auth" add ":$n" . "$(mcookie)" 2>/dev/null
        chmod 0644 "$auth"
        # -noreset: like a session's server, which clients keep busy. Xvfb
        # otherwise resets whenever its last client leaves, dropping a
        # client that connects at that moment and every generated cookie.
        setsid Xvfb ":$n" -auth "$auth" -nolisten tcp -noreset +extension SECURITY \
            -screen 0 1280x1024x24 </dev/null >>"$DIR/xvfb.log" 2>&1 &
        pid=$!
        if wait_until 10 "$pid" x11_answers ":$n" "$auth"; then
            record_pid x11 "$pid"
            setenv DISPLAY ":$n"
            setenv XAUTHORITY "$auth"
            setenv HUTCH_SERVICE_X11 ok
            exts=$(XAUTHORITY=$auth xdpyinfo -display ":$n" -queryExtensions 2>/dev/null || true)
            if grep -qw SECURITY <<<"$exts"; then
                setenv HUTCH_X11_SECURITY 1
            else
                setenv HUTCH_X11_SECURITY 0
            fi
            return
        fi
        kill_group "$pid"
    done
    setenv HUTCH_SERVICE_X11 "Xvfb did not start (see $DIR/xvfb.log)"
}

# ---------------------------------------------------------------------------
# PulseAudio, as the service user, with a null sink as the default.

write_pulse_config() {
    cat >"$DIR/pulse.pa" <<EOF
load-module module-native-protocol-unix
load-module module-null-sink sink_name=$PULSE_SINK
set-default-sink $PULSE_SINK
load-module module-always-sink
EOF
    chmod 0644 "$DIR/pulse.pa"
}

pulse_answers() { svc_as pactl info; }
pulse_gone() { ! svc_as pactl info; }

start_pulse() {
    local pid USER_ARGV
    if ! have_cmds pulseaudio pactl; then
        setenv HUTCH_SERVICE_PULSE "pulseaudio or pactl not installed"
        return
    fi
    if pulse_answers >/dev/null 2>&1; then
        if ! is_root; then  # never kill a real user's session daemon
            setenv HUTCH_SERVICE_PULSE ok
            return
        fi
        svc_as pulseaudio --kill >/dev/null 2>&1 || true
        wait_until 5 $$ pulse_gone || true
    fi
    write_pulse_config
    user_argv "$(svc_user)"
    setsid "${USER_ARGV[@]}" pulseaudio --daemonize=no --exit-idle-time=-1 -n \
        -F "$DIR/pulse.pa" --log-target=stderr </dev/null >>"$DIR/pulse.log" 2>&1 &
    pid=$!
    if wait_until 10 "$pid" pulse_answers; then
        record_pid pulse "$pid"
        setenv HUTCH_SERVICE_PULSE ok
    else
        kill_group "$pid"
        setenv HUTCH_SERVICE_PULSE "pulseaudio did not start (see $DIR/pulse.log)"
    fi
}

# ---------------------------------------------------------------------------
# Wayland: weston, headless, as the service user.

wayland_answers() { WAYLAND_DISPLAY=$WAYLAND_SOCKET svc_as wayland-info; }

start_wayland() {
    local pid USER_ARGV
    if ! have_cmds weston wayland-info; then
        setenv HUTCH_SERVICE_WAYLAND "weston or wayland-info not installed"
        return
    fi
    user_argv "$(svc_user)"
    setsid "${USER_ARGV[@]}" weston --backend=headless-backend.so \
        --socket="$WAYLAND_SOCKET" --idle-time=0 </dev/null >>"$DIR/weston.log" 2>&1 &
    pid=$!
    if wait_until 10 "$pid" wayland_answers; then
        record_pid wayland "$pid"
        setenv WAYLAND_DISPLAY "$WAYLAND_SOCKET"
        setenv HUTCH_SERVICE_WAYLAND ok
    else
        kill_group "$pid"
        setenv HUTCH_SERVICE_WAYLAND "weston did not start (see $DIR/weston.log)"
    fi
}

# ---------------------------------------------------------------------------

prepare_dir() {
    install -d -m 0755 "$DIR"
    if [ "$(stat -c %u "$DIR")" != "$(id -u)" ]; then
        echo "services.sh: $DIR is not owned by us" >&2
        exit 1
    fi
}

cmd_stop() {
    local _name pid start
    [ -f "$DIR/pids" ] || return 0
    while read -r _name pid start; do
        if [ -n "$pid" ] && [ "$(proc_starttime "$pid")" = "$start" ]; then
            kill_group "$pid"
        fi
    done <"$DIR/pids"
    rm -f "$DIR/pids" "$DIR/env" "$DIR/Xauthority"
}

summary() {
    (
        # shellcheck disable=SC1091
        . "$DIR/env"
        local x11=${HUTCH_SERVICE_X11:-not requested}
        [ "$x11" = ok ] && x11="ok $DISPLAY, SECURITY=${HUTCH_X11_SECURITY:-0}"
        echo "services: x11: $x11; pulse: ${HUTCH_SERVICE_PULSE:-not requested};" \
            "wayland: ${HUTCH_SERVICE_WAYLAND:-not requested}"
    )
}

cmd_start() {
    local svc
    [ $# -gt 0 ] || set -- x11 pulse wayland
    prepare_dir
    cmd_stop
    : >"$DIR/env"
    : >"$DIR/pids"
    for svc in "$@"; do
        case $svc in
            x11 | pulse | wayland)
                "start_$svc" || echo "services.sh: starting $svc failed" >&2 ;;
            *) echo "services.sh: unknown service '$svc'" >&2 ;;
        esac
    done
    summary
}

case ${1:-} in
    start) shift; cmd_start "$@" ;;
    stop) cmd_stop ;;
    status) [ -f "$DIR/env" ] && summary || echo "services: not running" ;;
    *)
        echo "usage: $0 start [x11] [pulse] [wayland] | stop | status" >&2
        exit 2
        ;;
esac
