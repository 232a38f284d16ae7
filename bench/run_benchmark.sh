#!/usr/bin/env bash
# Times TowerLab's CLI and the PyTorch peer (bench/peer/towerlab_peer.py) back to back on the
# same data, seeds and machine, and prints one comparison table. See bench/README.md.
set -euo pipefail

usage() {
    cat <<'EOF'
usage: bench/run_benchmark.sh [options]
  --data DIR            MovieLens 100K folder (default: $TOWERLAB_ML100K, else
                        ../shared/datasets/ml-100k beside the repository)
  --reps N              runs of each implementation, seeds SEED..SEED+N-1 (default 3)
  --layers L            dense layer sizes, 32 or 64,32 (default 32)
  --epochs E            epochs per run (default 50)
  --build DIR           TowerLab build folder (default: build in the repository root; the
                        build users and the .deb get, its engine chosen at run time)
  --native-build DIR    also run the CLI of a -march=native build (cmake --preset native;
                        build-native) and print its speed against --build's
  --seed S              first seed (default 1)
  --threads T           threads of both implementations (default: number of cores)
  --peer-coretype NAME  OPENBLAS_CORETYPE of the tuned peer (default: SkylakeX on a CPU with
                        AVX-512, Haswell with AVX2, else OpenBLAS's own choice)
  --with-default-peer   also run the peer with Debian's OpenBLAS defaults, once per rep
  --with-bf16           also run TowerLab with --logits bf16 (AMX tiles for the loss's three
                        products where the CPU has AMX, else AVX-512 BF16 dot products for the
                        logits), once per rep, and compare it with the peer too
  --no-peer             run TowerLab only
  --out DIR             keep every run's JSON, log and resource file here (default: a new
                        folder under /tmp, printed at the end)
  -h, --help            this text
EOF
}

die() {
    echo "run_benchmark: $*" >&2
    exit 2
}

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${TOWERLAB_PEER_PYTHON:-/usr/bin/python3}"
PEER="$REPO_ROOT/bench/peer/towerlab_peer.py"

DATA="${TOWERLAB_ML100K:-$REPO_ROOT/../shared/datasets/ml-100k}"
REPS=3
LAYERS=32
EPOCHS=50
BUILD="$REPO_ROOT/build"
NATIVE_BUILD=""
SEED=1
THREADS="$(nproc)"
CORETYPE=""
WITH_DEFAULT_PEER=0
WITH_BF16=0
WITH_PEER=1
OUT=""

need_value() {
    [[ $# -ge 2 && -n "$2" ]] || die "option $1 needs a value"
}

while [[ $# -gt 0 ]]; do
    case "$1" in
        --data) need_value "$@"; DATA="$2"; shift 2 ;;
        --reps) need_value "$@"; REPS="$2"; shift 2 ;;
        --layers) need_value "$@"; LAYERS="$2"; shift 2 ;;
        --epochs) need_value "$@"; EPOCHS="$2"; shift 2 ;;
        --build) need_value "$@"; BUILD="$2"; shift 2 ;;
        --native-build) need_value "$@"; NATIVE_BUILD="$2"; shift 2 ;;
        --seed) need_value "$@"; SEED="$2"; shift 2 ;;
        --threads) need_value "$@"; THREADS="$2"; shift 2 ;;
        --peer-coretype) need_value "$@"; CORETYPE="$2"; shift 2 ;;
        --with-default-peer) WITH_DEFAULT_PEER=1; shift ;;
        --with-bf16) WITH_BF16=1; shift ;;
        --no-peer) WITH_PEER=0; shift ;;
        --out) need_value "$@"; OUT="$2"; shift 2 ;;
        -h | --help) usage; exit 0 ;;
        *) usage >&2; die "unknown option: $1" ;;
    esac
done

[[ "$REPS" =~ ^[1-9][0-9]*$ ]] || die "--reps must be a positive integer, got '$REPS'"
[[ "$EPOCHS" =~ ^[1-9][0-9]*$ ]] || die "--epochs must be a positive integer, got '$EPOCHS'"
[[ "$SEED" =~ ^[0-9]+$ ]] || die "--seed must be a non-negative integer, got '$SEED'"
[[ "$THREADS" =~ ^[1-9][0-9]*$ ]] || die "--threads must be a positive integer, got '$THREADS'"
[[ "$LAYERS" =~ ^[1-9][0-9]*(,[1-9][0-9]*)*$ ]] || die "--layers must look like 32 or 64,32"
[[ -f "$DATA/u.data" && -f "$DATA/u.item" && -f "$DATA/u.user" ]] ||
    die "no MovieLens 100K at '$DATA' (u.data, u.item, u.user); pass --data or set TOWERLAB_ML100K"
DATA="$(realpath "$DATA")"
# Both implementations train on the first 80 % of the shuffled ratings (80,000 on ML-100K);
# used for examples/s when a result does not report it.
TRAIN_EXAMPLES=$(($(wc -l <"$DATA/u.data") * 8 / 10))
[[ -x "$PYTHON" ]] || die "$PYTHON is needed for the statistics (standard library only)"

if [[ -z "$OUT" ]]; then
    OUT="$(mktemp -d /tmp/towerlab-bench.XXXXXX)"
fi
mkdir -p "$OUT"
MANIFEST="$OUT/runs.tsv"
: >"$MANIFEST"

# ---- what can run ----------------------------------------------------------------------------
CLI="$BUILD/app/towerlab-cli"
ENGINE="$BUILD/bench/bench_engine"
HAVE_CLI=0
if [[ -x "$CLI" ]]; then
    HAVE_CLI=1
else
    echo "TowerLab unavailable: $CLI not found; build it with" \
        "'cmake --build $BUILD --target towerlab-cli'" >&2
fi

HAVE_NATIVE=0
if [[ -n "$NATIVE_BUILD" ]]; then
    NATIVE_CLI="$NATIVE_BUILD/app/towerlab-cli"
    [[ -x "$NATIVE_CLI" ]] || die "$NATIVE_CLI not found; build it with 'cmake --preset native" \
        "&& cmake --build --preset native --target towerlab-cli'"
    HAVE_NATIVE=1
fi
if [[ $HAVE_CLI -eq 1 ]]; then
    echo "TowerLab: $("$CLI" --version)" >&2
fi
if [[ $HAVE_NATIVE -eq 1 ]]; then
    echo "TowerLab native: $("$NATIVE_CLI" --version)" >&2
fi

HAVE_PEER=0
if [[ $WITH_PEER -eq 1 ]]; then
    if "$PYTHON" -c 'import torch, numpy' 2>/dev/null; then
        HAVE_PEER=1
    else
        echo "peer unavailable: apt-get install python3-torch libopenblas0-pthread" \
            "python3-numpy" >&2
    fi
fi
[[ $HAVE_CLI -eq 1 || $HAVE_PEER -eq 1 ]] || die "nothing to run"

TIME_CMD=()
if [[ -x /usr/bin/time ]]; then
    TIME_CMD=(/usr/bin/time -v)
else
    echo "peak RSS unavailable: /usr/bin/time is missing (apt-get install time)" >&2
fi

if [[ -z "$CORETYPE" ]]; then
    if grep -qw avx512f /proc/cpuinfo; then
        CORETYPE=SkylakeX
    elif grep -qw avx2 /proc/cpuinfo; then
        CORETYPE=Haswell
    fi
fi

# ---- running ---------------------------------------------------------------------------------
# run_one NAME SEED OUTPUT_JSON COMMAND... : runs one timed process, appends it to the manifest.
run_one() {
    local name="$1" seed="$2" json="$3"
    shift 3
    local base="${json%.json}"
    local status=0 started ended stat_before stat_after
    rm -f "$json"
    stat_before="$(head -n 1 /proc/stat)"
    started="$EPOCHREALTIME"
    if [[ ${#TIME_CMD[@]} -gt 0 ]]; then
        "${TIME_CMD[@]}" -o "$base.time" "$@" >"$base.log" 2>&1 || status=$?
    else
        "$@" >"$base.log" 2>&1 || status=$?
    fi
    ended="$EPOCHREALTIME"
    stat_after="$(head -n 1 /proc/stat)"
    if [[ $status -ne 0 || ! -s "$json" ]]; then
        echo "  $name seed $seed FAILED (exit $status); last lines of $base.log:" >&2
        tail -n 5 "$base.log" | sed 's/^/    /' >&2
        status=$((status == 0 ? 1 : status))
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$seed" "$json" "$base.time" \
        "$status" "$started" "$ended" "$stat_before" "$stat_after" >>"$MANIFEST"
    "$PYTHON" - "$name" "$seed" "$json" "$status" <<'EOF' >&2
import json, sys
name, seed, path, status = sys.argv[1:]
if status == "0":
    r = json.load(open(path))
    epochs = r.get("epochs") or r.get("epochs_trained") or len(r.get("history", [])) or 1
    print(f"  {name} seed {seed}: {r['total_seconds']:.1f} s total, "
          f"{r['train_seconds'] / epochs:.3f} s/epoch, top_100 {r['metrics']['top_100']:.4f}")
EOF
}

run_towerlab() {
    local seed="$1"
    run_one towerlab "$seed" "$OUT/towerlab-s$seed.json" \
        "$CLI" train --data "$DATA" --layers "$LAYERS" --epochs "$EPOCHS" --seed "$seed" \
        --threads "$THREADS" --json "$OUT/towerlab-s$seed.json"
}

run_towerlab_bf16() {
    local seed="$1"
    run_one towerlab-bf16 "$seed" "$OUT/towerlab-bf16-s$seed.json" \
        "$CLI" train --data "$DATA" --layers "$LAYERS" --epochs "$EPOCHS" --seed "$seed" \
        --threads "$THREADS" --logits bf16 --json "$OUT/towerlab-bf16-s$seed.json"
}

run_towerlab_native() {
    local seed="$1"
    run_one towerlab-native "$seed" "$OUT/towerlab-native-s$seed.json" \
        "$NATIVE_CLI" train --data "$DATA" --layers "$LAYERS" --epochs "$EPOCHS" --seed "$seed" \
        --threads "$THREADS" --json "$OUT/towerlab-native-s$seed.json"
}

run_peer_tuned() {
    local seed="$1"
    local env_args=(-u OPENBLAS_L2_SIZE OMP_WAIT_POLICY=PASSIVE)
    if [[ -n "$CORETYPE" ]]; then
        env_args+=("OPENBLAS_CORETYPE=$CORETYPE")
    else
        env_args+=(-u OPENBLAS_CORETYPE)
    fi
    run_one peer-tuned "$seed" "$OUT/peer-tuned-s$seed.json" \
        env "${env_args[@]}" "$PYTHON" "$PEER" --data "$DATA" --layers "$LAYERS" \
        --epochs "$EPOCHS" --seed "$seed" --threads "$THREADS" \
        --json "$OUT/peer-tuned-s$seed.json"
}

run_peer_default() {
    local seed="$1"
    run_one peer-default "$seed" "$OUT/peer-default-s$seed.json" \
        env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$PYTHON" "$PEER" --data "$DATA" \
        --layers "$LAYERS" --epochs "$EPOCHS" --seed "$seed" --threads "$THREADS" \
        --json "$OUT/peer-default-s$seed.json"
}

ENGINE_JSON=""
if [[ -x "$ENGINE" ]]; then
    echo "bench_engine ..." >&2
    if "$ENGINE" --data "$DATA" --layers "$LAYERS" --epochs "$EPOCHS" --threads "$THREADS" \
        --json "$OUT/bench_engine.json" >"$OUT/bench_engine.log" 2>&1 &&
        [[ -s "$OUT/bench_engine.json" ]]; then
        ENGINE_JSON="$OUT/bench_engine.json"
    else
        echo "  bench_engine failed; see $OUT/bench_engine.log (no GEMM bound in the table)" >&2
    fi
else
    echo "bench_engine not built ($ENGINE); no GEMM bound in the table" \
        "(cmake --build $BUILD --target bench_engine)" >&2
fi

echo "data $DATA, layers $LAYERS, epochs $EPOCHS, reps $REPS, threads $THREADS," \
    "tuned peer OPENBLAS_CORETYPE=${CORETYPE:-unset}; results in $OUT" >&2

# Alternate the order from one rep to the next so that slow drift (heat, other load) does not
# favour one implementation.
for ((rep = 0; rep < REPS; rep++)); do
    seed=$((SEED + rep))
    echo "rep $((rep + 1))/$REPS (seed $seed)" >&2
    order=()
    [[ $HAVE_CLI -eq 1 ]] && order+=(towerlab)
    [[ $HAVE_CLI -eq 1 && $WITH_BF16 -eq 1 ]] && order+=(towerlab_bf16)
    [[ $HAVE_NATIVE -eq 1 ]] && order+=(towerlab_native)
    [[ $HAVE_PEER -eq 1 ]] && order+=(peer_tuned)
    [[ $HAVE_PEER -eq 1 && $WITH_DEFAULT_PEER -eq 1 ]] && order+=(peer_default)
    if ((rep % 2 == 1)); then
        reversed=()
        for ((i = ${#order[@]} - 1; i >= 0; i--)); do reversed+=("${order[i]}"); done
        order=("${reversed[@]}")
    fi
    for what in "${order[@]}"; do
        "run_$what" "$seed"
    done
done

# ---- summary ---------------------------------------------------------------------------------
"$PYTHON" - "$MANIFEST" "$ENGINE_JSON" "$OUT/summary.json" "$(nproc)" "$(getconf CLK_TCK)" \
    "$TRAIN_EXAMPLES" <<'EOF'
import json
import re
import statistics
import sys

manifest, engine_path, summary_path = sys.argv[1:4]
cores, clock_ticks, data_train_examples = (int(x) for x in sys.argv[4:7])
LABELS = {"towerlab": "TowerLab", "towerlab-bf16": "TowerLab, --logits bf16",
          "towerlab-native": "TowerLab, -march=native build",
          "peer-tuned": "PyTorch peer (tuned)",
          "peer-default": "PyTorch peer (default)"}


def time_report(path):
    """(peak RSS in MB, user + system CPU seconds) from /usr/bin/time -v, or Nones."""
    try:
        text = open(path).read()
    except OSError:
        return None, None
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    user = re.search(r"User time \(seconds\): ([0-9.]+)", text)
    system = re.search(r"System time \(seconds\): ([0-9.]+)", text)
    cpu = float(user.group(1)) + float(system.group(1)) if user and system else None
    return (int(rss.group(1)) / 1024 if rss else None), cpu


def busy_seconds(stat_line):
    # cpu user nice system idle iowait irq softirq steal ...: all but idle and iowait are busy
    fields = [int(x) for x in stat_line.split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / clock_ticks


def other_load(started, ended, stat_before, stat_after, own_cpu):
    """Cores kept busy by other processes during a run (ours subtracted), or None."""
    wall = float(ended) - float(started)
    if own_cpu is None or wall <= 0:
        return None
    busy = busy_seconds(stat_after) - busy_seconds(stat_before)
    return max(0.0, (busy - own_cpu) / wall)


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


runs = {}
failures = []
for line in open(manifest):
    name, seed, path, time_path, status, started, ended, before, after = \
        line.rstrip("\n").split("\t")
    if status != "0":
        failures.append(f"{LABELS[name]} seed {seed} (exit {status})")
        continue
    r = json.load(open(path))
    if name == "towerlab-bf16" and r.get("logits_in_use") != "bf16":
        failures.append(f"{LABELS[name]} seed {seed} (ran with {r.get('logits_in_use')} logits:"
                        " this CPU or engine has no AVX-512 BF16)")
        continue
    if r.get("outcome", "completed") != "completed":
        failures.append(f"{LABELS[name]} seed {seed} (outcome {r['outcome']}: "
                        f"{r.get('message', '')})")
        continue
    rss, cpu = time_report(time_path)
    # The two record shapes differ a little: the peer has epochs, train_examples and a list of
    # evaluation times; TowerLab's CLI has epochs_trained, dataset.train_examples and the total
    # evaluation time, with the evaluated epochs carrying "test" in the history.
    history = r.get("history") or []
    epochs = r.get("epochs") or r.get("epochs_trained") or len(history) or 1
    train_examples = (r.get("train_examples") or (r.get("dataset") or {}).get("train_examples")
                      or data_train_examples)
    eps = r.get("examples_per_second")
    if eps is None and r["train_seconds"] > 0:
        eps = train_examples * epochs / r["train_seconds"]
    evals = r.get("eval_seconds")
    if isinstance(evals, (int, float)):
        evaluated = sum(1 for h in history if "test" in h or "top_100" in h) or 1
        evals = [evals / evaluated]
    runs.setdefault(name, []).append({
        "seed": int(seed),
        "total_seconds": r["total_seconds"],
        "epoch_seconds": r["train_seconds"] / epochs,
        "eval_seconds": statistics.median(evals) if evals else None,
        "examples_per_second": eps,
        "top_100": r["metrics"]["top_100"],
        "baseline_top_100": (r.get("baseline") or {}).get("top_100"),
        "first_mean_loss": r["history"][0].get("mean_loss") if r.get("history") else None,
        "last_mean_loss": r["history"][-1].get("mean_loss") if r.get("history") else None,
        "peak_rss_mb": rss,
        "cpu_seconds": cpu,
        "other_load_cores": other_load(started, ended, before, after, cpu),
        "blas_core": (r.get("blas") or {}).get("core"),
    })

summary = {"implementations": {}, "failures": failures}
for name, rs in runs.items():
    tops = [x["top_100"] for x in rs]
    summary["implementations"][name] = {
        "runs": rs,
        "median_total_seconds": median(x["total_seconds"] for x in rs),
        "median_epoch_seconds": median(x["epoch_seconds"] for x in rs),
        "median_eval_seconds": median(x["eval_seconds"] for x in rs),
        "median_examples_per_second": median(x["examples_per_second"] for x in rs),
        "top_100_mean": statistics.fmean(tops),
        "top_100_sd": statistics.stdev(tops) if len(tops) > 1 else 0.0,
        "median_peak_rss_mb": median(x["peak_rss_mb"] for x in rs),
        "max_other_load_cores": max((x["other_load_cores"] for x in rs
                                     if x["other_load_cores"] is not None), default=None),
    }


def fmt(value, spec):
    return "n/a" if value is None else format(value, spec)


rows = [("implementation", "runs", "total s", "epoch s", "eval s", "examples/s",
         "top-100 mean±sd", "baseline@100", "loss first→last", "peak RSS MB", "BLAS core")]
for name in ("towerlab", "towerlab-bf16", "towerlab-native", "peer-tuned", "peer-default"):
    if name not in summary["implementations"]:
        continue
    s = summary["implementations"][name]
    rs = s["runs"]
    first, last = median(x["first_mean_loss"] for x in rs), median(x["last_mean_loss"] for x in rs)
    cores_seen = sorted({x["blas_core"] for x in rs if x["blas_core"]})
    rows.append((LABELS[name], str(len(rs)), fmt(s["median_total_seconds"], ".1f"),
                 fmt(s["median_epoch_seconds"], ".3f"), fmt(s["median_eval_seconds"], ".3f"),
                 fmt(s["median_examples_per_second"], ",.0f"),
                 f"{s['top_100_mean']:.4f}±{s['top_100_sd']:.4f}",
                 fmt(median(x["baseline_top_100"] for x in rs), ".4f"),
                 f"{fmt(first, ',.0f')}→{fmt(last, ',.0f')}",
                 fmt(s["median_peak_rss_mb"], ".0f"), ",".join(cores_seen) or "-"))
widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
print()
print("Medians over runs (total, epoch = training seconds / epochs, eval = one test-split "
      "evaluation, examples/s, peak RSS); top-100 on the test split after the last epoch.")
for index, row in enumerate(rows):
    print("  ".join(cell.ljust(width) if i == 0 else cell.rjust(width)
                    for i, (cell, width) in enumerate(zip(row, widths))))
    if index == 0:
        print("  ".join("-" * width for width in widths))

impls = summary["implementations"]
ratios = {}
if "towerlab" in impls:
    base_total = impls["towerlab"]["median_total_seconds"]
    base_epoch = impls["towerlab"]["median_epoch_seconds"]
    for name in ("peer-tuned", "peer-default"):
        if name in impls:
            if not ratios:
                print()
            ratio_total = impls[name]["median_total_seconds"] / base_total
            ratio_epoch = impls[name]["median_epoch_seconds"] / base_epoch
            ratios[name] = {"total": ratio_total, "epoch": ratio_epoch}
            print(f"{LABELS[name]} / TowerLab: total {ratio_total:.2f}x, "
                  f"per epoch {ratio_epoch:.2f}x (above 1: TowerLab is faster)")
summary["ratios_to_towerlab"] = ratios
if "towerlab-bf16" in impls:
    bf16 = impls["towerlab-bf16"]
    summary["ratios_to_towerlab_bf16"] = {}
    for name in ("peer-tuned", "peer-default"):
        if name in impls:
            ratio_total = impls[name]["median_total_seconds"] / bf16["median_total_seconds"]
            ratio_epoch = impls[name]["median_epoch_seconds"] / bf16["median_epoch_seconds"]
            summary["ratios_to_towerlab_bf16"][name] = {"total": ratio_total,
                                                        "epoch": ratio_epoch}
            print(f"{LABELS[name]} / TowerLab bf16: total {ratio_total:.2f}x, "
                  f"per epoch {ratio_epoch:.2f}x")
    if "towerlab" in impls:
        print(f"TowerLab fp32 / bf16: total "
              f"{impls['towerlab']['median_total_seconds'] / bf16['median_total_seconds']:.3f}x, "
              f"per epoch "
              f"{impls['towerlab']['median_epoch_seconds'] / bf16['median_epoch_seconds']:.3f}x"
              " (above 1: bf16 is faster)")
if "towerlab" in impls and "towerlab-native" in impls:
    native = impls["towerlab-native"]
    ratio_total = impls["towerlab"]["median_total_seconds"] / native["median_total_seconds"]
    ratio_epoch = impls["towerlab"]["median_epoch_seconds"] / native["median_epoch_seconds"]
    summary["towerlab_over_native"] = {"total": ratio_total, "epoch": ratio_epoch}
    print(f"TowerLab (run-time dispatch, as packaged) / native build: total {ratio_total:.3f}x, "
          f"per epoch {ratio_epoch:.3f}x (1 = as fast)")
if "peer-tuned" in ratios:
    print(f"target: >= 5x the tuned peer over the whole run (stretch 8x): "
          f"{'met' if ratios['peer-tuned']['total'] >= 5 else 'NOT met'}")
    best = max([ratios["peer-tuned"]["total"]] +
               [summary.get("ratios_to_towerlab_bf16", {}).get("peer-tuned", {}).get("total", 0)])
    print(f"issue 18: >= 10x the tuned peer over the whole run: "
          f"{'met' if best >= 10 else 'NOT met'} (best {best:.2f}x)")
if "towerlab" in impls and impls["towerlab"]["median_peak_rss_mb"] is not None:
    print(f"TowerLab peak RSS {impls['towerlab']['median_peak_rss_mb']:.0f} MB (target < 150 MB)")

if engine_path:
    engine = json.load(open(engine_path))
    summary["bench_engine"] = engine
    gflops, gflop = engine.get("gemm_gflops"), engine.get("epoch_gflop")
    if gflops and gflop:
        bound = gflop / gflops
        summary["gemm_bound_epoch_seconds"] = bound
        print(f"\nGEMM-bound epoch: {gflop:.2f} GFLOP per epoch / {gflops:.1f} GFLOP/s = "
              f"{bound:.3f} s")
        if "towerlab" in impls:
            fraction = bound / impls["towerlab"]["median_epoch_seconds"]
            summary["towerlab_gemm_bound_fraction"] = fraction
            print(f"GEMM-bound epoch / TowerLab median epoch = {fraction:.2f} of the hardware "
                  "limit (target >= 0.5)")
    else:
        print("\nbench_engine JSON lacks gemm_gflops or epoch_gflop; no GEMM bound")
    print(f"bench_engine ({engine.get('threads')} threads, same data): one evaluation "
          f"{fmt(engine.get('eval_seconds_each'), '.4f')} s (target < 0.1), top-50 query "
          f"{fmt(engine.get('top50_query_ms'), '.3f')} ms (< 1), scoring three titles "
          f"{fmt(engine.get('score3_ms'), '.4f')} ms (< 0.1)")

busiest = max((s["max_other_load_cores"] for s in impls.values()
               if s["max_other_load_cores"] is not None), default=None)
summary["max_other_load_cores"] = busiest
if busiest is None:
    print("\n(no /usr/bin/time: competing load from other processes was not measured)")
elif busiest > 0.2:
    print(f"\nWARNING: other processes kept up to {busiest:.2f} of the {cores} cores busy during "
          "a run; the seconds above are not reliable.")
else:
    print(f"\nOther processes used at most {busiest:.2f} of {cores} cores during any run.")
if failures:
    print("\nFAILED runs: " + "; ".join(failures))

with open(summary_path, "w") as handle:
    json.dump(summary, handle, indent=2)
    handle.write("\n")
print(f"\nsummary: {summary_path}")
sys.exit(1 if failures else 0)
EOF
