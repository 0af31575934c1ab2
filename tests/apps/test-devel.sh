# SPDX-License-Identifier: LGPL-2.1-or-later
# gdb under its profile (devel): it traces what it starts, reads the home
# (read-only), and ~/.ssh stays hidden.
. "$REPO/tests/apps/apps.sh"

test_gdb_debugs_a_crashing_program() {
    need_cmd gdb gcc
    app_home
    printf '%s\n' 'int crash_here(int *p) { return *p; }' \
        'int main(void) { return crash_here(0); }' >"$T/home/crash.c"
    assert_status 0 gcc -g -O0 -o "$T/home/crash" "$T/home/crash.c" || return
    chmod -R a+rX "$T/home"
    assert_status 0 app_run gdb -batch -ex run -ex bt "$T/home/crash"
    assert_contains "$(last_stdout)" "SIGSEGV"
    assert_match "#0 .* in crash_here \(p=0x0\) at .*crash.c:1" "$(last_stdout)"
    assert_match "#1 .* in main \(\)" "$(last_stdout)"
    app_canary gdb
}
