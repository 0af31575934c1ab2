# SPDX-License-Identifier: LGPL-2.1-or-later
# Identity: the app runs as the caller, with subordinate ranges mapped
# around the caller's own id, or only the caller's ids without ranges.

test_uid_gid_inside_are_the_callers() {
    local want
    want="$(as_user id -u) $(as_user id -g)"
    assert_status 0 hutch_run -- sh -c 'echo "$(id -u) $(id -g)"'
    assert_eq "$want" "$(last_stdout)"
}

test_uid_map_has_subordinate_ranges_with_a_hole_for_the_caller() {
    need_root
    local uid start
    uid=$(user_uid "$TEST_USER")
    start=$(grep "^$TEST_USER:" /etc/subuid | head -1 | cut -d: -f2)
    assert_status 0 hutch_run -- cat /proc/self/uid_map
    local map
    map=$(last_stdout | tr -s ' ' | sed 's/^ //')
    assert_contains "$map" "0 $start $uid" "inside 0.. maps to the first subordinate id"
    assert_contains "$map" "$uid $uid 1" "the caller's own uid maps to itself"
    assert_eq 3 "$(last_stdout | wc -l)" "three ranges: below, own, above"
}

test_gid_map_has_subordinate_ranges_and_setgroups_allowed() {
    need_root
    local gid start
    gid=$(user_gid "$TEST_USER")
    start=$(grep "^$TEST_USER:" /etc/subgid | head -1 | cut -d: -f2)
    assert_status 0 hutch_run -- sh -c 'cat /proc/self/gid_map; cat /proc/self/setgroups'
    local out
    out=$(last_stdout | tr -s ' ' | sed 's/^ //')
    assert_contains "$out" "0 $start $gid" "inside 0.. maps to the first subordinate gid"
    assert_contains "$out" "$gid $gid 1" "the caller's own gid maps to itself"
    assert_eq allow "$(tail -n 1 <<<"$out")" "setgroups"
    assert_eq 4 "$(wc -l <<<"$out")" "three ranges and setgroups"
}

test_without_ranges_only_own_ids_are_mapped() {
    need_root
    local uid
    uid=$(user_uid "$NOSUB_USER")
    assert_status 0 as_nosub "$HUTCH" run -- sh -c 'cat /proc/self/uid_map; cat /proc/self/setgroups; id -u'
    local out
    out=$(last_stdout)
    assert_eq 1 "$(grep -c . <<<"$(grep -v -e deny -e '^[0-9]*$' <<<"$out")")" "one map line"
    assert_match "^ *$uid +$uid +1$" "$(head -1 <<<"$out")"
    assert_contains "$out" "deny" "setgroups is denied in the fallback"
    assert_eq "$uid" "$(tail -1 <<<"$out")"
}

test_dry_run_names_the_id_map_method() {
    need_root
    assert_status 0 as_user env HUTCH_IDMAP=newuidmap "$HUTCH" run --dry-run -- true
    assert_contains "$(last_stdout)" "idmap  method newuidmap: subordinate ranges from"
    assert_status 0 hutch_run -- true
    assert_status 0 hutch_run --dry-run -- true
    assert_contains "$(last_stdout)" "idmap  method holder: subordinate ranges from"
    assert_status 0 as_nosub "$HUTCH" run --dry-run -- true
    assert_contains "$(last_stdout)" "idmap  method single: no subordinate range for $NOSUB_USER"
}

test_file_created_in_rw_dir_is_owned_by_the_caller() {
    local dir=$T/rw
    as_user mkdir "$dir"
    assert_status 0 hutch_run --rw "$dir" -- touch "$dir/made-inside"
    assert_eq "$(as_user id -u):$(as_user id -g)" "$(stat -c %u:%g "$dir/made-inside")"
}

test_supplementary_group_still_grants_access() {
    need_root
    local grp=hutchtestvideo file=$T/video-only
    getent group "$grp" >/dev/null || groupadd "$grp"
    usermod -a -G "$grp" "$TEST_USER"
    echo secret-for-group >"$file"
    chown root:"$grp" "$file"
    chmod 0640 "$file"
    assert_status 0 hutch_run --ro "$file" -- cat "$file"
    assert_eq secret-for-group "$(last_stdout)"
    gpasswd -d "$TEST_USER" "$grp" >/dev/null
}

test_root_can_run_hutch_too() {
    need_root
    assert_status 0 "$HUTCH" run -- sh -c 'id -u; grep NoNewPrivs /proc/self/status'
    assert_eq 0 "$(last_stdout | head -1)"
    assert_contains "$(last_stdout)" "NoNewPrivs:	1"
}

# libsubid (shadow's library, also behind NSS-served ranges) must give the
# same map as reading /etc/subuid and /etc/subgid directly.
test_libsubid_gives_the_same_ranges_as_the_files() {
    need_root
    [ -e /usr/lib/x86_64-linux-gnu/libsubid.so.4 ] || [ -e /usr/lib/libsubid.so.4 ] ||
        skip "libsubid is not installed"
    assert_status 0 hutch_run --dry-run -- true
    local files
    files=$(last_stdout | grep '^idmap  [ug]id')
    assert_status 0 as_user env HUTCH_SUBID=libsubid "$HUTCH" run --dry-run -- true
    assert_contains "$(last_stdout)" "subordinate ranges from libsubid"
    assert_eq "$files" "$(last_stdout | grep '^idmap  [ug]id')"
    assert_status 0 as_nosub env HUTCH_SUBID=libsubid "$HUTCH" run -- cat /proc/self/uid_map
    assert_eq 1 "$(last_stdout | wc -l)" "no ranges through libsubid either"
}
