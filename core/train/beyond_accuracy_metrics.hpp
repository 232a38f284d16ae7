#pragma once
// Metrics beyond accuracy (coverage, popularity, Gini, novelty, genre diversity) from the
// top-k lists a recommender gives; definitions in model/beyond_accuracy.hpp and docs/cli.md.
// The lists come from the evaluation's own scoring pass (ranking_evaluator.hpp), so these
// cost one walk over the lists.

#include "model/beyond_accuracy.hpp"

#include <array>
#include <cstdint>
#include <span>
#include <vector>

namespace towerlab {

// Per catalogue movie, what the metrics look up; made once per training split.
struct CatalogueStatistics {
    std::vector<double> popularityPercentile; // 0..100, mid-rank of the training count
    std::vector<double> selfInformation;      // -log2((count + 1) / (examples + movies))
    std::vector<std::uint64_t> genreMasks;    // bit g = genre g; empty: no genre diversity
    // The distinct genre sets: each movie's set number, and 1 - Jaccard between every two sets
    // (sets x sets), so a pair costs a look-up.
    std::vector<std::int32_t> genreSet;
    std::vector<double> setDistance;
    std::size_t genreSets = 0;
};

// popularity[m] = training examples of movie m. genres[m] = its genre indices (all below
// genreCount); with genreCount 0 or above 64 there is no diversity (ML datasets have <= 20).
// Precondition (asserted): genres is empty or one entry per movie.
CatalogueStatistics catalogueStatistics(std::span<const std::int32_t> popularity,
                                        const std::vector<std::vector<int>>& genres,
                                        std::size_t genreCount);

// lists holds one row per distinct query: listLength catalogue indices, best first, each row
// without repeats. listLength must be min(100, catalogue size) so every cut-off is covered.
// Precondition (asserted): lists.size() is a multiple of listLength, indices in range.
// Parallel over fixed chunks of lists summed in order, so the result does not depend on the
// number of threads (threads = 0: all cores).
BeyondAccuracyMetrics beyondAccuracy(std::span<const std::int32_t> lists, std::size_t listLength,
                                     const CatalogueStatistics& stats, int threads = 0);

// beyondAccuracy over lists that arrive in parts, as an evaluation in chunks of queries makes
// them: the same chunks summed in the same order, so finish() equals beyondAccuracy of all the
// lists at once, bit for bit, and memory holds one part instead of every list.
class BeyondAccuracyAccumulator {
public:
    // listLength and threads as beyondAccuracy's; stats must outlive the accumulator.
    BeyondAccuracyAccumulator(std::size_t listLength, const CatalogueStatistics& stats,
                              int threads = 0);
    // The next lists: whole rows, in query order. Precondition (asserted): as beyondAccuracy.
    void add(std::span<const std::int32_t> lists);
    // The metrics of every list added.
    BeyondAccuracyMetrics finish();

private:
    static constexpr std::size_t kCuts = RankingMetrics::kCutoffs.size();
    struct Sums {
        std::array<double, kCuts> percentile{}, novelty{}, diversity{};
    };
    void sumChunks(std::span<const std::int32_t> lists);

    std::size_t m_listLength;
    const CatalogueStatistics* m_stats;
    int m_threads;
    std::array<std::size_t, kCuts> m_length{}; // each cut-off's list length
    std::vector<std::uint8_t> m_segmentOf;     // per list position: its first cut-off
    // Per thread, per segment and movie: the lists holding the movie there.
    std::vector<std::vector<std::int64_t>> m_threadCounts;
    Sums m_total;
    std::vector<std::int32_t> m_pending; // lists of a chunk not yet whole
    std::size_t m_queries = 0;
};

// 1 - |a & b| / |a | b| of two genre sets as bit masks; two empty sets are alike (0).
double genreDistance(std::uint64_t a, std::uint64_t b);

// The list length the metrics need for a catalogue of `movies`: the largest cut-off, or the
// whole catalogue when it is smaller.
std::size_t beyondAccuracyListLength(std::size_t movies);

// Gini coefficient of non-negative counts: sum_i (2i - n - 1) x_(i) / (n sum x), x ascending,
// i = 1..n; 0 when every count is 0.
double giniCoefficient(std::span<const double> counts);

} // namespace towerlab
