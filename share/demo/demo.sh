#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# share/demo/demo.sh — what does a program inside hutch see?
#
#   hutch run --ro share/demo -- share/demo/demo.sh [HOST_TMP_FILE] [HOST_HOME_FILE]
#
# ./dev demo runs it with two files it planted on the host (one in /tmp, one
# in the user's home) that the sandbox must not reach.  Every check prints
# "ok" or "UNEXPECTED"; the exit status is 1 if anything was unexpected.
# POSIX sh and coreutils only: that is all a default sandbox has.
# shellcheck disable=SC2012  # ls output is only shown, never parsed

unexpected=0

heading() { printf '\n== %s ==\n' "$*"; }
show() { sed 's/^/    /'; }
ok() { printf '  ok: %s\n' "$*"; }
bad() {
    printf '  UNEXPECTED: %s\n' "$*"
    unexpected=$((unexpected + 1))
}

# unreachable PATH: PATH must be missing, unreadable or an empty directory.
unreachable() {
    if [ -d "$1" ]; then
        if out=$(ls -A "$1" 2>&1); then
            if [ -z "$out" ]; then
                ok "$1 is an empty directory here"
            else
                bad "$1 can be listed: $(echo "$out" | head -n 3 | tr '\n' ' ')"
            fi
        else
            ok "ls $1: ${out##*: }"
        fi
    elif out=$(cat "$1" 2>&1); then
        bad "$1 can be read: $(echo "$out" | head -n 1)"
    else
        ok "cat $1: ${out##*: }"
    fi
}

section_identity() {
    heading "who am I (id)"
    id | show
    heading "user and group id maps (/proc/self/uid_map, gid_map)"
    echo "  uid_map:"
    show </proc/self/uid_map
    echo "  gid_map:"
    show </proc/self/gid_map
    echo "  the app runs as the user's own uid; other ids map to subordinate ranges if any"
}

section_processes() {
    heading "processes (/proc)"
    count=0
    for p in /proc/[0-9]*; do
        pid=${p#/proc/}
        comm=$(cat "$p/comm" 2>/dev/null) || continue
        printf '    %6s  %s\n' "$pid" "$comm"
        count=$((count + 1))
    done
    if [ "$count" -le 8 ]; then
        ok "only this sandbox's $count processes are visible (own pid namespace)"
    else
        bad "$count processes visible: host processes leak in"
    fi
}

section_home() {
    heading "home ($HOME)"
    if [ ! -d "$HOME" ]; then
        ok "HOME does not exist"
    elif [ -z "$(ls -A "$HOME" 2>/dev/null)" ]; then
        ok "HOME is empty"
    else
        ls -A "$HOME" | show
        bad "HOME is not empty"
    fi
}

section_tmp() {
    heading "/tmp"
    # A checkout under /tmp: the demo's own folder is granted (--ro), and
    # the way to it is all that shows of it.
    own=
    case $(cd "$(dirname "$0")" && pwd) in
    /tmp/*)
        own=$(cd "$(dirname "$0")" && pwd)
        own=${own#/tmp/}
        own=${own%%/*}
        ;;
    esac
    if [ -z "$(ls -A /tmp 2>/dev/null | grep -vx -e "$own")" ]; then
        if [ -n "$own" ]; then
            ok "/tmp is fresh and empty but for the way to this demo (/tmp/$own, granted read-only)"
        else
            ok "/tmp is fresh and empty"
        fi
    else
        ls -A /tmp | show
        bad "/tmp has files in it"
    fi
    if (echo scratch >/tmp/demo-scratch) 2>/dev/null; then
        ok "/tmp is writable (a private tmpfs)"
        rm -f /tmp/demo-scratch
    else
        bad "/tmp is not writable"
    fi
}

section_host_files() {
    heading "host files that must be out of reach"
    unreachable /etc/shadow
    unreachable /root
    for f in "$@"; do
        [ -n "$f" ] || continue
        unreachable "$f"
        unreachable "$(dirname "$f")"
    done
}

section_privileges() {
    heading "capabilities (/proc/self/status)"
    grep '^Cap' /proc/self/status | show
    eff=$(awk '/^CapEff/ { print $2 }' /proc/self/status)
    bnd=$(awk '/^CapBnd/ { print $2 }' /proc/self/status)
    if [ "$eff" = 0000000000000000 ]; then
        ok "no effective capabilities"
    else
        bad "effective capabilities $eff"
    fi
    if [ "$bnd" = 0000000000000000 ]; then
        ok "empty bounding set"
    else
        bad "bounding set $bnd"
    fi

    heading "no_new_privs and seccomp"
    grep -E '^(NoNewPrivs|Seccomp):' /proc/self/status | show
    if grep -q '^NoNewPrivs:[[:space:]]*1' /proc/self/status; then
        ok "no_new_privs is set: setuid binaries cannot raise privileges"
    else
        bad "no_new_privs is not set"
    fi
    if grep -q '^Seccomp:[[:space:]]*2' /proc/self/status; then
        ok "a seccomp filter is loaded"
    else
        bad "no seccomp filter"
    fi
}

section_network() {
    heading "network interfaces (/proc/net/dev)"
    ifaces=$(awk -F: 'NR > 2 { gsub(/ /, "", $1); print $1 }' /proc/net/dev)
    echo "$ifaces" | show
    if [ "$ifaces" = lo ]; then
        ok "only loopback: no network"
    else
        bad "interfaces besides lo: $(echo "$ifaces" | tr '\n' ' ')"
    fi
}

section_environment() {
    heading "hostname and environment"
    echo "  hostname: $(cat /proc/sys/kernel/hostname)"
    echo "  environment variables: $(env | sed 's/=.*//' | sort | tr '\n' ' ')"
}

section_identity
section_processes
section_home
section_tmp
section_host_files "$@"
section_privileges
section_network
section_environment

heading "verdict"
if [ "$unexpected" -eq 0 ]; then
    echo "  everything as expected"
    exit 0
fi
echo "  $unexpected unexpected finding(s)"
exit 1
