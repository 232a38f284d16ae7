#pragma once
// Values that travel between the training worker thread and the GUI thread. Everything here
// is copyable and owns its data, so queued signals can carry it safely.

#include "data/dataset.hpp"
#include "model/beyond_accuracy.hpp"
#include "model/model_config.hpp"
#include "model/ranking_metrics.hpp"
#include "train/batch_inspection.hpp"
#include "train/progress.hpp"

#include <QList>
#include <QMetaType>

#include <cstddef>
#include <memory>
#include <optional>

namespace towerlab {

struct TrainedModel;

// One training run to perform. The dataset is shared read-only: the GUI keeps using it
// (tables, summaries) while the worker builds its Trainer from it.
struct TrainingJob {
    int runId = 0;
    std::shared_ptr<const Dataset> dataset;
    ModelConfig model;
    TrainConfig training;
};

// What the worker knows once the Trainer is built, before the first batch.
struct RunStartInfo {
    std::size_t trainExamples = 0;
    std::size_t testExamples = 0;
    int batchesPerEpoch = 0;
    std::optional<RankingMetrics> baseline;              // most popular on the same test split
    std::optional<RankingMetrics> baselineExcludingSeen; // when the run excludes seen movies
    std::optional<BeyondAccuracyMetrics> baselineBeyond;
};

// The batches finished since the previous update, in order. The worker batches them so a
// tiny batch size cannot flood the GUI thread with one event per batch.
struct BatchUpdate {
    BatchProgress last;  // the newest batch (epoch, batch, speed, elapsed time)
    QList<float> losses; // summed loss of every batch in this update, oldest first
};

using TrainedModelPtr = std::shared_ptr<const TrainedModel>;

// How much of a run to train before pausing: all of it, one epoch, or one batch.
enum class TrainStep { Run, OneEpoch, OneBatch };

// A batch trained by "Step one batch", opened up (train/batch_inspection.hpp), with its
// overview computed on the training thread and the run's dataset to name rows and columns.
struct InspectedBatch {
    int runId = 0;
    std::shared_ptr<const BatchInspection> batch;
    BatchOverview overview;
    std::shared_ptr<const Dataset> dataset;
};

} // namespace towerlab

Q_DECLARE_METATYPE(towerlab::TrainingJob)
Q_DECLARE_METATYPE(towerlab::RunStartInfo)
Q_DECLARE_METATYPE(towerlab::BatchUpdate)
Q_DECLARE_METATYPE(towerlab::EpochRecord)
Q_DECLARE_METATYPE(towerlab::BatchProgress)
Q_DECLARE_METATYPE(towerlab::EvaluationProgress)
Q_DECLARE_METATYPE(towerlab::TrainOutcome)
Q_DECLARE_METATYPE(towerlab::TrainedModelPtr)
Q_DECLARE_METATYPE(towerlab::InspectedBatch)
