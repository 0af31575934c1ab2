# SPDX-License-Identifier: LGPL-2.1-or-later
# hutch-test-timeout: 240
# The installed layout: hutch in bindir, helpers, desktop modules and
# hutch-panel in libexecdir/hutch, profiles in datadir/hutch/profiles, man pages; and an
# installed hutch (not the build tree's) finds all of them.

test_meson_install_gives_a_working_hutch() {
    need_cmd meson
    local prefix=$T/prefix
    assert_status 0 meson setup "$T/build" "$REPO" --prefix "$prefix" -Dwerror=true || return
    assert_status 0 meson compile -C "$T/build" || return
    assert_status 0 meson install -C "$T/build" || return
    chmod -R a+rX "$T"
    assert_file_exists "$prefix/bin/hutch"
    assert_file_exists "$prefix/libexec/hutch/hutch-init"
    assert_file_exists "$prefix/libexec/hutch/hutch-idholder"
    assert_file_exists "$prefix/share/hutch/profiles/default.profile"
    assert_file_exists "$prefix/share/man/man1/hutch.1"
    assert_file_exists "$prefix/share/man/man5/hutch-profile.5"
    assert_status 0 as_user "$prefix/bin/hutch" run -- cat /proc/1/comm
    assert_eq hutch-init "$(last_stdout)"
    assert_status 0 as_user "$prefix/bin/hutch" profile list
    assert_contains "$(last_stdout)" "$prefix/share/hutch/profiles/default.profile"
    # hutch panel execs the installed hutch-panel.
    assert_file_exists "$prefix/libexec/hutch/hutch-panel"
    assert_status 0 as_user "$prefix/bin/hutch" panel --help
    assert_contains "$(last_stdout)" "--idle-timeout"
}
