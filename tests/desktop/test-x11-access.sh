# SPDX-License-Identifier: LGPL-2.1-or-later
# A server whose host access list admits the user with no cookie (xhost
# +si:localuser:USER, +local:, or access control off) trusts every client
# of theirs, so an untrusted cookie means nothing there: hutch refuses the
# untrusted mode on it, in one line with the fix, and hutch check says so.
. "$REPO/tests/desktop/desktop.sh"

teardown() {
    if [ -n "${HOLD_PID:-}" ]; then
        kill "$HOLD_PID" 2>/dev/null
        wait "$HOLD_PID" 2>/dev/null
    fi
    stop_own_xvfb
}

on_own() { DISPLAY=:$XVFB_N XAUTHORITY=$T/plain.auth "$@"; }

# An Xvfb of the test's own with SECURITY, and a client that stays: when
# its last client leaves the server resets, and forgets its access list.
own_server() {
    need_probe
    start_own_xvfb +extension SECURITY
    on_own "$PROBE" window >"$T/held" &
    HOLD_PID=$!
    wait_for test -s "$T/held" || skip "no client could connect to Xvfb :$XVFB_N"
}

# untrusted_refused ENTRY: with xhost ENTRY in force, the launch is refused
# and names the entry and the xhost command removing it.
untrusted_refused() {
    local entry=$1 fix=$2
    on_own assert_status 125 hutch_run --allow x11 -- true
    assert_eq 1 "$(last_stderr | wc -l)" "one line of error ($entry)"
    assert_contains "$(last_stderr)" "needs no cookie from your clients"
    assert_contains "$(last_stderr)" "'$fix'"
    assert_contains "$(last_stderr)" "--x11 nested"
    on_own assert_status 0 hutch_run --dry-run --allow x11 --x11 trusted -- true
}

test_localuser_entry_refuses_untrusted_and_check_says_so() {
    own_server
    on_own xhost "+si:localuser:$TEST_USER" >/dev/null
    # The hole: this user's clients get in with no cookie, and trusted.
    DISPLAY=:$XVFB_N XAUTHORITY=/dev/null assert_status 0 as_user "$PROBE" xtest
    assert_eq allowed "$(last_stdout)" "XTEST with no cookie at all"
    untrusted_refused "+si:localuser:$TEST_USER" "xhost -si:localuser:$TEST_USER"
    # nested binds none of the display's sockets, but with network host the
    # abstract one is in reach: refused there too, planned without it.
    if command -v xpra >/dev/null && command -v Xvfb >/dev/null; then
        on_own assert_status 125 hutch_run --dry-run --allow x11 --x11 nested --net host -- true
        assert_contains "$(last_stderr)" "'xhost -si:localuser:$TEST_USER'"
        assert_contains "$(last_stderr)" "drop network host"
        on_own assert_status 0 hutch_run --dry-run --allow x11 --x11 nested -- true
    fi
    on_own assert_status 0 as_user "$HUTCH" check
    assert_match "X11 host access: +missing — .*xhost \+si:localuser:$TEST_USER.*refused" \
        "$(last_stdout | grep '^X11 host access')"
    # Once the entry is gone, untrusted works again.
    on_own xhost "-si:localuser:$TEST_USER" >/dev/null
    on_own assert_status 0 hutch_run --allow x11 -- xdpyinfo
    assert_contains "$(last_stdout)" "name of display:    :$XVFB_N"
    on_own assert_status 0 as_user "$HUTCH" check
    assert_match "X11 host access: +enabled" "$(last_stdout | grep '^X11 host access')"
}

test_local_group_and_disabled_access_control_refuse_untrusted() {
    own_server
    local group
    group=$(id -gn "$TEST_USER")
    on_own xhost "+si:localgroup:$group" >/dev/null
    untrusted_refused "+si:localgroup:$group" "xhost -si:localgroup:$group"
    on_own xhost "-si:localgroup:$group" >/dev/null
    on_own xhost +local: >/dev/null
    untrusted_refused "+local:" "xhost -local:"
    on_own xhost -local: >/dev/null
    on_own xhost + >/dev/null
    untrusted_refused "+" "xhost -"
    on_own xhost - >/dev/null
    # Another user's entry admits nobody of ours.
    on_own xhost "+si:localuser:root" >/dev/null
    on_own assert_status 0 hutch_run --allow x11 -- true
}
