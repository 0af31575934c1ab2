# SPDX-License-Identifier: LGPL-2.1-or-later
# hutch-test-timeout: 120
# Games and Wine under their own profiles: a level drawn with GL through
# trusted X11 (llvmpipe here), a Windows program run in a private prefix.
. "$REPO/tests/apps/apps.sh"

test_neverball_starts_a_level_with_gl() {
    need_cmd xdotool import
    need_x11
    need_pulse
    [ -x /usr/games/neverball ] || skip "needs neverball (./dev deps installs it)"
    app_home
    app_start /usr/games/neverball --level map-easy/easy.sol
    local wid
    wid=$(app_window '^neverball' 60) || return
    WAIT_FOR_SECONDS=20 wait_for grep -q "GL renderer" "$T/neverball.out" "$T/neverball.err"
    assert_match "GL renderer: .+" "$(cat "$T/neverball.out" "$T/neverball.err")" "GLX through trusted X11"
    assert_not_contains "$(cat "$T/neverball.err")" "GLX is not supported"
    # A drawn 3D level has thousands of colours; a menu or black window few.
    assert_many_colours "$wid" 2000
    assert_file_exists "$(app_private_home neverball)" "saves in its own home"
    app_canary neverball
}

test_wine_runs_a_windows_program_in_its_private_prefix() {
    need_cmd wine x86_64-w64-mingw32-gcc
    need_x11
    need_pulse
    app_home
    # The program and its output live in the profile's own home, which is
    # the app's $HOME (Z: is /).
    local home
    home=$(app_private_home wine)
    printf '%s\n' '#include <stdio.h>' \
        'int main(int argc, char **argv) {' \
        '    FILE *f = fopen(argv[1], "w");' \
        '    if (!f) return 2;' \
        '    fprintf(f, "hello from windows, %d-bit\n", (int)(8 * sizeof(void *)));' \
        '    return fclose(f) != 0;' \
        '}' >"$T/hello.c"
    assert_status 0 x86_64-w64-mingw32-gcc -O2 -o "$T/hello.exe" "$T/hello.c" || return
    chmod a+r "$T/hello.exe"
    assert_status 0 as_user sh -c "mkdir -p '$home' && cp '$T/hello.exe' '$home/'"
    # The program by its Windows path: a host path under the real home would
    # name the user's file, which hutch would pass in (file arguments).
    assert_status 0 app_run wine "Z:${T//\//\\}\\home\\hello.exe" "Z:${T//\//\\}\\home\\out.txt"
    assert_eq "hello from windows, 64-bit" "$(tr -d '\r' <"$home/out.txt" 2>/dev/null)"
    assert_file_exists "$home/.wine/drive_c/windows" "the prefix in its own home"
    assert_file_not_exists "$T/home/.wine" "nothing in the real home"
    app_canary wine
}

# assert_many_colours WID [MIN]: window WID comes to show more than MIN
# colours (1000 unless given) within 25 seconds: a drawn scene, not an empty
# or one-colour window. Screenshots are taken until it does, not once after
# a fixed wait: on a loaded machine neverball's level was still black after
# the 3 seconds these tests used to sleep.
assert_many_colours() {
    local colours=0 min=${2:-1000} end=$((SECONDS + 25))
    while :; do
        if import -silent -window "$1" "$T/shot.png" 2>/dev/null; then
            colours=$(convert "$T/shot.png" -format %k info:)
        fi
        if [ "$colours" -gt "$min" ] || [ "$SECONDS" -ge "$end" ]; then
            break
        fi
        sleep 0.5
    done
    assert_eq 1 "$((colours > min))" "$colours colours in the picture (more than $min)"
}

test_minetest_draws_its_main_menu_with_gl() {
    need_cmd xdotool import
    need_x11
    need_pulse
    [ -x /usr/games/minetest ] || skip "needs minetest (./dev deps installs it)"
    app_home
    app_start /usr/games/minetest
    local wid
    wid=$(app_window '^minetest' 60) || return
    assert_contains "$(xdotool getwindowname "$wid")" "[Main Menu]"
    assert_many_colours "$wid"
    assert_file_exists "$(app_private_home minetest)/.minetest/debug.txt" "its log in its own home"
    app_canary minetest
}

test_openttd_runs_its_title_game() {
    need_cmd xdotool import
    need_x11
    need_pulse
    [ -x /usr/games/openttd ] || skip "needs openttd (./dev deps installs it)"
    app_home
    app_start /usr/games/openttd
    local wid
    wid=$(app_window '^openttd' 60) || return
    # The title screen is a running game on a drawn map.
    assert_many_colours "$wid" 100
    assert_file_exists "$(app_private_home openttd)/.config/openttd" "its own home"
    app_canary openttd
}

test_lbreakout2_draws_its_menu_over_untrusted_x11() {
    need_cmd xdotool import
    need_x11
    need_pulse
    [ -x /usr/games/lbreakout2 ] || skip "needs lbreakout2 (./dev deps installs it)"
    app_home
    app_start /usr/games/lbreakout2
    local wid
    wid=$(app_window '^lbreakout2' 30) || return
    sleep 2
    # The menu over a drawn background: many colours, not a black window.
    assert_many_colours "$wid"
    assert_not_contains "$(cat "$T/lbreakout2.err")" "gpu is granted" "no gpu, no warning"
    assert_file_exists "$(app_private_home lbreakout2)/.lgames" "its settings in its own home"
    app_canary lbreakout2
}
