# SPDX-License-Identifier: LGPL-2.1-or-later
# The README's quickstart: `./dev demo` runs share/demo/demo.sh in a
# sandbox as the unprivileged test user, with a secret planted in /tmp and
# one in the home, and ends with its verdict.

test_dev_demo_finds_everything_as_expected() {
    need_root
    assert_status 0 env -u DISPLAY -u WAYLAND_DISPLAY "$REPO/dev" demo </dev/null
    assert_contains "$(last_stdout)" "== verdict ==" "the demo ran to its end"
    assert_contains "$(last_stdout)" "everything as expected"
    assert_contains "$(last_stdout)" "ok: cat /etc/shadow: Permission denied"
}
