# SPDX-License-Identifier: LGPL-2.1-or-later
# GPU, input, ALSA and shared memory: host device nodes bound as they are
# (same major:minor), and only with their permission. The nodes are made for
# the test, as root, and removed after it.
. "$REPO/tests/desktop/desktop.sh"

MADE=()
MADE_DIRS=()

teardown() {
    local p
    for p in "${MADE[@]}"; do rm -f "$p"; done
    for p in "${MADE_DIRS[@]}"; do rmdir "$p" 2>/dev/null; done
}

# make_node PATH MAJOR MINOR: a character device for this test.
make_node() {
    local dir
    dir=$(dirname "$1")
    if [ ! -d "$dir" ]; then
        mkdir -p "$dir" && MADE_DIRS=("$dir" "${MADE_DIRS[@]}")
    fi
    [ -e "$1" ] && skip "$1 already exists on this host"
    mknod -m 0666 "$1" c "$2" "$3" && MADE+=("$1")
}

numbers() { stat -c '%n %t:%T' "$@"; }

# check_nodes PERM PATH...: inside with PERM the nodes have the host's
# numbers; without it they are absent.
check_nodes() {
    local perm=$1
    shift
    local host
    host=$(numbers "$@")
    assert_status 0 hutch_run --allow "$perm" -- stat -c '%n %t:%T' "$@"
    assert_eq "$host" "$(last_stdout)" "nodes inside with $perm"
    local p
    for p in "$@"; do
        assert_status nonzero hutch_run -- test -e "$p"
    done
}

test_gpu_nodes_inside_with_same_numbers() {
    need_root
    make_node /dev/dri/card9 226 9 || return
    make_node /dev/dri/renderD200 226 200 || return
    make_node /dev/nvidia99 195 99 || return
    check_nodes gpu /dev/dri/card9 /dev/dri/renderD200 /dev/nvidia99
}

test_gpu_node_is_usable() {
    need_root
    # A node the test can open: the same numbers as /dev/null, under a GPU name.
    make_node /dev/dri/card8 1 3 || return
    assert_status 0 hutch_run --allow gpu -- sh -c 'echo x >/dev/dri/card8 && echo written'
    assert_eq written "$(last_stdout)"
}

test_gpu_brings_sysfs_read_only() {
    assert_status 0 hutch_run --allow gpu -- sh -c \
        'ls /sys/dev/char | grep -c : ; touch /sys/devices/x 2>&1; true'
    assert_ne 0 "$(last_stdout | head -1)" "/sys/dev/char entries"
    assert_contains "$(last_stdout)" "Read-only file system"
    assert_status nonzero hutch_run -- test -e /sys/dev/char
}

test_input_nodes_inside_with_same_numbers() {
    need_root
    make_node /dev/input/event99 13 99 || return
    make_node /dev/hidraw99 240 99 || return
    check_nodes input /dev/input/event99 /dev/hidraw99
}

test_alsa_nodes_only_with_alsa() {
    need_root
    make_node /dev/snd/controlC9 116 9 || return
    check_nodes alsa /dev/snd/controlC9
}

test_audio_does_not_bring_raw_sound_devices() {
    need_root
    need_pulse
    make_node /dev/snd/controlC9 116 9 || return
    assert_status 1 hutch_run --allow audio -- test -e /dev/snd/controlC9
}

test_shm_shares_host_dev_shm() {
    local f=/dev/shm/hutch-test-$$
    as_user sh -c "echo shared >$f"
    MADE+=("$f")
    assert_status 0 hutch_run --allow shm -- cat "$f"
    assert_eq shared "$(last_stdout)"
    assert_status nonzero hutch_run -- cat "$f"
}

test_dry_run_lists_device_nodes() {
    need_root
    make_node /dev/dri/card9 226 9 || return
    assert_status 0 hutch_run --dry-run --allow gpu -- true
    assert_contains "$(last_stdout)" "gpu: device nodes /dev/dri"
    assert_match "bind +/dev/dri -> /dev/dri rw dev optional +\[gpu\]" "$(last_stdout)"
}

# ipc: the host's IPC namespace (SysV objects of programs outside), which a
# sandbox otherwise has its own of.
test_ipc_shares_the_host_ipc_namespace() {
    need_cmd ipcmk ipcs ipcrm
    local id
    id=$(as_user ipcmk -S 1 | grep -o '[0-9]*$')
    [ -n "$id" ] || { assert_ne "" "$id" "a semaphore made outside"; return; }
    assert_status 0 hutch_run -- sh -c "ipcs -s | awk '\$2 == $id' | wc -l"
    assert_eq 0 "$(last_stdout)" "not seen from a sandbox of its own"
    assert_status 0 hutch_run --allow ipc -- sh -c "ipcs -s | awk '\$2 == $id' | wc -l"
    assert_eq 1 "$(last_stdout)" "seen with ipc"
    assert_status 0 hutch_run --dry-run --allow ipc -- true
    assert_not_contains "$(grep '^namespaces' <<<"$(last_stdout)")" " ipc" "no IPC namespace of its own"
    as_user ipcrm -s "$id"
}
