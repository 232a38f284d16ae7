#!/usr/bin/env bash
# Data at scale (issue 18): generates MovieLens-shaped data of growing size with
# `towerlab-cli generate`, loads it with `towerlab-cli info --data`, and prints per size the
# generation time, the load time, the peak memory of loading and the memory per rating,
# against the budgets (load <= 30 s, peak RSS <= 2.5 GB). Run by hand; see bench/README.md.
set -euo pipefail

usage() {
    cat <<'EOF'
usage: bench/scale_data.sh [options]
  --build DIR     TowerLab build folder holding app/towerlab-cli (default: build in the
                  repository root)
  --work DIR      where the generated data goes (default: a new folder under /tmp); it is
                  deleted at the end unless --keep is given
  --sizes LIST    comma-separated, from 100k, 1m, 10m, 20m, 25m (default: 1m,10m,25m)
  --seed S        seed of the generated data (default 1)
  --zip           also zip each generated folder and load the zip (zip must be installed)
  --keep          keep the generated data
  --nice N        run every step under nice -n N (default 10: the machine may be shared)
  -h, --help      this text
EOF
}

die() {
    echo "scale_data: $*" >&2
    exit 2
}

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="$REPO_ROOT/build"
WORK=""
SIZES="1m,10m,25m"
SEED=1
ZIP=0
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
        --zip) ZIP=1; shift ;;
        --keep) KEEP=1; shift ;;
        --nice) need_value "$@"; NICE="$2"; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) die "unknown option $1 (see --help)" ;;
    esac
done

CLI="$BUILD/app/towerlab-cli"
[[ -x "$CLI" ]] || die "no $CLI: build towerlab-cli first (or pass --build)"
[[ -x /usr/bin/time ]] || die "/usr/bin/time is missing (apt-get install time)"
if [[ $ZIP -eq 1 ]]; then
    command -v zip >/dev/null || die "--zip needs zip (apt-get install zip)"
fi
if [[ -z "$WORK" ]]; then
    WORK="$(mktemp -d /tmp/towerlab-scale-XXXXXX)"
fi
mkdir -p "$WORK"
cleanup() {
    if [[ $KEEP -eq 0 ]]; then
        rm -rf "$WORK"/gen-* "$WORK"/*.zip
    fi
}
trap cleanup EXIT

# Shapes: users, movies, ratings (100k/1m/10m/20m/25m as MovieLens has them, rounded).
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

echo "towerlab-cli: $("$CLI" --version)"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GB", $2/1e6}' /proc/meminfo); load now: $(cut -d' ' -f1-3 /proc/loadavg); nice $NICE"
echo "work folder: $WORK"
echo
ROWS=()
IFS=',' read -ra SIZE_LIST <<<"$SIZES"
for size in "${SIZE_LIST[@]}"; do
    read -r users movies ratings <<<"$(shape "$size")"
    out="$WORK/gen-$size"
    rm -rf "$out"
    read -r gen_s gen_kb <<<"$(measure "$WORK/generate-$size.log" "$CLI" generate \
        --users "$users" --movies "$movies" --ratings "$ratings" --seed "$SEED" --out "$out" -q)"
    csv_mb=$(awk -v b="$(stat -c %s "$out/ratings.csv")" 'BEGIN {printf "%.0f", b/1e6}')
    read -r wall_s load_kb <<<"$(measure "$WORK/info-$size.log" "$CLI" info --data "$out" \
        --json "$WORK/info-$size.json" -q)"
    load_s=$(json_value "$WORK/info-$size.json" '["load_seconds"]')
    rating_bytes=$(json_value "$WORK/info-$size.json" '["dataset"]["rating_bytes"]')
    ROWS+=("$(awk -v size="$size" -v u="$users" -v m="$movies" -v r="$ratings" \
        -v gs="$gen_s" -v gkb="$gen_kb" -v mb="$csv_mb" -v ls="$load_s" -v ws="$wall_s" \
        -v kb="$load_kb" -v rb="$rating_bytes" 'BEGIN {
            printf "| %s | %d | %d | %d | %.1f s (%.0f MB) | %s MB | %.2f s | %.2f s | %.0f MB | %.1f | %.0f |",
                size, u, m, r, gs, gkb/1e3, mb, ls, ws, kb/1e3, kb*1e3/r, rb/r }')")
    echo "${ROWS[-1]}"
    if [[ $ZIP -eq 1 ]]; then
        (cd "$WORK" && nice -n "$NICE" zip -qr "gen-$size.zip" "gen-$size")
        read -r zwall_s zload_kb <<<"$(measure "$WORK/info-$size-zip.log" "$CLI" info \
            --data "$WORK/gen-$size.zip" --json "$WORK/info-$size-zip.json" -q)"
        zload_s=$(json_value "$WORK/info-$size-zip.json" '["load_seconds"]')
        echo "  from gen-$size.zip ($(du -m "$WORK/gen-$size.zip" | cut -f1) MB): load ${zload_s} s, wall ${zwall_s} s, peak RSS $((zload_kb / 1000)) MB"
        rm -f "$WORK/gen-$size.zip"
    fi
    if [[ $KEEP -eq 0 ]]; then
        rm -rf "$out"
    fi
done

echo
echo "Budgets (issue 18, 25M-sized data): load <= 30 s; peak RSS <= 2.5 GB (2500 MB)."
echo
echo "| size | users | movies | ratings | generate (peak RSS) | ratings.csv | load | load, whole process | peak RSS of loading | RSS bytes per rating | Rating bytes |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
printf '%s\n' "${ROWS[@]}"
