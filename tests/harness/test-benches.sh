# SPDX-License-Identifier: LGPL-2.1-or-later
# hutch-test-timeout: 240
# The benchmarks (tests/bench/) are not timed tests, but each must still
# run: one that parses hutch's plan or output breaks quietly when that
# changes (bench/desktop's bwrap-same row did, on the /etc masks). Each runs
# once here; a run that fails makes the benchmark exit non-zero. Left out:
# bench/net, whose single run takes two minutes (its servers and pasta).

run_bench() {
    local name=$1
    need_cmd bwrap python3
    assert_status 0 timeout 200 "$REPO/tests/bench/$name" 1
    assert_not_contains "$(last_stdout)" "failed run" "$name: every row ran"
}

test_speed_bench_runs() { run_bench speed; }
test_desktop_bench_runs() { need_cmd Xvfb pulseaudio; run_bench desktop; }
test_x11_bench_runs() { need_cmd Xvfb; run_bench x11; }
test_launch_bench_runs() { run_bench launch; }
test_ls_bench_runs() { run_bench ls; }
test_audio_bench_runs() { need_cmd pulseaudio; run_bench audio; }
test_dbus_bench_runs() { need_cmd dbus-daemon xdg-dbus-proxy; run_bench dbus; }
test_games_bench_runs() { run_bench games; }
test_panel_bench_runs() { run_bench panel; }
test_rootfs_bench_runs() { run_bench rootfs; }
test_seccomp_bench_runs() { run_bench seccomp; }
