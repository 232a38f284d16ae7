#include "train/test_evaluator.hpp"

#include "train/model_evaluation.hpp"
#include "train/ranking_evaluator.hpp"

#include <algorithm>
#include <numeric>
#include <utility>

namespace towerlab {

std::size_t distinctQuerySlots(std::span<const EncodedQuery> queries, const FeatureSet& features,
                               std::vector<std::int32_t>& slot) {
    // Inputs of unused features are zeroed, so they cannot tell two queries apart. Float
    // inputs are compared as their bits: equal bits give equal embeddings.
    std::array<bool, kQueryFeatureCount> used{};
    for (const FeatureId id : kTowerFeatures<Tower::Query>) {
        used[kTowerSlot[static_cast<std::size_t>(id)]] = features.has(id);
    }
    std::vector<std::array<std::int32_t, kQueryFeatureCount>> keys(queries.size());
    for (std::size_t i = 0; i < queries.size(); ++i) {
        for (std::size_t s = 0; s < kQueryFeatureCount; ++s) {
            keys[i][s] = used[s] ? queries[i].inputs[s] : 0;
        }
    }
    std::vector<std::int32_t> order(queries.size());
    std::iota(order.begin(), order.end(), 0);
    // Stable: within equal keys the first occurrence comes first.
    std::stable_sort(order.begin(), order.end(), [&](std::int32_t a, std::int32_t b) {
        return keys[static_cast<std::size_t>(a)] < keys[static_cast<std::size_t>(b)];
    });
    slot.assign(queries.size(), -1);
    std::vector<std::int32_t> firsts;
    for (std::size_t i = 0; i < order.size(); ++i) {
        const auto e = static_cast<std::size_t>(order[i]);
        if (i == 0 || keys[e] != keys[static_cast<std::size_t>(order[i - 1])]) {
            firsts.push_back(order[i]);
        }
    }
    std::sort(firsts.begin(), firsts.end());
    for (std::size_t s = 0; s < firsts.size(); ++s) {
        slot[static_cast<std::size_t>(firsts[s])] = static_cast<std::int32_t>(s);
    }
    return firsts.size();
}

TestEvaluator::TestEvaluator(TestExamples examples, const FeatureSet& features,
                             const TrainingSplitInfo& split, bool excludeSeen)
    : m_examples(std::move(examples)) {
    m_distinct = distinctQuerySlots(m_examples.queries, features, m_listSlot);
    if (excludeSeen) {
        m_seen.emplace(split.trainUsers, split.trainMovies);
    }
    static const std::vector<std::vector<int>> kNoGenres;
    m_stats = catalogueStatistics(split.popularity, split.genres ? *split.genres : kNoGenres,
                                  split.genres ? split.genreCount : 0);
    m_baselineScores = titlePopularityScores(split.titleIds, split.popularity);
}

TestEvaluation TestEvaluator::evaluate(const RowMatrix& queryEmbeddings,
                                       const RowMatrix& candidates, int threads) const {
    ScoringRequest request;
    request.seen = m_seen ? &*m_seen : nullptr;
    request.users = m_examples.users;
    request.listSlot = m_listSlot;
    request.listLength = beyondAccuracyListLength(static_cast<std::size_t>(candidates.rows()));
    request.lists = m_distinct;
    ScoringResult scored =
        scoreQueries(queryEmbeddings, candidates, m_examples.positives, request, threads);
    TestEvaluation out;
    out.ranking = metricsFromRanks(scored.ranks, m_examples.users);
    if (m_seen) {
        out.excludingSeen = metricsFromRanks(scored.ranksExcludingSeen, m_examples.users);
    }
    out.beyond = beyondAccuracy(scored.topLists, request.listLength, m_stats, threads);
    out.ranks = std::move(scored.ranks);
    out.ranksExcludingSeen = std::move(scored.ranksExcludingSeen);
    return out;
}

TestEvaluation TestEvaluator::evaluateBaseline() const {
    const auto& positives = m_examples.positives;
    const auto ranks = rankByFixedScore(m_baselineScores, positives);
    TestEvaluation out;
    out.ranking = metricsFromRanks(ranks, m_examples.users);
    if (m_seen) {
        out.excludingSeen =
            metricsFromRanks(excludeSeenFromFixedRanks(m_baselineScores, positives,
                                                       m_examples.users, ranks, *m_seen),
                             m_examples.users);
    }
    // Every query gets the same list, so one list gives the same means, coverage and Gini
    // (Gini does not change when every count is multiplied by the number of queries).
    const std::size_t length = beyondAccuracyListLength(m_baselineScores.size());
    std::vector<float> scores(m_baselineScores.begin(), m_baselineScores.end());
    TopScratch scratch;
    std::vector<std::int32_t> list(length);
    topIndices(scores, length, scratch, list.data());
    out.beyond = beyondAccuracy(list, length, m_stats, 1); // one list: no threads needed
    out.beyond.queries = m_examples.queries.empty() ? 0 : m_distinct;
    return out;
}

} // namespace towerlab
