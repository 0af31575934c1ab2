# SPDX-License-Identifier: LGPL-2.1-or-later
# Shell completion (share/completion/), driven non-interactively: bash
# through its completion function, zsh through a real interactive shell on
# a pseudo-terminal (zpty), fish through `complete -C`. The candidates come
# from hutch's own tables.

COMPLETION=$REPO/share/completion

setup() {
    # "hutch" on PATH, as an installed one is.
    mkdir -p "$T/bin"
    ln -sf "$HUTCH" "$T/bin/hutch"
    chmod -R a+rX "$T/bin"
}

teardown() {
    as_user "$HUTCH" stop --timeout 2 "compl-$$" >/dev/null 2>&1
}

# bash_complete WORD...: what bash offers for the last WORD.
bash_complete() {
    as_user env PATH="$T/bin:$TEST_USER_PATH" bash -c '
        . "$0"
        COMP_WORDS=(hutch "$@"); COMP_CWORD=$#
        _hutch
        printf "%s\n" "${COMPREPLY[@]}"' "$COMPLETION/hutch.bash" "$@"
}

# zsh_complete LINE: the line after pressing TAB in an interactive zsh
# (on a pseudo-terminal, zpty; ^X makes it write its buffer down).
zsh_complete() {
    local out=$T/zsh.out script=$T/complete.zsh
    cat >"$script" <<'ZSH'
zmodload zsh/zpty
zpty z 'zsh -f -i'
zpty -w z "fpath=($1 \$fpath); autoload -U compinit; compinit -u -D; PS1='%% '"
zpty -w z "show() { print -r -- \"\$BUFFER\" >> $2 }; zle -N show; bindkey '^X' show"
zpty -w -n z "$3"$'\t\x18'
for i in {1..50}; do [[ -s $2 ]] && break; sleep 0.1; done
zpty -d z
ZSH
    rm -f "$out"
    : >"$out"
    chmod 0666 "$out"
    chmod 0644 "$script"
    as_user env PATH="$T/bin:$TEST_USER_PATH" zsh -f "$script" "$COMPLETION" "$out" "$1"
    cat "$out"
}

test_bash_completes_commands_profiles_and_sandboxes() {
    need_cmd bash
    assert_eq run "$(bash_complete r)"
    assert_contains "$(bash_complete run --profile mp)" "mpv"
    assert_contains "$(bash_complete run --allow disp)" "display"
    assert_contains "$(bash_complete stop --ti)" "--timeout"
    as_user "$HUTCH" run --detach --name "compl-$$" -- sleep 60 >/dev/null || return
    assert_contains "$(bash_complete stop compl-)" "compl-$$"
    assert_contains "$(bash_complete profile show mous)" "mousepad"
}

test_zsh_completes_commands_profiles_and_sandboxes() {
    need_cmd zsh
    assert_eq "hutch run " "$(zsh_complete 'hutch r')"
    assert_eq "hutch run --profile mpv " "$(zsh_complete 'hutch run --profile mp')"
    as_user "$HUTCH" run --detach --name "compl-$$" -- sleep 60 >/dev/null || return
    assert_eq "hutch stop compl-$$ " "$(zsh_complete "hutch stop compl-$$")"
    assert_eq "hutch freeze compl-$$ " "$(zsh_complete 'hutch freeze compl')"
}

test_fish_completes_commands() {
    need_cmd fish
    assert_status 0 as_user env PATH="$T/bin:$TEST_USER_PATH" fish -c \
        "source $COMPLETION/hutch.fish; complete -C 'hutch r'"
    assert_eq run "$(last_stdout | cut -f1)"
    assert_status 0 as_user env PATH="$T/bin:$TEST_USER_PATH" fish -c \
        "source $COMPLETION/hutch.fish; complete -C 'hutch run --allow gp'"
    assert_eq gpu "$(last_stdout | cut -f1)"
}

# The scripts hold no lists: a new command or profile needs no change to
# them, because hutch answers from its tables.
test_candidates_come_from_the_tables() {
    assert_status 0 as_user "$HUTCH" __complete ""
    local cmd
    for cmd in $(as_user "$HUTCH" --help | awk '/^  [a-z]/ { print $1 }'); do
        assert_contains "$(last_stdout)" "$cmd" "every command of hutch --help"
    done
    assert_status 0 as_user "$HUTCH" __complete run --allow ""
    local perm
    for perm in display x11 wayland audio gpu input; do
        assert_contains "$(last_stdout)" "$perm"
    done
    assert_status 0 as_user "$HUTCH" __complete run --
    assert_contains "$(last_stdout)" "--net" "a profile key's twin"
    assert_contains "$(last_stdout)" "--dry-run" "one of run's own options"
}
