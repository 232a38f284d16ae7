#!/usr/bin/env bash
# What each Retrieval-task knob does on a dataset, over several seeds: for the tutorial's
# defaults and each option alone (with and without the user id feature), trains
# `train --seeds` and prints a Markdown table of top-100, top-10, coverage@100 and the mean
# popularity percentile of the top 100 (mean ± sd over the seeds), with `compare`'s verdict on
# top-100 against the defaults. Usage:
#   bench/retrieval_knobs.sh CLI DATA_DIR [SEEDS] [EPOCHS] [WORK_DIR]
# e.g. bench/retrieval_knobs.sh build/app/towerlab-cli ../shared/datasets/ml-100k 1,2,3 50
# (DATA_DIR "demo" uses the built-in demo dataset).
#
# Each configuration's report is WORK_DIR/<features>-<configuration>.json; one that is already
# there is reused, not trained again, so a table can be built up over several calls with the
# same WORK_DIR. To run only some of it:
#   KNOBS_ROWS="time split,100 hard negatives"    configurations by name (the defaults always
#                                                 run: the verdicts compare against them)
#   KNOBS_FEATURES="+ user id"                    "tutorial features", "+ user id" or both
# The time split row answers another question than the others: its test ratings are the
# latest 20%, so its verdict against the random split's defaults compares two test sets (see
# the most-popular line the script prints for each configuration).
set -euo pipefail
cli=${1:?usage: retrieval_knobs.sh CLI DATA_DIR [SEEDS] [EPOCHS] [WORK_DIR]}
data=${2:?usage: retrieval_knobs.sh CLI DATA_DIR [SEEDS] [EPOCHS] [WORK_DIR]}
seeds=${3:-1,2,3}
epochs=${4:-50}
work=${5:-$(mktemp -d)}
mkdir -p "$work"
dataset=(--data "$data")
if [ "$data" = demo ]; then
    dataset=(--demo)
fi

# name|flags (empty flags = the tutorial's defaults)
configs=(
    "defaults|"
    "temperature 0.05|--temperature 0.05"
    "temperature 0.1|--temperature 0.1"
    "temperature 0.5|--temperature 0.5"
    "logQ (frequency)|--logq frequency"
    "accidental hits removed|--remove-accidental-hits"
    "10 hard negatives|--hard-negatives 10"
    "100 hard negatives|--hard-negatives 100"
    "cosine + temperature 0.1|--l2-normalize --temperature 0.1"
    "time split|--split time"
)
user_sets=(
    "tutorial features|age,occupation,gender,timestamp_bucket,timestamp_norm"
    "+ user id|age,occupation,gender,timestamp_bucket,timestamp_norm,user_id"
)

rows=${KNOBS_ROWS:-}
features=${KNOBS_FEATURES:-}
listed() { # NAME LIST: whether NAME is one of LIST's comma-separated names (all when empty)
    [ -z "$2" ] && return 0
    local IFS=,
    for item in $2; do
        [ "$item" = "$1" ] && return 0
    done
    return 1
}

stat() { # JSON FILE, python expression over the summary/runs -> "mean ± sd"
    python3 - "$1" "$2" <<'PY'
import json, statistics, sys
report = json.load(open(sys.argv[1]))
section, key = sys.argv[2].split(".")
values = [run[section][key] for run in report["runs"]]
sd = statistics.stdev(values) if len(values) > 1 else 0.0
print(f"{statistics.mean(values):.4f} ± {sd:.4f}")
PY
}

for users in "${user_sets[@]}"; do
    users_name=${users%%|*}
    users_list=${users#*|}
    listed "$users_name" "$features" || continue
    echo
    echo "### $users_name ($seeds seeds, $epochs epochs)"
    echo
    echo "| configuration | top-100 | top-10 | coverage@100 | popularity percentile@100 | verdict on top-100 against the defaults |"
    echo "| --- | --- | --- | --- | --- | --- |"
    base="$work/${users_name// /_}-defaults.json"
    for config in "${configs[@]}"; do
        name=${config%%|*}
        flags=${config#*|}
        if [ "$name" != defaults ] && ! listed "$name" "$rows"; then
            continue
        fi
        out="$work/${users_name// /_}-${name// /_}.json"
        if [ ! -s "$out" ]; then
            # shellcheck disable=SC2086
            "$cli" train "${dataset[@]}" --epochs "$epochs" --seeds "$seeds" \
                --user-features "$users_list" $flags --json "$out.part" -q >/dev/null
            mv "$out.part" "$out"
        fi
        verdict="(reference)"
        if [ "$name" != defaults ]; then
            verdict=$("$cli" compare --first "$base" --second "$out" --metric top_100 \
                --names "defaults,$name" --json - | python3 -c \
                'import json,sys; print(json.load(sys.stdin)["verdict"]["sentence"])')
        fi
        echo "| $name | $(stat "$out" metrics.top_100) | $(stat "$out" metrics.top_10) |" \
             "$(stat "$out" beyond_accuracy.coverage_100) |" \
             "$(stat "$out" beyond_accuracy.popularity_percentile_100) | $verdict |"
        echo "  most popular on this split: top-100 $(stat "$out" baseline.top_100)," \
             "top-10 $(stat "$out" baseline.top_10)," \
             "coverage@100 $(stat "$out" baseline_beyond_accuracy.coverage_100)," \
             "percentile $(stat "$out" baseline_beyond_accuracy.popularity_percentile_100)" >&2
    done
done
