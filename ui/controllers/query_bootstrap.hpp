#pragma once
// Two single runs, one seed each: when both were tested on the same test ratings (the same
// dataset and split), a paired bootstrap over those test examples (the core's
// pairedBootstrapVerdict) says whether one model ranks them better, example by example. Each
// model is evaluated again on the dataset (core evaluateModel, one thread) to get its
// per-example ranks, then 2,000 resamples are drawn: on MovieLens 100K (20,000 test ratings)
// about a second in all, so the window runs this off the GUI thread.

#include "controllers/seed_sets.hpp"

#include <QString>

#include <optional>

namespace towerlab {

struct Dataset;
struct TrainedModel;

struct BootstrapResult {
    std::optional<DifferenceVerdict> verdict;
    QString why; // when there is no verdict
};

// Whether the metric has one value per test example (top-k accuracy: 1 when the example's
// movie is in the top k, else 0); the others describe all test queries' lists together.
bool bootstrapApplies(RunMetric metric);

// Thread-safe (reads its arguments only). `dataset` must be the one both models were trained
// on (else `why` says so); a metric without per-example values gives `why` too.
BootstrapResult bootstrapSingleRuns(const TrainedModel& first, const TrainedModel& second,
                                    const Dataset& dataset, RunMetric metric);

} // namespace towerlab
