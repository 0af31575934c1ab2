# SPDX-License-Identifier: LGPL-2.1-or-later
# Broken /etc/subuid and /etc/subgid. Each test shows hutch (and the setuid
# newuidmap it runs) its own copy of the files, bound over the real ones in
# a private mount namespace, so the host's files are never touched.
. "$REPO/tests/faults/faults.sh"

# with_subids FILE CMD...: CMD as the test user, with FILE as both
# /etc/subuid and /etc/subgid.
with_subids() {
    local file=$1 USER_ARGV
    shift
    need_root
    need_cmd unshare newuidmap
    chmod 0644 "$file"
    user_argv "$TEST_USER"
    unshare -m sh -c 'mount --make-rprivate / && mount --bind "$1" /etc/subuid &&
        mount --bind "$1" /etc/subgid && shift && exec "$@"' sh "$file" "${USER_ARGV[@]}" "$@"
}

uid() { user_uid "$TEST_USER"; }

test_a_range_holding_the_users_own_id_is_used_around_it() {
    need_root
    local own
    own=$(uid)
    printf '%s:%s:65536\n' "$TEST_USER" "$((own - 100))" >"$T/subid"
    assert_status 0 with_subids "$T/subid" "$HUTCH" run -- cat /proc/self/uid_map
    local map
    map=$(last_stdout)
    assert_contains "$map" "$own"
    assert_match "^ +$own +$own +1\$" "$(grep -E "^ +$own " <<<"$map")" "own id as itself"
    # 65536 ids less the user's own, plus the user's own id
    assert_eq 65536 "$(awk '{ n += $3 } END { print n }' <<<"$map")" "ids mapped: $map"
    assert_status 0 with_subids "$T/subid" "$HUTCH" check
    assert_contains "$(last_stdout)" "contains your own uid $own"
}

test_a_negative_start_is_refused_naming_file_and_line() {
    need_root
    printf '# comment\n%s:-5:65536\n%s:300000:1000\n' "$TEST_USER" "$TEST_USER" >"$T/subid"
    assert_status 0 with_subids "$T/subid" "$HUTCH" run -- cat /proc/self/uid_map
    assert_contains "$(last_stderr)" "/etc/subuid:2:"
    assert_contains "$(last_stderr)" "-5"
    assert_not_contains "$(last_stdout)" "4294967291"
    assert_match "300000 +1000" "$(last_stdout)" "the good line is used"
    assert_status 0 with_subids "$T/subid" "$HUTCH" check
    assert_contains "$(last_stdout)" "/etc/subuid:2:"
}

test_more_ranges_than_the_kernel_maps_are_cut_and_said() {
    need_root
    local i
    for ((i = 0; i < 400; i++)); do
        printf '%s:%s:1000\n' "$TEST_USER" "$((1000000 + i * 2000))"
    done >"$T/subid"
    assert_status 0 with_subids "$T/subid" "$HUTCH" run -- cat /proc/self/uid_map
    local n
    n=$(last_stdout | wc -l)
    assert_eq 1 "$((n > 100 && n <= 340))" "$n lines in the uid map"
    assert_status 0 with_subids "$T/subid" "$HUTCH" check
    assert_match "uses [0-9]+ of your 400 ranges" "$(last_stdout)"
}
