#include "train/ranking_evaluator.hpp"

#include <omp.h>

#include <algorithm>
#include <cassert>
#include <cmath>
#include <map>

namespace towerlab {

std::vector<std::int32_t> rankPositives(const RowMatrix& queries, const RowMatrix& candidates,
                                        std::span<const std::int32_t> positives, int threads) {
    assert(static_cast<std::size_t>(queries.rows()) == positives.size() &&
           "rankPositives: one positive per query is needed");
    assert(queries.cols() == candidates.cols() &&
           "rankPositives: query and candidate widths differ");
    constexpr Eigen::Index kBlock = 256;
    const Eigen::Index n = queries.rows();
    const Eigen::Index blocks = (n + kBlock - 1) / kBlock;
    std::vector<std::int32_t> ranks(static_cast<std::size_t>(n));
    const int useThreads = threads > 0 ? threads : omp_get_num_procs();
#pragma omp parallel num_threads(useThreads)
    {
        RowMatrix scores;
#pragma omp for schedule(dynamic, 4)
        for (Eigen::Index b = 0; b < blocks; ++b) {
            const Eigen::Index r0 = b * kBlock;
            const Eigen::Index rows = std::min(kBlock, n - r0);
            scores.resize(rows, candidates.rows());
            scores.noalias() = queries.middleRows(r0, rows) * candidates.transpose();
            for (Eigen::Index i = 0; i < rows; ++i) {
                const auto row = scores.row(i).array();
                const float positive = row(positives[static_cast<std::size_t>(r0 + i)]);
                ranks[static_cast<std::size_t>(r0 + i)] =
                    1 + static_cast<std::int32_t>((row > positive).count());
            }
        }
    }
    return ranks;
}

std::vector<std::int32_t> rankByFixedScore(std::span<const double> scores,
                                           std::span<const std::int32_t> positives) {
    std::vector<double> sorted(scores.begin(), scores.end());
    std::sort(sorted.begin(), sorted.end());
    std::vector<std::int32_t> ranks(positives.size());
    for (std::size_t i = 0; i < positives.size(); ++i) {
        const double s = scores[static_cast<std::size_t>(positives[i])];
        const auto greater = sorted.end() - std::upper_bound(sorted.begin(), sorted.end(), s);
        ranks[i] = 1 + static_cast<std::int32_t>(greater);
    }
    return ranks;
}

RankingMetrics metricsFromRanks(std::span<const std::int32_t> ranks,
                                std::span<const std::int32_t> users) {
    assert(ranks.size() == users.size() && "metricsFromRanks: one user per rank is needed");
    RankingMetrics m;
    m.examples = ranks.size();
    if (ranks.empty()) {
        return m;
    }
    constexpr std::size_t K = RankingMetrics::kCutoffs.size();
    struct PerUser {
        std::size_t examples = 0;
        std::array<std::size_t, K> hits{};
    };
    std::map<std::int32_t, PerUser> perUser; // ordered: the recall sum is the same everywhere
    std::array<std::size_t, K> hits{};
    for (std::size_t i = 0; i < ranks.size(); ++i) {
        const std::int32_t r = ranks[i];
        PerUser& u = perUser[users[i]];
        ++u.examples;
        const double gain = 1.0 / std::log2(1.0 + static_cast<double>(r));
        for (std::size_t k = 0; k < K; ++k) {
            if (r <= RankingMetrics::kCutoffs[k]) {
                ++hits[k];
                ++u.hits[k];
                m.ndcg[k] += gain;
            }
        }
        m.mrr += 1.0 / static_cast<double>(r);
    }
    const auto n = static_cast<double>(ranks.size());
    for (std::size_t k = 0; k < K; ++k) {
        m.topK[k] = static_cast<double>(hits[k]) / n;
        m.ndcg[k] /= n;
        double recall = 0.0;
        for (const auto& [user, u] : perUser) {
            recall += static_cast<double>(u.hits[k]) / static_cast<double>(u.examples);
        }
        m.recall[k] = recall / static_cast<double>(perUser.size());
    }
    m.mrr /= n;
    return m;
}

} // namespace towerlab
