#pragma once
// The object that drives a Trainer on the training thread. It is moved to a QThread by
// TrainingController and talks to the GUI only through queued signals carrying values.
//
// Protocol: begin() builds the Trainer and trains (all epochs, one epoch or one batch);
// resume() trains on; step() trains (the rest of) one epoch; stepBatch() trains one batch and
// sends what it looked like (batchInspected); finish() ends a paused run.
// requestInterrupt() may be called from any thread: the trainer checks the flag before every
// batch and between chunks of an evaluation, so a pause or stop takes effect within one batch
// or chunk. A paused evaluation goes on where it stopped; a stopped one is dropped (the epoch
// is kept without test metrics). The caller clears the flag with
// clearInterrupt() before queueing the next resume()/step().

#include "controllers/training_types.hpp"

#include <QObject>
#include <QString>

#include <atomic>
#include <memory>

namespace towerlab {

class Trainer;

class TrainingWorker : public QObject {
    Q_OBJECT

public:
    TrainingWorker();
    ~TrainingWorker() override;

    // Thread-safe. stop = true ends the run (finished() with Cancelled); false pauses it
    // (paused()).
    void requestInterrupt(bool stop);
    // Thread-safe; only call while no slot of this worker is running or queued.
    void clearInterrupt();
    // Thread-safe. Every `epochs` epochs (0 = never) a run in progress sends epochSnapshot(),
    // for views that follow the model live (the Embeddings map).
    void setSnapshotInterval(int epochs) { m_snapshotEvery.store(epochs); }

    // Slots, run on the worker thread (queue them with QMetaObject::invokeMethod).
    void begin(const towerlab::TrainingJob& job, towerlab::TrainStep step);
    void resume();
    void step();
    void stepBatch();
    void finish();

signals:
    void started(int runId, const towerlab::RunStartInfo& info);
    void batches(int runId, const towerlab::BatchUpdate& update);
    // An evaluation that has run a while: how far it is (small ones are not reported).
    void evaluating(int runId, const towerlab::EvaluationProgress& progress);
    void epochDone(int runId, const towerlab::EpochRecord& record);
    void paused(int runId, const towerlab::TrainedModelPtr& model);
    void epochSnapshot(int runId, const towerlab::TrainedModelPtr& model);
    void finished(int runId, towerlab::TrainOutcome outcome, const QString& message,
                  const towerlab::TrainedModelPtr& model);
    void failed(int runId, const QString& message);
    void batchInspected(const towerlab::InspectedBatch& batch);

private:
    enum class Mode { AllEpochs, OneEpoch };
    void train(Mode mode);
    void trainOneBatch();
    void endRun(TrainOutcome outcome, const QString& message);
    // Why a stopped run ended, saying so when it stopped in an evaluation.
    QString stoppedMessage() const;

    class Sink;
    std::unique_ptr<Trainer> m_trainer;
    std::unique_ptr<Sink> m_sink;
    int m_runId = 0;
    std::shared_ptr<const Dataset> m_dataset; // the run's, for naming an inspected batch
    std::atomic<bool> m_interrupt{false};
    std::atomic<bool> m_stop{false};
    std::atomic<int> m_snapshotEvery{0};
};

} // namespace towerlab
