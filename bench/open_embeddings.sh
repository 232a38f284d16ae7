#!/usr/bin/env bash
# Opening embeddings made elsewhere at scale (issue 18, part 5): writes random movie vectors
# as the Embedding Projector's vectors.tsv (Python-style text, as numpy.savetxt writes it) and
# as a float32 .npy, with a one-column metadata.tsv, then opens each with
# `towerlab-cli explore` and prints the time it reports and the peak memory of the process.
# Needs /usr/bin/python3 with numpy and /usr/bin/time. Run by hand; see bench/README.md.
set -euo pipefail

usage() {
    cat <<'USAGE'
usage: bench/open_embeddings.sh [--build DIR] [--rows N] [--dims D] [--work DIR] [--nice N]
  --build DIR   TowerLab build folder holding app/towerlab-cli (default: build)
  --rows N      vectors (default 1000000)
  --dims D      dimensions (default 64)
  --work DIR    where the files go (default: a new folder under /tmp, deleted at the end)
  --nice N      run every step under nice -n N (default 10: the machine may be shared)
USAGE
}

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="$REPO_ROOT/build"
ROWS=1000000
DIMS=64
WORK=""
NICE=10
while [[ $# -gt 0 ]]; do
    case "$1" in
    --build) BUILD="$2"; shift 2 ;;
    --rows) ROWS="$2"; shift 2 ;;
    --dims) DIMS="$2"; shift 2 ;;
    --work) WORK="$2"; shift 2 ;;
    --nice) NICE="$2"; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "open_embeddings: unknown option $1" >&2; usage >&2; exit 2 ;;
    esac
done
CLI="$BUILD/app/towerlab-cli"
[[ -x "$CLI" ]] || { echo "open_embeddings: no $CLI (build first, or pass --build)" >&2; exit 2; }
if [[ -z "$WORK" ]]; then
    WORK="$(mktemp -d /tmp/towerlab-open-embeddings.XXXXXX)"
    trap 'rm -rf "$WORK"' EXIT
fi
mkdir -p "$WORK"

echo "== writing $ROWS x $DIMS vectors to $WORK (load: $(cut -d' ' -f1-3 /proc/loadavg))"
nice -n "$NICE" /usr/bin/python3 - "$WORK" "$ROWS" "$DIMS" <<'PY'
import sys
import numpy as np
folder, rows, dims = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = np.random.default_rng(1)
vectors = rng.standard_normal((rows, dims), dtype=np.float32)
np.save(f"{folder}/movies.npy", vectors)
np.savetxt(f"{folder}/vectors.tsv", vectors, fmt="%.8g", delimiter="\t")
with open(f"{folder}/metadata.tsv", "w", encoding="utf-8") as out:
    out.writelines(f"movie {i + 1}\n" for i in range(rows))
PY
ls -l "$WORK"

for file in vectors.tsv movies.npy; do
    echo "== towerlab-cli explore --embeddings $file --metadata metadata.tsv (load: $(cut -d' ' -f1-3 /proc/loadavg))"
    /usr/bin/time -f "peak RSS %M KB, %e s wall, %U s user" nice -n "$NICE" \
        "$CLI" explore --embeddings "$WORK/$file" --metadata "$WORK/metadata.tsv" \
        --neighbours "movie 1" -k 3 --quiet
done
