#pragma once
// Runs training jobs one after another on a worker thread and feeds their progress into the
// RunCollection. Owns the thread: destroying the controller stops the current run, ends the
// thread and waits for it, so no training outlives the window.
//
// All public functions are called on the GUI thread.

#include "controllers/training_types.hpp"

#include <QObject>
#include <QString>
#include <QThread>

#include <deque>

namespace towerlab {

class RunCollection;
class TrainingWorker;

class TrainingController : public QObject {
    Q_OBJECT

public:
    enum class State {
        Idle,     // nothing to do
        Starting, // the worker is building the trainer
        Running,
        Pausing, // pause requested, waiting for the current batch (or evaluation chunk) to end
        Paused,
        Stopping, // stop requested, waiting for the current batch (or evaluation chunk) to end
    };
    Q_ENUM(State)

    explicit TrainingController(RunCollection* runs, QObject* parent = nullptr);
    ~TrainingController() override;

    // Adds a run for the job to the collection (status "queued") and starts it when nothing
    // else is running. `step` trains one epoch or one batch and then pauses. Returns the run
    // id.
    // group and removedFeature tag ablation runs; seedSet the runs of "Repeat with N seeds"
    // (their own curves start hidden: the set is drawn as mean and band).
    int enqueue(TrainingJob job, TrainStep step = TrainStep::Run, const QString& group = {},
                const QString& removedFeature = {}, const QString& seedSet = {});

    void pause();
    void resume();
    void step();      // in Paused: trains the rest of the current epoch, then pauses again
    void stepBatch(); // in Paused: trains one batch, sends batchInspected, pauses again
    // Stops the current run (its model so far is kept) and drops the queued ones.
    void stop();

    // While a run trains, send epochSnapshot() every `epochs` epochs (0, the default: never).
    // Snapshots cost a copy of the weights on the training thread, so only live views ask.
    void setEpochSnapshotInterval(int epochs);
    int epochSnapshotInterval() const { return m_snapshotEvery; }

    State state() const { return m_state; }
    int currentRun() const { return m_current; }
    int queuedRuns() const { return static_cast<int>(m_queue.size()); }

signals:
    void stateChanged(towerlab::TrainingController::State state);
    void progress(int runId, const towerlab::BatchProgress& progress);
    // An evaluation of the run that has taken a while: how many test ratings are ranked.
    void evaluationProgress(int runId, const towerlab::EvaluationProgress& progress);
    // A snapshot of the run's model after a pause or at its end.
    void modelReady(int runId, const towerlab::TrainedModelPtr& model);
    // The model of a run in progress after some epoch (see setEpochSnapshotInterval).
    void epochSnapshot(int runId, const towerlab::TrainedModelPtr& model);
    void runFinished(int runId, towerlab::TrainOutcome outcome, const QString& message);
    void runFailed(int runId, const QString& message);
    // A batch trained by stepBatch() (or a run started with TrainStep::OneBatch), opened up.
    void batchInspected(const towerlab::InspectedBatch& batch);
    // The last run of a group (an ablation) has ended, however it ended.
    void groupFinished(const QString& group);

private:
    struct Pending {
        TrainingJob job;
        TrainStep step = TrainStep::Run;
    };

    void setState(State state);
    void startNext();
    void onStarted(int runId, const RunStartInfo& info);
    void onBatches(int runId, const BatchUpdate& update);
    void onEpoch(int runId, const EpochRecord& record);
    void resumeWith(void (TrainingWorker::*slot)());
    void onPaused(int runId, const TrainedModelPtr& model);
    void onFinished(int runId, TrainOutcome outcome, const QString& message,
                    const TrainedModelPtr& model);
    void onFailed(int runId, const QString& message);
    void afterRun();

    RunCollection* m_runs;
    QThread m_thread;
    TrainingWorker* m_worker; // lives on m_thread, deleted when it finishes
    std::deque<Pending> m_queue;
    State m_state = State::Idle;
    int m_current = 0;
    int m_snapshotEvery = 0;
};

} // namespace towerlab
