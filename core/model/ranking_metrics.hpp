#pragma once

#include <array>
#include <cstddef>

namespace towerlab {

// Retrieval metrics over a set of (query, positive) examples ranked against all candidates.
// Rank of the positive = 1 + number of candidates scoring strictly higher (ties count in the
// positive's favour, as tf.math.in_top_k and so TFRS FactorizedTopK do).
struct RankingMetrics {
    static constexpr std::array<int, 5> kCutoffs{1, 5, 10, 50, 100};

    std::array<double, 5> topK{};   // FactorizedTopK: fraction of examples with rank <= k
    std::array<double, 5> recall{}; // per-user recall@k: each user's fraction of test examples
                                    // hit, averaged over users (macro average)
    std::array<double, 5> ndcg{};   // mean of 1/log2(1 + rank) when rank <= k, else 0
    double mrr = 0.0;               // mean of 1/rank
    std::size_t examples = 0;
};

} // namespace towerlab
