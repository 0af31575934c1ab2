# SPDX-License-Identifier: LGPL-2.1-or-later
# Every message of `hutch profile check`: one test each, the whole line
# checked.  Messages are FILE:LINE: message, exit status 1.
# shellcheck source=tests/profiles/helpers.sh
. "$REPO/tests/profiles/helpers.sh"

# --- the line scanner --------------------------------------------------------

test_unknown_section_suggests_the_closest() {
    expect_error '[Filesytem]\nhome=ro\n' 1 'unknown section [Filesytem] (did you mean [Filesystem]?)'
}

test_unknown_key_suggests_the_closest() {
    expect_error '[Filesystem]\nhme=ro\n' 2 "unknown key 'hme' in [Filesystem] (did you mean 'home'?)"
}

test_unknown_key_far_from_any_suggests_nothing() {
    expect_error '[Network]\nspeed=fast\n' 2 "unknown key 'speed' in [Network]"
}

test_duplicate_key() {
    expect_error '[Filesystem]\nro=/a\nro=/b\n' 3 \
        "duplicate key 'ro' in [Filesystem] (first at line 2); give all values in one list: ro=a;b"
}

test_duplicate_section() {
    expect_error '[Network]\nmode=none\n[Network]\n' 3 \
        'section [Network] appears twice (first at line 1); merge them'
}

test_key_before_any_section() {
    expect_error '# comment\nhome=ro\n' 2 "key 'home' comes before any [Section]"
}

test_line_that_is_nothing() {
    expect_error '[Filesystem]\nhome ro\n' 2 "'home ro' is not a [Section], a key=value line or a # comment"
}

test_section_without_closing_bracket() {
    expect_error '[Filesystem\n' 1 "section header without ']'"
}

test_text_after_section_header() {
    expect_error '[Filesystem] x\n' 1 "text after the section header '[Filesystem]'"
}

test_empty_section_name() {
    expect_error '[]\n' 1 "'[]' is not a section header (write [Name])"
}

test_value_without_key() {
    expect_error '[Filesystem]\n=ro\n' 2 "a value without a key ('=ro')"
}

test_localized_key_is_not_a_key_name() {
    expect_error '[Profile]\ndescription[de]=x\n' 2 \
        "'description[de]' is not a key name (use letters, digits, '-' and '_')"
}

test_nul_byte_is_rejected() {
    expect_error '[Profile]\ndescription=a\x00b\n' 2 'NUL byte (profiles are text)'
}

test_terminal_escape_is_rejected() {
    expect_error '[Profile]\ndescription=\x1b[2J\x1b[Hall clear\n' 2 \
        'terminal escape sequence (ESC, 0x1b) (profiles must show what they enforce)'
}

test_other_control_character_is_rejected() {
    expect_error '[Profile]\ndescription=bell\x07\n' 2 \
        'control character 0x07 (profiles must show what they enforce)'
}

test_del_is_rejected() {
    expect_error '[Profile]\ndescription=x\x7f\n' 2 \
        'control character 0x7f (profiles must show what they enforce)'
}

test_carriage_return_is_rejected() {
    expect_error '[Profile]\r\n' 1 'carriage return (0x0d) (save the file with Unix line endings)'
}

test_invalid_utf8_is_rejected() {
    expect_error '[Profile]\ndescription=\xff\xfe\n' 2 'not valid UTF-8'
}

test_bidi_override_is_rejected() {
    expect_error '[Filesystem]\nro=/usr\xe2\x80\xae\n' 2 \
        'invisible or reordering character U+202E (profiles must show what they enforce)'
}

test_c1_control_is_rejected() {
    expect_error '[Profile]\ndescription=\xc2\x9b2J\n' 2 \
        'invisible or reordering character U+009B (profiles must show what they enforce)'
}

test_escaped_control_in_value_is_rejected() {
    expect_error '[Profile]\ndescription=two\\nlines\n' 2 \
        'description: an escaped control character (\n, \t, \r) in a value'
}

test_unknown_escape_is_kept_as_written() {
    # GKeyFile keeps "\q" as it is: show prints what is enforced.
    put_file "$T/p.profile" '[Profile]\ndescription=a\\qb\n'
    assert_status 0 hp profile show "$T/p.profile"
    assert_eq 'description a\qb' "$(show_row description | cut -d' ' -f1-2)"
}

test_huge_file_is_rejected() {
    head -c 300000 /dev/zero | tr '\0' '#' >"$T/big.profile"
    chmod a+r "$T/big.profile"
    assert_status 1 hp profile check "$T/big.profile"
    assert_eq "$T/big.profile:1: larger than 256 KiB; profiles are small text files" "$(last_stderr)"
}

test_directory_is_not_a_profile() {
    mkdir -p "$T/dir.profile"
    assert_status 1 hp profile check "$T/dir.profile/"
    assert_contains "$(last_stderr)" "dir.profile:1: not a regular file"
}

test_unreadable_file() {
    need_root
    put_file "$T/secret.profile" '[Profile]\n'
    chmod 0600 "$T/secret.profile"
    chown root: "$T/secret.profile"
    assert_status 1 hp profile check "$T/secret.profile"
    assert_eq "$T/secret.profile:1: cannot read: Permission denied" "$(last_stderr)"
}

# --- values -------------------------------------------------------------------

test_bad_home_mode() {
    expect_error '[Filesystem]\nhome=maybe\n' 2 'home=maybe: unknown mode (use none, private, ro or rw)'
}

test_bad_network_mode() {
    expect_error '[Network]\nmode=wifi\n' 2 'mode=wifi: unknown mode (use none, user or host)'
}

test_bad_port() {
    expect_error '[Network]\nmode=user\nhost-port=631;70000\n' 3 \
        'host-port=70000: expected a port number 1-65535, optionally /tcp or /udp'
    expect_error '[Network]\npublish=8080/sctp\n' 2 \
        'publish=8080/sctp: expected a port number 1-65535, optionally /tcp or /udp'
}

test_unknown_permission_suggests() {
    expect_error '[Permissions]\nallow=x11;audoi\n' 2 "allow=audoi: unknown permission (did you mean 'audio'?)"
}

test_unknown_permission_lists_all() {
    expect_error '[Permissions]\ndeny=camera\n' 2 \
        'deny=camera: unknown permission (one of: display, x11, wayland, audio, gpu, input, shm, ipc, devel, nested-sandbox, multiarch, alsa, microphone, clipboard)'
}

test_bad_x11_mode() {
    expect_error '[Permissions]\nx11=maybe\n' 2 'x11=maybe: unknown mode (use untrusted, trusted or nested)'
}

test_relative_path() {
    expect_error '[Filesystem]\nro=/usr;relative\n' 2 \
        'ro=relative: not an absolute path (start it with /, ~/, $HOME/ or an xdg- name)'
}

test_dotdot_path_escape() {
    expect_error '[Filesystem]\nrw=~/../root\n' 2 "rw=~/../root: '..' is not allowed in paths"
}

test_dotdot_behind_optional_marker() {
    expect_error '[Filesystem]\nro=-/usr/../etc/shadow\n' 2 "ro=-/usr/../etc/shadow: '..' is not allowed in paths"
}

test_unknown_xdg_dir() {
    expect_error '[Filesystem]\nro=xdg-downloads/x\n' 2 \
        "ro=xdg-downloads/x: unknown XDG directory 'xdg-downloads' (did you mean 'xdg-download'?)"
}

test_bad_env_set() {
    expect_error '[Environment]\nset=NOEQUALS\n' 2 'set=NOEQUALS: expected KEY=VALUE with KEY of letters, digits and _'
}

test_bad_env_name() {
    expect_error '[Environment]\nunset=BAD-NAME\n' 2 'unset=BAD-NAME: not a variable name (letters, digits and _)'
}

test_bad_hostname() {
    expect_error '[Sandbox]\nhostname=bad name\n' 2 "hostname=bad name: use up to 64 letters, digits, '-' and '.'"
}

test_relative_chdir() {
    expect_error '[Sandbox]\nchdir=tmp\n' 2 'chdir=tmp: must be an absolute path'
}

test_dotdot_chdir() {
    expect_error '[Sandbox]\nchdir=/usr/../root\n' 2 "chdir=/usr/../root: '..' is not allowed in paths"
}

test_bad_syscall_name() {
    expect_error '[Seccomp]\nallow=Not-A-Call\n' 2 \
        "allow=Not-A-Call: unknown system call 'Not-A-Call' (see syscalls(2) for the names)"
}

test_unknown_syscall_name() {
    expect_error '[Seccomp]\ndeny=ptrace;frobnicate:ENOSYS\n' 2 \
        "deny=frobnicate:ENOSYS: unknown system call 'frobnicate' (see syscalls(2) for the names)"
}

test_bad_errno() {
    expect_error '[Seccomp]\ndeny=ptrace:EFOO\n' 2 \
        "deny=ptrace:EFOO: 'EFOO' is not an errno (use a name such as EPERM or ENOSYS)"
}

test_bad_memory() {
    expect_error '[Limits]\nmemory=12Q\n' 2 'memory=12Q: expected a size of at least 16M (e.g. 512M, 2G) or unlimited'
}

test_bad_pids() {
    expect_error '[Limits]\npids=0\n' 2 'pids=0: expected a number of processes from 1 to 4194304, or unlimited'
}

test_bad_cpu_weight() {
    expect_error '[Limits]\ncpu-weight=20000\n' 2 \
        'cpu-weight=20000: expected a weight from 1 to 10000 (100 is the default share)'
}

test_bad_rootfs_mode() {
    expect_error '[Rootfs]\nmode=image\n' 2 'mode=image: unknown mode (use host or overlay)'
}

test_bad_image_name() {
    expect_error '[Rootfs]\nimage=../x\n' 2 \
        "image=../x: not an image name (letters, digits, '.', '-' and '_', as given to hutch create) nor an absolute path"
}

test_bad_persist() {
    expect_error '[Rootfs]\npersist=yes\n' 2 'persist=yes: expected true or false'
}

test_unparsable_command() {
    put_file "$T/bad.profile" "[Profile]\ncommand=sh -c 'unterminated\n"
    assert_status 1 hp profile check "$T/bad.profile"
    assert_match "^$T/bad.profile:2: command=sh -c 'unterminated: not a command line: " "$(last_stderr)"
}

test_empty_command() {
    expect_error '[Profile]\ncommand=\n' 2 'command=: empty command (write the program and its arguments)'
}

# --- includes -----------------------------------------------------------------

test_include_with_a_path_is_refused() {
    expect_error '[Profile]\ninclude=../../etc/evil.inc\n' 2 \
        "include=../../etc/evil.inc: not a file name (includes are found by name in the profile directories; '/' and '..' are not allowed)"
}

test_missing_include() {
    put_file "$T/bad.profile" '[Profile]\ninclude=nope\n'
    assert_status 1 hp profile check "$T/bad.profile"
    assert_match "^$T/bad.profile:2: include=nope: nope.inc not found \(looked in $T, $T/config/hutch/profiles, .*profiles\)$" \
        "$(last_stderr)"
}

test_include_loop() {
    put_file "$T/a.inc" '[Profile]\ninclude=b\n'
    put_file "$T/b.inc" '# b\n[Profile]\ninclude=a.inc\n'
    assert_status 1 hp profile check "$T/a.inc"
    assert_eq "$T/b.inc:3: include=a.inc: include loop: a.inc -> b.inc -> a.inc" "$(last_stderr)"
}

test_include_including_itself() {
    put_file "$T/self.inc" '[Profile]\ninclude=self\n'
    assert_status 1 hp profile check "$T/self.inc"
    assert_eq "$T/self.inc:2: include=self: include loop: self.inc -> self.inc" "$(last_stderr)"
}

test_includes_too_deep() {
    local i
    for i in $(seq 1 20); do
        put_file "$T/d$i.inc" "[Profile]\ninclude=d$((i + 1))\n"
    done
    put_file "$T/d21.inc" '[Network]\nmode=none\n'
    assert_status 1 hp profile check "$T/d1.inc"
    assert_eq "$T/d16.inc:2: include=d17: includes nested more than 16 deep" "$(last_stderr)"
}

# --- reporting ----------------------------------------------------------------

test_all_errors_are_reported_in_line_order() {
    put_file "$T/bad.profile" '[Permissions]\ndeny=nope\nallow=nope2\n[Filesystem]\nhome=x\n'
    assert_status 1 hp profile check "$T/bad.profile"
    assert_eq 3 "$(last_stderr | wc -l)"
    assert_eq "2 3 5" "$(last_stderr | cut -d: -f2 | tr '\n' ' ' | sed 's/ $//')"
}

test_errors_in_an_include_name_the_include() {
    put_file "$T/app.profile" '[Profile]\ninclude=lib\n'
    put_file "$T/lib.inc" '[Filesystem]\n\nhome=everything\n'
    assert_status 1 hp profile check "$T/app.profile"
    assert_eq "$T/lib.inc:3: home=everything: unknown mode (use none, private, ro or rw)" "$(last_stderr)"
}

test_unknown_profile_name_suggests() {
    assert_status 1 hp profile show mvp
    assert_eq "hutch: no profile named 'mvp' (did you mean 'mpv'?); 'hutch profile list' shows them all" \
        "$(last_stderr)"
}

# A profile that is not there is hutch failing to run the app: 125, as for
# a broken one (hutch(1), EXIT STATUS).
test_missing_profile_path() {
    assert_status 125 hp run --profile "$T/none.profile" -- true
    assert_eq "hutch: $T/none.profile: no such profile file" "$(last_stderr)"
}

test_run_refuses_a_bad_profile_before_starting_anything() {
    put profiles/broken.profile '[Filesystem]\nhome=maybe\n'
    assert_status 125 hp run --profile broken -- touch "$T/ran"
    assert_eq "hutch: $T/config/hutch/profiles/broken.profile:2: home=maybe: unknown mode (use none, private, ro or rw)" \
        "$(last_stderr)"
    assert_file_not_exists "$T/ran"
}

test_bad_twin_flags_are_usage_errors() {
    assert_status 2 hp run --allow x1l -- true
    assert_eq "hutch: --allow x1l: unknown permission (did you mean 'x11'?)" "$(last_stderr)"
    assert_status 2 hp run --seccomp-deny ptrace:EFOO -- true
    assert_eq "hutch: --seccomp-deny ptrace:EFOO: 'EFOO' is not an errno (use a name such as EPERM or ENOSYS)" \
        "$(last_stderr)"
    assert_status 2 hp run --include ../x -- true
    assert_contains "$(last_stderr)" "hutch: --include ../x: not a file name"
    assert_status 2 hp run --memory lots -- true
    assert_contains "$(last_stderr)" "hutch: --memory lots: expected a size"
}

# --- [DBus] -------------------------------------------------------------------

test_bus_name_that_is_not_one() {
    expect_error '[DBus]\ntalk=org.freedesktop.Notifications;notifications\n' 2 \
        "talk=notifications: 'notifications' is not a bus name (two or more elements of letters, digits, _ and -, separated by dots, such as org.freedesktop.Notifications; NAME.* for a name and every name below it)"
}

test_unique_bus_name() {
    expect_error '[DBus]\nsystem-own=:1.42\n' 2 \
        "system-own=:1.42: ':1.42' is a unique connection name, which changes every time; name a service by its well-known name"
}

test_call_rule_without_a_rule() {
    expect_error '[DBus]\ncall=org.freedesktop.ScreenSaver\n' 2 \
        "call=org.freedesktop.ScreenSaver: expected NAME=RULE, such as org.freedesktop.ScreenSaver=org.freedesktop.ScreenSaver.Inhibit"
}

test_call_rule_with_a_bad_path() {
    expect_error '[DBus]\nbroadcast=org.x.Y=org.x.Y.Changed@org/x\n' 2 \
        "broadcast=org.x.Y=org.x.Y.Changed@org/x: 'org/x' is not an object path (write /org/example/Object, or /org/example/* for the objects below it)"
}

test_app_id_that_is_not_one() {
    expect_error '[DBus]\napp-id=mousepad\n' 2 \
        "app-id=mousepad: 'mousepad' is not an app id (two or more elements of letters, digits and _, separated by dots, such as org.example.Editor)"
}

test_bad_bus_flags_are_usage_errors() {
    assert_status 2 hp run --talk 'org.*' -- true
    assert_contains "$(last_stderr)" "hutch: --talk org.*: 'org.*' is not a bus name"
    assert_status 2 hp run --file-args maybe -- true
    assert_eq "hutch: --file-args maybe: unknown mode (use forward or keep)" "$(last_stderr)"
}

test_check_of_a_good_profile_says_ok() {
    put_file "$T/good.profile" '[Profile]\ndescription=fine\n[Filesystem]\nhome=none\n'
    assert_status 0 hp profile check "$T/good.profile"
    assert_eq "$T/good.profile: ok" "$(last_stdout)"
}
