#!/usr/bin/env bash
# Budgets at scale (issue 18 part 2): generates MovieLens-shaped data of growing size with
# `towerlab-cli generate` and measures per size the load time, the peak RSS through training,
# one training epoch (time and examples/s), one evaluation over the seeded sample of 20,000
# test queries and the latency of one top-50 query over the whole catalogue; then prints every
# figure against its budget (PASS/OVER, the budgets are for 25M-sized data) and how each cost
# grows from size to size. Run by hand, niced; see bench/README.md.
set -euo pipefail

usage() {
    cat <<'EOF'
usage: bench/scale_budgets.sh [options]
  --build DIR     TowerLab build folder holding app/towerlab-cli and bench/bench_query_latency
                  (build it: cmake --build DIR --target towerlab-cli bench_query_latency)
                  (default: build in the repository root)
  --work DIR      where the generated data and models go (default: a new folder under /tmp);
                  deleted at the end unless --keep is given
  --sizes LIST    comma-separated, from 100k, 1m, 10m, 20m, 25m (default: 100k,1m,10m,25m)
  --seed S        seed of the generated data and of the training run (default 1)
  --eval-queries N  test queries of the evaluation (default 20000, the budget's)
  --queries N     top-50 queries timed one by one (default 2000)
  --threads N     training and evaluation threads, 0 = all cores (default 0)
  --keep          keep the generated data and the models
  --nice N        run every step under nice -n N (default 10: the machine may be shared)
  -h, --help      this text
EOF
}

die() {
    echo "scale_budgets: $*" >&2
    exit 2
}

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="$REPO_ROOT/build"
WORK=""
SIZES="100k,1m,10m,25m"
SEED=1
EVAL_QUERIES=20000
QUERIES=2000
THREADS=0
KEEP=0
NICE=10

need_value() {
    [[ $# -ge 2 && -n "$2" ]] || die "option $1 needs a value"
}

while [[ $# -gt 0 ]]; do
    case "$1" in
        --build) need_value "$@"; BUILD="$2"; shift 2 ;;
        --work) need_value "$@"; WORK="$2"; shift 2 ;;
        --sizes) need_value "$@"; SIZES="$2"; shift 2 ;;
        --seed) need_value "$@"; SEED="$2"; shift 2 ;;
        --eval-queries) need_value "$@"; EVAL_QUERIES="$2"; shift 2 ;;
        --queries) need_value "$@"; QUERIES="$2"; shift 2 ;;
        --threads) need_value "$@"; THREADS="$2"; shift 2 ;;
        --keep) KEEP=1; shift ;;
        --nice) need_value "$@"; NICE="$2"; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) die "unknown option $1 (see --help)" ;;
    esac
done

CLI="$BUILD/app/towerlab-cli"
LATENCY="$BUILD/bench/bench_query_latency"
[[ -x "$CLI" ]] || die "no $CLI: build towerlab-cli first (or pass --build)"
[[ -x "$LATENCY" ]] || die "no $LATENCY: cmake --build $BUILD --target bench_query_latency"
[[ -x /usr/bin/time ]] || die "/usr/bin/time is missing (apt-get install time)"
if [[ -z "$WORK" ]]; then
    WORK="$(mktemp -d /tmp/towerlab-budgets-XXXXXX)"
fi
mkdir -p "$WORK"
cleanup() {
    if [[ $KEEP -eq 0 ]]; then
        rm -rf "$WORK"/gen-* "$WORK"/model-*.tlm
    fi
}
trap cleanup EXIT

# Shapes: users, movies, ratings (as MovieLens has them, rounded), as in scale_data.sh.
shape() {
    case "$1" in
        100k) echo "943 1682 100000" ;;
        1m) echo "6040 3706 1000000" ;;
        10m) echo "69878 10681 10000000" ;;
        20m) echo "138493 27278 20000000" ;;
        25m) echo "162000 62000 25000000" ;;
        *) die "unknown size $1 (100k, 1m, 10m, 20m, 25m)" ;;
    esac
}

# Runs a command under /usr/bin/time; prints "<seconds> <peak RSS kB>" on stdout.
measure() {
    local log="$1"
    shift
    /usr/bin/time -f '%e %M' -o "$log.time" nice -n "$NICE" "$@" >"$log" 2>"$log.err" ||
        { cat "$log.err" >&2; die "failed: $*"; }
    cat "$log.time"
}

json_value() {
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval("d"+sys.argv[2]))' "$1" "$2"
}

load_now() { cut -d' ' -f1-3 /proc/loadavg; }

echo "towerlab-cli: $("$CLI" --version)"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GB", $2/1e6}' /proc/meminfo); load now: $(load_now); nice $NICE"
echo "work folder: $WORK"
echo "per size: generate; info --data (load); train --epochs 1 --eval-every 0 --eval-queries $EVAL_QUERIES"
echo "(one epoch, then one evaluation) under /usr/bin/time (peak RSS); bench_query_latency (top-50)"
echo
NAMES=()
declare -A LOAD RSS EPOCH EPS EVAL EVALN P50 P99 TRAINN LOADAVG
IFS=',' read -ra SIZE_LIST <<<"$SIZES"
for size in "${SIZE_LIST[@]}"; do
    read -r users movies ratings <<<"$(shape "$size")"
    out="$WORK/gen-$size"
    model="$WORK/model-$size.tlm"
    rm -rf "$out"
    measure "$WORK/generate-$size.log" "$CLI" generate --users "$users" --movies "$movies" \
        --ratings "$ratings" --seed "$SEED" --out "$out" -q >/dev/null
    measure "$WORK/info-$size.log" "$CLI" info --data "$out" --json "$WORK/info-$size.json" -q \
        >/dev/null
    LOAD[$size]=$(json_value "$WORK/info-$size.json" '["load_seconds"]')
    read -r _ train_kb <<<"$(measure "$WORK/train-$size.log" "$CLI" train --data "$out" \
        --epochs 1 --eval-every 0 --eval-queries "$EVAL_QUERIES" --seed "$SEED" \
        --threads "$THREADS" --out "$model" --json "$WORK/train-$size.json" -q)"
    RSS[$size]=$train_kb
    EPOCH[$size]=$(json_value "$WORK/train-$size.json" '["history"][0]["seconds"]')
    EPS[$size]=$(json_value "$WORK/train-$size.json" '["history"][0]["examples_per_second"]')
    EVAL[$size]=$(json_value "$WORK/train-$size.json" '["eval_seconds"]')
    EVALN[$size]=$(json_value "$WORK/train-$size.json" '["dataset"]["evaluated_test_examples"]')
    TRAINN[$size]=$(json_value "$WORK/train-$size.json" '["dataset"]["train_examples"]')
    nice -n "$NICE" "$LATENCY" --model "$model" --data "$out" --queries "$QUERIES" --k 50 \
        >"$WORK/latency-$size.log"
    read -r _ p50 _ p99 _ <<<"$(grep '^median_ms' "$WORK/latency-$size.log")"
    P50[$size]=$p50
    P99[$size]=$p99
    LOADAVG[$size]=$(load_now)
    NAMES+=("$size")
    printf '%s: load %.2f s, peak RSS %.0f MB, epoch %.1f s (%.0f examples/s over %d), evaluation %.2f s (%d queries), top-50 median %.3f ms p99 %.3f ms; load average %s\n' \
        "$size" "${LOAD[$size]}" "$(awk -v k="$train_kb" 'BEGIN {print k/1e3}')" "${EPOCH[$size]}" \
        "${EPS[$size]}" "${TRAINN[$size]}" "${EVAL[$size]}" "${EVALN[$size]}" "$p50" "$p99" \
        "${LOADAVG[$size]}"
    if [[ $KEEP -eq 0 ]]; then
        rm -rf "$out" "$model"
    fi
done

verdict() { # value budget direction(le|ge)
    awk -v v="$1" -v b="$2" -v d="$3" 'BEGIN { ok = (d == "le") ? v <= b : v >= b; print ok ? "PASS" : "OVER" }'
}

echo
echo "Budgets (issue 18, for 25M-sized data); each size measured against them:"
echo
echo "| size | load ≤ 30 s | peak RSS through training ≤ 2.5 GB | one epoch ≤ 60 s | examples/s ≥ 330,000 | evaluation, 20k sampled queries ≤ 5 s | top-50 query ≤ 1 ms (median; p99) | load average |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
for size in "${NAMES[@]}"; do
    printf '| %s | %.2f s %s | %.0f MB %s | %.1f s %s | %.0f %s | %.2f s (%d queries) %s | %.3f ms; %.3f ms %s | %s |\n' \
        "$size" "${LOAD[$size]}" "$(verdict "${LOAD[$size]}" 30 le)" \
        "$(awk -v k="${RSS[$size]}" 'BEGIN {print k/1e3}')" "$(verdict "${RSS[$size]}" 2500000 le)" \
        "${EPOCH[$size]}" "$(verdict "${EPOCH[$size]}" 60 le)" \
        "${EPS[$size]}" "$(verdict "${EPS[$size]}" 330000 ge)" \
        "${EVAL[$size]}" "${EVALN[$size]}" "$(verdict "${EVAL[$size]}" 5 le)" \
        "${P50[$size]}" "${P99[$size]}" "$(verdict "${P50[$size]}" 1 le)" "${LOADAVG[$size]}"
done

if [[ ${#NAMES[@]} -gt 1 ]]; then
    echo
    echo "Growth from size to size (each figure divided by the previous size's):"
    echo
    echo "| from → to | ratings | load | peak RSS | epoch | evaluation | top-50 median |"
    echo "| --- | --- | --- | --- | --- | --- | --- |"
    prev=""
    for size in "${NAMES[@]}"; do
        if [[ -n "$prev" ]]; then
            read -r _ _ r1 <<<"$(shape "$prev")"
            read -r _ _ r2 <<<"$(shape "$size")"
            awk -v a="$prev" -v b="$size" -v r1="$r1" -v r2="$r2" \
                -v l1="${LOAD[$prev]}" -v l2="${LOAD[$size]}" -v m1="${RSS[$prev]}" -v m2="${RSS[$size]}" \
                -v e1="${EPOCH[$prev]}" -v e2="${EPOCH[$size]}" -v v1="${EVAL[$prev]}" -v v2="${EVAL[$size]}" \
                -v q1="${P50[$prev]}" -v q2="${P50[$size]}" 'function x(p, q) { return p > 0 ? sprintf("×%.1f", q / p) : "n/a" }
                BEGIN { printf "| %s → %s | %s | %s | %s | %s | %s | %s |\n", a, b, x(r1, r2), x(l1, l2), x(m1, m2), x(e1, e2), x(v1, v2), x(q1, q2) }'
        fi
        prev="$size"
    done
fi
