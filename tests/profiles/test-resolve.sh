# SPDX-License-Identifier: LGPL-2.1-or-later
# How profiles combine: includes < profile < override file < command line,
# deny beats allow at one level, the search path, the basename lookup,
# private homes and path expansion.
# shellcheck source=tests/profiles/helpers.sh
. "$REPO/tests/profiles/helpers.sh"

# A profile "app" with an include, and an override file.
make_levels() {
    put profiles/lvl.inc '[Sandbox]\nhostname=from-inc\nchdir=/inc\n[Network]\nmode=host\n[Environment]\nset=LEVEL=inc\n'
    put profiles/app.profile '[Sandbox]\nhostname=from-profile\n[Profile]\ninclude=lvl\n[Environment]\nset=LEVEL=profile\n'
    put overrides/app.profile '[Sandbox]\nchdir=/usr\n[Environment]\nset=LEVEL=override\n'
}

test_includes_then_profile_then_override() {
    make_levels
    assert_status 0 hp profile show app
    local p=$T/config/hutch/profiles o=$T/config/hutch/overrides
    assert_eq "hostname from-profile $p/app.profile:2" "$(show_row hostname)"
    assert_eq "chdir /usr $o/app.profile:2" "$(show_row chdir)"
    assert_eq "network host $p/lvl.inc:5" "$(show_row network)"
    assert_eq "env set LEVEL=override $o/app.profile:4" "$(show_row 'env set')"
    assert_eq "file $p/lvl.inc|file $p/app.profile|file $o/app.profile" \
        "$(last_stdout | tr -s ' ' | grep '^file ' | paste -sd '|')"
}

test_command_line_beats_every_file() {
    make_levels
    assert_status 0 hp run --profile app --dry-run --hostname from-cli --env LEVEL=cli -- true
    assert_contains "$(last_stdout)" "hostname   from-cli"
    assert_contains "$(last_stdout)" "env        LEVEL=cli"
    assert_contains "$(last_stdout)" "chdir      /usr"
}

test_command_line_runs_with_the_resolved_policy() {
    make_levels
    assert_status 0 hp run --profile app --env LEVEL=cli -- sh -c 'echo "$(hostname) $LEVEL $(pwd)"'
    assert_eq "from-profile cli /usr" "$(last_stdout)"
}

test_deny_beats_allow_in_one_file() {
    put profiles/p.profile '[Permissions]\ndeny=audio\nallow=audio;x11\n'
    assert_status 0 hp profile show p
    assert_eq "deny audio $T/config/hutch/profiles/p.profile:2" "$(show_row deny audio)"
    assert_eq "allow x11 $T/config/hutch/profiles/p.profile:3" "$(show_row allow x11)"
}

test_a_later_level_may_allow_what_an_earlier_denied() {
    put profiles/base.inc '[Permissions]\nallow=gpu\n'
    put profiles/p.profile '[Profile]\ninclude=base\n[Permissions]\ndeny=gpu\nallow=audio\n'
    put overrides/p.profile '[Permissions]\nallow=gpu\ndeny=audio\n'
    assert_status 0 hp profile show p
    assert_eq "allow gpu $T/config/hutch/overrides/p.profile:2" "$(show_row allow gpu)"
    assert_eq "deny audio $T/config/hutch/overrides/p.profile:3" "$(show_row deny audio)"
}

# gpu and input only bind what the host has, so they plan anywhere.
test_command_line_deny_beats_command_line_allow() {
    assert_status 0 hp run --dry-run --deny gpu --allow gpu --allow input -- true
    assert_not_contains "$(last_stdout)" "allow gpu"
    assert_contains "$(last_stdout)" "note       allow input (--allow)"
    assert_status 0 hp run --dry-run --allow gpu --deny gpu -- true
    assert_not_contains "$(last_stdout)" "allow gpu"
}

test_command_line_allows_what_the_profile_denied() {
    put profiles/p.profile '[Permissions]\ndeny=gpu\n'
    assert_status 0 hp run --profile p --dry-run --allow gpu -- true
    assert_contains "$(last_stdout)" "note       allow gpu (--allow)"
    assert_status 0 hp run --profile p --dry-run -- true
    assert_not_contains "$(last_stdout)" "allow gpu"
}

test_environment_precedence_across_levels() {
    put profiles/p.profile '[Environment]\nset=FOO=profile\nunset=BAR\n'
    assert_status 0 as_user env BAR=host XDG_CONFIG_HOME="$T/config" "$HUTCH" run --profile p \
        --unset-env FOO --env BAR=cli -- sh -c 'echo "${FOO-unset} ${BAR-unset}"'
    assert_eq "unset cli" "$(last_stdout)"
}

test_unset_beats_set_in_one_file() {
    put profiles/p.profile '[Environment]\nunset=FOO\nset=FOO=1\n'
    assert_status 0 hp run --profile p -- sh -c 'echo "${FOO-unset}"'
    assert_eq "unset" "$(last_stdout)"
}

test_same_path_later_level_wins() {
    mkdir -p "$T/shared"
    chmod 0777 "$T/shared"
    put profiles/p.profile "[Filesystem]\nro=$T/shared\n"
    assert_status 0 hp run --profile p --rw "$T/shared" -- touch "$T/shared/ok"
    assert_file_exists "$T/shared/ok"
    assert_status 0 hp profile show p
    assert_eq "ro $T/shared $T/config/hutch/profiles/p.profile:2" "$(show_row ro)"
}

test_override_adjusts_a_shipped_profile() {
    put overrides/mpv.profile '[Network]\nmode=host\n'
    assert_status 0 hp profile show mpv
    assert_eq "network host $T/config/hutch/overrides/mpv.profile:2" "$(show_row network)"
    assert_match "^command mpv --player-operation-mode=pseudo-gui .*/profiles/mpv.profile:4$" \
        "$(show_row command)"
    assert_status 0 hp profile list
    assert_match "^mpv .* \+ $T/config/hutch/overrides/mpv.profile$" \
        "$(last_stdout | tr -s ' ' | grep '^mpv ')"
}

test_user_profile_shadows_the_shipped_one() {
    put profiles/mpv.profile '[Profile]\ndescription=my own mpv\ncommand=mpv --no-video\n'
    assert_status 0 hp profile show mpv
    assert_eq "file $T/config/hutch/profiles/mpv.profile" "$(show_row file)"
    assert_status 0 hp profile list
    assert_eq "mpv my own mpv $T/config/hutch/profiles/mpv.profile" \
        "$(last_stdout | tr -s ' ' | grep '^mpv ' | head -n 1)"
    assert_match "^mpv .*/profiles/mpv.profile \(shadowed\)$" \
        "$(last_stdout | tr -s ' ' | grep '^mpv ' | tail -n 1)"
}

test_list_shows_every_shipped_profile_with_its_description() {
    assert_status 0 hp profile list
    assert_match "^default Nothing but the command: empty home, no network, no display .*/profiles/default.profile$" \
        "$(last_stdout | tr -s ' ' | grep '^default ')"
    assert_eq 0 "$(last_stdout | grep -c '\.inc')" "includes are not profiles"
}

test_basename_lookup_uses_the_commands_profile() {
    need_x11
    assert_status 0 hp run --dry-run -- /usr/bin/xterm -version
    assert_match "note +profile: xterm \(.*/profiles/secrets.inc, .*/profiles/xterm.profile\)" "$(last_stdout)"
    assert_contains "$(last_stdout)" "note       allow x11"
}

test_basename_lookup_finds_user_profiles() {
    put profiles/hostname.profile '[Sandbox]\nhostname=by-basename\n'
    assert_status 0 hp run -- hostname
    assert_eq "by-basename" "$(last_stdout)"
}

test_command_without_a_profile_gets_default() {
    assert_status 0 hp run --dry-run -- true
    assert_match "note +profile: true \(.*/profiles/default.profile\)" "$(last_stdout)"
    assert_match "^sandbox +true(-[0-9]+)?$" "$(last_stdout | head -n 1)"
    assert_not_contains "$(last_stdout)" "note       allow"
}

test_profile_by_path_and_its_command() {
    put_file "$T/mine/tool.profile" '[Profile]\ncommand=sh -c "echo from-profile-command"\n'
    assert_status 0 hp run --profile "$T/mine/tool.profile"
    assert_eq "from-profile-command" "$(last_stdout)"
    assert_status 0 hp run --profile "$T/mine/tool.profile" -- echo given
    assert_eq "given" "$(last_stdout)"
}

test_profile_path_finds_includes_beside_it() {
    put_file "$T/mine/tool.profile" '[Profile]\ninclude=near\ncommand=hostname\n'
    put_file "$T/mine/near.inc" '[Sandbox]\nhostname=near-include\n'
    assert_status 0 hp run --profile "$T/mine/tool.profile"
    assert_eq "near-include" "$(last_stdout)"
}

test_diamond_include_is_applied_once() {
    put profiles/d.inc '[Permissions]\nallow=audio\n'
    put profiles/b.inc '[Profile]\ninclude=d\n[Permissions]\ndeny=audio\n'
    put profiles/c.inc '[Profile]\ninclude=d\n'
    put profiles/p.profile '[Profile]\ninclude=b;c\n'
    assert_status 0 hp profile show p
    assert_eq "deny audio $T/config/hutch/profiles/b.inc:4" "$(show_row deny audio)"
    assert_eq 1 "$(last_stdout | grep -c '^file .*/d.inc$')"
}

test_include_on_the_command_line() {
    put profiles/extra.inc '[Sandbox]\nhostname=cli-include\n'
    assert_status 0 hp run --include extra -- hostname
    assert_eq "cli-include" "$(last_stdout)"
}

test_every_key_has_a_twin_flag() {
    local flag
    assert_status 0 as_user "$HUTCH" run --help
    for flag in --home --ro --rw --tmpfs --hide --allow --deny --x11 --net --env --unset-env \
        --keep-env --hostname --chdir --seccomp-allow --seccomp-deny --memory --pids \
        --cpu-weight --rootfs --image --persist --include --profile; do
        assert_contains "$(last_stdout)" "  $flag"
    done
}

# twin BASE KEYED FLAGS PATTERN: a key and its twin flag change the resolved
# policy alike.  KEYED is the profile BASE with the key added (both printf
# %b text); the dry run of KEYED, and that of BASE with FLAGS, each have a
# line matching PATTERN (grep -E) that BASE's dry run lacks, or, for
# "!PATTERN", both lose BASE's line matching PATTERN.
twin() {
    local base=$1 keyed=$2 flags=$3 pat=${4#!} gone=0 out_base out_key out_flag
    [ "${4:0:1}" = '!' ] && gone=1
    TWINS_DONE+=" ${flags%% *} "
    put profiles/twin-base.profile "$base"
    put profiles/twin-keyed.profile "$keyed"
    out_base=$(twin_dry_run --profile twin-base) || { fail "dry run of [$base]: $out_base"; return; }
    # shellcheck disable=SC2086  # FLAGS are words
    assert_status 0 twin_dry_run --profile twin-base $flags || return
    out_flag=$(last_stdout)
    assert_status 0 twin_dry_run --profile twin-keyed || return
    out_key=$(last_stdout)
    if [ "$gone" = 1 ]; then
        assert_match "$pat" "$(grep -E -- "$pat" <<<"$out_base")" "[$base] has /$pat/" || return
        assert_eq "" "$(grep -E -- "$pat" <<<"$out_flag")" "$flags removes /$pat/"
        assert_eq "" "$(grep -E -- "$pat" <<<"$out_key")" "[$keyed] removes /$pat/"
    else
        assert_eq "" "$(grep -E -- "$pat" <<<"$out_base")" "[$base] has no /$pat/"
        assert_match "$pat" "$(grep -E -- "$pat" <<<"$out_flag")" "$flags gives /$pat/"
        assert_match "$pat" "$(grep -E -- "$pat" <<<"$out_key")" "[$keyed] gives /$pat/"
    fi
}

twin_dry_run() {
    as_user env XDG_CONFIG_HOME="$T/config" XDG_DATA_HOME="$T/data" SSH_AUTH_SOCK=/tmp/agent \
        DBUS_SESSION_BUS_ADDRESS="unix:path=$T/bus" DBUS_SYSTEM_BUS_ADDRESS="unix:path=$T/bus" \
        "$HUTCH" run --dry-run "$@" -- true
}

# A listening socket standing in for both buses: the dry run plans the bus
# proxy (and lists the bus rules) only for a bus that is there.
listen_as_bus() {
    python3 -c 'import os, socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.bind(sys.argv[1])
os.chmod(sys.argv[1], 0o777)
s.listen()
time.sleep(600)' "$T/bus" &
    BUS_PID=$!
    wait_for test -S "$T/bus"
}

# Every twin flag of test_every_key_has_a_twin_flag but --profile (which
# names the file), and those that need a display server (below).
test_each_twin_flag_changes_the_policy_as_its_key() {
    TWINS_DONE=
    local img=$T/img
    mkdir -p "$img/usr/bin" "$img/etc"
    chmod -R a+rX "$img"
    put profiles/extra.inc '[Sandbox]\nhostname=from-include\n'
    local BUS_PID
    listen_as_bus || { fail "no stand-in bus at $T/bus"; return; }
    twin '' '[Filesystem]\nhome=private' '--home private' '\[home private\]$'
    twin '' '[Filesystem]\nro=/etc/hostname' '--ro /etc/hostname' '^bind +/etc/hostname -> /etc/hostname ro '
    twin '' '[Filesystem]\nrw=/var/tmp' '--rw /var/tmp' '^bind +/var/tmp -> /var/tmp rw '
    twin '' '[Filesystem]\ntmpfs=/srv' '--tmpfs /srv' '^tmpfs +/srv \(mode=0755\)'
    twin '' '[Filesystem]\nhide=/opt' '--hide /opt' '^tmpfs +/opt \(mode=0000'
    twin '' '[Filesystem]\netc=minimal' '--etc minimal' '^mkdir +/etc '
    twin '' '[Filesystem]\nfile-args=keep' '--file-args keep' '^note +documents: file arguments are passed as given'
    twin '' '[Permissions]\nallow=gpu' '--allow gpu' '^note +allow gpu'
    twin '[Permissions]\nallow=gpu' '[Permissions]\nallow=gpu\ndeny=gpu' '--deny gpu' '!^note +allow gpu'
    twin '' '[Network]\nmode=host' '--net host' '^network +host'
    twin '[Network]\nmode=user' '[Network]\nmode=user\nhost-port=631' '--host-port 631' \
        '^note +network: pasta: .* --tcp-ns 631 '
    twin '[Network]\nmode=user' '[Network]\nmode=user\npublish=8080' '--publish 8080' \
        '^note +network: pasta: .* --tcp-ports 8080 '
    twin '' '[Environment]\nset=TWIN=1' '--env TWIN=1' '^env +TWIN=1$'
    twin '[Environment]\nset=TWIN=1' '[Environment]\nset=TWIN=1\nunset=TWIN' '--unset-env TWIN' '!^env +TWIN='
    twin '' '[Environment]\npass=SSH_AUTH_SOCK' '--keep-env SSH_AUTH_SOCK' '^env +SSH_AUTH_SOCK=/tmp/agent$'
    twin '' '[Sandbox]\nhostname=twin' '--hostname twin' '^hostname +twin$'
    twin '' '[Sandbox]\nchdir=/usr' '--chdir /usr' '^chdir +/usr$'
    twin '' '[Seccomp]\nallow=ptrace' '--seccomp-allow ptrace' '^seccomp +allowed by .*: ptrace$'
    twin '' '[Seccomp]\ndeny=socket:13' '--seccomp-deny socket:13' '^seccomp +EACCES: socket\('
    twin '' '[Limits]\nmemory=512M' '--memory 512M' '^note +limit memory 512.0 MiB '
    twin '' '[Limits]\npids=64' '--pids 64' '^note +limit processes 64 '
    twin '' '[Limits]\ncpu-weight=50' '--cpu-weight 50' '^note +limit cpu weight 50 '
    twin '' '[Rootfs]\nmode=overlay' '--rootfs overlay' '^(fuse-)?overlay +/usr '
    twin '[Rootfs]\nmode=overlay' '[Rootfs]\nmode=overlay\npersist=true' '--persist' '^note +persistent overlay: '
    twin '' "[Rootfs]\nimage=$img" "--image $img" "^note +image $img .*, read-only$"
    twin "[Rootfs]\nimage=$img" "[Rootfs]\nimage=$img\nrw-image=true" '--rw-image' \
        "^note +image $img .*, writable: changes are kept$"
    twin '' '[Profile]\ninclude=extra' '--include extra' '^hostname +from-include$'
    local b bus
    for b in '' system-; do
        bus=session
        [ -n "$b" ] && bus=system
        twin '' "[DBus]\n${b}talk=org.twin.A" "--${b}talk org.twin.A" "^note +dbus: $bus bus: talk=org.twin.A \\("
        twin '' "[DBus]\n${b}own=org.twin.A" "--${b}own org.twin.A" "^note +dbus: $bus bus: own=org.twin.A \\("
        twin '' "[DBus]\n${b}see=org.twin.A" "--${b}see org.twin.A" "^note +dbus: $bus bus: see=org.twin.A \\("
        twin '' "[DBus]\n${b}call=org.twin.A=org.twin.A.M" "--${b}call org.twin.A=org.twin.A.M" \
            "^note +dbus: $bus bus: call=org.twin.A=org.twin.A.M \\("
        twin '' "[DBus]\n${b}broadcast=org.twin.A=*" "--${b}broadcast org.twin.A=*" \
            "^note +dbus: $bus bus: broadcast=org.twin.A=\\* \\("
        twin "[DBus]\n${b}talk=org.twin.A" "[DBus]\n${b}talk=org.twin.A\n${b}no-talk=org.twin.A" \
            "--${b}no-talk org.twin.A" "!^note +dbus: $bus bus: talk=org.twin.A \\("
    done
    twin '[DBus]\ntalk=org.twin.A' '[DBus]\ntalk=org.twin.A\napp-id=org.twin.App' '--app-id org.twin.App' \
        '^note +dbus: portals know the app as org.twin.App$'
    reap "$BUS_PID"
    # Every key with a twin in sandbox/profile/profile-keys.c is covered,
    # here or in the display test below.
    local section key flag
    while read -r section key flag; do
        case $flag in NULL | --wayland | --x11) continue ;; esac
        assert_contains "$TWINS_DONE" " $flag " "[$section] $key and $flag are compared"
    done < <(grep -o '^ *{"[A-Za-z]*", "[a-z0-9-]*", \(NULL\|"--[a-z0-9-]*"\)' \
        "$REPO/sandbox/profile/profile-keys.c" | tr -d '{",')
}

# The display twins, which plan only with a server to pass.
test_each_display_twin_flag_changes_the_policy_as_its_key() {
    need_x11
    need_wayland
    twin '[Permissions]\nallow=x11' '[Permissions]\nallow=x11\nx11=trusted' '--x11 trusted' '^note +x11: trusted: '
    twin '[Permissions]\nallow=wayland' '[Permissions]\nallow=wayland\nwayland=plain' '--wayland plain' \
        '^note +wayland: .*plain'
}

test_private_home_persists_across_runs() {
    put profiles/keeper.profile '[Filesystem]\nhome=private\n'
    # shellcheck disable=SC2016
    assert_status 0 hp run --profile keeper -- sh -c 'echo kept >"$HOME/state"'
    # shellcheck disable=SC2016
    assert_status 0 hp run --profile keeper -- sh -c 'cat "$HOME/state"'
    assert_eq "kept" "$(last_stdout)"
    assert_eq "kept" "$(cat "$T/data/hutch/homes/keeper/state")"
}

test_private_home_is_per_profile() {
    put profiles/one.profile '[Filesystem]\nhome=private\n'
    put profiles/two.profile '[Filesystem]\nhome=private\n'
    # shellcheck disable=SC2016
    assert_status 0 hp run --profile one -- sh -c 'echo one >"$HOME/state"'
    # shellcheck disable=SC2016
    assert_status 0 hp run --profile two -- sh -c 'cat "$HOME/state" 2>/dev/null || echo empty'
    assert_eq "empty" "$(last_stdout)"
}

test_xdg_dir_follows_user_dirs_dirs() {
    mkdir -p "$T/Telechargements"
    echo inside >"$T/Telechargements/file"
    chmod -R a+rX "$T/Telechargements"
    put_file "$T/config/user-dirs.dirs" "XDG_DOWNLOAD_DIR=\"$T/Telechargements\"\n"
    put profiles/dl.profile '[Filesystem]\nro=xdg-download\n'
    assert_status 0 hph run --profile dl --dry-run -- true
    assert_contains "$(last_stdout)" "bind       $T/Telechargements -> $T/Telechargements ro"
    assert_status 0 hph run --profile dl -- sh -c "cat $T/Telechargements/file; touch $T/Telechargements/x 2>/dev/null || echo read-only"
    assert_eq "inside|read-only" "$(last_stdout | paste -sd '|')"
}

test_xdg_dir_without_user_dirs_is_the_usual_name_in_home() {
    mkdir -p "$T/home/Music/album"
    chmod -R a+rwX "$T/home"
    assert_status 0 hph run --dry-run --ro xdg-music/album -- true
    assert_contains "$(last_stdout)" "bind       $T/home/Music/album -> $T/home/Music/album ro"
}

test_tilde_and_dollar_home_expand() {
    mkdir -p "$T/home/a" "$T/home/b"
    chmod -R a+rwX "$T/home"
    # shellcheck disable=SC2016
    assert_status 0 hph run --dry-run --ro '~/a' --rw '$HOME/b' -- true
    assert_contains "$(last_stdout)" "bind       $T/home/a -> $T/home/a ro"
    assert_contains "$(last_stdout)" "bind       $T/home/b -> $T/home/b rw"
}

test_optional_path_is_skipped_when_missing() {
    put profiles/opt.profile '[Filesystem]\nro=-/no/such/dir\n'
    assert_status 0 hp run --profile opt -- true
    assert_status 0 hp run --profile opt --dry-run -- true
    assert_contains "$(last_stdout)" "opt.profile:2 /no/such/dir: not on this host, skipped (optional)"
}

test_missing_path_names_the_profile_line() {
    put profiles/req.profile '[Filesystem]\nro=/no/such/dir\n'
    assert_status 2 hp run --profile req -- true
    assert_eq "hutch: $T/config/hutch/profiles/req.profile:2 /no/such/dir: No such file or directory (create it first, or drop the rule)" \
        "$(last_stderr)"
}

test_check_all_covers_user_files() {
    put profiles/oops.inc '[Filesystem]\nhome=everything\n'
    assert_status 1 hp profile check --all
    assert_eq "$T/config/hutch/profiles/oops.inc:2: home=everything: unknown mode (use none, private, ro or rw)" \
        "$(last_stderr)"
}
