#pragma once

#include "model/beyond_accuracy.hpp"
#include "model/ranking_metrics.hpp"

#include <optional>
#include <vector>

namespace towerlab {

struct EpochRecord {
    int epoch = 0;              // 1-based
    double meanLoss = 0.0;      // mean over the epoch's batches of the summed batch loss
    double lastBatchLoss = 0.0; // what Keras/TFRS print as the epoch's "loss"
    double seconds = 0.0;       // training time of this epoch (evaluation excluded)
    double examplesPerSecond = 0.0;
    std::optional<RankingMetrics> test; // set on evaluation epochs
    // Set with test when the run excludes each user's training movies (TrainConfig::excludeSeen).
    std::optional<RankingMetrics> testExcludingSeen;
    std::optional<BeyondAccuracyMetrics> beyond; // set with test (not kept in model files)
};

struct TrainingHistory {
    std::vector<EpochRecord> epochs;
    std::vector<float> batchLosses;         // every batch's summed loss, in order
    std::optional<RankingMetrics> baseline; // most-popular baseline on the same test split
    std::optional<RankingMetrics> baselineExcludingSeen; // as testExcludingSeen
    std::optional<BeyondAccuracyMetrics> baselineBeyond; // as beyond
    // The test split's size. The test metrics rank TrainConfig::evalQueries of them (a seeded
    // sample, train/test_sample.hpp) when the split is larger: a metric whose examples are
    // fewer than this is over a sample. 0: not known (a model file written before it was kept).
    std::size_t testExamples = 0;
    double trainSeconds = 0.0;
    double evalSeconds = 0.0;
};

} // namespace towerlab
