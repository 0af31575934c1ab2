# SPDX-License-Identifier: LGPL-2.1-or-later
# What hutch prints cannot be forged nor act on the terminal: a path, a
# value, a name or a command that holds a newline or an escape sequence
# shows escaped, on the line it belongs to (sandbox/base/escape.h).

ESC=$'\e'

# one_clean_line TEXT WHAT: TEXT is one line without a raw control byte.
one_clean_line() {
    assert_eq 1 "$(printf '%s\n' "$1" | wc -l)" "$2: one line: $1"
    assert_not_match $'[\x01-\x08\x0b-\x1f\x7f]' "$1" "$2: no raw control character"
}

test_dry_run_lines_cannot_be_forged() {
    local dir=$T/$'docs\nbind       /home/x/.ssh -> /home/x/.ssh rw  [--rw]'
    as_user mkdir -p "$dir"
    assert_status 0 hutch_run --dry-run --ro "$dir" \
        --env $'NOTE=x\nseccomp    off' --env "TITLE=${ESC}]0;pwned"$'\a' -- true
    local out
    out=$(last_stdout)
    assert_not_match $'\nseccomp    off' "$out" "no forged 'seccomp off' line"
    assert_not_match $'\nbind       /home/x/.ssh' "$out" "no forged bind line"
    assert_not_contains "$out" "$ESC" "no escape byte reaches the terminal"
    assert_contains "$out" 'env        NOTE=x\nseccomp    off'
    assert_contains "$out" 'env        TITLE=\x1b]0;pwned\x07'
    assert_contains "$out" 'docs\nbind       /home/x/.ssh'
    # Every line is one of the plan's own kinds.
    assert_eq "" "$(grep -Ev '^(sandbox|namespaces|network|idmap|  (uid|gid)|identity|bind|tmpfs|proc|devpts|mqueue|symlink|mkdir|remount-ro|env|hostname|chdir|session|caps|no_new_privs|fds|seccomp|scratch|note|init|command) ' <<<"$out")" \
        "only the plan's own lines"
}

test_errors_are_one_line_without_raw_escapes() {
    local evil="a${ESC}[2J${ESC}]0;pwned"$'\a\nforged line'
    local -a cases=(
        "run --ro /no/@" "run --rw /no/@" "run --home @" "run --net @" "run --allow @"
        "run --hostname @" "run --chdir @" "run --env @" "run --pass-fd @" "run --memory @"
        "run --profile @" "run --profile /no/@" "run --image @" "run --name @" "run -- /no/@"
        "info @" "stop @" "freeze @" "thaw @" "enter @" "destroy @" "profile show @"
        "profile check /no/@" "@"
    )
    local c word
    for c in "${cases[@]}"; do
        local -a argv=()
        for word in $c; do
            argv+=("${word/@/$evil}")
        done
        [ "${argv[0]}" = run ] && [ "${argv[-1]}" != "/no/$evil" ] && argv+=(-- true)
        as_user "$HUTCH" "${argv[@]}" >"$T/out" 2>"$T/err"
        one_clean_line "$(cat "$T/err")" "hutch $c"
    done
}

test_ls_and_info_escape_the_sandbox_command() {
    need_cmd jq
    local name=out$$
    as_user "$HUTCH" run --detach --name "$name" -- sh -c "sleep 60 # ${ESC}]0;pwned"$'\a\nforged row' >/dev/null || {
        assert_eq 0 1 "the sandbox started"
        return
    }
    local ls info
    ls=$(as_user "$HUTCH" ls)
    info=$(as_user "$HUTCH" info "$name")
    as_user "$HUTCH" stop "$name" >/dev/null 2>&1
    assert_not_contains "$ls" "$ESC"
    assert_not_match $'\nforged row' "$ls" "no forged row in ls"
    assert_contains "$(grep "^$name " <<<"$ls")" '\x1b]0;pwned\x07\nforged row'
    assert_not_contains "$info" "$ESC"
    assert_not_match $'\nforged row' "$info"
    assert_contains "$info" 'Command:       sh -c sleep 60 # \x1b]0;pwned\x07\nforged row'
}

# Paths are bytes: a path option takes any byte but NUL, in any locale;
# a word option whose value is not UTF-8 text is refused naming the option.
test_non_utf8_bytes_in_options() {
    local dir=$T/$'caf\xe9'
    as_user mkdir -p "$dir"
    as_user sh -c "echo bytes > '$dir/f'"
    assert_status 0 hutch_run --ro "$dir" -- cat "$dir/f"
    assert_eq bytes "$(last_stdout)"
    assert_status 0 hutch_run --dry-run --ro "$dir" -- true
    assert_contains "$(last_stdout)" 'caf\xe9 ro'
    assert_status 2 hutch_run --allow $'x\xff' -- true
    assert_eq 'hutch: --allow x\xff: not valid UTF-8 text' "$(last_stderr)"
    assert_status 2 as_user "$HUTCH" create --template debian --release $'\xfe' img
    assert_contains "$(last_stderr)" "--release: its value is not valid text"
}
