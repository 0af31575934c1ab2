# SPDX-License-Identifier: LGPL-2.1-or-later
# The profile parser and resolver under libFuzzer for 30 seconds: no crash,
# no leak (AddressSanitizer with LeakSanitizer, UBSan), no hang.  The target
# is built by `./dev build --fuzz` (clang) into build-fuzz/; without it the
# test skips.

FUZZ_BIN=${HUTCH_FUZZ_BUILD:-$REPO/build-fuzz}/tests/fuzz/fuzz-profile

test_fuzz_profile_parser_for_30_seconds() {
    [ -x "$FUZZ_BIN" ] || skip "no $FUZZ_BIN (./dev build --fuzz needs clang)"
    mkdir -p "$T/corpus"
    chmod 0777 "$T/corpus"
    # New inputs go to the first directory; the seed corpus stays as it is.
    assert_status 0 as_user env ASAN_OPTIONS=detect_leaks=1 \
        UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        "$FUZZ_BIN" -max_total_time=30 -timeout=5 -rss_limit_mb=1024 -print_final_stats=1 \
        "$T/corpus" "$REPO/tests/fuzz/corpus/profile"
    assert_not_contains "$(last_stderr)" "ERROR: "
    assert_match "stat::number_of_executed_units: *[0-9]{4,}" "$(last_stderr)" "it ran at least 1000 inputs"
}

test_seed_corpus_reproduces_cleanly() {
    [ -x "$FUZZ_BIN" ] || skip "no $FUZZ_BIN (./dev build --fuzz needs clang)"
    assert_status 0 as_user "$FUZZ_BIN" -runs=0 "$REPO/tests/fuzz/corpus/profile"
    assert_contains "$(last_stderr)" "INITED"
}
