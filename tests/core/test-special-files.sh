# SPDX-License-Identifier: LGPL-2.1-or-later
# Special files where hutch expects a regular one: a FIFO, planted in the
# home by an app that had it writable, or a device a symlink points at.
# hutch opens what it reads without blocking and refuses what is not a
# regular file (sandbox/base/file-read.c); nothing may hang it.

home_of_user() { as_user sh -c 'echo $HOME'; }

# plant RELPATH: what an app that can write the place can do: put a FIFO at
# ~/RELPATH (the real file, if any, is kept aside and put back). hutch now
# keeps some of these places read-only in a writable home; a profile may
# still grant them, and hutch must not hang on what it finds there.
plant() {
    local rel=$1 home
    home=$(home_of_user)
    as_user mkdir -p "$(dirname "$home/$rel")"
    if as_user test -e "$home/$rel" -o -L "$home/$rel"; then
        as_user mv "$home/$rel" "$home/$rel.hutch-test-saved"
    fi
    assert_status 0 as_user mkfifo "$home/$rel"
    PLANTED+=("$home/$rel")
}

PLANTED=()
teardown() {
    local p
    for p in "${PLANTED[@]}"; do
        as_user rm -f "$p"
        if as_user test -e "$p.hutch-test-saved" -o -L "$p.hutch-test-saved"; then
            as_user mv "$p.hutch-test-saved" "$p"
        fi
    done
}

# quick SECONDS [ENV-ARGS...] -- HUTCH-ARGS...: hutch, as the test user,
# must end (any status) within SECONDS; its status is in QUICK_STATUS.
quick() {
    local limit=$1
    shift
    local -a env=()
    while [ "$1" != -- ]; do
        env+=("$1")
        shift
    done
    shift
    as_user env "${env[@]}" timeout "$limit" "$HUTCH" "$@" >"$T/out" 2>"$T/err"
    QUICK_STATUS=$?
    assert_ne 124 "$QUICK_STATUS" "ended within ${limit}s: hutch $*"
}

test_fifo_user_dirs_file_is_refused_not_waited_on() {
    plant .config/user-dirs.dirs || return
    quick 15 -- run --ro -xdg-documents -- true
    assert_eq 2 "$QUICK_STATUS"
    assert_contains "$(cat "$T/err")" "user-dirs.dirs is a FIFO where a regular file is expected"
}

test_fifo_pulse_files_are_skipped_not_waited_on() {
    need_pulse
    plant .config/pulse/client.conf || return
    plant .config/pulse/cookie || return
    quick 20 -- run --allow audio -- true
    assert_eq 0 "$QUICK_STATUS" "$(cat "$T/err")"
}

test_fifo_x_authority_is_refused_not_waited_on() {
    need_x11
    plant .Xauthority || return
    quick 15 -u XAUTHORITY -- run --allow x11 -- true
    assert_eq 125 "$QUICK_STATUS"
    assert_contains "$(cat "$T/err")" ".Xauthority is a FIFO where a regular file is expected"
}

# A granted FIFO is the user's to give: bound like any path, not opened.
test_granted_fifo_is_bound_not_opened() {
    as_user mkfifo "$T/pipe"
    quick 15 -- run --ro "$T/pipe" -- test -p "$T/pipe"
    assert_eq 0 "$QUICK_STATUS" "$(cat "$T/err")"
}
