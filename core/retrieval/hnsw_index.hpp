#pragma once
// Approximate top-k retrieval: an HNSW graph (hnswlib) over the candidate (movie) vectors,
// beside the exact brute-force scoring of retrieval.hpp, as TFRS offers ScaNN beside
// BruteForce. It finds the movies of highest dot product, the model's score (a cosine model,
// l2Normalize, has unit vectors, so that is the cosine). The movies are split into bands of
// similar vector length, one graph each, in which one added coordinate gives every movie the
// same length and turns the search into a nearest-neighbour search the graph handles well;
// a query searches every band (see hnsw_index.cpp for why and what it gained).
//
// Intended use: build once per model (HnswIndex::build, seconds for 100k movies, minutes for
// 1M), then answer many queries (HnswIndex::search, concurrently from any number of threads),
// and measure what the approximation costs against brute force with measureHnsw.

#include "nn/tensor.hpp"
#include "retrieval/retrieval.hpp"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace towerlab {

// A refused parameter or input; the message names the field ("HNSW ef", "HNSW M", ...).
class HnswError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

struct HnswParams {
    int m = 16;               // links per node and layer (hnswlib M), 2..100
    int efConstruction = 200; // candidate list while inserting, m..10,000
    // hnswlib's random_seed: draws each node's layer. With threads == 1 the same vectors and
    // parameters give the same graph, hence the same results, on every run.
    std::uint64_t seed = 100;
    // Insertion threads; 0 = all cores. Above 1 the graph depends on the order the threads
    // happen to insert in, so results may differ slightly from run to run (recall does not
    // change measurably); 1 is deterministic.
    int threads = 1;
};

// Called with (movies inserted, movies in all), from the thread that called build.
using HnswProgress = std::function<void(std::size_t done, std::size_t total)>;

class HnswIndex {
public:
    // Builds the graph over the rows of `vectors` (row i is catalogue movie i). Throws
    // HnswError for an empty catalogue, zero dimension, non-finite values or parameters out of
    // range. Returns nullptr when `cancel` became true (checked every few hundred inserts).
    static std::unique_ptr<HnswIndex> build(const RowMatrix& vectors, const HnswParams& params,
                                            const HnswProgress& progress = {},
                                            const std::atomic<bool>* cancel = nullptr);
    ~HnswIndex();
    HnswIndex(const HnswIndex&) = delete;
    HnswIndex& operator=(const HnswIndex&) = delete;

    // The k movies of highest dot product with `query` that the graphs find when searching
    // each length band with a candidate list of `ef` (ef >= k; larger is slower and closer to
    // exact; a band no larger than ef is scanned whole, so ef >= size() is exact).
    // `excluded` catalogue indices are never returned and do not count towards k: each band is
    // asked for k + |excluded| and, should filtering leave fewer than k, searched again with a
    // longer list, up to a full scan, so the list is as long as brute force's.
    // Each result's score is the true dot product (recomputed in full precision from the
    // stored vector). Its rank is its position in this list (1, 2, ...), not its catalogue
    // rank: a movie the graph missed may score higher, and computing the true rank would
    // cost the full scan the index exists to avoid. Descending score, ties by catalogue index.
    // Throws HnswError for k == 0, ef < k or a query of the wrong dimension. Thread-safe.
    std::vector<ScoredMovie> search(const RowVector& query, std::size_t k, std::size_t ef,
                                    std::span<const std::int32_t> excluded = {}) const;

    std::size_t size() const;
    int dimension() const;
    std::size_t bands() const; // length bands, one graph each
    const HnswParams& params() const;
    double buildSeconds() const; // wall time of build
    // Bytes of the graphs, their copy of the vectors (layer 0 and the upper layers' link
    // lists) and the index's own tables; the visited-list pools of searches are not counted.
    std::size_t memoryBytes() const;

private:
    struct Impl;
    explicit HnswIndex(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

// Recall and latency of one ef setting against brute force over `queries` (one row each).
struct HnswMeasurement {
    std::size_t k = 0;
    std::size_t ef = 0;
    std::size_t queries = 0;
    // Mean over queries of |HNSW top-k ∩ exact top-k| / k (movies, not scores: a tie at the
    // k-th score may count as a miss).
    double recall = 0.0;
    // Per-query wall time in milliseconds, single-threaded: the exact path is scoreAll's
    // product with every candidate plus the top-k selection of recommend (topKOfScores).
    double bruteMeanMs = 0.0, bruteP50Ms = 0.0, bruteP99Ms = 0.0;
    double hnswMeanMs = 0.0, hnswP50Ms = 0.0, hnswP99Ms = 0.0;
};

// Runs every query through both paths, one after the other on the calling thread. Throws
// HnswError when the candidates are not the index's (different size or dimension), there are
// no queries, or k / ef are refused as by search. Returns a measurement of 0 queries when
// `cancel` became true.
HnswMeasurement measureHnsw(const HnswIndex& index, const RowMatrix& candidates,
                            const RowMatrix& queries, std::size_t k, std::size_t ef,
                            const std::atomic<bool>* cancel = nullptr);

} // namespace towerlab
