# SPDX-License-Identifier: LGPL-2.1-or-later
# Everyday use: the command line a menu or launcher gives, hints where an
# app's own error hides the cause, what a sandbox can reach, private homes,
# help, and profile authoring.

teardown() {
    local name
    for name in $(as_user "$HUTCH" ls 2>/dev/null | awk -v p="ev$$" 'NR > 1 && index($1, p) == 1 { print $1 }'); do
        as_user "$HUTCH" stop --timeout 2 "$name" >/dev/null 2>&1
    done
}

# as the test user with $T/home as home
hh() {
    mkdir -p "$T/home"
    chown "$TEST_USER:" "$T/home"
    as_user env HOME="$T/home" "$@"
}

test_arguments_are_appended_to_the_profiles_command() {
    need_cmd mpv
    assert_status 0 hutch_run --deny display --deny audio --dry-run mpv song.ogg
    assert_contains "$(last_stdout)" "command    'mpv' '--player-operation-mode=pseudo-gui' 'song.ogg'"
    # --profile with a command of its own: that command, as given.
    assert_status 0 hutch_run --deny display --deny audio --dry-run --profile mpv -- mpv song.ogg
    assert_contains "$(last_stdout)" "command    'mpv' 'song.ogg'"
}

test_startup_notification_passes_through() {
    # shellcheck disable=SC2016
    assert_status 0 as_user env DESKTOP_STARTUP_ID=menu-1 XDG_ACTIVATION_TOKEN=tok-1 "$HUTCH" run \
        -- sh -c 'echo "$DESKTOP_STARTUP_ID $XDG_ACTIVATION_TOKEN"'
    assert_eq "menu-1 tok-1" "$(last_stdout)"
    # A second launch that joins a running sandbox passes its own.
    as_user "$HUTCH" run --detach --name "ev$$" --profile default -- sleep 60 >/dev/null || return
    # shellcheck disable=SC2016
    assert_status 0 as_user env DESKTOP_STARTUP_ID=menu-2 "$HUTCH" run --join --profile default \
        -- sh -c 'echo "$HUTCH_SANDBOX $DESKTOP_STARTUP_ID"'
    assert_eq "ev$$ menu-2" "$(last_stdout)" "ran in the running sandbox, with this launch's id"
}

test_hint_for_a_graphical_program_without_a_display() {
    need_cmd xeyes
    need_x11
    assert_status nonzero hutch_run xeyes
    assert_contains "$(last_stderr)" "hutch: hint: xeyes is a graphical program, but its sandbox has no display: grant one with --allow display"
    # Not for a program that is not graphical.
    assert_status 1 hutch_run false
    assert_not_contains "$(last_stderr)" "hint"
}

test_hint_for_a_command_the_sandbox_cannot_see() {
    mkdir -p "$T/bin"
    cp /bin/true "$T/bin/mytool"
    chmod -R a+rx "$T/bin"
    assert_status 127 as_user env PATH="$T/bin:$TEST_USER_PATH" "$HUTCH" run mytool
    assert_contains "$(last_stderr)" "hutch: hint: mytool is $T/bin/mytool on this host, where the sandbox does not see it; grant it with --ro $T/bin"
    # Granted, it runs.
    assert_status 0 as_user env PATH="$T/bin:$TEST_USER_PATH" "$HUTCH" run --ro "$T/bin" mytool
}

test_chdir_to_a_missing_directory_names_it() {
    assert_status 125 hutch_run --chdir /no/such/dir -- true
    assert_contains "$(last_stderr)" "--chdir /no/such/dir: No such file or directory inside the sandbox"
}

test_options_after_the_command_are_warned_about() {
    assert_status 0 hutch_run echo --allow x
    assert_eq "--allow x" "$(last_stdout)" "they go to the command"
    assert_contains "$(last_stderr)" "hutch: warning: --allow comes after the command, so it goes to echo, not to hutch"
    assert_status 0 hutch_run -- echo --allow x
    assert_eq "" "$(last_stderr)" "an explicit -- says it is meant"
}

test_info_shows_what_the_sandbox_can_reach() {
    need_cmd jq
    mkdir -p "$T/data" "$T/out"
    chmod -R a+rwx "$T/data" "$T/out"
    as_user "$HUTCH" run --detach --name "ev$$" --ro "$T/data" --rw "$T/out" --hide "$T/data/none" \
        --home private --profile default -- sleep 60 >/dev/null || return
    assert_status 0 as_user "$HUTCH" info "ev$$"
    local out=$(last_stdout)
    assert_match "Home: +private \(its own, kept between runs\)" "$out"
    assert_match "Read-only: +$T/data" "$out"
    assert_match "Read-write: +$T/out" "$out"
    assert_match "Devices: +none" "$out"
    assert_status 0 as_user "$HUTCH" info --json "ev$$"
    assert_eq "private|$T/data|$T/out" "$(last_stdout | jq -r '[.access.home, .access.ro[0], .access.rw[0]] | join("|")')"
}

test_homes_list_reset_remove() {
    hh "$HUTCH" run --home private --profile default -- sh -c 'head -c 200000 /dev/zero >"$HOME/big"'
    assert_status 0 hh "$HUTCH" homes
    assert_match "^default +[0-9.]+ KiB +- +$T/home/.local/share/hutch/homes/default$" "$(last_stdout | grep '^default')"
    # In use: refused.
    hh "$HUTCH" run --detach --home private --profile default -- sleep 60 >/dev/null
    assert_status 1 hh "$HUTCH" homes reset default
    assert_contains "$(last_stderr)" "is in use by sandbox default"
    hh "$HUTCH" stop default >/dev/null
    assert_status 0 hh "$HUTCH" homes reset default
    assert_eq "" "$(ls -A "$T/home/.local/share/hutch/homes/default")" "emptied"
    assert_status 0 hh "$HUTCH" homes remove default
    assert_file_not_exists "$T/home/.local/share/hutch/homes/default"
    assert_status 1 hh "$HUTCH" homes remove default
    assert_contains "$(last_stderr)" "no private home named 'default'"
}

test_dry_run_makes_no_home_and_a_failed_launch_leaves_none() {
    assert_status 0 hh "$HUTCH" run --dry-run --home private --profile default -- true
    assert_contains "$(last_stdout)" "(made by the first real run)"
    assert_file_not_exists "$T/home/.local/share/hutch/homes/default" "a dry run makes nothing"
    assert_status 125 hh "$HUTCH" run --home private --profile default --chdir /no/such -- true
    assert_file_not_exists "$T/home/.local/share/hutch/homes/default" "a failed launch leaves no home"
}

test_every_command_answers_help() {
    local cmd
    for cmd in $(as_user "$HUTCH" --help | awk '/^  [a-z]/ { print $1 }'); do
        assert_status 0 as_user "$HUTCH" help "$cmd"
        assert_contains "$(last_stdout)" "Usage:" "hutch help $cmd"
        assert_status 0 as_user "$HUTCH" "$cmd" --help
    done
    assert_status 2 as_user "$HUTCH" help no-such-command
}

test_check_gives_only_advice_that_applies_here() {
    [ -d /run/systemd/system ] && skip "this host runs systemd: its advice applies"
    assert_status 0 as_user "$HUTCH" check
    assert_not_contains "$(last_stdout)" "systemd-run"
}

test_profile_check_warns_about_grants_that_defeat_the_profile() {
    mkdir -p "$T/p"
    printf '[Filesystem]\nro=~/no-such-dir;-~/maybe\nrw=/\nhide=/usr\nhome=rw\n' >"$T/p/lint.profile"
    chmod -R a+rX "$T/p"
    assert_status 0 hh "$HUTCH" profile check "$T/p/lint.profile"
    assert_contains "$(last_stdout)" "lint.profile: ok, with 4 warnings"
    local err=$(last_stderr)
    assert_contains "$err" "$T/p/lint.profile:2: warning: ro=~/no-such-dir: no such path on this host"
    assert_not_contains "$err" "~/maybe" "an optional path is not warned about"
    assert_contains "$err" "$T/p/lint.profile:3: warning: rw=/: lets the app change the system"
    assert_contains "$err" "$T/p/lint.profile:4: warning: hide=/usr: every program in the sandbox runs from /usr"
    assert_contains "$err" "$T/p/lint.profile:5: warning: home=rw"
    # Every shipped profile checks without a warning.
    assert_status 0 hh "$HUTCH" profile check --all
    assert_not_contains "$(last_stderr)" "warning"
}

test_list_values_with_stray_spaces() {
    mkdir -p "$T/p"
    printf '[Permissions]\nallow=x11 ; gpu\n' >"$T/p/spaces.profile"
    chmod -R a+rX "$T/p"
    assert_status 0 as_user "$HUTCH" profile show "$T/p/spaces.profile"
    assert_match "allow +x11 +$T/p/spaces.profile:2" "$(last_stdout)"
    assert_match "allow +gpu +$T/p/spaces.profile:2" "$(last_stdout)"
}

test_an_include_given_as_a_profile_says_how_to_use_it() {
    assert_status 125 hutch_run --profile gaming -- true
    assert_contains "$(last_stderr)" "'gaming' is an include"
    assert_contains "$(last_stderr)" "include=gaming.inc"
}

test_profile_list_columns_are_aligned() {
    assert_status 0 as_user "$HUTCH" profile list
    # The FILE column starts at the same offset on every line.
    local offsets
    offsets=$(last_stdout | awk 'NR > 1 { print index($0, "/") }' | sort -u | wc -l)
    assert_eq 1 "$offsets"
}

test_profile_new_writes_a_checked_starting_profile() {
    # An app with a menu entry and no shipped profile (gtk-3-examples).
    need_cmd gtk3-widget-factory
    assert_status 0 hh "$HUTCH" profile new gtk3-widget-factory
    local file=$T/home/.config/hutch/profiles/gtk3-widget-factory.profile
    assert_file_exists "$file"
    # From its menu entry: Categories=Development, a development tool.
    assert_contains "$(cat "$file")" "include=devel.inc"
    assert_contains "$(cat "$file")" "allow=display"
    assert_contains "$(cat "$file")" "description=Widget Factory"
    assert_status 0 hh "$HUTCH" profile check gtk3-widget-factory
    assert_eq "gtk3-widget-factory: ok" "$(last_stdout)"
    assert_status 0 hh "$HUTCH" run --dry-run --deny display gtk3-widget-factory
    assert_match "note +profile: gtk3-widget-factory \(.*$file\)" "$(last_stdout)"
    # A profile it has already is not overwritten.
    assert_status 1 hh "$HUTCH" profile new mpv
    assert_contains "$(last_stderr)" "mpv has a profile already"
    # A command without a menu entry gets nothing but the command.
    assert_status 0 hh "$HUTCH" profile new sleep
    assert_not_contains "$(cat "$T/home/.config/hutch/profiles/sleep.profile")" "include="
}
