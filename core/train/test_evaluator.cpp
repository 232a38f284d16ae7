#include "train/test_evaluator.hpp"

#include "train/model_evaluation.hpp"
#include "train/ranking_evaluator.hpp"

#include <algorithm>
#include <cassert>
#include <chrono>
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
    assert(static_cast<std::size_t>(queryEmbeddings.rows()) == m_examples.queries.size() &&
           "TestEvaluator::evaluate: one query embedding per test example is needed");
    TestEvaluationRun run(
        *this, candidates,
        [&](std::size_t begin, std::size_t count) -> RowMatrix {
            return queryEmbeddings.middleRows(static_cast<Eigen::Index>(begin),
                                              static_cast<Eigen::Index>(count));
        },
        threads);
    run.advance(nullptr, {});
    return run.result();
}

TestEvaluationRun::TestEvaluationRun(const TestEvaluator& evaluator, RowMatrix candidates,
                                     EmbedQueries embed, int threads)
    : m_evaluator(&evaluator), m_candidates(std::move(candidates)), m_embed(std::move(embed)),
      m_threads(threads),
      m_listLength(beyondAccuracyListLength(static_cast<std::size_t>(m_candidates.rows()))),
      m_beyond(m_listLength, evaluator.m_stats, threads) {
    m_ranks.resize(total());
    if (evaluator.m_seen) {
        m_ranksExcludingSeen.resize(total());
    }
}

bool TestEvaluationRun::advance(const std::atomic<bool>* cancel, const Progress& progress) {
    const TestEvaluator& e = *m_evaluator;
    const auto start = std::chrono::steady_clock::now();
    const auto elapsed = [&] {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    };
    std::vector<std::int32_t> slots;
    while (!done()) {
        if (cancel != nullptr && cancel->load(std::memory_order_relaxed)) {
            m_seconds += elapsed();
            return false;
        }
        const std::size_t begin = m_next;
        const std::size_t count = std::min(kChunk, total() - begin);
        // This chunk's distinct queries are the slots from m_nextSlot on, in order.
        slots.assign(e.m_listSlot.begin() + static_cast<std::ptrdiff_t>(begin),
                     e.m_listSlot.begin() + static_cast<std::ptrdiff_t>(begin + count));
        std::size_t lists = 0;
        for (std::int32_t& slot : slots) {
            if (slot >= 0) {
                slot -= static_cast<std::int32_t>(m_nextSlot);
                ++lists;
            }
        }
        ScoringRequest request;
        request.seen = e.m_seen ? &*e.m_seen : nullptr;
        request.users = std::span(e.m_examples.users).subspan(begin, count);
        request.listSlot = slots;
        request.listLength = m_listLength;
        request.lists = lists;
        const RowMatrix queries = m_embed(begin, count);
        const ScoringResult scored = scoreQueries(
            queries, m_candidates, std::span(e.m_examples.positives).subspan(begin, count), request,
            m_threads);
        std::copy(scored.ranks.begin(), scored.ranks.end(),
                  m_ranks.begin() + static_cast<std::ptrdiff_t>(begin));
        std::copy(scored.ranksExcludingSeen.begin(), scored.ranksExcludingSeen.end(),
                  m_ranksExcludingSeen.begin() + static_cast<std::ptrdiff_t>(begin));
        m_beyond.add(scored.topLists);
        m_next = begin + count;
        m_nextSlot += lists;
        if (progress) {
            progress({0, m_next, total(), m_seconds + elapsed()});
        }
    }
    m_seconds += elapsed();
    return true;
}

TestEvaluation TestEvaluationRun::result() {
    assert(done() && "TestEvaluationRun::result: the evaluation is not done");
    const TestEvaluator& e = *m_evaluator;
    TestEvaluation out;
    out.ranking = metricsFromRanks(m_ranks, e.m_examples.users);
    if (e.m_seen) {
        out.excludingSeen = metricsFromRanks(m_ranksExcludingSeen, e.m_examples.users);
    }
    out.beyond = m_beyond.finish();
    out.ranks = std::move(m_ranks);
    out.ranksExcludingSeen = std::move(m_ranksExcludingSeen);
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
