#pragma once

#include "data/dataset.hpp"
#include "model/beyond_accuracy.hpp"
#include "model/ranking_metrics.hpp"
#include "model/trained_model.hpp"
#include "train/progress.hpp"

#include <functional>
#include <optional>
#include <vector>

namespace towerlab {

struct Evaluation {
    RankingMetrics model;
    RankingMetrics baseline; // most popular (training-split counts, by title)
    // The same with each user's training movies excluded (only when asked for).
    std::optional<RankingMetrics> modelExcludingSeen;
    std::optional<RankingMetrics> baselineExcludingSeen;
    BeyondAccuracyMetrics modelBeyond;
    BeyondAccuracyMetrics baselineBeyond;
    std::size_t testExamples = 0; // the examples the metrics are over (a sample or all)
    // The test examples of the split the catalogue holds; more than testExamples when the
    // metrics are over a seeded sample of them (evalQueries).
    std::size_t testSplitExamples = 0;
    bool sameDataset = false; // the dataset's fingerprint is the one the model saw
    // Per test example, in one order: the rating it is (index into Dataset::ratings), the
    // model's rank of its movie (1 = best) and, with excludeSeen, the rank with seen movies
    // excluded. Two models whose testRatings are equal were tested on the same examples, so
    // their ranks pair up one to one (a paired bootstrap over test examples).
    std::vector<std::int32_t> testRatings;
    std::vector<std::int32_t> modelRanks;
    std::vector<std::int32_t> modelRanksExcludingSeen;
};

// Evaluates a trained model on `dataset`, split with the model's own seed and fraction, so on
// the dataset it was trained on this reproduces its test metrics. Candidates are the model's
// catalogue; test ratings of movies the catalogue does not hold (matched by title) are
// skipped. threads = 0 uses all cores. excludeSeen: also rank with each user's training-split
// movies removed from the candidates (TFRS query_with_exclusions; the positive never is).
// evalQueries: rank the seeded sample of that many test examples the trainer ranks
// (train/test_sample.hpp, with the model's seed; TrainConfig::kAllTestQueries = all of them),
// so on the training dataset the sampled metrics match the training history's. progress, when
// given, is called after every chunk of test examples ranked (epoch 0), on this thread.
Evaluation evaluateModel(const TrainedModel& model, const Dataset& dataset, int threads = 0,
                         bool excludeSeen = false,
                         int evalQueries = TrainConfig::kDefaultEvalQueries,
                         const std::function<void(const EvaluationProgress&)>& progress = {});

// The shared evaluation step: embeds the queries, ranks each positive among the candidates.
RankingMetrics evaluateQueries(const TrainedModel& model, std::span<const EncodedQuery> queries,
                               std::span<const std::int32_t> positives,
                               std::span<const std::int32_t> users, int threads = 0);

// The most-popular baseline's score of each catalogue movie: the training examples of all
// movies sharing its title (titleIds[m]), so duplicate titles rank together.
std::vector<double> titlePopularityScores(std::span<const std::int32_t> titleIds,
                                          std::span<const std::int32_t> popularity);

// Most-popular baseline: popularity per catalogue movie summed over movies sharing a title.
RankingMetrics evaluatePopularity(std::span<const std::int32_t> titleIds,
                                  std::span<const std::int32_t> popularity,
                                  std::span<const std::int32_t> positives,
                                  std::span<const std::int32_t> users);

} // namespace towerlab
