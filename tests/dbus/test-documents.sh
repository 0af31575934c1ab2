# SPDX-License-Identifier: LGPL-2.1-or-later
# The portals and the document portal: xdg-desktop-portal knows a hutch
# sandbox as the sandboxed app it is (through the proxy's /.flatpak-info),
# and file arguments reach the app through xdg-document-portal, saved in
# place; where no document portal runs they are refused, never replaced by
# a file that is not the user's.
. "$REPO/tests/dbus/dbus.sh"

teardown() {
    local name
    for name in $(cat "$T/stop" 2>/dev/null); do
        as_user "$HUTCH" stop --timeout 2 "$name" >/dev/null 2>&1
    done
    stop_recorded
    if [ -s "$T/remove" ]; then
        rm -f "$(cat "$T/remove")"
    fi
}

# notes FILE TEXT: a file of the test user's, outside every sandbox.
notes() {
    printf '%s\n' "$2" >"$1"
    chown "$TEST_USER" "$1"
    chmod 0644 "$1"
}

test_portal_knows_the_sandbox_as_its_app() {
    need_dbus
    start_session_bus && start_doc_portal || { assert_eq "portal" "not started" "$(cat "$T/doc-mount")"; return; }
    mkdir -p "$T/files"
    chown "$TEST_USER" "$T/files"
    notes "$T/files/host.txt" host
    notes "$T/files/app.txt" app
    # Positive control: the same client on the host is no app to the portal.
    assert_status 0 on_bus python3 "$CLIENT" doc "$T/files/host.txt"
    local host_doc
    host_doc=$(last_stdout | sed -n 's/^doc: //p')
    assert_eq "(b'$T/files/host.txt', @a{sas} {})" "$(doc_info "$host_doc")" "the host is no sandboxed app"
    assert_status 0 hutch_bus --app-id org.example.Editor --talk org.freedesktop.portal.Documents \
        --rw "$T/files" -- python3 "$CLIENT" doc "$T/files/app.txt"
    local app_doc
    app_doc=$(last_stdout | sed -n 's/^doc: //p')
    assert_match "^\(b'$T/files/app.txt', \{'org.example.Editor': \['read', 'write'" "$(doc_info "$app_doc")" \
        "the sandbox is the app it names"
}

test_file_argument_passes_through_the_portal_and_saves_in_place() {
    need_dbus
    start_session_bus && start_doc_portal || { assert_eq "portal" "not started" "$(cat "$T/doc-mount")"; return; }
    notes "$T/notes.txt" "my notes"
    local uid
    uid=$(user_uid "$TEST_USER")
    assert_status 0 hutch_bus -- sh -c \
        'echo "$1"; cat "$1"; printf "saved by the app\n" >"$1.tmp" && mv "$1.tmp" "$1"' sh "$T/notes.txt"
    assert_match "^/run/user/$uid/doc/[0-9a-f]+/notes.txt$" "$(last_stdout | head -n 1)"
    assert_eq "my notes" "$(last_stdout | sed -n 2p)" "the app read the user's file"
    assert_eq "saved by the app" "$(cat "$T/notes.txt")" "saved (by rename) into the user's file"
}

# GIO, which only the portal's calls need, lives in hutch-portal.so: hutch
# does not link it, and the supervisor of a launch with no file to pass
# in maps none of it; one that passed a file in does (the control).
test_only_a_launch_through_the_portal_loads_gio() {
    need_dbus
    need_cmd ldd
    start_session_bus && start_doc_portal || { assert_eq "portal" "not started" "$(cat "$T/doc-mount")"; return; }
    assert_not_contains "$(ldd "$HUTCH")" "libgio" "hutch does not link GIO"
    notes "$T/notes.txt" "my notes"
    local name pid
    for name in plain-$$ passed-$$; do
        if [ "$name" = "plain-$$" ]; then
            assert_status 0 hutch_bus --detach --name "$name" -- sleep 60 || return
        else
            assert_status 0 hutch_bus --detach --name "$name" -- sh -c "sleep 60" sh "$T/notes.txt" || return
        fi
        echo "$name" >>"$T/stop"
        pid=$(as_user "$HUTCH" info "$name" | awk '$1 == "Hutch" && $2 == "PID:" { print $3 }')
        assert_match '^[0-9]+$' "$pid" "$name's supervisor"
        cp "/proc/$pid/maps" "$T/maps-$name"
    done
    assert_not_contains "$(cat "$T/maps-plain-$$")" "libgio" "a plain launch's supervisor"
    assert_not_contains "$(cat "$T/maps-plain-$$")" "hutch-portal.so"
    assert_contains "$(cat "$T/maps-passed-$$")" "hutch-portal.so" "the launch that passed a file in"
    assert_contains "$(cat "$T/maps-passed-$$")" "libgio"
}

# A new file in the home (which is an empty one inside): made in the
# user's home, not in the sandbox's.
test_file_uri_and_new_file_arguments() {
    need_dbus
    start_session_bus && start_doc_portal || { assert_eq "portal" "not started" "$(cat "$T/doc-mount")"; return; }
    notes "$T/a.txt" "a"
    local uid new
    uid=$(user_uid "$TEST_USER")
    new=$(user_home "$TEST_USER")/hutch-test-new-$$.txt
    echo "$new" >"$T/remove"
    assert_status 0 hutch_bus -- sh -c 'echo "$1"; echo "$2"; echo new >"$2"' sh "file://$T/a.txt" "$new"
    assert_match "^file:///run/user/$uid/doc/[0-9a-f]+/a.txt$" "$(last_stdout | head -n 1)"
    assert_match "^/run/user/$uid/doc/[0-9a-f]+/hutch-test-new-$$.txt$" "$(last_stdout | sed -n 2p)"
    assert_eq "new" "$(cat "$new" 2>&1)" "the new file is the user's"
}

test_relative_file_argument_is_the_callers_file() {
    need_dbus
    start_session_bus && start_doc_portal || { assert_eq "portal" "not started" "$(cat "$T/doc-mount")"; return; }
    notes "$T/notes.txt" "relative"
    assert_status 0 hutch_bus -- cat notes.txt
    assert_eq "relative" "$(last_stdout)"
}

test_without_a_document_portal_a_file_argument_is_refused() {
    need_dbus
    notes "$T/notes.txt" "keep me"
    mkdir "$T/out" && chmod 0777 "$T/out"
    assert_status 125 as_user env -u DBUS_SESSION_BUS_ADDRESS "$HUTCH" run --rw "$T/out" \
        -- sh -c 'touch "$0"; echo saved >"$1"' "$T/out/ran" "$T/notes.txt"
    assert_eq 1 "$(last_stderr | wc -l)" "one line"
    assert_contains "$(last_stderr)" "hutch: $T/notes.txt: this file is not in the sandbox, and no document portal runs to pass it in"
    assert_contains "$(last_stderr)" "or grant its folder: --rw $T"
    assert_file_not_exists "$T/out/ran" "the app never ran"
    assert_eq "keep me" "$(cat "$T/notes.txt")"
}

test_file_argument_the_sandbox_shows_stays_as_it_is() {
    need_dbus
    notes "$T/notes.txt" "visible"
    assert_status 0 as_user "$HUTCH" run --ro "$T" -- sh -c 'echo "$1"; cat "$1"' sh "$T/notes.txt"
    assert_eq "$T/notes.txt
visible" "$(last_stdout)"
    # Words, options and directories are no file arguments.
    assert_status 0 as_user "$HUTCH" run -- echo hello --opt=x "$T" /nonexistent-word
    assert_eq "hello --opt=x $T /nonexistent-word" "$(last_stdout)"
    assert_status 0 as_user "$HUTCH" run --file-args keep -- echo "$T/notes.txt"
    assert_eq "$T/notes.txt" "$(last_stdout)" "file-args=keep"
}

test_hidden_file_argument_is_refused() {
    need_dbus
    notes "$T/secret.txt" "secret"
    assert_status 2 as_user "$HUTCH" run --ro "$T" --hide "$T/secret.txt" -- cat "$T/secret.txt"
    assert_eq "hutch: $T/secret.txt: hidden by --hide; a file argument does not pass it in" "$(last_stderr)"
    assert_not_contains "$(last_stdout)" "secret"
}

# Paths the app means in its own sandbox, or that it cannot make there,
# are no file arguments to pass in: the app reports what it finds.
test_system_paths_and_unreachable_new_files_are_left_to_the_app() {
    need_dbus
    mkdir -p "$T/sub"
    assert_status 1 as_user env -u DBUS_SESSION_BUS_ADDRESS "$HUTCH" run -- cat /etc/shadow
    assert_contains "$(last_stderr)" "cat: /etc/shadow: "
    assert_not_contains "$(last_stderr)" "document portal"
    assert_status 1 as_user env -u DBUS_SESSION_BUS_ADDRESS "$HUTCH" run -- touch "$T/sub/new"
    assert_contains "$(last_stderr)" "touch: cannot touch '$T/sub/new': No such file or directory"
    assert_file_not_exists "$T/sub/new"
    # In the empty home, though, the new file would silently be a throwaway.
    assert_status 125 as_user env -u DBUS_SESSION_BUS_ADDRESS "$HUTCH" run -- \
        touch "$(user_home "$TEST_USER")/hutch-test-new-$$"
    assert_contains "$(last_stderr)" "this file is not in the sandbox, and no document portal runs"
}

# A desktop entry whose Exec= runs the app through hutch: the launcher
# (here gio launch, as a file manager does) expands %U and %F (GIO gives a
# local file to %U as a path; file:// URIs are tested above), and the
# files come in through the document portal.
test_desktop_entry_file_codes_pass_through_the_portal() {
    need_dbus
    need_cmd gio
    start_session_bus && start_doc_portal || { assert_eq "portal" "not started" "$(cat "$T/doc-mount")"; return; }
    mkdir -p "$T/files" "$T/bin" "$T/out"
    chown "$TEST_USER" "$T/files" "$T/out"
    notes "$T/files/a.txt" "uri file"
    notes "$T/files/b.txt" "path file"
    cat >"$T/bin/app" <<'APP'
#!/bin/sh
out=$1 mode=$2
shift 2
for arg; do
    printf '%s\n' "$arg" >>"$out/args"
    cat "${arg#file://}" >>"$out/content"
done
echo "$mode" >>"$out/done"
APP
    chmod 0755 "$T/bin" "$T/bin/app"
    local code
    for code in U F; do
        printf '[Desktop Entry]\nType=Application\nName=App\nExec=%s run --ro %s --rw %s -- %s %s %s %%%s\n' \
            "$HUTCH" "$T/bin" "$T/out" "$T/bin/app" "$T/out" "$code" "$code" >"$T/bin/app-$code.desktop"
        chmod 0644 "$T/bin/app-$code.desktop"
    done
    assert_status 0 on_bus gio launch "$T/bin/app-U.desktop" "$T/files/a.txt"
    wait_for grep -qx U "$T/out/done"
    assert_status 0 on_bus gio launch "$T/bin/app-F.desktop" "$T/files/b.txt"
    wait_for grep -qx F "$T/out/done"
    local uid
    uid=$(user_uid "$TEST_USER")
    assert_match "^(file://)?/run/user/$uid/doc/[0-9a-f]+/a.txt$" "$(sed -n 1p "$T/out/args")" "%U: inside"
    assert_match "^/run/user/$uid/doc/[0-9a-f]+/b.txt$" "$(sed -n 2p "$T/out/args")" "%F: a path inside"
    assert_eq "uri file
path file" "$(cat "$T/out/content" 2>&1)" "the app read the user's files"
}
