# SPDX-License-Identifier: LGPL-2.1-or-later
# The user's authority files (~/.Xauthority, $XAUTHORITY, ~/.ICEauthority,
# startx's ~/.serverauth.*) are unreadable in every sandbox, whatever its
# home mode or grants: with the user's cookie any client is trusted.
. "$REPO/tests/desktop/desktop.sh"

AUTH_FILES=".Xauthority .ICEauthority .serverauth.4242"

setup() {
    need_root
    need_x11_security
    need_probe
    USER_HOME=$(user_home "$TEST_USER")
    local f
    for f in $AUTH_FILES; do
        if [ -e "$USER_HOME/$f" ]; then
            mv "$USER_HOME/$f" "$T/saved$f"
        fi
        # The test display's real cookie: what an attacker would want.
        install -m 0600 -o "$TEST_USER" "$XAUTHORITY" "$USER_HOME/$f"
    done
}

teardown() {
    local f
    for f in $AUTH_FILES; do
        rm -f "$USER_HOME/$f"
        if [ -e "$T/saved$f" ]; then
            mv "$T/saved$f" "$USER_HOME/$f"
        fi
    done
}

# What the app can do with the cookie found at PATH inside: "allowed" is
# a trusted connection (XTEST works).
xtest_with() {
    local path=$1
    shift
    assert_status 0 hutch_run "$@" --allow x11 --ro "$PROBE_DIR" -- \
        sh -c "XAUTHORITY='$path' '$PROBE' xtest 2>&1; cat '$path' 2>/dev/null | wc -c"
}

test_users_cookie_is_trusted_outside() {
    # The attack works where nothing hides the file: the host.
    XAUTHORITY=$USER_HOME/.Xauthority assert_status 0 as_user "$PROBE" xtest
    assert_eq allowed "$(last_stdout)" "XTEST with ~/.Xauthority on the host"
}

test_authority_files_unreadable_in_every_home_mode() {
    local mode f extra
    for mode in none private ro rw; do
        extra=
        [ "$mode" = private ] && extra="--profile default"
        for f in $AUTH_FILES; do
            # shellcheck disable=SC2086  # extra is one option or none
            xtest_with "$USER_HOME/$f" --home "$mode" $extra
            assert_not_contains "$(last_stdout)" allowed "XTEST with ~/$f, home $mode"
            assert_eq 0 "$(last_stdout | tail -1)" "bytes of ~/$f readable, home $mode"
        done
    done
}

test_authority_file_hidden_even_when_granted() {
    mkdir -p "$T/auth"
    install -m 0600 -o "$TEST_USER" "$XAUTHORITY" "$T/auth/cookie"
    echo visible >"$T/auth/other"
    chmod 0644 "$T/auth/other"
    XAUTHORITY=$T/auth/cookie xtest_with "$T/auth/cookie" --ro "$T/auth"
    assert_not_contains "$(last_stdout)" allowed "XTEST with a granted \$XAUTHORITY"
    assert_eq 0 "$(last_stdout | tail -1)" "bytes of \$XAUTHORITY readable"
    # The rest of the granted directory is there.
    assert_status 0 hutch_run --ro "$T/auth" -- cat "$T/auth/other"
    assert_eq visible "$(last_stdout)"
    assert_status 0 hutch_run --ro "$USER_HOME" -- \
        sh -c "cat '$USER_HOME/.ICEauthority' 2>/dev/null | wc -c"
    assert_eq 0 "$(last_stdout)" "bytes of ~/.ICEauthority granted with --ro HOME"
}

test_app_still_gets_its_own_cookie() {
    assert_status 0 hutch_run --home ro --allow x11 -- sh -c 'xdpyinfo >/dev/null && echo ok'
    assert_eq ok "$(last_stdout)"
    assert_status 0 hutch_run --dry-run --home ro -- true
    assert_contains "$(last_stdout)" "would show your authority file $USER_HOME/.Xauthority"
}
