# SPDX-License-Identifier: LGPL-2.1-or-later
# Resource limits: --memory, --pids, --cpu-weight. Without a delegated
# cgroup (as here for the test user) they are rlimits and nice.
. "$REPO/tests/lifecycle/lifecycle.sh"

need_programs() {
    [ -x "$LC_BIN/forkbomb" ] && [ -x "$LC_BIN/bigalloc" ] ||
        skip "test programs not built in $LC_BIN"
}

test_pids_limit_stops_a_fork_bomb() {
    need_programs
    assert_status 0 h run --ro "$LC_BIN" -- "$LC_BIN/forkbomb" 150 || return
    assert_match 'alive (1[4-9][0-9]|[2-9][0-9][0-9])' "$(last_stdout)" "without a limit the bomb grows"
    assert_status 0 h run --pids 20 --ro "$LC_BIN" -- "$LC_BIN/forkbomb" 150 || return
    local alive failed
    alive=$(last_stdout | awk '{ print $4 }')
    failed=$(last_stdout | awk '{ print $6 }')
    assert_status 0 float_ge 20 "$alive" "at most 20 processes ($(last_stdout))"
    assert_status 0 float_ge "$failed" 1 "forks were refused"
}

test_memory_limit_stops_a_big_allocation() {
    need_programs
    assert_status 0 h run --ro "$LC_BIN" -- "$LC_BIN/bigalloc" 300
    assert_contains "$(last_stdout)" "allocated 300 MiB"
    assert_status nonzero h run --memory 128M --ro "$LC_BIN" -- "$LC_BIN/bigalloc" 300
    assert_not_contains "$(last_stdout)" "allocated"
    assert_status 0 h run --memory 512M --ro "$LC_BIN" -- "$LC_BIN/bigalloc" 64
    assert_contains "$(last_stdout)" "allocated 64 MiB" "room left under the limit"
}

test_cpu_weight_sets_the_nice_value() {
    assert_status 0 h run --dry-run -- true
    last_stdout | grep -q "cgroup none" || skip "a delegated cgroup uses cpu.weight instead"
    assert_status 0 h run --cpu-weight 1 -- nice
    assert_eq 19 "$(last_stdout)"
    assert_status 0 h run --cpu-weight 50 -- nice
    assert_eq 3 "$(last_stdout)"
    assert_status 0 h run --cpu-weight 1000 -- nice
    assert_eq 0 "$(last_stdout)" "no more than the default share without privileges"
}

test_dry_run_says_how_limits_are_enforced() {
    assert_status 0 h run --dry-run --memory 1G --pids 50 --cpu-weight 10 -- true || return
    local out
    out=$(last_stdout)
    assert_match "note +limit memory 1.0 GiB by (cgroup memory.max|RLIMIT_AS)" "$out"
    assert_match "note +limit processes 50 by (cgroup pids.max|RLIMIT_NPROC)" "$out"
    assert_match "note +limit cpu weight 10 by (cgroup cpu.weight|nice 10)" "$out"
    assert_match "note +freeze by (cgroup.freeze|SIGSTOP from the sandbox's init)" "$out"
    assert_match "note +cgroup " "$out"
}

test_limits_are_shown_by_info() {
    start lim --memory 256M --pids 64 -- sleep 60 || return
    assert_status 0 h info "$LC-lim"
    assert_match "Limits: +memory 256.0 MiB by" "$(last_stdout)"
    assert_match "processes 64 by" "$(last_stdout)"
}

test_bad_limit_values_are_refused() {
    local args
    for args in "--memory abc" "--memory 12Q" "--memory 100K" "--memory -5M" "--memory 1.5G" \
        "--pids 0" "--pids 1" "--pids x" "--cpu-weight 0" "--cpu-weight 10001" \
        "--json-status-fd 99" "--json-status-fd 1"; do
        # shellcheck disable=SC2086
        assert_status 2 h run $args -- true
        assert_contains "$(last_stderr)" "${args%% *}" "error names the option for '$args'"
    done
    assert_status 0 h run --memory 2048M --pids 1000 --cpu-weight 10000 -- true
    assert_status 0 h run --memory unlimited --pids unlimited -- true
    printf '[Limits]\npids=1\n' >"$T/one.profile"
    chmod 644 "$T/one.profile"
    assert_status 2 h run --profile "$T/one.profile" -- true
    assert_contains "$(last_stderr)" "one.profile:2: pids=1"
}

# Every tmpfs the app can write holds memory of the host; without a
# delegated cgroup no limit counts it. They share one size: --memory, or a
# quarter of the machine's memory.
test_tmpfs_is_bounded_by_the_memory_limit() {
    # shellcheck disable=SC2016  # expanded inside the sandbox
    local fill='for d in /tmp /var/tmp /dev/shm /run "$XDG_RUNTIME_DIR" "$HOME"; do
        dd if=/dev/zero of="$d/fill" bs=1M count=300 2>/dev/null; done
        du -smc /tmp /var/tmp /dev/shm /run "$HOME" | tail -1 | cut -f1'
    assert_status 0 h run --memory 64M -- sh -c "$fill" || return
    local held
    held=$(last_stdout)
    assert_status 0 float_ge 64 "$held" "at most 64 MiB written in all ($held MiB)"
    assert_status 0 float_ge "$held" 60 "up to the limit ($held MiB)"
    # One tmpfs full: the others are too.
    assert_status 0 h run --memory 64M -- sh -c 'dd if=/dev/zero of=/tmp/a bs=1M count=64 2>/dev/null
        echo x >~/b 2>/dev/null && echo wrote || echo full'
    assert_eq full "$(last_stdout)"
    # Inodes are bounded too: they cost memory the size does not count.
    assert_status 0 h run --memory 64M -- python3 -c '
import os
os.chdir("/tmp")
n = 0
try:
    while n < 20000:
        open(str(n), "w").close()
        n += 1
except OSError:
    pass
print(n)'
    local files
    files=$(last_stdout)
    # One inode per page of the size; the scratch root's own dirs take a few.
    assert_status 0 float_ge 16384 "$files" "at most 16384 files ($files)"
    assert_status 0 float_ge "$files" 16000 "up to about 16384 ($files)"
}

test_tmpfs_default_size_is_a_quarter_of_memory() {
    local total
    total=$(awk '/^MemTotal:/ { print int($2 / 4 / 1024) }' /proc/meminfo)
    assert_status 0 h run -- sh -c 'df -m /tmp | awk "NR == 2 { print \$2 }"'
    local size
    size=$(last_stdout)
    assert_status 0 float_ge "$size" "$((total - 2))" "about $total MiB: $size"
    assert_status 0 float_ge "$((total + 2))" "$size" "about $total MiB: $size"
    assert_status 0 h run --dry-run --memory 256M -- true
    assert_contains "$(last_stdout)" "scratch    every writable tmpfs shares one of 256.0 MiB and 65536 inodes (the memory limit)"
}
