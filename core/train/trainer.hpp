#pragma once
// Trains the two-tower model on a dataset. Construction fits the features, splits the ratings,
// encodes every example once and initialises the weights; after that the dataset is no
// longer needed. Training runs epoch by epoch, so a caller can pause (cancel), resume (call
// again), step one epoch or step one batch.
//
// Thread-safety: one thread drives a Trainer; `cancel` may be set from any thread and is
// checked before every batch. snapshot() is called on the driving thread and returns an
// immutable model other threads may read.

#include "data/dataset.hpp"
#include "model/model_config.hpp"
#include "model/trained_model.hpp"
#include "train/progress.hpp"

#include <atomic>
#include <memory>

namespace towerlab {

struct BatchInspection;

class Trainer {
public:
    // Throws ConfigError for invalid configs and for features the dataset lacks.
    Trainer(const Dataset& dataset, const ModelConfig& model, const TrainConfig& training);
    ~Trainer();
    Trainer(const Trainer&) = delete;
    Trainer& operator=(const Trainer&) = delete;

    // Trains until the configured number of epochs is done, the flag is set (Cancelled; the
    // weights stay those after the last whole batch) or the loss stops being finite (Diverged;
    // the weights go back to the last ones that gave a finite loss).
    TrainReport fit(ProgressSink& sink, const std::atomic<bool>& cancel);

    // Trains (the rest of) one epoch, evaluating if the epoch is an evaluation epoch. The flag
    // is also checked between chunks of the evaluation: set there, the evaluation stays
    // pending (evaluationPending()) and the next call goes on with it where it stopped.
    TrainOutcome runEpoch(ProgressSink& sink, const std::atomic<bool>& cancel);

    // Trains one batch, the next of the current epoch (a new epoch when none is under way), and
    // ends the epoch, evaluating when due, if that was its last batch. A pending evaluation
    // is finished first. With `inspection`, fills it with the batch's logits before and after
    // the step (two B x B matrices and a second forward pass: for looking inside a batch, not
    // for training fast); it stays untouched when no batch was trained. Completed also when
    // nothing was left to train (finished()); Cancelled when `cancel` stopped an evaluation.
    TrainOutcome stepBatch(ProgressSink& sink, BatchInspection* inspection = nullptr,
                           const std::atomic<bool>* cancel = nullptr);

    // An epoch's batches are all done but its evaluation was stopped: the epoch is not in the
    // history (epochsDone() does not count it) until the evaluation ends or is skipped.
    bool evaluationPending() const;
    // Drops a pending evaluation: the epoch enters the history without test metrics (for a
    // run stopped for good). Nothing happens when none is pending.
    void skipPendingEvaluation(ProgressSink& sink);

    // The test-split metrics of the current weights.
    RankingMetrics evaluateTest();
    // Every test metric of the current weights (ranking, excluding seen when configured,
    // beyond accuracy) as a record with only epoch and those fields set. With a sink, reports
    // its progress (onEvaluation) as an epoch's evaluation does.
    EpochRecord evaluateNow(ProgressSink* sink = nullptr);

    // The logits precision in use: TrainConfig::logits, or Fp32 when Bf16 was asked for where
    // it cannot run (this CPU, this engine or the output width); logitsNotice() then says why
    // (empty otherwise), for the caller to show.
    LogitsPrecision logitsPrecision() const;
    const std::string& logitsNotice() const;
    // With Bf16 in use, what multiplies, in a phrase for the user: all three B x B products
    // on AMX tiles, or the logits alone with AVX-512 BF16 dot products and why not AMX (the
    // CPU, or a retrieval-task option: those losses have no tile path). Empty with Fp32.
    std::string bf16Engine() const;

    std::shared_ptr<const TrainedModel> snapshot() const;
    const TrainingHistory& history() const;
    int epochsDone() const;
    bool finished() const; // all configured epochs done, or diverged
    bool diverged() const;
    const std::string& divergenceMessage() const;
    std::size_t trainExamples() const;
    std::size_t testExamples() const;
    // The test examples each evaluation ranks: all of testExamples(), or the seeded sample
    // of TrainConfig::evalQueries of them when the split is larger.
    std::size_t evaluatedTestExamples() const;

private:
    struct State;
    std::unique_ptr<State> m_state;
};

} // namespace towerlab
