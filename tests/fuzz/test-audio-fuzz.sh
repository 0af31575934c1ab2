# SPDX-License-Identifier: LGPL-2.1-or-later
# The audio relay's framing and filter under libFuzzer for 20 seconds:
# arbitrary app and server bytes; no crash, leak (LeakSanitizer), UBSan
# report or hang, and fuzz-pulse.c's own checks of what passes. Built by
# `./dev build --fuzz` (clang) into build-fuzz/; without it the test skips.
# Once per ./dev test: the fuzz suite is not in the sanitized pass.

FUZZ_BIN=${HUTCH_FUZZ_BUILD:-$REPO/build-fuzz}/tests/fuzz/fuzz-pulse

need_fuzzer() {
    [ -x "$FUZZ_BIN" ] || skip "no $FUZZ_BIN (./dev build --fuzz needs clang)"
}

test_fuzz_audio_filter_for_20_seconds() {
    need_fuzzer
    mkdir -p "$T/corpus"
    chmod 0777 "$T/corpus"
    assert_status 0 as_user env ASAN_OPTIONS=detect_leaks=1 \
        UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        "$FUZZ_BIN" -max_total_time=20 -timeout=5 -rss_limit_mb=1024 -print_final_stats=1 \
        "$T/corpus" "$REPO/tests/fuzz/corpus/pulse"
    assert_not_contains "$(last_stderr)" "ERROR: "
    assert_match "stat::number_of_executed_units: *[0-9]{5,}" "$(last_stderr)" "it ran at least 10000 inputs"
}

test_audio_seed_corpus_reproduces_cleanly() {
    need_fuzzer
    assert_status 0 as_user "$FUZZ_BIN" -runs=0 "$REPO/tests/fuzz/corpus/pulse"
    assert_contains "$(last_stderr)" "INITED"
}
