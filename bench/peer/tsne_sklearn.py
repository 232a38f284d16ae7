#!/usr/bin/python3
"""scikit-learn peer of bench/bench_projection.cpp: times PCA and t-SNE on the same vectors.

t-SNE runs with scikit-learn's defaults (Barnes-Hut, perplexity 30, learning_rate='auto',
1000 iterations) and init='pca', random_state fixed; each projection's trustworthiness@10 is
sklearn.manifold.trustworthiness. With --embedding FILE it also scores another 2-D embedding
of the same vectors (e.g. bench_projection --embedding-out), so TowerLab's trustworthiness
can be checked against scikit-learn's own function.

Runs on Debian's packages only: `apt-get install python3-sklearn`, then
  /usr/bin/python3 bench/peer/tsne_sklearn.py --tsv movies/vectors.tsv [--json FILE]
Progress goes to stderr; the table to stdout.
"""

import argparse
import json
import os
import statistics
import sys
import time

import numpy as np
import sklearn
from sklearn.decomposition import PCA
from sklearn.manifold import TSNE, trustworthiness


def read_tsv(path):
    """One vector per line, tab-separated (a folder means its vectors.tsv)."""
    if os.path.isdir(path):
        path = os.path.join(path, "vectors.tsv")
    rows = []
    with open(path, encoding="utf-8") as handle:
        for line_no, line in enumerate(handle, 1):
            line = line.rstrip("\r\n")
            if not line:
                continue
            try:
                rows.append([float(v) for v in line.split("\t")])
            except ValueError:
                sys.exit(f"{path}:{line_no}: a value is not a number")
            if len(rows[-1]) != len(rows[0]):
                sys.exit(f"{path}:{line_no}: {len(rows[-1])} values, but the first line has "
                         f"{len(rows[0])}")
    if len(rows) < 2:
        sys.exit(f"{path}: needs at least 2 vectors, found {len(rows)}")
    return np.asarray(rows, dtype=np.float32)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tsv", required=True, help="vectors, one per line, tab-separated")
    parser.add_argument("--seed", type=int, default=1, help="random_state (default 1)")
    parser.add_argument("--reps", type=int, default=3, help="timed runs (median; default 3)")
    parser.add_argument("--embedding", help="also score this 2-D embedding TSV of the vectors")
    parser.add_argument("--json", help="write the result record here")
    args = parser.parse_args()

    x = read_tsv(args.tsv)
    print(f"{x.shape[0]} points x {x.shape[1]} dims ({args.tsv}), scikit-learn "
          f"{sklearn.__version__}, median of {args.reps} runs", file=sys.stderr)

    pca_seconds, tsne_seconds = [], []
    for _ in range(max(1, args.reps)):
        start = time.perf_counter()
        pca_map = PCA(n_components=2, random_state=args.seed).fit_transform(x)
        pca_seconds.append(time.perf_counter() - start)
    pca_trust = trustworthiness(x, pca_map, n_neighbors=10)
    print(f"PCA    {statistics.median(pca_seconds):8.4f} s  trustworthiness@10 {pca_trust:.4f}")

    for rep in range(max(1, args.reps)):
        tsne = TSNE(n_components=2, init="pca", learning_rate="auto", random_state=args.seed)
        start = time.perf_counter()
        tsne_map = tsne.fit_transform(x)
        tsne_seconds.append(time.perf_counter() - start)
        print(f"  t-SNE run {rep + 1}: {tsne_seconds[-1]:.3f} s", file=sys.stderr)
    tsne_trust = trustworthiness(x, tsne_map, n_neighbors=10)
    print(f"t-SNE  {statistics.median(tsne_seconds):8.4f} s  trustworthiness@10 {tsne_trust:.4f}  "
          f"(KL {tsne.kl_divergence_:.4f}, {tsne.n_iter_} iterations, "
          f"learning rate {tsne.learning_rate_:.1f})")

    record = {
        "implementation": "scikit-learn",
        "version": sklearn.__version__,
        "points": int(x.shape[0]),
        "dims": int(x.shape[1]),
        "pca_seconds": statistics.median(pca_seconds),
        "pca_trustworthiness_10": float(pca_trust),
        "tsne_seconds": statistics.median(tsne_seconds),
        "tsne_trustworthiness_10": float(tsne_trust),
        "tsne_kl": float(tsne.kl_divergence_),
        "tsne_iterations": int(tsne.n_iter_),
    }
    if args.embedding:
        other = read_tsv(args.embedding)
        if other.shape != (x.shape[0], 2):
            sys.exit(f"{args.embedding}: expected {x.shape[0]} x 2, got "
                     f"{other.shape[0]} x {other.shape[1]}")
        record["embedding_trustworthiness_10"] = float(trustworthiness(x, other, n_neighbors=10))
        print(f"{args.embedding}: trustworthiness@10 {record['embedding_trustworthiness_10']:.4f}"
              " (scikit-learn's function)")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(record, handle, indent=2)
            handle.write("\n")


if __name__ == "__main__":
    main()
