#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan) and fuzzes each for a given time.
#   tests/fuzz/run_fuzzers.sh [seconds-per-target] [target ...]
# Defaults: 60 seconds, every target. Environment:
#   TOWERLAB_FUZZ_BUILD_DIR  build folder (default build-fuzz)
#   TOWERLAB_FUZZ_JOBS       targets fuzzed at the same time (default 1; each uses one core)
#   TOWERLAB_FUZZ_MAX_LEN    largest input the fuzzer tries (default 65536)
#   TOWERLAB_FUZZ_RUNS       stop a target after this many executions even before its time
#                            is up (default: no limit), e.g. 1000000
# The growing corpus of each target stays in <build>/fuzz/corpus/<target> between runs;
# crash, leak, timeout and out-of-memory inputs land in <build>/fuzz/artifacts/<target>/.
# Copy those into tests/fuzz/regressions/<target>/ once fixed: the test suite replays them.
# Prints one line per target: executions, executions per second, coverage (cov = edges,
# ft = features), corpus size and findings. Exits 1 when any target found something.
set -euo pipefail
cd "$(dirname "$0")/../.."

seconds="${1:-60}"
shift || true
build="${TOWERLAB_FUZZ_BUILD_DIR:-build-fuzz}"
jobs="${TOWERLAB_FUZZ_JOBS:-1}"
max_len="${TOWERLAB_FUZZ_MAX_LEN:-65536}"
runs="${TOWERLAB_FUZZ_RUNS:--1}"
all_targets=(fuzz_ml100k_genre fuzz_ml100k_user fuzz_ml100k_item fuzz_ml100k_data
    fuzz_ml1m_users fuzz_ml1m_movies fuzz_ml1m_ratings fuzz_mllatest_movies fuzz_mllatest_ratings
    fuzz_dataset_zip fuzz_model_file fuzz_model_file_nocrc fuzz_npy fuzz_lesson
    fuzz_embedding_vectors fuzz_embedding_metadata)
targets=("$@")
if ((${#targets[@]} == 0)); then
    targets=("${all_targets[@]}")
fi

echo "== configuring and building the fuzz targets in $build/"
cmake -S . -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DTOWERLAB_FUZZ=ON -DTOWERLAB_BUILD_TESTS=OFF -DTOWERLAB_BUILD_GUI=OFF >/dev/null
cmake --build "$build" --target fuzzers

work="$build/fuzz"
mkdir -p "$work/seeds" "$work/corpus" "$work/artifacts" "$work/logs"
"$build/tests/fuzz/towerlab_fuzz_seeds" "$work/seeds" tests/fixtures

# ASan's leak check runs at exit and after every input that libFuzzer suspects of leaking.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

fuzz_one() {
    local target="$1"
    local corpus="$work/corpus/$target" artifacts="$work/artifacts/$target/"
    local regressions="tests/fuzz/regressions/$target"
    mkdir -p "$corpus" "$artifacts"
    local dirs=("$corpus" "$work/seeds/$target")
    if [ -d "$regressions" ]; then
        dirs+=("$regressions")
    fi
    "$build/tests/fuzz/$target" -max_total_time="$seconds" -runs="$runs" -timeout=10 -rss_limit_mb=2048 \
        -max_len="$max_len" -print_final_stats=1 -artifact_prefix="$artifacts" \
        "${dirs[@]}" >"$work/logs/$target.log" 2>&1 || true
}

summarise() {
    local target="$1" log="$work/logs/$1.log"
    local execs rate cov ft corpus findings
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    # The last status line ("#N DONE cov: X ft: Y corp: Z/..." or a pulse) holds the totals.
    cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
    ft=$(grep -oE 'ft: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
    corpus=$(find "$work/corpus/$target" -type f | wc -l)
    findings=$(find "$work/artifacts/$target" -type f \
        \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
    printf '%-24s %12s %8s %8s %8s %8s %9s\n' "$target" "${execs:-?}" "${rate:-?}" "${cov:-?}" \
        "${ft:-?}" "$corpus" "$findings"
    [ "$findings" -eq 0 ]
}

echo "== fuzzing ${#targets[@]} target(s) for ${seconds}s each, $jobs at a time"
running=0
for target in "${targets[@]}"; do
    if [ ! -x "$build/tests/fuzz/$target" ]; then
        echo "unknown target: $target (known: ${all_targets[*]})" >&2
        exit 2
    fi
    fuzz_one "$target" &
    running=$((running + 1))
    if ((running >= jobs)); then
        wait -n
        running=$((running - 1))
    fi
done
wait

echo
printf '%-24s %12s %8s %8s %8s %8s %9s\n' target executions exec/s cov ft corpus findings
status=0
for target in "${targets[@]}"; do
    summarise "$target" || status=1
done
if ((status != 0)); then
    echo
    echo "findings are in $work/artifacts/<target>/; logs in $work/logs/"
fi
exit "$status"
