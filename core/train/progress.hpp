#pragma once
// What the trainer tells its observer. Value types only: a GUI can copy them into queued
// signals, a CLI can print them.

#include "model/training_history.hpp"

#include <cstddef>
#include <memory>
#include <string>

namespace towerlab {

struct TrainedModel;

struct BatchProgress {
    int epoch = 0;                  // 1-based
    int batch = 0;                  // 1-based within the epoch
    int batches = 0;                // batches per epoch
    double loss = 0.0;              // this batch's summed loss
    double examplesPerSecond = 0.0; // over the epoch so far
    double elapsedSeconds = 0.0;    // since training started (training time only)
};

// One evaluation's progress: the test examples ranked so far. Evaluations of the full test
// split of large data take minutes, so they report after every chunk of examples.
struct EvaluationProgress {
    int epoch = 0;            // the epoch whose weights are evaluated (1-based)
    std::size_t ranked = 0;   // test examples ranked so far
    std::size_t examples = 0; // test examples this evaluation ranks
    double seconds = 0.0;     // spent on this evaluation so far (across pauses)
};

// Called on the training thread. Implementations must be quick (copy and return).
class ProgressSink {
public:
    virtual ~ProgressSink() = default;
    virtual void onBatch(const BatchProgress&) {}
    // After every epoch; record.test is set on evaluation epochs.
    virtual void onEpoch(const EpochRecord&) {}
    // While an evaluation ranks the test examples, after every chunk of them.
    virtual void onEvaluation(const EvaluationProgress&) {}
};

enum class TrainOutcome { Completed, Cancelled, Diverged };
std::string outcomeName(TrainOutcome outcome); // "completed", "cancelled", "diverged"

struct TrainReport {
    TrainOutcome outcome = TrainOutcome::Completed;
    std::string message; // why it stopped, for Cancelled and Diverged
    std::shared_ptr<const TrainedModel> model;
};

} // namespace towerlab
