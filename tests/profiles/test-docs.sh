# SPDX-License-Identifier: LGPL-2.1-or-later
# Every profile key and its twin flag is documented in hutch-profile(5),
# every twin in hutch(1) or hutch-profile(5); the table is read from the code.

# keys: "Section key --flag" lines from the key table in sandbox/profile/profile-keys.c
keys() {
    grep -o '^ *{"[A-Za-z]*", "[a-z-]*", \(NULL\|"--[a-z-]*"\)' "$REPO/sandbox/profile/profile-keys.c" |
        tr -d '{",' | awk '{ print $1, $2, $3 }'
}

test_every_key_is_in_hutch_profile_5() {
    local section key flag page
    page=$(sed 's/\\-/-/g' "$REPO/docs/hutch-profile.5")
    assert_ne "" "$(keys)"
    while read -r section key flag; do
        assert_contains "$page" ".SS [$section]" "$section"
        assert_match "\.B[IR]? $key=" "$page" "[$section] $key"
        if [ "$flag" != NULL ]; then
            assert_contains "$page" "$flag" "$key's twin $flag"
        fi
    done < <(keys)
}

test_every_twin_flag_is_in_hutch_1() {
    local section key flag page
    page=$(sed 's/\\-/-/g' "$REPO/docs/hutch.1")
    while read -r section key flag; do
        [ "$flag" = NULL ] && continue
        assert_ne "" "$(grep -E -- "(^|[ \"])$flag([ \",]|$)" <<<"$page")" "$flag in hutch.1"
    done < <(keys)
}
