# SPDX-License-Identifier: LGPL-2.1-or-later
# Escape tests: the attacks of tests/escape/escape.c run inside `hutch run`,
# each with the result it must have under the default profile and under each
# permission. A permission must open exactly what it names: every case not
# listed for it keeps its default result.

case ${HUTCH_BUILD:-build} in
    /*) _escape_build=$HUTCH_BUILD ;;
    *) _escape_build=$REPO/${HUTCH_BUILD:-build} ;;
esac
ESCAPE_DIR=${HUTCH_ESCAPE_DIR:-$_escape_build/tests/escape}
unset _escape_build

# One line per case: NAME DEFAULT [TAG=RESULT]...
#   RESULT: open | ERRNO (blocked with it) | SIGNAL (killed by it);
#           "a|b" accepts either (where the host kernel decides).
#   TAG:    a permission granted for the run, or i386 for escape32; the
#           last TAG of the line that applies wins.
# The default column is the filter's answer; where the filter does not stop
# a call, the column says what the kernel answers instead.
EXPECTED=$(
    cat <<'EOF'
tiocsti             EPERM
tiocsti-high        EPERM
tioclinux           EPERM
unshare-user        EPERM        nested-sandbox=open
clone-newuser       EPERM        nested-sandbox=open
clone3              ENOSYS
setns               EPERM        nested-sandbox=EINVAL
mount               EPERM        nested-sandbox=open
umount2             EPERM        nested-sandbox=open
umount              EPERM        nested-sandbox=open
pivot_root          EPERM        nested-sandbox=open
chroot              EPERM        nested-sandbox=open
fsopen              ENOSYS       nested-sandbox=open
fsconfig            ENOSYS       nested-sandbox=open
fsmount             ENOSYS       nested-sandbox=open
move_mount          ENOSYS       nested-sandbox=open
fspick              ENOSYS       nested-sandbox=open
open_tree           ENOSYS       nested-sandbox=open
open_tree_attr      ENOSYS       i386=EPERM   nested-sandbox=open|ENOSYS
mount_setattr       ENOSYS       nested-sandbox=open
add_key             EPERM
keyctl              EPERM
request_key         EPERM
ptrace              EPERM        devel=open
process_vm_readv    EPERM        devel=open
process_vm_writev   EPERM        devel=open
pidfd_getfd         EPERM        devel=open
kcmp                EPERM        devel=open
perf_event_open     EPERM        devel=open|EACCES
personality         EPERM        devel=open
personality-high    EPERM        devel=open
personality-query   open
personality-linux32 open
bpf                 EPERM
userfaultfd         EPERM
io_uring            EPERM
kexec_load          EPERM
kexec_file_load     EPERM
init_module         EPERM
finit_module        EPERM
delete_module       EPERM
open_by_handle_at   EPERM
syslog              EPERM
uselib              EPERM
acct                EPERM
quotactl            EPERM
get_mempolicy       EPERM
set_mempolicy       EPERM
mbind               EPERM
move_pages          EPERM
migrate_pages       EPERM
modify_ldt          EPERM        multiarch=open
socket-packet       EAFNOSUPPORT
socket-vsock        EAFNOSUPPORT
socket-alg          EAFNOSUPPORT
socket-high         EAFNOSUPPORT
socketpair-packet   EAFNOSUPPORT
socket-unix         open
socket-inet         open
socket-inet6        open
socket-netlink      open
socketcall-packet   EAFNOSUPPORT
socketcall-unix     EAFNOSUPPORT
x32                 SIGSYS
int80-getpid        SIGSYS       multiarch=open
int80-unshare       SIGSYS       multiarch=EPERM
EOF
)
# Notes on the table:
# - open_tree_attr (Linux 6.15) is newer than libseccomp 2.5's syscall
#   table: hutch filters it by number on the native ABI only, so on i386 the
#   kernel answers (EPERM: no capability over the mount namespace).
# - socketcall-unix: i386's socketcall() keeps the family in memory the
#   filter cannot read, so socket creation through it is refused outright;
#   32-bit programs must use the direct socket() syscall (glibc does).
# - setns under nested-sandbox reaches the kernel, which refuses to join
#   the namespace we are already in (EINVAL).

# expected CASE TAGS: the expected result of CASE for a run with TAGS.
expected() {
    local name=$1 tags=" $2 " field result=
    local -a fields
    read -r -a fields <<<"$(grep -E "^$name " <<<"$EXPECTED")"
    [ "${#fields[@]}" -gt 0 ] || return 1
    result=${fields[1]}
    for field in "${fields[@]:2}"; do
        if [[ $tags == *" ${field%%=*} "* ]]; then
            result=${field#*=}
        fi
    done
    printf '%s\n' "$result"
}

# check_escape TAGS OUTPUT LIST: every line of OUTPUT ("CASE open", "CASE
# blocked ERRNO", "CASE killed SIGNAL") must match the table, and every case
# of LIST (escape --list) must have run.
check_escape() {
    local tags=$1 output=$2 list=$3 name verdict detail actual want
    while read -r name verdict detail; do
        [ -n "$name" ] || continue
        case $verdict in
            open) actual=open ;;
            *) actual=$detail ;;
        esac
        if ! want=$(expected "$name" "$tags"); then
            assert_eq "an expectation" "none" "case $name is missing from EXPECTED"
            continue
        fi
        assert_match "^($want)\$" "$actual" "$name under [${tags:-default}]"
    done <<<"$output"
    assert_eq "$(wc -l <<<"$list")" "$(wc -l <<<"$output")" "every case ran under [${tags:-default}]"
}

need_escape() {
    [ -x "$ESCAPE_DIR/escape" ] || skip "no $ESCAPE_DIR/escape (build first)"
}

need_escape32() {
    need_escape
    [ -x "$ESCAPE_DIR/escape32" ] || skip "no escape32: the compiler cannot build -m32 -static"
    [ "$(uname -m)" = x86_64 ] || skip "i386 on x86_64 only"
}

# run_escape BINARY TAGS: escape --all inside hutch with the permissions of
# TAGS granted (the i386 tag is not a permission).
run_escape() {
    local bin=$1 tags=$2 tag
    local -a args=(--ro "$ESCAPE_DIR")
    for tag in $tags; do
        [ "$tag" = i386 ] || args+=(--allow "$tag")
    done
    assert_status 0 hutch_run "${args[@]}" -- "$ESCAPE_DIR/$bin" --all || return
    check_escape "$tags" "$(last_stdout)" "$("$ESCAPE_DIR/$bin" --list)"
}

test_every_case_has_an_expectation() {
    need_escape
    local name bin
    for bin in escape escape32; do
        [ -x "$ESCAPE_DIR/$bin" ] || continue
        for name in $("$ESCAPE_DIR/$bin" --list); do
            assert_match "^$name " "$(grep -E "^$name " <<<"$EXPECTED")" "$bin case $name in EXPECTED"
        done
    done
}

test_default_blocks_every_attack() {
    need_escape
    run_escape escape ""
}

test_devel_opens_only_debugging() {
    need_escape
    run_escape escape devel
}

test_nested_sandbox_opens_only_namespaces_and_mounts() {
    need_escape
    run_escape escape nested-sandbox
}

test_multiarch_opens_only_i386_and_ldt() {
    need_escape
    run_escape escape multiarch
}

test_i386_binary_is_killed_without_multiarch() {
    need_escape32
    # Its first syscall comes from a foreign architecture: SIGSYS, 128+31.
    assert_status 159 hutch_run --ro "$ESCAPE_DIR" -- "$ESCAPE_DIR/escape32" --all
    assert_eq "" "$(last_stdout)" "no attack got to run"
}

test_i386_attacks_blocked_with_multiarch() {
    need_escape32
    run_escape escape32 "i386 multiarch"
}

test_i386_devel_opens_the_same_as_native() {
    need_escape32
    run_escape escape32 "i386 multiarch devel"
}

test_i386_nested_sandbox_opens_the_same_as_native() {
    need_escape32
    run_escape escape32 "i386 multiarch nested-sandbox"
}

# The edges of the ranges the filter cuts the socket families and personas
# into (every value compared on its low 32 bits).
test_argument_rule_boundaries() {
    need_escape
    local -a cases=() want=() v
    for v in 1 2 10 16; do
        cases+=("family=$v") want+=("family=$v open")
    done
    for v in 0 3 9 11 15 17 18 31 32 255 0x7fffffff 0x80000000 0xffffffff; do
        cases+=("family=$v") want+=("family=$v blocked EAFNOSUPPORT")
    done
    for v in 0 8 0xffffffff; do
        cases+=("persona=$v") want+=("persona=$v open")
    done
    for v in 1 7 9 16 0x0040000 0x7fffffff 0x80000000 0xfffffffe; do
        cases+=("persona=$v") want+=("persona=$v blocked EPERM")
    done
    if [ "$(getconf LONG_BIT)" = 64 ]; then
        cases+=(family=0x100000002 persona=0x100000008)
        want+=("family=0x100000002 open" "persona=0x100000008 open")
    fi
    assert_status 0 hutch_run --ro "$ESCAPE_DIR" -- "$ESCAPE_DIR/escape" "${cases[@]}"
    assert_eq "$(printf '%s\n' "${want[@]}")" "$(last_stdout)"
}

test_no_seccomp_really_turns_the_filter_off() {
    need_escape
    # The control: the cases the suite relies on the filter for do reach
    # the kernel without it, so the suite is not passing by accident.
    assert_status 0 hutch_run --no-seccomp --ro "$ESCAPE_DIR" -- \
        "$ESCAPE_DIR/escape" tiocsti unshare-user io_uring personality x32
    assert_eq "tiocsti blocked ENOTTY
unshare-user open
io_uring open
personality open
x32 blocked ENOSYS" "$(last_stdout)"
}

# ---- the filter alone, where the kernel would allow the call ---------------
#
# An unprivileged process in hutch gets EPERM for mount, bpf, kexec, module
# loading, syslog, acct and the rest from the kernel too (no capabilities,
# unprivileged_bpf_disabled, dmesg_restrict), so the default column alone
# would pass with those filter rules removed. These controls run the attack
# program where the kernel lets each call past its privilege check, once
# without the filter and once under it (seccomp-harness compiles and loads
# it as hutch does), and say which rows the filter alone changes.

# What the kernel answers without the filter, past the privilege check:
#   NAME RESULT ("a|b" as in EXPECTED; ENOSYS: a kernel built without the
#   call, whose filter still answers EPERM, so the row still changes).
KERNEL_ALLOWS=$(
    cat <<'EOF'
mount               open
umount2             open
pivot_root          open
chroot              open
bpf                 open
kexec_load          EINVAL|ENOSYS
kexec_file_load     EBADF|ENOSYS
init_module         ENOEXEC|ENOSYS
finit_module        EBADF|ENOSYS
delete_module       ENOENT|ENOSYS
open_by_handle_at   open
syslog              open
acct                ENOENT
EOF
)
# Rows the filter may leave as the kernel has them: those open by default,
# and socket-alg, which a kernel without AF_ALG refuses the filter's way.
FILTER_MAY_MATCH_KERNEL="socket-alg"

# result_of CASE OUTPUT: the result ("open", or the errno/signal) of CASE in
# escape's OUTPUT.
result_of() {
    awk -v c="$1" '$1 == c { print ($2 == "open" ? "open" : $3) }' <<<"$2"
}

# harness_escape [HARNESS-OPTION...] -- CASE...: escape under the filter
# harness as root, in a mount namespace of its own (a case the filter let
# through must not mount on the host), stdin not a terminal.
harness_escape() {
    local -a opts=()
    while [ "$1" != -- ]; do opts+=("$1"); shift; done
    shift
    unshare -m --propagation private "$ESCAPE_DIR/seccomp-harness" "${opts[@]}" -- \
        "$ESCAPE_DIR/escape" "$@" </dev/null
}

test_filter_alone_refuses_what_the_kernel_allows_root() {
    need_root
    need_escape
    [ -x "$ESCAPE_DIR/seccomp-harness" ] || { fail "no $ESCAPE_DIR/seccomp-harness"; return; }
    local kernel filtered name want got changed=0
    kernel=$(harness_escape --no-seccomp -- --all) || { fail "escape --all without the filter"; return; }
    filtered=$(harness_escape -- --all) || { fail "escape --all under the filter"; return; }
    # Under the filter, root gets what the sandbox's default column says.
    check_escape "" "$filtered" "$("$ESCAPE_DIR/escape" --list)"
    # Without it, the kernel lets each of these past its privilege check.
    while read -r name want; do
        assert_match "^($want)\$" "$(result_of "$name" "$kernel")" "$name as root without the filter"
        assert_eq EPERM "$(result_of "$name" "$filtered")" "$name as root under the filter"
    done <<<"$KERNEL_ALLOWS"
    # Every row the filter does not change is one it means to leave open.
    while read -r name _; do
        got=$(result_of "$name" "$filtered")
        if [ "$got" != "$(result_of "$name" "$kernel")" ]; then
            changed=$((changed + 1))
        elif [[ " $FILTER_MAY_MATCH_KERNEL " != *" $name "* ]]; then
            assert_eq open "$(expected "$name" "")" \
                "$name: the filter leaves root the kernel's answer ($got), so its default column must be open"
        fi
    done <<<"$filtered"
    assert_ne 0 "$changed" "rows the filter alone changes"
}

# The same without root: in a user namespace of its own (unshare -Urm) the
# process holds the capabilities over its mounts that hutch's filter must
# still refuse.
test_filter_alone_refuses_mounts_in_an_own_user_namespace() {
    need_escape
    need_cmd unshare
    [ -x "$ESCAPE_DIR/seccomp-harness" ] || { fail "no $ESCAPE_DIR/seccomp-harness"; return; }
    local rows=(mount umount2 pivot_root chroot) name
    assert_status 0 as_user unshare -Urm "$ESCAPE_DIR/seccomp-harness" --no-seccomp -- \
        "$ESCAPE_DIR/escape" "${rows[@]}"
    local kernel
    kernel=$(last_stdout)
    assert_status 0 as_user unshare -Urm "$ESCAPE_DIR/seccomp-harness" -- "$ESCAPE_DIR/escape" "${rows[@]}"
    for name in "${rows[@]}"; do
        assert_eq open "$(result_of "$name" "$kernel")" "$name in the user namespace without the filter"
        assert_eq EPERM "$(result_of "$name" "$(last_stdout)")" "$name in the user namespace under the filter"
    done
}

test_dry_run_describes_the_filter() {
    assert_status 0 hutch_run --dry-run -- true
    local out
    out=$(last_stdout)
    assert_match "seccomp +EPERM: syslog uselib acct " "$out"
    assert_match "seccomp +ENOSYS: clone3 open_tree " "$out"
    assert_contains "$out" "EAFNOSUPPORT: socket() socketpair() families other than AF_UNIX AF_INET AF_INET6 AF_NETLINK"
    if [ "$(uname -m)" = x86_64 ]; then
        assert_contains "$out" "KILL: x32 ABI"
        assert_contains "$out" "arch: x86_64 (i386 refused: grant multiarch)"
        assert_status 0 hutch_run --dry-run --allow multiarch -- true
        assert_contains "$(last_stdout)" "arch: x86_64 i386 (multiarch)"
    fi
    assert_status 0 hutch_run --dry-run --allow devel -- true
    assert_match "allowed by devel: ptrace " "$(last_stdout)"
    assert_status 0 hutch_run --dry-run --no-seccomp -- true
    assert_contains "$(last_stdout)" "seccomp    off"
}

# What nested-sandbox is for: bubblewrap inside hutch, with its own /proc
# (hutch leaves /proc/sys un-overmounted under nested-sandbox so the kernel
# allows a new procfs).
test_bubblewrap_runs_inside_with_nested_sandbox() {
    need_cmd bwrap
    # shellcheck disable=SC2016  # expanded inside the nested sandbox
    local -a inner=(bwrap --ro-bind /usr /usr --symlink usr/lib /lib --symlink usr/lib64 /lib64
        --symlink usr/bin /bin --proc /proc --dev /dev --unshare-all --die-with-parent
        -- sh -c 'echo inner $(id -u) $$')
    assert_status 0 hutch_run --allow nested-sandbox -- "${inner[@]}"
    assert_eq "inner $(as_user id -u) 2" "$(last_stdout)" "own pid namespace: bwrap is 1, sh is 2"
    assert_status 1 hutch_run -- "${inner[@]}"
    assert_contains "$(last_stderr)" "bwrap: No permissions to create new namespace"
}

# ---- the terminal ---------------------------------------------------------

# A shell under a pseudo-terminal, as a user at a terminal would run it.
test_interactive_shell_keeps_job_control_and_tiocsti_stays_blocked() {
    need_escape
    need_cmd python3 bash
    local script
    script="set -m; sleep 0.1 & fg >/dev/null; echo fg=\$?; $ESCAPE_DIR/escape tiocsti"
    assert_status 0 as_user python3 "$REPO/tests/escape/pty-run.py" \
        "$HUTCH" run --ro "$ESCAPE_DIR" -- bash --norc --noprofile -i -c "$script"
    local out
    out=$(last_stdout | tr -d '\r')
    assert_not_contains "$out" "no job control"
    assert_contains "$out" "fg=0"
    assert_contains "$out" "tiocsti blocked EPERM"
}

# The attack of finding 1 (issue 13): a process of the sandbox opens the
# terminal of a command entered with `hutch enter`, keeps it after enter
# returns, and reads what the user types next at the host shell.
SPY='while [ ! -s /tmp/entered ]; do sleep 0.05; done
pid=$(cat /tmp/entered)
exec 3</proc/$pid/fd/0 && echo opened >/tmp/spy-opened
while [ -d /proc/$pid ]; do sleep 0.05; done
timeout 4 cat <&3 >/tmp/captured
echo done >/tmp/spy-done'

test_entered_command_does_not_hand_its_terminal_to_the_sandbox() {
    need_cmd python3
    local pty_run=$REPO/tests/escape/pty-run.py name=spy$$
    # The control: the same spy against a process on the host's terminal
    # reads the password typed after that process ended.
    local dir=$T/host
    as_user mkdir -p "$dir"
    as_user sh -c "cd '$dir' && ${SPY//\/tmp\//./}" &
    local host_spy=$!
    as_user python3 "$pty_run" --after-exit 'hunter2\n' -- \
        sh -c "echo \$\$ >'$dir/entered'; sleep 1" >/dev/null
    wait "$host_spy"
    assert_eq hunter2 "$(tr -d '\r' <"$dir/captured" 2>/dev/null)" "the control: the spy reads the host terminal"
    # In hutch: the entered command's terminal is its own pseudo-terminal.
    as_user "$HUTCH" run --detach --name "$name" -- sh -c "$SPY; exec sleep 60" >/dev/null ||
        { assert_eq 0 1 "the sandbox started"; return; }
    assert_status 0 as_user python3 "$pty_run" --after-exit 'hunter2\n' -- \
        "$HUTCH" enter "$name" -- sh -c 'echo $$ >/tmp/entered; sleep 1'
    wait_for as_user "$HUTCH" enter "$name" -- test -e /tmp/spy-done
    assert_status 0 as_user "$HUTCH" enter "$name" -- sh -c 'cat /tmp/spy-opened; cat /tmp/captured'
    as_user "$HUTCH" stop "$name" >/dev/null 2>&1
    assert_eq opened "$(last_stdout)" "the spy opened the entered command's terminal, and read nothing"
}

# Finding 8 (issue 13): ptrace is refused, /proc/PID/mem is not. Within one
# sandbox a process writes another's memory; docs/seccomp.md says so rather
# than implying the ptrace refusal isolates them. Another sandbox cannot.
MEM_POKE='
import ctypes, os, sys, time
secret = bytearray(b"SECRET-OF-THE-PARENT")
addr = ctypes.addressof((ctypes.c_char * len(secret)).from_buffer(secret))
r, w = os.pipe()
if os.fork() == 0:
    try:
        with open("/proc/%d/mem" % os.getppid(), "r+b", buffering=0) as mem:
            mem.seek(addr)
            print("child read", mem.read(len(secret)).decode(), flush=True)
            mem.seek(addr)
            mem.write(b"WRITTEN-BY-A-SIBLING")
    except OSError as e:
        print("child refused", e.errno, flush=True)
    os.write(w, b"x")
    os._exit(0)
os.read(r, 1)
os.wait()
print("parent has", secret.decode())
'

test_processes_of_one_sandbox_reach_each_others_memory() {
    need_escape
    need_cmd python3
    assert_status 0 hutch_run --ro "$ESCAPE_DIR" -- sh -c "'$ESCAPE_DIR/escape' ptrace; python3 -c '$MEM_POKE'"
    assert_eq "ptrace blocked EPERM
child read SECRET-OF-THE-PARENT
parent has WRITTEN-BY-A-SIBLING" "$(last_stdout)" "ptrace refused, /proc/PID/mem open"
    assert_contains "$(cat "$REPO/docs/seccomp.md")" "Processes of one sandbox are not isolated from each other"
    assert_contains "$(cat "$REPO/docs/seccomp.md")" "\`/proc/PID/mem\` of any other and read or write its memory"
    # Another sandbox does not even see the pid.
    local name=mem$$
    as_user "$HUTCH" run --detach --name "$name" -- sleep 30 >/dev/null || { assert_eq 0 1 started; return; }
    local pid
    pid=$(as_user "$HUTCH" info --json "$name" | python3 -c 'import json, sys; print(json.load(sys.stdin)["pid"])')
    assert_status 0 hutch_run -- sh -c "cat /proc/$pid/mem 2>&1 | head -1"
    as_user "$HUTCH" stop "$name" >/dev/null 2>&1
    assert_contains "$(last_stdout)" "No such file or directory"
}

# ---- the host -------------------------------------------------------------

test_host_tmp_and_home_secrets_are_hidden() {
    need_escape
    local home secret=/tmp/hutch-escape-secret.$$
    # shellcheck disable=SC2016  # the test user's $HOME
    home=$(as_user sh -c 'echo $HOME')
    as_user sh -c "echo host-tmp-secret >$secret"
    # shellcheck disable=SC2016
    as_user sh -c 'mkdir -p "$HOME/.hutch-escape" && echo host-home-secret >"$HOME/.hutch-escape/key"'
    # The control: outside, the same user reads both.
    assert_status 0 as_user "$ESCAPE_DIR/escape" "read=$secret" "read=$home/.hutch-escape/key"
    assert_eq "read=$secret open
read=$home/.hutch-escape/key open" "$(last_stdout)" "the secrets are readable outside"
    assert_status 0 hutch_run --ro "$ESCAPE_DIR" -- "$ESCAPE_DIR/escape" \
        "read=$secret" "read=$home/.hutch-escape/key"
    assert_eq "read=$secret blocked ENOENT
read=$home/.hutch-escape/key blocked ENOENT" "$(last_stdout)"
    rm -f "$secret"
    as_user rm -rf "$home/.hutch-escape"
}

test_host_process_is_unreachable() {
    need_escape
    as_user sleep 30 &
    local waiter=$! host_pid
    sleep 0.2
    host_pid=$(pgrep -u "$TEST_USER" -n -x sleep)
    # The control: the same user reaches it from outside.
    assert_status 0 as_user "$ESCAPE_DIR/escape" "kill=$host_pid"
    assert_eq "kill=$host_pid open" "$(last_stdout)" "the host process is there to be reached"
    assert_status 0 hutch_run --ro "$ESCAPE_DIR" -- "$ESCAPE_DIR/escape" "kill=$host_pid"
    assert_eq "kill=$host_pid blocked ESRCH" "$(last_stdout)"
    kill "$host_pid" 2>/dev/null
    reap "$waiter"
}

# listen KIND: a host service as the test user; prints its address (a TCP
# port on 127.0.0.1, or an abstract unix socket name) once it listens.
listen() {
    local fifo=$T/listen.$1
    mkfifo "$fifo"
    chmod 0666 "$fifo"
    as_user python3 -c '
import socket, sys, time
kind, fifo = sys.argv[1], sys.argv[2]
if kind == "tcp":
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    addr = str(s.getsockname()[1])
else:
    s = socket.socket(socket.AF_UNIX)
    addr = "hutch-escape-%d" % time.time_ns()
    s.bind("\0" + addr)
s.listen(8)
with open(fifo, "w") as f:
    f.write(addr + "\n")
time.sleep(30)
' "$1" "$fifo" &
    LISTENER=$!
    read -r ADDR <"$fifo"
}

teardown() {
    if [ -n "${LISTENER:-}" ]; then
        pkill -P "$LISTENER" 2>/dev/null
        kill "$LISTENER" 2>/dev/null
    fi
}

test_host_loopback_service_is_unreachable() {
    need_escape
    need_cmd python3
    listen tcp
    assert_status 0 hutch_run --ro "$ESCAPE_DIR" -- "$ESCAPE_DIR/escape" "tcp=$ADDR"
    assert_eq "tcp=$ADDR blocked ECONNREFUSED" "$(last_stdout)"
    # The control: with the host network the same service answers.
    assert_status 0 hutch_run --net host --ro "$ESCAPE_DIR" -- "$ESCAPE_DIR/escape" "tcp=$ADDR"
    assert_eq "tcp=$ADDR open" "$(last_stdout)"
}

test_host_abstract_socket_is_unreachable() {
    need_escape
    need_cmd python3
    listen abstract
    assert_status 0 hutch_run --ro "$ESCAPE_DIR" -- "$ESCAPE_DIR/escape" "abstract=$ADDR"
    assert_eq "abstract=$ADDR blocked ECONNREFUSED" "$(last_stdout)"
    assert_status 0 hutch_run --net host --ro "$ESCAPE_DIR" -- "$ESCAPE_DIR/escape" "abstract=$ADDR"
    assert_eq "abstract=$ADDR open" "$(last_stdout)"
}

# Opened for writing only, never written. The files' modes refuse the test
# user anyway; root (uid 0 inside, as outside) passes them, so as root only
# hutch's read-only /proc binds stand in the way.
test_sysrq_trigger_and_proc_sys_are_not_writable() {
    need_root
    need_escape
    assert_status 0 hutch_run --ro "$ESCAPE_DIR" -- "$ESCAPE_DIR/escape" sysrq proc-sys
    assert_match "^sysrq blocked (ENOENT|EACCES|EROFS)
proc-sys blocked (EACCES|EROFS)$" "$(last_stdout)"
    # The control: outside, root opens them (sysrq-trigger: where the kernel
    # has SysRq).
    assert_status 0 "$ESCAPE_DIR/escape" sysrq proc-sys
    assert_match "^sysrq (open|blocked ENOENT)
proc-sys open$" "$(last_stdout)" "root opens them for writing outside"
    assert_status 0 "$HUTCH" run --ro "$ESCAPE_DIR" -- "$ESCAPE_DIR/escape" sysrq proc-sys
    assert_match "^sysrq blocked (ENOENT|EROFS)
proc-sys blocked EROFS$" "$(last_stdout)" "root inside hutch"
}

test_inherited_fds_are_closed() {
    need_escape
    assert_status 0 as_user bash -c "exec 7</etc/hostname; '$HUTCH' run --ro '$ESCAPE_DIR' -- '$ESCAPE_DIR/escape' fd=7"
    assert_eq "fd=7 blocked EBADF" "$(last_stdout)"
    assert_status 0 as_user bash -c "exec 7</etc/hostname; '$HUTCH' run --pass-fd 7 --ro '$ESCAPE_DIR' -- '$ESCAPE_DIR/escape' fd=7"
    assert_eq "fd=7 open" "$(last_stdout)"
}

test_command_named_like_an_option_runs_as_a_command() {
    assert_status 127 hutch_run -- --bind / /tmp true
    assert_contains "$(last_stderr)" "--bind: command not found"
}

# ---- symlinks in granted paths ----------------------------------------------

# A symlink inside a granted directory resolves inside the sandbox, where
# what it points at is not there.
test_symlink_inside_a_grant_does_not_lead_out() {
    need_escape
    as_user mkdir -p "$T/granted" "$T/secret"
    as_user sh -c "echo secret >'$T/secret/file'"
    as_user ln -s "$T/secret" "$T/granted/link"
    # The control: on the host the link leads to the secret.
    assert_status 0 as_user "$ESCAPE_DIR/escape" "read=$T/granted/link/file"
    assert_eq "read=$T/granted/link/file open" "$(last_stdout)" "the link's target is readable outside"
    assert_status 0 hutch_run --ro "$ESCAPE_DIR" --rw "$T/granted" -- \
        "$ESCAPE_DIR/escape" "read=$T/granted/link/file" "read=$T/secret/file"
    assert_eq "read=$T/granted/link/file blocked ENOENT
read=$T/secret/file blocked ENOENT" "$(last_stdout)"
}

# The swap: an app with a writable grant replaces a directory inside it by a
# symlink to anything the user can read; a later launch that grants that
# inner directory must not hand the symlink's target to the app.
test_symlink_swapped_into_a_writable_grant_is_not_followed() {
    need_escape
    as_user mkdir -p "$T/work/docs" "$T/secret"
    as_user sh -c "echo secret >'$T/secret/file'"
    # What the app does from inside, through its --rw grant:
    assert_status 0 hutch_run --rw "$T/work" -- sh -c "rm -r '$T/work/docs' && ln -s '$T/secret' '$T/work/docs'"
    # The control: on the host the swapped name now leads to the secret.
    assert_status 0 as_user "$ESCAPE_DIR/escape" "read=$T/work/docs/file"
    assert_eq "read=$T/work/docs/file open" "$(last_stdout)" "the swapped link reaches the secret outside"
    # The next launch grants the inner directory by its usual name.
    local rc=0
    hutch_run --ro "$ESCAPE_DIR" --rw "$T/work" --ro "$T/work/docs" -- \
        "$ESCAPE_DIR/escape" "read=$T/work/docs/file" "read=$T/secret/file" >"$T/out" 2>"$T/err" || rc=$?
    # Refusing to start (one line naming the grant) is fine; starting with
    # the secret visible is not, and a crash is no refusal.
    assert_not_contains "$(cat "$T/out")" " open" "secret reached through the swapped symlink: $(cat "$T/out" "$T/err")"
    expect_refusal_or "$rc" "$T/work/docs" "read=$T/work/docs/file blocked ENOENT
read=$T/secret/file blocked ENOENT"
}

# expect_refusal_or STATUS PATH OUTPUT: hutch either refused to start (a
# usage or launch error, 2 or 125, in one line naming PATH, read from
# $T/err) or ran the app (0) and the app printed OUTPUT ($T/out).  Any other
# status (a crash, a sanitizer's abort) fails.
expect_refusal_or() {
    case $1 in
        0) assert_eq "$3" "$(cat "$T/out")" "started: the app's output" ;;
        2 | 125)
            assert_contains "$(cat "$T/err")" "$2" "refused, naming the path"
            assert_eq 1 "$(wc -l <"$T/err")" "one line: $(cat "$T/err")"
            ;;
        *) fail "hutch exited $1, neither a start nor a refusal: $(_oneline "$(cat "$T/err")")" ;;
    esac
}

test_symlink_swapped_onto_a_mount_point_is_not_followed() {
    need_escape
    as_user mkdir -p "$T/work"
    as_user ln -s /etc "$T/work/cache"
    # --tmpfs on a path the app turned into a symlink must not mount over
    # the symlink's target; refusing to start is fine.
    local rc=0
    hutch_run --rw "$T/work" --tmpfs "$T/work/cache" -- cat /etc/hostname >"$T/out" 2>"$T/err" || rc=$?
    expect_refusal_or "$rc" "$T/work/cache" "$(cat /etc/hostname)"
}

# ---- profile syscall lists (through the filter-only harness) -----------------

test_raw_allow_and_deny_lists() {
    need_escape
    local h=$ESCAPE_DIR/seccomp-harness
    [ -x "$h" ] || skip "no seccomp-harness"
    assert_status 0 as_user "$h" --allow-syscall ptrace --deny-syscall socket:13 -- \
        "$ESCAPE_DIR/escape" ptrace process_vm_readv socket-unix
    assert_eq "ptrace open
process_vm_readv blocked EPERM
socket-unix blocked EACCES" "$(last_stdout)"
    assert_status 0 "$h" --print --allow-syscall ptrace --deny-syscall socket:13
    assert_contains "$(last_stdout)" "EACCES: socket(harness command line)"
    assert_contains "$(last_stdout)" "allowed by harness command line: ptrace"
}

test_unknown_syscall_in_a_list_names_its_origin() {
    local h=$ESCAPE_DIR/seccomp-harness
    [ -x "$h" ] || skip "no seccomp-harness"
    assert_status 125 "$h" --print --deny-syscall no_such_call
    assert_eq "hutch: harness command line: unknown syscall 'no_such_call' in the deny list" \
        "$(last_stderr)"
    assert_status 125 "$h" --print --allow-syscall ptrace --deny-syscall ptrace
    assert_contains "$(last_stderr)" "is denied here and allowed at"
}

# A launch without raw syscall rules loads a filter compiled at build time;
# it must be the very program libseccomp compiles now, for every
# combination of devel, nested-sandbox and multiarch.
test_build_time_filters_match_a_fresh_compile() {
    local check=$ESCAPE_DIR/precompiled-check
    [ -x "$check" ] || { assert_file_exists "$check" "built with the escape programs"; return; }
    assert_status 0 "$check"
    assert_eq 8 "$(last_stdout | grep -c ' identical$')"
}
