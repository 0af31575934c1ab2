# SPDX-License-Identifier: LGPL-2.1-or-later
# hutch-test-timeout: 240
# Games and their launchers: hutch around each game as Steam starts it
# (launch options, and hutch's compatibility tool chained to a
# pressure-vessel-style container), Steam inside hutch (its profile, both
# shapes of pressure-vessel's bwrap), 32-bit programs, controllers that
# appear after launch. Steam itself cannot be installed offline: fake-steam.py
# does what its client does when it starts a game; the games are real SDL 2
# programs drawing on the suite's X server and playing on its sound server.

GAMES=$REPO/tests/games
SDL=/usr/libexec/installed-tests/SDL2

teardown() {
    if [ -n "${BG_PID:-}" ]; then
        kill "$BG_PID" 2>/dev/null
        wait "$BG_PID" 2>/dev/null
    fi
    [ -n "${MADE_NODE:-}" ] && rm -f "$MADE_NODE"
    [ -n "${MADE_INPUT_DIR:-}" ] && rmdir "$MADE_INPUT_DIR" 2>/dev/null
    local name
    for name in $(as_user "$HUTCH" ls 2>/dev/null | awk 'NR > 1 && $1 ~ /^steam-(4242|4243|77|99)/ { print $1 }'); do
        as_user "$HUTCH" stop --timeout 2 "$name" >/dev/null 2>&1
    done
}

# A home for the test user's Steam, and a game in its library.
setup_steam_home() {
    HOME_T=$T/home
    GAME_DIR=$HOME_T/.local/share/Steam/steamapps/common/FakeGame
    mkdir -p "$GAME_DIR" "$HOME_T/.config"
    cp "$GAMES/game.sh" "$GAME_DIR/game.sh"
    chown -R "$TEST_USER:" "$HOME_T" 2>/dev/null
}

# install_fake_runtime: a stand-in Steam Linux Runtime where the tool looks.
install_fake_runtime() {
    local d=$HOME_T/.local/share/Steam/steamapps/common/SteamLinuxRuntime_sniper
    mkdir -p "$d"
    cp "$GAMES/slr-entry-point" "$d/_v2-entry-point"
    chown -R "$TEST_USER:" "$HOME_T" 2>/dev/null
}

as_steam_user() { as_user env "HOME=$HOME_T" "$@"; }

need_game_parts() {
    need_cmd bwrap
    need_x11
    need_pulse
    [ -x "$SDL/testspriteminimal" ] && [ -x "$SDL/loopwave" ] || skip "libsdl2-tests not installed"
    /usr/bin/python3 -c 'import vdf' 2>/dev/null || skip "python3-vdf not installed"
}

# what the game told its client, checked against what it must reach
assert_game_reached_its_client() {
    local out=$1 appid=$2
    assert_contains "$out" "pipe: cwd=$GAME_DIR" "the game's directory kept"
    assert_contains "$out" "pipe: name=steam-$appid" "the sandbox is named after SteamAppId"
    assert_contains "$out" "pipe: shm=steam-shm-ok" "Steam's /dev/shm segment"
    assert_contains "$out" "pipe: sem=42" "Steam's SysV semaphore"
    assert_match "pipe: pid=[0-9]+" "$out" "~/.steampid"
    assert_contains "$out" "pipe: container=hutch" "SDL's container marker"
    assert_contains "$out" "pipe: video=124" "an SDL game drew until stopped"
    assert_contains "$out" "pipe: audio=124" "an SDL game played sound until stopped"
    assert_contains "$out" "fake-steam: the game exited with 7" "the game's status"
}

test_compatibility_tool_files() {
    setup_steam_home
    assert_status 0 as_steam_user "$HUTCH" steam install-tool
    local tool=$HOME_T/.local/share/Steam/compatibilitytools.d/hutch
    assert_file_exists "$tool/compatibilitytool.vdf"
    assert_status 0 /usr/bin/python3 -c "
import sys, vdf
t = vdf.load(open(sys.argv[1] + '/compatibilitytool.vdf'))['compatibilitytools']['compat_tools']['hutch']
m = vdf.load(open(sys.argv[1] + '/toolmanifest.vdf'))['manifest']
print(t['install_path'], t['from_oslist'], t['to_oslist'], m['version'], m['commandline'], m['use_tool_subprocess_reaper'])" "$tool"
    assert_eq ". linux linux 2 /hutch-tool %verb% 1" "$(last_stdout)"
    assert_status 0 test -x "$tool/hutch-tool"
    assert_status 0 as_steam_user "$HUTCH" steam install-tool  # again: idempotent
    assert_status 0 as_steam_user "$HUTCH" steam remove-tool
    assert_file_not_exists "$tool"
    # A tool of the user's own under that name is never replaced or removed.
    mkdir -p "$tool"
    echo mine >"$tool/toolmanifest.vdf"
    chown -R "$TEST_USER:" "$HOME_T"
    assert_status 1 as_steam_user "$HUTCH" steam install-tool
    assert_contains "$(last_stderr)" "was not written by hutch"
    assert_status 1 as_steam_user "$HUTCH" steam remove-tool
    assert_eq mine "$(cat "$tool/toolmanifest.vdf")"
}

# Steam -> hutch's tool -> hutch -> the runtime's container (bwrap, both
# of pressure-vessel's shapes) -> the game.
test_steam_runs_a_game_through_the_hutch_tool_and_a_runtime() {
    need_game_parts
    setup_steam_home
    install_fake_runtime
    assert_status 0 as_steam_user "$HUTCH" steam install-tool
    local shape
    for shape in unshare-pid shared-pid; do
        assert_status 7 as_steam_user FAKE_SLR_SHAPE=$shape /usr/bin/python3 "$GAMES/fake-steam.py" \
            --tool hutch --appid 4242 --game-dir "$GAME_DIR" -- "$GAME_DIR/game.sh"
        assert_contains "$(last_stdout)" "pipe: runtime=$shape" "the tool chained to the runtime"
        assert_game_reached_its_client "$(last_stdout)" 4242
    done
}

test_launch_options_wrap_a_game() {
    need_game_parts
    setup_steam_home
    assert_status 7 as_steam_user /usr/bin/python3 "$GAMES/fake-steam.py" \
        --launch-options "$HUTCH run --profile game -- %command%" \
        --appid 4243 --game-dir "$GAME_DIR" -- "$GAME_DIR/game.sh"
    assert_game_reached_its_client "$(last_stdout)" 4243
}

test_steam_launch_grants_and_names_in_the_dry_run() {
    setup_steam_home
    local client=$HOME_T/.local/share/Steam
    mkdir -p "$client/steamapps/compatdata/77"
    chown -R "$TEST_USER:" "$HOME_T"
    assert_status 0 as_steam_user SteamAppId=77 STEAM_COMPAT_DATA_PATH="$client/steamapps/compatdata/77" \
        STEAM_COMPAT_INSTALL_PATH="$GAME_DIR" STEAM_COMPAT_CLIENT_INSTALL_PATH="$client" \
        LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libm.so.6 \
        "$HUTCH" run --dry-run --profile game -- true
    local out=$(last_stdout)
    assert_match "bind +$client/steamapps/compatdata/77 -> .* rw +\[STEAM_COMPAT_DATA_PATH \(Steam launch\)\]" "$out"
    assert_match "bind +$GAME_DIR -> .* ro +\[STEAM_COMPAT_INSTALL_PATH \(Steam launch\)\]" "$out"
    assert_contains "$out" "env        LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libm.so.6" "Steam's overlay kept"
    assert_match "sandbox +steam-77" "$out"
    # Outside a Steam launch, the same profile grants none of it.
    assert_status 0 as_steam_user STEAM_COMPAT_DATA_PATH="$client/steamapps/compatdata/77" \
        "$HUTCH" run --dry-run --profile game -- true
    assert_not_contains "$(last_stdout)" "Steam launch"
}

test_per_game_profile_by_app_id() {
    setup_steam_home
    mkdir -p "$HOME_T/.config/hutch/profiles"
    printf '[Profile]\ndescription=Game 99 of its own\ninclude=game.profile\n' \
        >"$HOME_T/.config/hutch/profiles/game-99.profile"
    chown -R "$TEST_USER:" "$HOME_T"
    assert_status 0 as_steam_user SteamAppId=99 "$HUTCH" run --dry-run --profile game -- true
    assert_contains "$(last_stdout)" "note       profile: game-99 ("
    assert_status 0 as_steam_user SteamAppId=98 "$HUTCH" run --dry-run --profile game -- true
    assert_contains "$(last_stdout)" "note       profile: game ("
}

# Steam ends a game with SIGINT, then SIGKILL: the first reaches the game,
# the second (to hutch) leaves nothing behind.
test_sigint_then_sigkill_as_steam_ends_a_game() {
    setup_steam_home
    # shellcheck disable=SC2016
    as_steam_user SteamAppId=77 "$HUTCH" run --profile game -- sh -c \
        'trap "echo got-sigint" INT; echo game-started; while :; do sleep 0.1; done' >"$T/out" 2>&1 &
    BG_PID=$!
    wait_for as_user sh -c "'$HUTCH' ls | grep -q '^steam-77 '" ||
        { assert_eq "steam-77 running" "not listed"; return; }
    # Steam signals a game that runs: before its command starts, a signal
    # ends the launch instead (hutch(1), SIGNALS).
    WAIT_FOR_SECONDS=20 wait_for grep -q game-started "$T/out" ||
        { assert_eq "the game started" "$(cat "$T/out")"; return; }
    local hutch_pid
    hutch_pid=$(pgrep -u "$TEST_USER" -f -- "run --profile game -- sh -c" | head -1)
    kill -INT "$hutch_pid"
    wait_for grep -q got-sigint "$T/out"
    assert_contains "$(cat "$T/out")" "got-sigint" "SIGINT reached the game"
    kill -KILL "$hutch_pid"
    wait "$BG_PID" 2>/dev/null
    BG_PID=
    wait_for as_user sh -c "! '$HUTCH' ls | grep -q '^steam-77 '"
    assert_status 1 as_user sh -c "'$HUTCH' ls | grep -q '^steam-77 '"
    assert_status 1 pgrep -u "$TEST_USER" -f "got-sigint"
}

# Steam inside hutch: its profile, and the two shapes of the container its
# games run in (pressure-vessel's bwrap, the real one).
test_steam_profile_runs_both_pressure_vessel_shapes() {
    need_cmd bwrap
    need_x11
    need_pulse
    setup_steam_home
    assert_status 0 as_steam_user "$HUTCH" run --profile steam -- sh -c \
        'bwrap --dev-bind /dev /dev --bind /proc /proc --ro-bind /sys /sys --bind / / -- sh -c "echo shared \$(readlink /proc/self/ns/pid)"; readlink /proc/self/ns/pid'
    assert_match "^shared pid:\[[0-9]+\]$" "$(last_stdout | head -1)"
    assert_eq "$(last_stdout | head -1 | cut -d' ' -f2)" "$(last_stdout | tail -1)" "the pid namespace is shared"
    assert_status 0 as_steam_user "$HUTCH" run --profile steam -- sh -c \
        'bwrap --bind / / --dev-bind /dev /dev --proc /proc --ro-bind /sys /sys --unshare-pid -- sh -c "echo \$\$ \$(readlink /proc/self/ns/pid)"; readlink /proc/self/ns/pid'
    assert_match "^[0-9]+ pid:\[[0-9]+\]$" "$(last_stdout | head -1)"
    assert_ne "$(last_stdout | head -1 | cut -d' ' -f2)" "$(last_stdout | tail -1)" "a pid namespace of its own"
    # Steam's files keep their names inside.
    mkdir -p "$HOME_T/.local/share/Steam" "$HOME_T/.steam"
    echo client >"$HOME_T/.local/share/Steam/marker"
    chown -R "$TEST_USER:" "$HOME_T"
    assert_status 0 as_steam_user "$HUTCH" run --profile steam -- sh -c \
        'cat ~/.local/share/Steam/marker; echo new >~/.local/share/Steam/written; test -d ~/.steam && echo steamdir'
    assert_eq "client
steamdir" "$(last_stdout)"
    assert_eq new "$(cat "$HOME_T/.local/share/Steam/written")" "Steam writes its own directory"
}

# Without nested-sandbox the kernel refuses a nested container: /proc
# has hutch's masks, and the filter refuses the namespaces.
test_nested_container_needs_nested_sandbox() {
    need_cmd bwrap
    assert_status nonzero hutch_run --allow gpu -- bwrap --bind / / --unshare-pid --proc /proc true
    assert_status 0 hutch_run --allow gpu --allow nested-sandbox -- \
        bwrap --bind / / --unshare-pid --proc /proc true
}

test_32bit_program_runs_under_multiarch() {
    need_cmd gcc
    printf '#include <stdio.h>\nint main(void) { puts("hello from i386"); return 0; }\n' >"$T/hello.c"
    gcc -m32 -o "$T/hello32" "$T/hello.c" 2>"$T/gcc.log" || skip "no 32-bit toolchain: $(head -1 "$T/gcc.log")"
    chmod 0755 "$T/hello32"
    assert_status 0 "$T/hello32"  # outside: the kernel runs it
    assert_status nonzero hutch_run --ro "$T" -- "$T/hello32"
    assert_not_contains "$(last_stdout)" "hello from i386" "refused without multiarch"
    assert_status 0 hutch_run --allow multiarch --ro "$T" -- "$T/hello32"
    assert_eq "hello from i386" "$(last_stdout)"
    setup_steam_home
    assert_status 0 as_steam_user "$HUTCH" run --profile game --ro "$T" -- "$T/hello32"
    assert_eq "hello from i386" "$(last_stdout)" "the game profile runs 32-bit games"
}

# /dev/input is bound as a directory: a controller plugged in after launch
# appears inside. This machine has no input devices: the test makes
# /dev/input itself (as root) when it is missing, and adds a node to it
# while the sandbox watches with inotify, as SDL does in a container.
test_controller_plugged_in_after_launch_appears_inside() {
    need_root
    need_cmd inotifywait mknod
    if [ ! -d /dev/input ]; then
        mkdir /dev/input || skip "cannot make /dev/input on this host"
        MADE_INPUT_DIR=/dev/input
    fi
    local node=/dev/input/event$((90 + RANDOM % 9))
    hutch_run --allow input -- sh -c 'cat /run/host/container-manager; exec inotifywait -t 20 -e create /dev/input' \
        >"$T/out" 2>"$T/err" &
    BG_PID=$!
    wait_for grep -q "Watches established" "$T/err" ||
        { assert_eq "inotifywait watching" "$(cat "$T/err")"; return; }
    mknod "$node" c 13 "${node#/dev/input/event}" && MADE_NODE=$node
    wait "$BG_PID"
    BG_PID=
    assert_contains "$(cat "$T/out")" "hutch" "SDL's container marker"
    assert_contains "$(cat "$T/out")" "/dev/input/ CREATE $(basename "$node")" "the new node appeared inside"
}

test_uinput_is_granted_where_the_host_has_it() {
    [ -e /dev/uinput ] || skip "this machine has no /dev/uinput (no uinput module): nothing to grant"
    assert_status 0 hutch_run --allow input -- test -c /dev/uinput
}

# The Steam image: hutch create --template steam's commands, checked
# without the network (building it downloads ~500 MB: see hutch(1)).
test_steam_image_recipe() {
    assert_status 0 as_user "$HUTCH" create steam-test-$$ --template steam --dry-run
    local out=$(last_stdout)
    assert_match "debootstrap' '--variant=minbase' '--arch=amd64' '--include=ca-certificates'" "$out"
    assert_contains "$out" "dpkg --add-architecture i386"
    assert_contains "$out" "steam-libs:amd64 steam-libs:i386"
    assert_contains "$out" "mesa-vulkan-drivers:i386"
    assert_file_not_exists "$(user_home "$TEST_USER")/.local/share/hutch/images/steam-test-$$" "nothing built"
    assert_status 2 as_user "$HUTCH" create steam-test-$$ --template steam --arch i386 --dry-run
    assert_contains "$(last_stderr)" "--template steam is amd64"
}
