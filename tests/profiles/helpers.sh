# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# Helpers for the profiles suite, sourced by its test files.  Every test
# gets its own XDG_CONFIG_HOME and XDG_DATA_HOME under $T, so profiles,
# overrides and private homes never touch the test user's real ones.

# hp ARGS...: hutch as the test user with the per-test config and data dirs.
hp() {
    as_user env XDG_CONFIG_HOME="$T/config" XDG_DATA_HOME="$T/data" "$HUTCH" "$@"
}

# put RELPATH TEXT: write TEXT (printf %b: \n, \t, \xNN) to
# $T/config/hutch/RELPATH, e.g. put profiles/app.profile '[Profile]\n...'.
put() {
    put_file "$T/config/hutch/$1" "$2"
}

# put_file PATH TEXT: the same for any path.
put_file() {
    mkdir -p "$(dirname "$1")"
    printf '%b' "$2" >"$1"
    chmod -R a+rX "$T"
}

# expect_error TEXT LINE MESSAGE: `hutch profile check` of a profile holding
# TEXT exits 1 and its first line of output is exactly FILE:LINE: MESSAGE.
expect_error() {
    local f=$T/bad.profile
    put_file "$f" "$1"
    assert_status 1 hp profile check "$f"
    assert_eq "$f:$2: $3" "$(last_stderr | head -n 1)"
}

# show_row SETTING [VALUE]: the first line of the last stdout whose first
# column is SETTING (and second VALUE, when given), spaces squeezed.
show_row() {
    last_stdout | tr -s ' ' | awk -v s="$1" -v v="${2:-}" '
        { n = split(s, w, " "); ok = 1
          for (i = 1; i <= n; i++) if ($i != w[i]) ok = 0
          if (ok && (v == "" || $(n + 1) == v)) { print; exit } }'
}

# hph ARGS...: like hp, with HOME=$T/home (created), for tests about ~ and
# the XDG user dirs that must not touch the test user's real home.
hph() {
    mkdir -p "$T/home"
    chmod 0777 "$T/home"
    as_user env XDG_CONFIG_HOME="$T/config" XDG_DATA_HOME="$T/data" HOME="$T/home" \
        "$HUTCH" "$@"
}
