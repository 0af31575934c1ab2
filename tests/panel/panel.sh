# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# Helpers of the panel suite (sourced by its test files): a `hutch panel`
# of the test user in the background, and Debian's chromium driven by
# puppeteer-core (browser.mjs) as that same user.
#
# Other suites may run sandboxes as the same test user, so every sandbox a
# test starts is named with a prefix unique to it ($PN), and only those
# are ever stopped.

PANEL_DIR=$REPO/tests/panel
PANEL_ARTIFACTS=$PANEL_DIR/artifacts
PN=pn$$
PANEL_PID=
PANEL_URL=
PANEL_BASE=
PANEL_PORT=

h() { as_user "$HUTCH" "$@"; }

# start_panel [OPTIONS...]: hutch panel --no-browser OPTIONS as the test
# user; sets PANEL_PID, PANEL_URL (the login URL), PANEL_BASE, PANEL_PORT.
start_panel() {
    local USER_ARGV
    user_argv "$TEST_USER"
    "${USER_ARGV[@]}" "$HUTCH" panel --no-browser "$@" >"$T/panel.out" 2>&1 &
    PANEL_PID=$!
    WAIT_FOR_SECONDS=10 wait_for grep -q "log in once with" "$T/panel.out" || {
        assert_contains "$(cat "$T/panel.out")" "log in once with" "the panel started"
        return 1
    }
    PANEL_URL=$(sed -n 's/^hutch panel: log in once with //p' "$T/panel.out")
    PANEL_BASE=${PANEL_URL%%/login*}
    PANEL_PORT=${PANEL_BASE##*:}
}

# stop_panel: Ctrl-C, as a user would; its exit status is left in PANEL_RC.
stop_panel() {
    PANEL_RC=
    [ -n "$PANEL_PID" ] || return 0
    kill -INT "$PANEL_PID" 2>/dev/null
    wait "$PANEL_PID"
    PANEL_RC=$?
    PANEL_PID=
}

stop_ours() {
    local name
    for name in $(h ls 2>/dev/null | awk 'NR > 1 { print $1 }' | grep "^$PN" || true); do
        h stop --timeout 2 "$name" >/dev/null 2>&1
    done
}

teardown() {
    stop_panel
    stop_ours
}

# panel_curl ARGS...: curl as the test user, to the panel.
panel_curl() { as_user curl -s --max-time 10 "$@"; }

# need_browser: chromium and node, and puppeteer-core installed from
# package-lock.json when missing (the npm registry; no browser is fetched).
need_browser() {
    need_cmd chromium node npm
    if [ ! -f "$PANEL_DIR/node_modules/puppeteer-core/package.json" ]; then
        (cd "$PANEL_DIR" && npm ci --no-audit --no-fund --loglevel=error) >"$T/npm.log" 2>&1 || {
            assert_eq 0 1 "npm ci in tests/panel failed: $(tail -n 5 "$T/npm.log")"
            return 1
        }
    fi
    mkdir -p "$PANEL_ARTIFACTS"
    if is_root; then
        chown "$(user_uid "$TEST_USER")" "$PANEL_ARTIFACTS"
    fi
}

# browser SCENARIO [VAR=VALUE...]: run one browser.mjs scenario against the
# running panel as the test user; its output is in $OUT_STDOUT.
browser() {
    local scenario=$1
    shift
    assert_status 0 as_user env LOGIN_URL="$PANEL_URL" HUTCH="$HUTCH" \
        ARTIFACTS="$PANEL_ARTIFACTS" PROFILE_DIR="$T/chromium" "$@" \
        node "$PANEL_DIR/browser.mjs" "$scenario"
    local out
    out=$(last_stdout)
    assert_not_contains "$out" "FAIL -" "every check of $scenario passed"
    assert_contains "$out" "0 failed"
    if [ -n "$out" ] && grep -q "FAIL -" <<<"$out"; then
        grep "FAIL -" <<<"$out" >&2
    fi
}

# make_tiny_tarball FILE: a root filesystem with dash and sleep.
make_tiny_tarball() {
    local dir=$T/tinyroot f
    mkdir -p "$dir"/usr/bin "$dir"/etc
    cp /bin/dash "$dir/usr/bin/sh"
    cp /bin/sleep "$dir/usr/bin/sleep"
    for f in $(ldd /bin/dash /bin/sleep | awk '/=> \// { print $3 } /^\t\/lib/ { print $1 }' |
        sort -u); do
        mkdir -p "$dir/usr$(dirname "${f#/usr}")"
        cp "$f" "$dir/usr${f#/usr}"
    done
    ln -s usr/bin "$dir/bin"
    ln -s usr/lib "$dir/lib"
    ln -s usr/lib64 "$dir/lib64"
    printf 'root:x:0:0:root:/root:/bin/sh\n' >"$dir/etc/passwd"
    printf 'root:x:0:\n' >"$dir/etc/group"
    printf 'ID=hutchtiny\nPRETTY_NAME="hutch tiny test root"\n' >"$dir/etc/os-release"
    tar -C "$dir" -cf "$1" .
    chmod 0644 "$1"
}
