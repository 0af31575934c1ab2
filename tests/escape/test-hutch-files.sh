# SPDX-License-Identifier: LGPL-2.1-or-later
# What no grant opens (sandbox/plan/protect.c): hutch's own configuration,
# data and runtime state, the files a writable home keeps read-only, and
# hidden paths reached through a symlink. Each attack is first shown to
# matter (the positive control), then shown to fail inside hutch.
#
# Every test runs with HOME and the XDG homes under $T, owned by the test
# user, so nothing touches the test user's real home.

setup() {
    as_user mkdir -p "$T/home/.config" "$T/home/.local/share" "$T/home/Documents"
}

# hh ARGS...: hutch as the test user, with HOME=$T/home.
hh() {
    as_user env HOME="$T/home" XDG_CONFIG_HOME="$T/home/.config" \
        XDG_DATA_HOME="$T/home/.local/share" "$HUTCH" "$@"
}

# The attack: with --home rw the app writes an override for another
# profile, and that profile's next launch gets what the override grants.
test_config_is_read_only_whatever_is_granted() {
    local override=$T/home/.config/hutch/overrides/evince.profile
    # The control: an override there does widen evince's next launch.
    as_user mkdir -p "$(dirname "$override")"
    as_user sh -c "printf '[Filesystem]\nhome=rw\n' >'$override'"
    assert_status 0 hh profile show evince
    assert_match "home +rw +$override:2" "$(last_stdout)" "the control: the override applies"
    as_user rm -r "$T/home/.config/hutch"
    # The attack from inside, three ways: write it, write it in a new
    # ~/.config made after moving the real one aside, grant it rw.
    assert_status 0 hh run --home rw -- sh -c "
        mkdir -p '$(dirname "$override")'; printf '[Filesystem]\nhome=rw\n' >'$override'
        mv '$T/home/.config' '$T/home/.config.old' 2>&1; true"
    assert_contains "$(last_stderr)" "mkdir: cannot create directory '$T/home/.config/hutch/overrides': Read-only file system"
    assert_contains "$(last_stdout)" "Device or resource busy" "~/.config cannot be moved aside"
    assert_file_not_exists "$override"
    assert_file_not_exists "$T/home/.config.old"
    assert_status 0 hh profile show evince
    assert_match "home +none +\(default\)" "$(last_stdout)"
    assert_status 2 hh run --rw "$T/home/.config/hutch" -- true
    assert_contains "$(last_stderr)" "hutch's configuration, which no sandbox may change"
    assert_status 0 hh run --ro "$T/home/.config/hutch" -- true
    # --dry-run says what it narrowed.
    assert_status 0 hh run --dry-run --rw "$T/home/.config" -- true
    assert_contains "$(last_stdout)" "note       narrowed: $T/home/.config/hutch is read-only (hutch's configuration), though --rw shows it"
}

# The attack: with a grant covering $XDG_RUNTIME_DIR, an app replaces
# another sandbox's saved filter and state.
test_runtime_state_is_hidden_whatever_is_granted() {
    local runtime name=files$$
    runtime=$(user_runtime_dir "$TEST_USER")
    hh run --detach --name "$name" -- sleep 60 >/dev/null || { assert_eq 0 1 "started"; return; }
    # The control: the files are there, the user's own to write.
    assert_status 0 as_user test -w "$runtime/hutch/$name/state"
    assert_status 0 hh run --rw "$runtime" -- sh -c "
        echo forged >'$runtime/hutch/$name/state'; echo >'$runtime/hutch/$name/seccomp.bpf'
        ls '$runtime/hutch' 2>&1; ls -d '$runtime'/* | wc -l"
    local out=$(last_stdout) err=$(last_stderr)
    assert_status 0 as_user "$HUTCH" enter "$name" -- grep -c '^Seccomp:.2' /proc/self/status
    assert_eq 1 "$(last_stdout)" "an entered command still gets the sandbox's filter"
    hh stop "$name" >/dev/null 2>&1
    assert_contains "$err" "$runtime/hutch/$name/state: Permission denied"
    assert_contains "$out" "$runtime/hutch': Permission denied"
    assert_ne 0 "$(tail -1 <<<"$out")" "the rest of the runtime dir is granted"
    assert_status 2 hh run --ro "$runtime/hutch" -- true
    assert_contains "$(last_stderr)" "is hutch's runtime state, which no sandbox may see"
}

test_other_sandboxes_data_is_hidden() {
    as_user mkdir -p "$T/home/.local/share/hutch/homes/other"
    as_user sh -c "echo other-app-secret >'$T/home/.local/share/hutch/homes/other/s'"
    assert_status 0 hh run --ro "$T/home/.local" -- sh -c "cat '$T/home/.local/share/hutch/homes/other/s' 2>&1; true"
    assert_not_contains "$(last_stdout)" "other-app-secret"
    assert_contains "$(last_stdout)" "Permission denied"
    assert_status 2 hh run --ro "$T/home/.local/share/hutch/homes/other" -- true
    assert_contains "$(last_stderr)" "hutch's data: images, overlays, other apps' homes, which no sandbox may see"
    # A private home is still the app's own.
    assert_status 0 hh run --profile shell --home private -- sh -c 'echo mine >~/f; cat ~/f'
    assert_eq mine "$(last_stdout)"
}

# firejail's list: startup files, autostart and menu entries, keys.
test_writable_home_keeps_startup_files_read_only() {
    local f
    as_user mkdir -p "$T/home/.config/autostart" "$T/home/.local/share/applications" \
        "$T/home/.ssh" "$T/home/.gnupg"
    as_user sh -c "echo '# mine' >'$T/home/.bashrc'"
    assert_status 0 hh run --home rw -- sh -c '
        for f in ~/.bashrc ~/.config/autostart/evil.desktop ~/.local/share/applications/evil.desktop \
            ~/.ssh/authorized_keys ~/.gnupg/gpg.conf ~/other; do
            echo x >>"$f" 2>/dev/null && echo "wrote $f" || echo "refused $f"
        done'
    local out=$(last_stdout)
    for f in .bashrc .config/autostart/evil.desktop .local/share/applications/evil.desktop \
        .ssh/authorized_keys .gnupg/gpg.conf; do
        assert_contains "$out" "refused $T/home/$f"
    done
    assert_contains "$out" "wrote $T/home/other" "the rest of the home is writable"
    assert_eq "# mine" "$(cat "$T/home/.bashrc")"
    # Named by a rule, the path is the rule's.
    assert_status 0 hh run --home rw --rw "$T/home/.bashrc" -- sh -c 'echo "# app" >>~/.bashrc'
    assert_eq "# app" "$(tail -1 "$T/home/.bashrc")"
    assert_status 0 hh run --dry-run --home rw -- true
    assert_contains "$(last_stdout)" "narrowed: $T/home/.config/autostart is read-only (kept read-only in a writable home), though home rw shows it"
}

# Finding 3: one sandbox plants a symlink where another's grant will follow
# it. mousepad edits ~/Documents; evince hides ~/.ssh (secrets.inc). Their
# files are the point, not their display: it is denied, or the suite
# run alone (no compositor started for it) refuses the launch.
test_grant_through_a_planted_symlink_into_a_hidden_path_is_refused() {
    as_user mkdir -p "$T/home/.ssh" "$T/home/Music"
    as_user sh -c "echo PRIVATE-KEY >'$T/home/.ssh/id_rsa'; echo tune >'$T/home/Music/a'"
    assert_status 0 hh run --profile mousepad --deny display -- \
        ln -s "$T/home/.ssh" "$T/home/Documents/notes"
    # The control: the symlink leads to the key outside hutch.
    assert_eq PRIVATE-KEY "$(as_user cat "$T/home/Documents/notes/id_rsa")"
    assert_status 2 hh run --profile evince --deny display --ro "$T/home/Documents/notes" -- \
        cat "$T/home/.ssh/id_rsa"
    assert_not_contains "$(last_stdout)" PRIVATE-KEY
    assert_eq 1 "$(last_stderr | wc -l)" "one line"
    assert_contains "$(last_stderr)" "--ro $T/home/Documents/notes: resolves to $T/home/.ssh, which is hidden"
    assert_contains "$(last_stderr)" "profiles/secrets.inc:"
    # A symlink to a place nothing hides is followed as before.
    as_user ln -s "$T/home/Music" "$T/home/Documents/music"
    assert_status 0 hh run --profile evince --deny display --ro "$T/home/Documents/music" -- \
        cat "$T/home/Music/a"
    assert_eq tune "$(last_stdout)"
    # And a grant of the hidden path itself, by its own name, is a whitelist.
    assert_status 0 hh run --profile shell --ro "$T/home/.ssh" -- cat "$T/home/.ssh/id_rsa"
    assert_eq PRIVATE-KEY "$(last_stdout)"
}

# A grant whose target contains a hidden path is narrowed, not refused.
test_grant_through_a_symlink_over_a_hidden_path_keeps_it_hidden() {
    as_user mkdir -p "$T/home/.ssh"
    as_user sh -c "echo PRIVATE-KEY >'$T/home/.ssh/id_rsa'"
    as_user ln -s "$T/home" "$T/home/Documents/all"
    assert_status 0 hh run --profile evince --deny display --ro "$T/home/Documents/all" -- \
        sh -c "cat '$T/home/.ssh/id_rsa' 2>&1; true"
    assert_not_contains "$(last_stdout)" PRIVATE-KEY
}

# Writes the app makes through a symlink into a path hutch keeps read-only.
test_rw_grant_through_a_symlink_into_a_read_only_path_is_refused() {
    as_user sh -c "echo '# mine' >'$T/home/.bashrc'"
    as_user ln -s "$T/home/.bashrc" "$T/home/Documents/rc"
    assert_status 2 hh run --rw "$T/home/Documents/rc" -- true
    assert_contains "$(last_stderr)" "resolves to $T/home/.bashrc, which hutch keeps read-only"
    assert_status 0 hh run --ro "$T/home/Documents/rc" -- cat "$T/home/.bashrc"
    assert_eq "# mine" "$(last_stdout)"
}
