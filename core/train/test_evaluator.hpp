#pragma once
// One test split's evaluation, for the trainer (every evaluation epoch) and for evaluating a
// saved model: the ranking metrics, the same with each user's training movies excluded (when
// asked), and the metrics beyond accuracy, for the model and the most-popular baseline.
// Everything that does not change with the weights is prepared once here.

#include "features/feature_space.hpp"
#include "model/beyond_accuracy.hpp"
#include "model/model_config.hpp"
#include "model/ranking_metrics.hpp"
#include "nn/tensor.hpp"
#include "train/beyond_accuracy_metrics.hpp"
#include "train/progress.hpp"
#include "train/seen_movies.hpp"

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

namespace towerlab {

struct TestExamples {
    std::vector<EncodedQuery> queries;
    std::vector<std::int32_t> positives; // catalogue indices
    std::vector<std::int32_t> users;
};

// What the training split says about the catalogue.
struct TrainingSplitInfo {
    std::span<const std::int32_t> titleIds;   // per catalogue movie (baseline groups by title)
    std::span<const std::int32_t> popularity; // training examples per catalogue movie
    const std::vector<std::vector<int>>* genres = nullptr; // per catalogue movie, or null
    std::size_t genreCount = 0;
    // users[i] rated catalogue movie movies[i] in the training split (negative: skipped).
    std::span<const std::int32_t> trainUsers;
    std::span<const std::int32_t> trainMovies;
};

struct TestEvaluation {
    RankingMetrics ranking;
    std::optional<RankingMetrics> excludingSeen; // only when the evaluator excludes seen
    BeyondAccuracyMetrics beyond;
    // Each test example's rank of its positive (1 = best), in the examples' order, and the
    // same with seen movies excluded (empty when not asked): what the metrics summarise, so
    // that two models on the same test examples can be compared example by example.
    std::vector<std::int32_t> ranks;
    std::vector<std::int32_t> ranksExcludingSeen;
};

class TestEvaluator {
    friend class TestEvaluationRun;

public:
    // features: what the model's query tower reads, so that two test examples whose inputs
    // differ only in features the model ignores count as one distinct query.
    TestEvaluator(TestExamples examples, const FeatureSet& features, const TrainingSplitInfo& split,
                  bool excludeSeen);

    // The model's metrics for its query and candidate embeddings. queryEmbeddings has one row
    // per test example; candidates one per catalogue movie. threads as the trainer's (0 = all
    // cores); the result does not depend on it. In one go: TestEvaluationRun for progress,
    // interruption and memory of one chunk.
    TestEvaluation evaluate(const RowMatrix& queryEmbeddings, const RowMatrix& candidates,
                            int threads) const;
    // The most-popular baseline's: every query gets the same list, by title popularity.
    TestEvaluation evaluateBaseline() const;

    const TestExamples& examples() const { return m_examples; }
    std::size_t distinctQueries() const { return m_distinct; }
    bool excludesSeen() const { return m_seen.has_value(); }

private:
    TestExamples m_examples;
    std::vector<std::int32_t> m_listSlot; // per example: its distinct query's slot, or -1
    std::size_t m_distinct = 0;
    std::optional<SeenMovies> m_seen;
    CatalogueStatistics m_stats;
    std::vector<double> m_baselineScores;
};

// One evaluation of fixed weights, a chunk of test examples at a time, so that it can report
// progress, stop between two chunks and go on later where it stopped: the full test split of
// 25M-sized data is millions of queries against 62,000 movies, minutes of work. Memory holds
// one chunk's query embeddings and top-k lists, not the whole split's. The result equals
// TestEvaluator::evaluate's bit for bit, whatever the chunking and the interruptions.
class TestEvaluationRun {
public:
    // Examples per chunk: a multiple of the towers' own embedding chunk (model/towers.cpp), so
    // embedding chunk by chunk gives the same bits as embedding all the queries at once.
    static constexpr std::size_t kChunk = 4096;

    // The query embeddings of test examples [begin, begin + count), in order.
    using EmbedQueries = std::function<RowMatrix(std::size_t begin, std::size_t count)>;
    using Progress = std::function<void(const EvaluationProgress&)>;

    // evaluator, and whatever embed reads, must outlive the run and not change during it.
    TestEvaluationRun(const TestEvaluator& evaluator, RowMatrix candidates, EmbedQueries embed,
                      int threads);

    // Ranks chunks until every example is ranked (true), or until cancel, checked before each
    // chunk, is set (false: call again to go on). progress after every chunk, on this thread,
    // with epoch 0 (the caller knows which epoch it evaluates).
    bool advance(const std::atomic<bool>* cancel, const Progress& progress);

    bool done() const { return m_next == total(); }
    std::size_t ranked() const { return m_next; }
    std::size_t total() const { return m_evaluator->m_examples.queries.size(); }
    double seconds() const { return m_seconds; } // spent in advance() so far

    // The metrics. Precondition (asserted): done(); call once.
    TestEvaluation result();

private:
    const TestEvaluator* m_evaluator;
    RowMatrix m_candidates;
    EmbedQueries m_embed;
    int m_threads;
    std::size_t m_listLength;
    std::size_t m_next = 0;     // the first example not ranked yet
    std::size_t m_nextSlot = 0; // its distinct-query slot, or the next one
    std::vector<std::int32_t> m_ranks, m_ranksExcludingSeen;
    BeyondAccuracyAccumulator m_beyond;
    double m_seconds = 0.0;
};

// First occurrences of each distinct query among `queries`, comparing only the inputs of
// the features in `features`: slot[i] = 0, 1, ... in order of first occurrence, -1 for a
// repeat. Returns the number of distinct queries.
std::size_t distinctQuerySlots(std::span<const EncodedQuery> queries, const FeatureSet& features,
                               std::vector<std::int32_t>& slot);

} // namespace towerlab
