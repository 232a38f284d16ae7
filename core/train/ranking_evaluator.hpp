#pragma once
// Ranks each test example's positive candidate among all candidates and summarises the ranks
// as RankingMetrics. Used for the model (scores = query · candidate) and for the most-popular
// baseline (score = popularity), with the same tie rule.

#include "model/ranking_metrics.hpp"
#include "nn/tensor.hpp"
#include "train/seen_movies.hpp"

#include <cstdint>
#include <span>
#include <vector>

namespace towerlab {

// rank[i] = 1 + number of candidates whose score is strictly greater than the positive's.
// The positive's score is read from the same product as the others, so a positive is never
// out-ranked by its own rounding. Parallel over query blocks; the result does not depend on
// the number of threads (threads = 0: all cores). Precondition (asserted): one positive per
// query row, and queries and candidates of the same width.
std::vector<std::int32_t> rankPositives(const RowMatrix& queryEmbeddings,
                                        const RowMatrix& candidateEmbeddings,
                                        std::span<const std::int32_t> positives, int threads = 0);

// What one scoring pass over the test queries gives besides the ranks; each part only when
// asked for, so the plain evaluation costs what it did.
struct ScoringRequest {
    // With seen movies: ranksExcludingSeen[i] = rank[i] minus the movies of users[i]'s seen
    // list (other than positive i itself) that score strictly higher than the positive.
    const SeenMovies* seen = nullptr;
    std::span<const std::int32_t> users; // one per query row, when seen is given
    // listSlot[i] >= 0: write row i's top listLength candidates, ordered by cut-off as
    // topIndicesByCutoff does (ties: lower index first), to topLists[listSlot[i] *
    // listLength ...]. Empty: no lists.
    std::span<const std::int32_t> listSlot;
    std::size_t listLength = 0;
    std::size_t lists = 0; // number of slots
};

struct ScoringResult {
    std::vector<std::int32_t> ranks;
    std::vector<std::int32_t> ranksExcludingSeen;
    std::vector<std::int32_t> topLists;
};

// rankPositives plus the request's extras from the same score blocks (ranks identical to
// rankPositives'). Preconditions (asserted): as rankPositives; users and listSlot empty or one
// per query row; listLength <= candidates.
ScoringResult scoreQueries(const RowMatrix& queryEmbeddings, const RowMatrix& candidateEmbeddings,
                           std::span<const std::int32_t> positives, const ScoringRequest& request,
                           int threads = 0);

// Working memory of topIndices, reused between calls.
struct TopScratch {
    std::vector<std::uint64_t> keys;
    std::vector<std::int32_t> indices;
};

// The k best of n scores, best first, ties to the lower index; out must hold k (k <= n).
void topIndices(std::span<const float> scores, std::size_t k, TopScratch& scratch,
                std::int32_t* out);

// The k best like topIndices, ordered only as far as the metric cut-offs need: for every
// cut-off c < k, out[0, c) are the c best (in some order). Cheaper than a full sort.
void topIndicesByCutoff(std::span<const float> scores, std::size_t k, TopScratch& scratch,
                        std::int32_t* out);

// Ranks under a fixed score per candidate (e.g. popularity), same tie rule.
std::vector<std::int32_t> rankByFixedScore(std::span<const double> candidateScores,
                                           std::span<const std::int32_t> positives);

// rankByFixedScore's ranks with each user's seen movies removed, as in ScoringRequest.
std::vector<std::int32_t> excludeSeenFromFixedRanks(std::span<const double> candidateScores,
                                                    std::span<const std::int32_t> positives,
                                                    std::span<const std::int32_t> users,
                                                    std::span<const std::int32_t> ranks,
                                                    const SeenMovies& seen);

// Metrics from ranks; users[i] is example i's user (for the per-user recall), any ids.
// Precondition (asserted): as many users as ranks.
RankingMetrics metricsFromRanks(std::span<const std::int32_t> ranks,
                                std::span<const std::int32_t> users);

} // namespace towerlab
