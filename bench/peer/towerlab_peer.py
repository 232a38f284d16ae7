#!/usr/bin/python3
"""Independent PyTorch peer of TowerLab's reference model, for the performance benchmark.

Implements exactly the model of docs/reference-model.md (the TFRS "deep retrieval with user
and movie features" two-tower model) on MovieLens 100K read straight from its folder, so that
TowerLab's speed and accuracy can be compared with a mainstream framework on the same machine.

Runs on Debian's packages only: `apt-get install python3-torch libopenblas0-pthread
python3-numpy`, then `/usr/bin/python3 bench/peer/towerlab_peer.py --data DIR`.
Progress goes to stderr; --json FILE writes the result record (see bench/README.md).
"""

import argparse
import ctypes
import json
import math
import os
import re
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

# --------------------------------------------------------------------------------------------
# Constants fixed by the reference model (docs/reference-model.md).

AGE_THRESHOLDS = (18, 25, 35, 45, 50, 56)

# 100K occupation text -> the 1M-style label TFDS uses.
OCCUPATION_TO_LABEL = {
    "administrator": "clerical/admin",
    "artist": "artist",
    "doctor": "doctor/health care",
    "healthcare": "doctor/health care",
    "educator": "academic/educator",
    "engineer": "technician/engineer",
    "technician": "technician/engineer",
    "entertainment": "entertainment",
    "executive": "executive/managerial",
    "homemaker": "homemaker",
    "lawyer": "lawyer",
    "librarian": "librarian",
    "marketing": "sales/marketing",
    "salesman": "sales/marketing",
    "none": "other/not specified",
    "other": "other/not specified",
    "programmer": "programmer",
    "retired": "retired",
    "scientist": "scientist",
    "student": "student",
    "writer": "writer",
}

OCCUPATION_LABELS = (
    "academic/educator", "artist", "clerical/admin", "customer service", "doctor/health care",
    "entertainment", "executive/managerial", "farmer", "homemaker", "lawyer", "librarian",
    "other/not specified", "programmer", "retired", "sales/marketing", "scientist",
    "self-employed", "student", "technician/engineer", "tradesman/craftsman", "unemployed",
    "writer",
)

TIMESTAMP_BUCKETS = 1000
EMBEDDING_DIM = 32
MAX_TITLE_TOKENS = 10_000  # TextVectorization max_tokens, padding and [UNK] included
TRAIN_FRACTION = 0.8  # 80,000 of ML-100K's 100,000 ratings
TOP_KS = (1, 5, 10, 50, 100)

# Keras TextVectorization "lower_and_strip_punctuation": tf.strings.lower touches ASCII
# letters only, the strip regex removes exactly these ASCII characters.
_ASCII_PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
_STANDARDIZE = str.maketrans(
    {**{chr(c): chr(c + 32) for c in range(ord("A"), ord("Z") + 1)},
     **{ch: None for ch in _ASCII_PUNCTUATION}})
# tf.strings.split splits on ASCII whitespace only (a non-breaking space is part of a token).
_ASCII_WHITESPACE = re.compile("[ \t\n\v\f\r]+")


class DataError(Exception):
    """Bad or missing MovieLens input; the message names the file, line and field."""


def log(message):
    print(message, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------
# Reading MovieLens 100K.

def _read_lines(path, encoding):
    try:
        with open(path, "r", encoding=encoding, newline="") as handle:
            text = handle.read()
    except FileNotFoundError:
        raise DataError(f"{path}: file not found (expected a MovieLens 100K folder)") from None
    except UnicodeDecodeError as error:
        raise DataError(f"{path}: not decodable as {encoding}: {error}") from None
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line[:-1] if line.endswith("\r") else line for line in lines]


def _parse_int(path, line_no, field, text):
    try:
        return int(text)
    except ValueError:
        raise DataError(f"{path}:{line_no}: field '{field}' is not an integer: {text!r}") \
            from None


def read_users(folder):
    """user id -> (age, is_male, occupation text) from u.user."""
    path = folder / "u.user"
    users = {}
    for line_no, line in enumerate(_read_lines(path, "iso-8859-1"), start=1):
        fields = line.split("|")
        if len(fields) != 5:
            raise DataError(f"{path}:{line_no}: expected 5 '|'-separated fields, "
                            f"got {len(fields)}")
        user_id = _parse_int(path, line_no, "user id", fields[0])
        age = _parse_int(path, line_no, "age", fields[1])
        if fields[2] not in ("M", "F"):
            raise DataError(f"{path}:{line_no}: field 'gender' must be M or F: {fields[2]!r}")
        if fields[3] not in OCCUPATION_TO_LABEL:
            raise DataError(f"{path}:{line_no}: field 'occupation' is unknown: {fields[3]!r}")
        if user_id in users:
            raise DataError(f"{path}:{line_no}: duplicate user id {user_id}")
        users[user_id] = (age, fields[2] == "M", fields[3])
    if not users:
        raise DataError(f"{path}: no users")
    return users


def read_titles(folder):
    """Titles of u.item in file order (row i is movie id i + 1), decoded from ISO-8859-1."""
    path = folder / "u.item"
    titles = []
    for line_no, line in enumerate(_read_lines(path, "iso-8859-1"), start=1):
        fields = line.split("|")
        if len(fields) < 2:
            raise DataError(f"{path}:{line_no}: expected at least 2 '|'-separated fields")
        movie_id = _parse_int(path, line_no, "movie id", fields[0])
        if movie_id != line_no:
            raise DataError(f"{path}:{line_no}: movie ids must run 1, 2, ... in order; "
                            f"got {movie_id}")
        titles.append(fields[1])  # as is: three titles keep a trailing space
    if not titles:
        raise DataError(f"{path}: no movies")
    return titles


def read_ratings(folder, users, movie_count):
    """(user ids, movie rows, timestamps) of u.data as numpy arrays, in file order."""
    path = folder / "u.data"
    user_ids, movie_rows, timestamps = [], [], []
    for line_no, line in enumerate(_read_lines(path, "ascii"), start=1):
        fields = line.split("\t")
        if len(fields) != 4:
            raise DataError(f"{path}:{line_no}: expected 4 tab-separated fields, "
                            f"got {len(fields)}")
        user_id = _parse_int(path, line_no, "user id", fields[0])
        movie_id = _parse_int(path, line_no, "item id", fields[1])
        _parse_int(path, line_no, "rating", fields[2])
        timestamp = _parse_int(path, line_no, "timestamp", fields[3])
        if user_id not in users:
            raise DataError(f"{path}:{line_no}: field 'user id' {user_id} is not in u.user")
        if not 1 <= movie_id <= movie_count:
            raise DataError(f"{path}:{line_no}: field 'item id' {movie_id} is not in u.item")
        user_ids.append(user_id)
        movie_rows.append(movie_id - 1)
        timestamps.append(timestamp)
    if len(user_ids) < 2:
        raise DataError(f"{path}: need at least 2 ratings, got {len(user_ids)}")
    return (np.array(user_ids, dtype=np.int64), np.array(movie_rows, dtype=np.int64),
            np.array(timestamps, dtype=np.int64))


# --------------------------------------------------------------------------------------------
# TFDS features and Keras-semantics preprocessing.

def age_bucket(age):
    bucket = 1
    for threshold in AGE_THRESHOLDS:
        if age >= threshold:
            bucket = threshold
    return bucket


def lookup(values):
    """Keras Integer/StringLookup adapted on `values`: sorted unique vocabulary -> 1..n, OOV 0.

    Returns (indices, table rows = n + 1)."""
    vocabulary, inverse = np.unique(values, return_inverse=True)
    return inverse.astype(np.int64) + 1, len(vocabulary) + 1


def timestamp_buckets(timestamps):
    """Keras Discretization over linspace(min, max, 1000), compared in float32 as TF does."""
    boundaries = np.linspace(timestamps.min(), timestamps.max(), num=TIMESTAMP_BUCKETS)
    boundaries32 = boundaries.astype(np.float32)
    values32 = timestamps.astype(np.float32)
    # bucket = number of boundaries <= x, in 0..1000
    return np.searchsorted(boundaries32, values32, side="right").astype(np.int64)


def normalized_timestamps(timestamps):
    values = timestamps.astype(np.float64)
    return ((values - values.mean()) / math.sqrt(values.var())).astype(np.float32)


def title_tokens(title):
    return [token for token in _ASCII_WHITESPACE.split(title.translate(_STANDARDIZE)) if token]


def title_vocabulary(titles):
    """TextVectorization.adapt: 0 = padding, 1 = [UNK], then tokens by count desc, ties by
    token bytes desc, capped at MAX_TITLE_TOKENS entries in all."""
    counts = Counter(token for title in titles for token in title_tokens(title))
    # Two stable sorts: by token bytes descending, then by count descending.
    ordered = sorted(counts.items(), key=lambda item: item[0].encode("utf-8"), reverse=True)
    ordered.sort(key=lambda item: item[1], reverse=True)
    ordered = ordered[:MAX_TITLE_TOKENS - 2]
    return {token: index + 2 for index, (token, _) in enumerate(ordered)}


class Dataset:
    """All tensors the model needs, derived from one MovieLens 100K folder."""

    def __init__(self, folder):
        users = read_users(folder)
        titles = read_titles(folder)
        user_ids, movie_rows, timestamps = read_ratings(folder, users, len(titles))

        ages = np.array([age_bucket(users[u][0]) for u in user_ids], dtype=np.int64)
        occupations = np.array(
            [OCCUPATION_LABELS.index(OCCUPATION_TO_LABEL[users[u][2]]) for u in user_ids],
            dtype=np.int64)
        genders = np.array([users[u][1] for u in user_ids], dtype=np.int64)

        age_idx, self.age_rows = lookup(ages)
        occupation_idx, self.occupation_rows = lookup(occupations)
        gender_idx, self.gender_rows = lookup(genders)
        self.timestamp_rows = TIMESTAMP_BUCKETS + 1
        self.rating_count = len(user_ids)

        self.age = torch.from_numpy(age_idx)
        self.occupation = torch.from_numpy(occupation_idx)
        self.gender = torch.from_numpy(gender_idx)
        self.ts_bucket = torch.from_numpy(timestamp_buckets(timestamps))
        self.ts_norm = torch.from_numpy(normalized_timestamps(timestamps)).unsqueeze(1)
        self.movie_row = torch.from_numpy(movie_rows)

        # Candidates: every u.item row; duplicate titles share one title id.
        title_idx, self.title_rows = lookup(np.array(titles, dtype=object))
        self.title_id_of_row = torch.from_numpy(title_idx)
        self.candidate_count = len(titles)
        self.titles = titles
        self.user_ids = user_ids
        self.timestamps = timestamps
        self.distinct_titles = self.title_rows - 1

        vocabulary = title_vocabulary(titles)
        self.vocabulary_size = len(vocabulary) + 2
        tokenized = [[vocabulary.get(token, 1) for token in title_tokens(title)]
                     for title in titles]
        self.max_title_length = max(1, max(len(tokens) for tokens in tokenized))
        padded = np.zeros((len(titles), self.max_title_length), dtype=np.int64)
        for row, tokens in enumerate(tokenized):
            padded[row, :len(tokens)] = tokens
        self.tokens_of_row = torch.from_numpy(padded)


# --------------------------------------------------------------------------------------------
# Model.

def dense_stack(input_size, layer_sizes):
    layers = []
    for position, size in enumerate(layer_sizes):
        linear = nn.Linear(input_size, size)
        nn.init.xavier_uniform_(linear.weight)  # Glorot-uniform: sqrt(6 / (fan_in + fan_out))
        nn.init.zeros_(linear.bias)
        layers.append(linear)
        if position + 1 < len(layer_sizes):
            layers.append(nn.ReLU())
        input_size = size
    return nn.Sequential(*layers)


def embedding(rows):
    # sparse=True: the backward pass yields only the touched rows (duplicates are summed by
    # the optimizer's coalesce), like TF's IndexedSlices gradients of a Keras Embedding.
    table = nn.Embedding(rows, EMBEDDING_DIM, sparse=True)
    nn.init.uniform_(table.weight, -0.05, 0.05)
    return table


class TwoTowers(nn.Module):
    def __init__(self, data, layer_sizes):
        super().__init__()
        self.age = embedding(data.age_rows)
        self.occupation = embedding(data.occupation_rows)
        self.gender = embedding(data.gender_rows)
        self.ts_bucket = embedding(data.timestamp_rows)
        self.query_dense = dense_stack(4 * EMBEDDING_DIM + 1, layer_sizes)

        self.title_id = embedding(data.title_rows)
        self.title_token = embedding(MAX_TITLE_TOKENS)
        self.candidate_dense = dense_stack(2 * EMBEDDING_DIM, layer_sizes)

        self.title_id_of_row = data.title_id_of_row
        self.tokens_of_row = data.tokens_of_row
        mask = (data.tokens_of_row != 0).to(torch.float32)
        self.token_mask = mask.unsqueeze(2)
        # An empty title would divide by zero; it averages to the zero vector instead.
        self.token_count = mask.sum(dim=1, keepdim=True).clamp(min=1.0)

    def query(self, age, occupation, gender, ts_bucket, ts_norm):
        features = torch.cat([self.age(age), self.occupation(occupation), self.gender(gender),
                              self.ts_bucket(ts_bucket), ts_norm], dim=1)
        return self.query_dense(features)

    def candidate(self, rows):
        tokens = self.title_token(self.tokens_of_row[rows]) * self.token_mask[rows]
        text = tokens.sum(dim=1) / self.token_count[rows]
        features = torch.cat([self.title_id(self.title_id_of_row[rows]), text], dim=1)
        return self.candidate_dense(features)


def query_of(model, data, idx):
    return model.query(data.age[idx], data.occupation[idx], data.gender[idx],
                       data.ts_bucket[idx], data.ts_norm[idx])


# --------------------------------------------------------------------------------------------
# Evaluation (FactorizedTopK over all candidates) and the most-popular baseline.

def hit_rates(greater_counts):
    """greater_counts[i] = candidates scoring strictly above test example i's positive."""
    total = greater_counts.numel()
    return {f"top_{k}": float((greater_counts < k).sum().item()) / total for k in TOP_KS}


def evaluate(model, data, test_idx, chunk=4096):
    with torch.no_grad():
        candidates = model.candidate(torch.arange(data.candidate_count))
        greater = torch.empty(len(test_idx), dtype=torch.int64)
        for start in range(0, len(test_idx), chunk):
            idx = test_idx[start:start + chunk]
            scores = query_of(model, data, idx) @ candidates.T
            positive = scores.gather(1, data.movie_row[idx].unsqueeze(1))
            greater[start:start + len(idx)] = (scores > positive).sum(dim=1)
    return hit_rates(greater)


def popularity_baseline(data, train_idx, test_idx):
    title_of_rating = data.title_id_of_row[data.movie_row]
    popularity = torch.bincount(title_of_rating[train_idx], minlength=data.title_rows)
    candidate_scores, _ = torch.sort(popularity[data.title_id_of_row])
    positive = popularity[title_of_rating[test_idx]]
    not_greater = torch.searchsorted(candidate_scores, positive, right=True)
    return hit_rates(data.candidate_count - not_greater)


# --------------------------------------------------------------------------------------------
# BLAS threads and kernel, recorded so that a run says which configuration it measured.

def _openblas_libraries():
    try:
        with open("/proc/self/maps", "r", encoding="ascii", errors="replace") as maps:
            paths = {line.split()[-1] for line in maps if "openblas" in line.lower()}
    except OSError:
        return []
    libraries = []
    for path in sorted(paths):
        if not path.startswith("/"):
            continue
        try:
            library = ctypes.CDLL(path)
            library.openblas_get_corename.restype = ctypes.c_char_p
            libraries.append((path, library))
        except (OSError, AttributeError):
            continue
    return libraries


def configure_threads(threads):
    """torch.set_num_threads does not reach OpenBLAS's own pthread pool; set both."""
    torch.set_num_threads(threads)
    info = {"library": None, "core": None}
    for path, library in _openblas_libraries():
        if hasattr(library, "openblas_set_num_threads"):
            library.openblas_set_num_threads(ctypes.c_int(threads))
        info = {"library": path, "core": library.openblas_get_corename().decode()}
    return info


# --------------------------------------------------------------------------------------------
# Training.

def run(args):
    started = time.perf_counter()
    blas = configure_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)

    folder = Path(args.data)
    if not folder.is_dir():
        raise DataError(f"{folder}: not a folder (pass --data or set TOWERLAB_ML100K)")
    data = Dataset(folder)
    log(f"data: {data.rating_count} ratings, {data.candidate_count} candidates "
        f"({data.distinct_titles} distinct titles), title vocabulary {data.vocabulary_size}, "
        f"at most {data.max_title_length} tokens per title")

    permutation = torch.from_numpy(rng.permutation(data.rating_count))
    train_count = int(round(TRAIN_FRACTION * data.rating_count))
    train_idx = permutation[:train_count]
    test_idx = permutation[train_count:]
    baseline = popularity_baseline(data, train_idx, test_idx)
    log("baseline (most popular): " + metrics_text(baseline))

    model = TwoTowers(data, args.layers)
    # torch's Adagrad (1.13, _single_tensor_adagrad) does acc += g^2 and
    # w -= lr * g / (sqrt(acc) + eps) with acc starting at initial_accumulator_value; for a
    # sparse gradient it coalesces (sums duplicate rows) and updates only those rows and their
    # accumulators. That is Keras Adagrad (TF ApplyAdagradV2 / sparse apply after
    # _deduplicate_indexed_slices) with lr 0.1, initial accumulator 0.1, epsilon 1e-7.
    optimizer = torch.optim.Adagrad(model.parameters(), lr=0.1, lr_decay=0.0, weight_decay=0.0,
                                    initial_accumulator_value=0.1, eps=1e-7)
    shuffler = torch.Generator().manual_seed(args.seed)

    epoch_seconds, eval_seconds, history = [], [], []
    metrics, initial_loss = None, None
    for epoch in range(1, args.epochs + 1):
        epoch_start = time.perf_counter()
        order = train_idx[torch.randperm(train_count, generator=shuffler)]
        loss_sum, weighted_loss_sum, batches = 0.0, 0.0, 0
        for start in range(0, train_count, args.batch):
            idx = order[start:start + args.batch]
            queries = query_of(model, data, idx)
            candidates = model.candidate(data.movie_row[idx])
            logits = queries @ candidates.T
            labels = torch.arange(len(idx))
            loss = F.cross_entropy(logits, labels, reduction="sum")
            optimizer.zero_grad(set_to_none=True)  # sparse grads must not accumulate
            loss.backward()
            optimizer.step()
            value = loss.item()
            if initial_loss is None:
                initial_loss = value
            loss_sum += value
            weighted_loss_sum += value * len(idx)
            batches += 1
        seconds = time.perf_counter() - epoch_start
        epoch_seconds.append(seconds)
        mean_loss = loss_sum / batches
        if not math.isfinite(mean_loss):
            raise RuntimeError(f"epoch {epoch}: loss diverged ({mean_loss})")
        # mean_loss is the plain mean of the summed batch losses (the reference's definition);
        # Keras's own loss tracker weights each batch by its size, recorded alongside.
        entry = {"epoch": epoch, "mean_loss": mean_loss,
                 "example_weighted_mean_loss": weighted_loss_sum / train_count,
                 "seconds": seconds}
        line = f"epoch {epoch}/{args.epochs}: mean loss {mean_loss:.1f}, {seconds:.3f} s"
        if epoch == args.epochs or (args.eval_every > 0 and epoch % args.eval_every == 0):
            eval_start = time.perf_counter()
            metrics = evaluate(model, data, test_idx)
            eval_seconds.append(time.perf_counter() - eval_start)
            entry.update(metrics)
            entry["eval_seconds"] = eval_seconds[-1]
            line += f"; test {metrics_text(metrics)} ({eval_seconds[-1]:.3f} s)"
        history.append(entry)
        log(line)

    if args.export:
        export_embeddings(model, data, Path(args.export))

    train_seconds = sum(epoch_seconds)
    return {
        "implementation": "pytorch",
        "torch_version": torch.__version__,
        "threads": args.threads,
        "blas": blas,
        "environment": {name: os.environ.get(name) for name in
                        ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OMP_WAIT_POLICY",
                         "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")},
        "layers": list(args.layers),
        "epochs": args.epochs,
        "batch": args.batch,
        "seed": args.seed,
        "train_examples": train_count,
        "test_examples": len(test_idx),
        "epoch_seconds": epoch_seconds,
        "eval_seconds": eval_seconds,
        "train_seconds": train_seconds,
        "total_seconds": time.perf_counter() - started,
        "initial_loss": initial_loss,
        "metrics": metrics,
        "baseline": baseline,
        "history": history,
        "examples_per_second": train_count * args.epochs / train_seconds,
    }


# --------------------------------------------------------------------------------------------
# Export, for exploring this model in TowerLab (README, "Exploring a model trained elsewhere").

def _write_text(path, text):
    # Written under a temporary name and renamed, so a reader never sees half a file.
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


def _vectors_tsv(matrix):
    # As TensorFlow's Projector tutorial writes them: str() of each float, tab-separated.
    return "".join("\t".join(str(value) for value in row) + "\n" for row in matrix)


def export_embeddings(model, data, folder):
    """Movie vectors (Projector TSV and .npy, with labels), user vectors and one query."""
    folder.mkdir(parents=True, exist_ok=True)
    with torch.no_grad():
        movies = model.candidate(torch.arange(data.candidate_count)).numpy()
        # Each user's query at their median rating (of their ratings in time order).
        user_list = sorted(set(int(u) for u in data.user_ids))
        rows = []
        for user in user_list:
            mine = np.flatnonzero(data.user_ids == user)
            mine = mine[np.argsort(data.timestamps[mine], kind="stable")]
            rows.append(int(mine[len(mine) // 2]))
        users = query_of(model, data, torch.tensor(rows)).numpy()
    # The Projector's rule: one column has no header line, two or more have one.
    labels = "title\tmovie_id\n" + "".join(
        f"{title.replace(chr(9), ' ')}\t{row + 1}\n" for row, title in enumerate(data.titles))
    _write_text(folder / "vectors.tsv", _vectors_tsv(movies))
    _write_text(folder / "metadata.tsv", labels)
    np.save(folder / "movies.npy", movies.astype(np.float32))
    _write_text(folder / "movies_metadata.tsv", labels)
    _write_text(folder / "users.tsv", _vectors_tsv(users))
    _write_text(folder / "users_metadata.tsv",
                "user_id\tmedian_timestamp\n" + "".join(
                    f"{user}\t{int(data.timestamps[row])}\n"
                    for user, row in zip(user_list, rows)))
    _write_text(folder / "query.tsv", _vectors_tsv(users[:1]))
    log(f"exported {len(movies)} movie vectors and {len(users)} user vectors of "
        f"{movies.shape[1]} dimensions to {folder}/ (vectors.tsv + metadata.tsv, movies.npy + "
        f"movies_metadata.tsv, users.tsv + users_metadata.tsv, query.tsv: user "
        f"{user_list[0]}'s vector)")


def metrics_text(metrics):
    return " ".join(f"{name}={value:.4f}" for name, value in metrics.items())


# --------------------------------------------------------------------------------------------
# Command line.

def default_data_folder():
    if os.environ.get("TOWERLAB_ML100K"):
        return os.environ["TOWERLAB_ML100K"]
    repo_root = Path(__file__).resolve().parents[2]
    return str(repo_root.parent / "shared" / "datasets" / "ml-100k")


def layer_sizes(text):
    try:
        sizes = [int(part) for part in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"layer sizes must look like 32 or 64,32: {text!r}") \
            from None
    if not sizes or any(size <= 0 for size in sizes):
        raise argparse.ArgumentTypeError(f"layer sizes must be positive: {text!r}")
    return sizes


def positive_int(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be positive: {text!r}")
    return value


def non_negative_int(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative: {text!r}")
    return value


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description="PyTorch peer of TowerLab's reference two-tower retrieval model.")
    parser.add_argument("--data", default=default_data_folder(),
                        help="MovieLens 100K folder (default: $TOWERLAB_ML100K or "
                             "../shared/datasets/ml-100k beside the repository)")
    parser.add_argument("--layers", type=layer_sizes, default=[32],
                        help="dense layer sizes, e.g. 32 or 64,32 (default 32)")
    parser.add_argument("--epochs", type=positive_int, default=50)
    parser.add_argument("--batch", type=positive_int, default=2048)
    parser.add_argument("--seed", type=non_negative_int, default=42)
    parser.add_argument("--eval-every", type=non_negative_int, default=5,
                        help="evaluate every N epochs (0: only after the last); the last "
                             "epoch is always evaluated")
    parser.add_argument("--threads", type=positive_int, default=2,
                        help="torch intra-op and OpenBLAS threads (default 2)")
    parser.add_argument("--json", help="write the result record to this file")
    parser.add_argument("--export", metavar="FOLDER",
                        help="after training, write the movie vectors (vectors.tsv + "
                             "metadata.tsv for the Embedding Projector, movies.npy + "
                             "movies_metadata.tsv), each user's query vector at their median "
                             "rating (users.tsv + users_metadata.tsv) and the first user's as "
                             "query.tsv, for towerlab-cli explore and File → Open embeddings")
    return parser.parse_args(argv)


def main(argv):
    args = parse_args(argv)
    try:
        result = run(args)
    except DataError as error:
        log(f"towerlab_peer: data error: {error}")
        return 2
    except RuntimeError as error:
        log(f"towerlab_peer: {error}")
        return 3
    log(f"done: {result['train_seconds']:.2f} s training "
        f"({result['train_seconds'] / result['epochs']:.3f} s per epoch), "
        f"{result['total_seconds']:.2f} s total; test {metrics_text(result['metrics'])}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(result, handle, indent=2)
            handle.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
