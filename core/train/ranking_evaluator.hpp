#pragma once
// Ranks each test example's positive candidate among all candidates and summarises the ranks
// as RankingMetrics. Used for the model (scores = query · candidate) and for the most-popular
// baseline (score = popularity), with the same tie rule.

#include "model/ranking_metrics.hpp"
#include "nn/tensor.hpp"

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

// Ranks under a fixed score per candidate (e.g. popularity), same tie rule.
std::vector<std::int32_t> rankByFixedScore(std::span<const double> candidateScores,
                                           std::span<const std::int32_t> positives);

// Metrics from ranks; users[i] is example i's user (for the per-user recall), any ids.
// Precondition (asserted): as many users as ranks.
RankingMetrics metricsFromRanks(std::span<const std::int32_t> ranks,
                                std::span<const std::int32_t> users);

} // namespace towerlab
