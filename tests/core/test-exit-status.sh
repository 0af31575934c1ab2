# SPDX-License-Identifier: LGPL-2.1-or-later
# Exit statuses: one place in hutch maps an error to a status
# (hutch_exit_status, and the command table in sandbox/cli/main.c), and
# hutch(1)'s EXIT STATUS section says the same. Each status of each family
# of commands is shown here with one example, and the man page is read to
# make sure it lists exactly these.

RUN_STATUSES="N 128+N 127 126 125 2"
CREATE_STATUSES="0 128+N 125 2"
MANAGE_STATUSES="0 1 2"

# man_statuses HEADING-REGEX: the statuses listed (".TP" then ".B" or ".I")
# in the EXIT STATUS part of hutch(1), after the line matching the regex,
# up to the next ".PP" or section.
man_statuses() {
    awk -v head="$1" '
        /^\.SH PROCESSES AND EXIT STATUS/ { in_sec = 1; next }
        /^\.SH/ { in_sec = 0 }
        !in_sec { next }
        $0 ~ head { in_list = 1; next }
        in_list && /^\.PP/ { in_list = 0 }
        in_list && prev == ".TP" && /^\.[BI] / { sub(/^\.[BI] /, ""); printf "%s ", $0 }
        { prev = $0 }' "$REPO/docs/hutch.1" | sed 's/ $//'
}

test_man_page_lists_every_status_of_every_command_family() {
    assert_eq "$RUN_STATUSES" "$(man_statuses '^\.BR "hutch run " and " hutch enter"')" "run and enter"
    assert_eq "$CREATE_STATUSES" "$(man_statuses '^\.BR "hutch create"')" "create"
    assert_eq "$MANAGE_STATUSES" "$(man_statuses '^\.BR images ", " destroy ')" "the other commands"
}

test_run_statuses() {
    assert_status 7 hutch_run -- sh -c 'exit 7'                  # N
    assert_status 143 hutch_run -- sh -c 'kill -TERM $$'         # 128+N
    assert_status 127 hutch_run -- no-such-command-here          # not found
    printf 'echo hi\n' >"$T/notexec"
    chmod 0644 "$T/notexec"
    assert_status 126 hutch_run --ro "$T/notexec" -- "$T/notexec" # not executable
    assert_status 125 hutch_run --profile no-such-profile -- true # hutch failed
    assert_contains "$(last_stderr)" "no profile named 'no-such-profile'"
    assert_status 125 hutch_run --chdir /no/such/dir -- true
    assert_status 2 hutch_run --no-such-option -- true            # usage
}

test_enter_statuses() {
    local name=exit-$$
    as_user "$HUTCH" run --detach --name "$name" -- sleep 60 >/dev/null || {
        assert_eq "started" "not started"
        return
    }
    printf 'echo hi\n' >"$T/notexec"
    chmod 0644 "$T/notexec"
    assert_status 7 as_user "$HUTCH" enter "$name" -- sh -c 'exit 7'
    assert_status 143 as_user "$HUTCH" enter "$name" -- sh -c 'kill -TERM $$'
    assert_status 127 as_user "$HUTCH" enter "$name" -- no-such-command-here
    assert_status 126 as_user "$HUTCH" enter "$name" -- /proc/self/status
    assert_status 125 as_user "$HUTCH" enter "no-such-sandbox-$$" -- true
    assert_status 2 as_user "$HUTCH" enter
    as_user "$HUTCH" stop "$name" >/dev/null 2>&1
}

# 0 and 128+N: rootfs/test-image.sh builds and interrupts real creates.
test_create_statuses() {
    assert_status 2 as_user "$HUTCH" create "exit-$$" --template no-such-template
    assert_status 2 as_user "$HUTCH" create --no-such-option
    # Without subordinate ids an image cannot keep its files' owners.
    assert_status 125 as_nosub "$HUTCH" create "exit-$$" --template debian
    assert_contains "$(last_stderr)" "subordinate ids"
}

test_management_statuses() {
    local cmd
    for cmd in info stop freeze thaw; do
        assert_status 1 as_user "$HUTCH" "$cmd" "no-such-sandbox-$$"
        assert_status 2 as_user "$HUTCH" "$cmd" --no-such-option x
    done
    assert_status 0 as_user "$HUTCH" ls
    assert_status 2 as_user "$HUTCH" ls extra
    assert_status 1 as_user "$HUTCH" destroy "no-such-image-$$"
    assert_status 2 as_user "$HUTCH" destroy
    assert_status 0 as_user "$HUTCH" images
    assert_status 2 as_user "$HUTCH" images extra
    printf '[Filesystem]\nhome=maybe\n' >"$T/bad.profile"
    chmod 0644 "$T/bad.profile"
    assert_status 1 as_user "$HUTCH" profile check "$T/bad.profile"
    assert_status 1 as_user "$HUTCH" profile show "no-such-profile-$$"
    assert_status 2 as_user "$HUTCH" profile frobnicate
    assert_status 0 as_user "$HUTCH" profile list
    assert_status 2 as_user "$HUTCH" check extra
}
