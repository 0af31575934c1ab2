# SPDX-License-Identifier: LGPL-2.1-or-later
# bash completion for hutch. The candidates come from hutch itself
# (`hutch __complete WORDS...`): its command and option tables, profiles,
# running sandboxes and images.
_hutch() {
    local cur=${COMP_WORDS[COMP_CWORD]} IFS=$'\n'
    COMPREPLY=($("${COMP_WORDS[0]}" __complete "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
    # Nothing from hutch for a path or free text: the shell's file names.
    if [ ${#COMPREPLY[@]} -eq 0 ]; then
        COMPREPLY=($(compgen -f -- "$cur"))
    fi
}
complete -F _hutch hutch
