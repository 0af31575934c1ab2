# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# Helpers of the dbus suite (sourced by its test files): buses and services
# of the test user's own, started in $T and stopped by teardown.

DBUS_DIR=$REPO/tests/dbus
CLIENT=$DBUS_DIR/client.py

need_dbus() {
    need_cmd dbus-daemon xdg-dbus-proxy python3
    as_user python3 -c 'import dbus, gi' 2>/dev/null || skip "needs python3-dbus and python3-gi"
}

# bg_as_user CMD...: CMD as the test user in the background; its pid is
# recorded for teardown (setpriv and env exec, so $! is CMD's pid).
bg_as_user() {
    local USER_ARGV
    user_argv "$TEST_USER"
    "${USER_ARGV[@]}" "$@" &
    echo "$!" >>"$T/pids"
    LAST_PID=$!
}

# bus_dir: a directory for the suite's bus sockets with a path short
# enough for a unix socket ($T may be too long); removed by stop_recorded.
bus_dir() {
    if [ ! -s "$T/bus_dir" ]; then
        mktemp -d /tmp/hutch-dbus.XXXXXX >"$T/bus_dir"
        chown "$TEST_USER" "$(cat "$T/bus_dir")"
    fi
    cat "$T/bus_dir"
}

# stop_recorded: what the test started, and the portals its session bus
# started (hutch asks the document portal for its mount point whenever an
# app may use the portals): their file system unmounted, then each ended
# by its pid.
stop_recorded() {
    local pid name socket
    socket=$(cat "$T/bus_dir" 2>/dev/null)/session_bus
    if [ -S "$socket" ]; then
        for name in org.freedesktop.portal.Documents org.freedesktop.impl.portal.PermissionStore; do
            as_user gdbus call -a "unix:path=$socket" -d org.freedesktop.DBus -o /org/freedesktop/DBus \
                -m org.freedesktop.DBus.GetConnectionUnixProcessID "$name" 2>/dev/null |
                sed -n 's/^(uint32 \([0-9]*\),)$/\1/p' >>"$T/portal_pids"
        done
    fi
    if grep -q " $(user_runtime_dir "$TEST_USER")/doc fuse" /proc/mounts; then
        as_user fusermount3 -u -z "$(user_runtime_dir "$TEST_USER")/doc"
    fi
    for pid in $(cat "$T/portal_pids" "$T/pids" 2>/dev/null); do
        kill "$pid" 2>/dev/null
    done
    for pid in $(cat "$T/pids" 2>/dev/null); do
        wait "$pid" 2>/dev/null
    done
    rm -f "$T/pids" "$T/portal_pids"
    if [ -s "$T/bus_dir" ]; then
        rm -rf "$(cat "$T/bus_dir")"
    fi
}

# start_session_bus: a dbus-daemon --session; sets SESSION_BUS to its
# address.
start_session_bus() {
    local socket
    socket=$(bus_dir)/session_bus
    bg_as_user dbus-daemon --session --nofork --nopidfile --address="unix:path=$socket" \
        >"$T/session-bus.log" 2>&1
    SESSION_BUS=unix:path=$socket
    wait_for test -S "$socket"
}

# start_system_bus: a bus of type system (its own configuration); sets
# SYSTEM_BUS.
start_system_bus() {
    local socket
    socket=$(bus_dir)/system_bus
    cat >"$T/system.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=$socket</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_destination="*"/>
    <allow receive_sender="*"/>
  </policy>
</busconfig>
CONF
    chmod 0644 "$T/system.conf"
    bg_as_user dbus-daemon --config-file="$T/system.conf" --nofork --nopidfile \
        >"$T/system-bus.log" 2>&1
    SYSTEM_BUS=unix:path=$socket
    wait_for test -S "$socket"
}

# start_services [--system] NAME...: tests/dbus/services.py owning NAMEs;
# calls go to $T/services.log.
start_services() {
    : >"$T/services.log"
    chmod 0666 "$T/services.log"
    bg_as_user env DBUS_SESSION_BUS_ADDRESS="${SESSION_BUS:-}" \
        DBUS_SYSTEM_BUS_ADDRESS="${SYSTEM_BUS:-}" python3 "$DBUS_DIR/services.py" \
        "$T/services.log" "$@" >"$T/services.out" 2>&1
    wait_for grep -qx ready "$T/services.out"
}

# on_bus CMD...: CMD as the test user with the suite's buses as its own.
on_bus() {
    as_user env DBUS_SESSION_BUS_ADDRESS="${SESSION_BUS:-}" \
        DBUS_SYSTEM_BUS_ADDRESS="${SYSTEM_BUS:-}" "$@"
}

# hutch_bus ARGS...: hutch run ARGS... with the suite's buses, the client
# visible inside.
hutch_bus() { on_bus "$HUTCH" run --ro "$DBUS_DIR" "$@"; }

# proxy_pid HUTCH_PID: the xdg-dbus-proxy a sandbox's hutch started (the
# child of its proxy sandbox's pid 1).
proxy_pid() {
    local init
    for init in $(pgrep -P "$1"); do
        pgrep -P "$init" -x xdg-dbus-proxy && return 0
    done
    return 1
}

# sandbox_hutch_pid NAME: the hutch that supervises sandbox NAME.
sandbox_hutch_pid() {
    pgrep -o -u "$TEST_USER" -f -- "--name $1 "
}

# start_doc_portal: xdg-document-portal on the suite's session bus, started
# by the bus as a desktop's would be (stop_recorded ends it); sets DOC_MOUNT.
start_doc_portal() {
    [ -x /usr/libexec/xdg-document-portal ] ||
        skip "needs xdg-document-portal (package xdg-desktop-portal)"
    [ -c /dev/fuse ] || skip "needs /dev/fuse"
    need_cmd fusermount3 gdbus
    on_bus gdbus call -e -d org.freedesktop.portal.Documents -o /org/freedesktop/portal/documents \
        -m org.freedesktop.portal.Documents.GetMountPoint >"$T/doc-mount" 2>&1 || return 1
    DOC_MOUNT=$(sed -n "s/^(b'\(.*\)',)$/\1/p" "$T/doc-mount")
    [ -n "$DOC_MOUNT" ]
}

# doc_info ID: the document portal's Info of document ID, as the host sees it.
doc_info() {
    on_bus gdbus call -e -d org.freedesktop.portal.Documents -o /org/freedesktop/portal/documents \
        -m org.freedesktop.portal.Documents.Info "$1"
}
