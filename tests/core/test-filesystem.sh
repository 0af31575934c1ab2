# SPDX-License-Identifier: LGPL-2.1-or-later
# The host rootfs: what the app sees and what it cannot reach.

test_usr_is_read_only() {
    assert_status 1 hutch_run -- touch /usr/hutch-probe
    assert_contains "$(last_stderr)" "Read-only file system"
}

test_root_is_read_only_but_tmp_is_writable() {
    assert_status 1 hutch_run -- mkdir /newdir
    # read-only, not merely someone else's
    assert_contains "$(last_stderr)" "Read-only file system"
    assert_status 0 hutch_run -- sh -c 'echo x > /tmp/f && cat /tmp/f'
    assert_eq x "$(last_stdout)"
}

test_ro_bind_is_read_only_including_submounts() {
    need_root
    local dir=$T/ro
    mkdir -p "$dir/sub"
    echo data >"$dir/file"
    mount -t tmpfs tmpfs "$dir/sub"
    echo subdata >"$dir/sub/file"
    chmod -R a+rwX "$dir"
    hutch_run --ro "$dir" -- sh -c "cat $dir/file $dir/sub/file; touch $dir/x; touch $dir/sub/y" \
        >"$T/out" 2>"$T/err"
    umount "$dir/sub"
    assert_eq "data
subdata" "$(cat "$T/out")"
    assert_contains "$(cat "$T/err")" "touch: cannot touch '$dir/x': Read-only file system"
    assert_contains "$(cat "$T/err")" "touch: cannot touch '$dir/sub/y': Read-only file system"
}

test_host_tmp_is_not_visible() {
    local marker=/tmp/hutch-core-marker-$$
    touch "$marker"
    assert_status 0 hutch_run -- sh -c "ls -A /tmp; test ! -e $marker && echo hidden"
    rm -f "$marker"
    assert_eq hidden "$(last_stdout)"
}

test_host_home_is_not_visible_by_default() {
    local home
    home=$(as_user sh -c 'echo $HOME')
    as_user sh -c 'echo secret > ~/.hutch-secret'
    assert_status 0 hutch_run -- sh -c 'ls -A ~; cat ~/.hutch-secret 2>/dev/null || echo unreadable'
    assert_eq unreadable "$(last_stdout)"
    assert_status 0 hutch_run --home ro -- sh -c 'cat ~/.hutch-secret; touch ~/x 2>&1 || true'
    assert_contains "$(last_stdout)" "secret"
    assert_contains "$(last_stdout)" "Read-only file system"
    assert_status 0 hutch_run --home rw -- sh -c 'echo changed > ~/.hutch-secret'
    assert_eq changed "$(as_user cat "$home/.hutch-secret")"
    as_user rm -f "$home/.hutch-secret"
}

test_old_root_is_unreachable() {
    assert_status 0 hutch_run -- sh -c 'ls -d /oldroot /newroot 2>&1; cat /etc/shadow 2>&1; ls /root 2>&1; grep -c . /proc/self/mountinfo'
    assert_contains "$(last_stdout)" "/oldroot': No such file"
    assert_contains "$(last_stdout)" "/newroot': No such file"
    assert_contains "$(last_stdout)" "/etc/shadow: Permission denied"
    assert_not_contains "$(last_stdout)" " / / " "no mount of the host root"
}

test_mountinfo_shows_no_host_root() {
    assert_status 0 hutch_run -- cat /proc/self/mountinfo
    # The root mount is the plan's own tmpfs, never the host's root.
    assert_eq "tmpfs" "$(last_stdout | awk '$5 == "/" { for (i = 6; i <= NF; i++) if ($i == "-") print $(i + 1) }')"
}

test_tmpfs_option_gives_a_fresh_writable_dir() {
    assert_status 0 hutch_run --tmpfs /srv/scratch -- sh -c 'touch /srv/scratch/a && ls /srv/scratch'
    assert_eq a "$(last_stdout)"
    # A mount point cannot be made inside a read-only bind: say so.
    assert_status 125 hutch_run --tmpfs /usr/no-such-dir -- true
    assert_contains "$(last_stderr)" "--tmpfs: cannot mount tmpfs on /usr/no-such-dir: Read-only file system (the mount point"
}

test_hide_makes_a_path_empty() {
    local dir=$T/hidden
    as_user mkdir -p "$dir"
    as_user sh -c "echo top-secret-words > $dir/secret"
    assert_status 0 hutch_run --ro "$T" --hide "$dir" -- sh -c "cat $dir/secret 2>&1 || true"
    assert_not_contains "$(last_stdout)" "top-secret-words"
    assert_contains "$(last_stdout)" "Permission denied"
}

test_minimal_dev() {
    assert_status 0 hutch_run -- sh -c 'ls /dev | tr "\n" " "'
    assert_eq "fd full mqueue null ptmx pts random shm stderr stdin stdout tty urandom zero " \
        "$(last_stdout)"
    assert_status 0 hutch_run -- sh -c 'head -c 4 /dev/zero | wc -c; echo x > /dev/null; ls /dev/pts'
    assert_contains "$(last_stdout)" "4"
    assert_contains "$(last_stdout)" "ptmx"
}

# The nodes are the host's own, bound one by one (a user namespace could not
# make them): the host's device numbers, each its own mount point.
test_dev_nodes_are_binds_of_the_host_nodes() {
    local nodes=(/dev/null /dev/zero /dev/full /dev/random /dev/urandom /dev/tty) node
    assert_status 0 hutch_run -- sh -c 'stat -c "%n %t:%T" "$@"; echo --; awk "{ print \$5 }" /proc/self/mountinfo' \
        sh "${nodes[@]}"
    local out
    out=$(last_stdout)
    assert_eq "$(stat -c '%n %t:%T' "${nodes[@]}")" "$(sed '/^--$/q' <<<"$out" | sed '$d')" \
        "major:minor as on the host"
    for node in "${nodes[@]}"; do
        assert_eq 1 "$(sed '1,/^--$/d' <<<"$out" | grep -cx "$node")" "$node is a mount point (a bind)"
    done
}

test_etc_keeps_its_secrets() {
    # The host's /etc, less its masks (tests/core/test-etc.sh has the rest).
    assert_status 0 hutch_run -- sh -c 'test -e /etc/passwd && test -e /etc/ld.so.cache && echo ok; cat /etc/shadow 2>&1; true'
    assert_contains "$(last_stdout)" "ok"
    assert_contains "$(last_stdout)" "/etc/shadow: Permission denied"
    assert_not_contains "$(last_stdout)" "root:"
}

test_xdg_runtime_dir_is_private_and_fresh() {
    assert_status 0 hutch_run -- sh -c 'echo $XDG_RUNTIME_DIR; stat -c %a "$XDG_RUNTIME_DIR"; ls -A "$XDG_RUNTIME_DIR" | wc -l'
    assert_eq "/run/user/$(as_user id -u)
700
0" "$(last_stdout)"
}

test_symlinked_top_level_dirs_follow_the_host() {
    local want
    want=$(readlink /bin || echo dir)
    assert_status 0 hutch_run -- sh -c 'readlink /bin || echo dir'
    assert_eq "$want" "$(last_stdout)"
}

test_chdir_defaults_to_cwd_when_visible_else_home() {
    assert_status 0 as_user sh -c "cd '$T' && '$HUTCH' run --ro '$T' -- pwd"
    assert_eq "$T" "$(last_stdout)"
    assert_status 0 as_user sh -c "cd '$T' && '$HUTCH' run -- pwd"
    assert_eq "$(as_user sh -c 'echo $HOME')" "$(last_stdout)"
    assert_status 0 hutch_run --chdir /usr/share -- pwd
    assert_eq /usr/share "$(last_stdout)"
}

test_grant_inside_a_hidden_dir_makes_a_whitelist() {
    local dir=$T/wl
    as_user mkdir -p "$dir/conf/app" "$dir/conf/other"
    as_user sh -c "echo other-secret > $dir/conf/other/s"
    # Order on the command line does not matter: parents apply first.
    assert_status 0 hutch_run --rw "$dir/conf/app" --hide "$dir/conf" --ro "$dir" -- sh -c \
        "ls -A $dir/conf; echo made > $dir/conf/app/f; cat $dir/conf/other/s 2>&1; touch $dir/conf/new 2>&1 || true"
    assert_eq "app" "$(last_stdout | head -1)"
    assert_eq "made" "$(as_user cat "$dir/conf/app/f")"
    assert_not_contains "$(last_stdout)" "other-secret"
    assert_contains "$(last_stdout)" "Read-only file system"
    assert_status 0 hutch_run --dry-run --ro "$dir" --hide "$dir/conf" --rw "$dir/conf/app" -- true
    assert_contains "$(last_stdout)" "$dir/conf: only the paths granted inside it are visible"
}
