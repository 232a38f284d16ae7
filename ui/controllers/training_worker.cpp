#include "controllers/training_worker.hpp"

#include "model/trained_model.hpp"
#include "train/trainer.hpp"

#include <chrono>
#include <exception>

namespace towerlab {

namespace {

// Batch updates are sent at most this often; epoch ends always flush. 40 ms keeps the
// progress bar smooth while a batch size of 1 still costs the GUI only 25 events a second.
constexpr auto kBatchUpdateInterval = std::chrono::milliseconds(40);
// An evaluation is reported once it has run this long, so the quick ones of small data do not
// flash a line the user cannot read; then at most every kEvaluationUpdateInterval.
constexpr double kEvaluationShownAfter = 0.3;
constexpr auto kEvaluationUpdateInterval = std::chrono::milliseconds(100);

} // namespace

class TrainingWorker::Sink : public ProgressSink {
public:
    Sink(TrainingWorker& worker, int runId) : m_worker(worker), m_runId(runId) {
        m_pending.losses.reserve(256);
    }

    void onBatch(const BatchProgress& progress) override {
        m_pending.losses.push_back(static_cast<float>(progress.loss));
        m_pending.last = progress;
        const auto now = std::chrono::steady_clock::now();
        if (now - m_lastSent >= kBatchUpdateInterval) {
            flush();
            m_lastSent = now;
        }
    }

    void onEpoch(const EpochRecord& record) override {
        flush();
        emit m_worker.epochDone(m_runId, record);
    }

    void onEvaluation(const EvaluationProgress& progress) override {
        const auto now = std::chrono::steady_clock::now();
        if (progress.seconds < kEvaluationShownAfter ||
            (progress.ranked != progress.examples &&
             now - m_lastEvaluationSent < kEvaluationUpdateInterval)) {
            return;
        }
        flush();
        m_lastEvaluationSent = now;
        emit m_worker.evaluating(m_runId, progress);
    }

    void flush() {
        if (m_pending.losses.isEmpty()) {
            return;
        }
        emit m_worker.batches(m_runId, m_pending);
        m_pending.losses.clear();
    }

private:
    TrainingWorker& m_worker;
    int m_runId;
    BatchUpdate m_pending;
    std::chrono::steady_clock::time_point m_lastSent{};
    std::chrono::steady_clock::time_point m_lastEvaluationSent{};
};

TrainingWorker::TrainingWorker() = default;
TrainingWorker::~TrainingWorker() = default;

void TrainingWorker::requestInterrupt(bool stop) {
    if (stop) {
        m_stop.store(true);
    }
    m_interrupt.store(true);
}

void TrainingWorker::clearInterrupt() {
    m_interrupt.store(false);
    m_stop.store(false);
}

void TrainingWorker::begin(const TrainingJob& job, TrainStep step) {
    m_runId = job.runId;
    m_dataset = job.dataset;
    m_trainer.reset();
    m_sink.reset();
    try {
        // Building the trainer fits the features and encodes every rating: the slow part of
        // a start on large data, hence here and not on the GUI thread.
        m_trainer = std::make_unique<Trainer>(*job.dataset, job.model, job.training);
    } catch (const std::exception& error) {
        emit failed(m_runId, QString::fromStdString(error.what()));
        return;
    }
    m_sink = std::make_unique<Sink>(*this, m_runId);
    RunStartInfo info;
    info.trainExamples = m_trainer->trainExamples();
    info.testExamples = m_trainer->testExamples();
    const auto batch = static_cast<std::size_t>(job.training.batchSize);
    info.batchesPerEpoch = static_cast<int>((info.trainExamples + batch - 1) / batch);
    info.baseline = m_trainer->history().baseline;
    info.baselineExcludingSeen = m_trainer->history().baselineExcludingSeen;
    info.baselineBeyond = m_trainer->history().baselineBeyond;
    emit started(m_runId, info);
    if (step == TrainStep::OneBatch) {
        trainOneBatch();
    } else {
        train(step == TrainStep::OneEpoch ? Mode::OneEpoch : Mode::AllEpochs);
    }
}

void TrainingWorker::resume() {
    train(Mode::AllEpochs);
}

void TrainingWorker::step() {
    train(Mode::OneEpoch);
}

void TrainingWorker::stepBatch() {
    trainOneBatch();
}

void TrainingWorker::trainOneBatch() {
    if (!m_trainer) {
        return;
    }
    try {
        auto batch = std::make_shared<BatchInspection>();
        const TrainOutcome outcome = m_trainer->stepBatch(*m_sink, batch.get(), &m_interrupt);
        m_sink->flush();
        if (outcome == TrainOutcome::Diverged) {
            endRun(outcome, QString::fromStdString(m_trainer->divergenceMessage()));
            return;
        }
        if (outcome == TrainOutcome::Cancelled) {
            // Interrupted in an evaluation the step had to finish first: no batch was trained.
            if (m_stop.load()) {
                endRun(outcome, stoppedMessage());
            } else {
                emit paused(m_runId, m_trainer->snapshot());
            }
            return;
        }
        if (batch->epoch == 0) {
            // Only a pending evaluation was left to do: nothing to inspect.
            endRun(TrainOutcome::Completed, QString());
            return;
        }
        // The overview reads the B x B logits twice (about 20 ms at B = 2,048): here, so the
        // GUI thread only draws.
        InspectedBatch inspected;
        inspected.runId = m_runId;
        inspected.overview = overviewOf(*batch);
        inspected.batch = std::move(batch);
        inspected.dataset = m_dataset;
        emit batchInspected(inspected);
        if (m_trainer->finished()) {
            endRun(TrainOutcome::Completed, QString());
        } else {
            emit paused(m_runId, m_trainer->snapshot());
        }
    } catch (const std::exception& error) {
        m_trainer.reset();
        emit failed(m_runId, QString::fromStdString(error.what()));
    }
}

void TrainingWorker::finish() {
    if (m_trainer) {
        endRun(TrainOutcome::Cancelled, stoppedMessage());
    }
}

QString TrainingWorker::stoppedMessage() const {
    if (m_trainer->evaluationPending()) {
        return tr("stopped after %1 epochs, during the evaluation of the last one (kept without "
                  "test metrics)")
            .arg(m_trainer->epochsDone() + 1);
    }
    return tr("stopped after %1 epochs").arg(m_trainer->epochsDone());
}

void TrainingWorker::train(Mode mode) {
    if (!m_trainer) {
        return;
    }
    try {
        while (!m_trainer->finished()) {
            const TrainOutcome outcome = m_trainer->runEpoch(*m_sink, m_interrupt);
            if (outcome == TrainOutcome::Cancelled) {
                m_sink->flush();
                if (m_stop.load()) {
                    endRun(TrainOutcome::Cancelled, stoppedMessage());
                } else {
                    emit paused(m_runId, m_trainer->snapshot());
                }
                return;
            }
            if (outcome == TrainOutcome::Diverged) {
                m_sink->flush();
                endRun(outcome, QString::fromStdString(m_trainer->divergenceMessage()));
                return;
            }
            if (mode == Mode::OneEpoch && !m_trainer->finished()) {
                emit paused(m_runId, m_trainer->snapshot());
                return;
            }
            // The end of the run sends its own snapshot (finished()), so only the ones between.
            const int every = m_snapshotEvery.load();
            if (every > 0 && !m_trainer->finished() && m_trainer->epochsDone() % every == 0) {
                emit epochSnapshot(m_runId, m_trainer->snapshot());
            }
        }
        endRun(m_trainer->diverged() ? TrainOutcome::Diverged : TrainOutcome::Completed,
               QString::fromStdString(m_trainer->divergenceMessage()));
    } catch (const std::exception& error) {
        // The trainer reports divergence as an outcome; an exception here is a resource
        // problem (memory). The run ends, the application goes on.
        m_trainer.reset();
        emit failed(m_runId, QString::fromStdString(error.what()));
    }
}

void TrainingWorker::endRun(TrainOutcome outcome, const QString& message) {
    // A run ends for good: an evaluation it was in the middle of will not be finished.
    m_trainer->skipPendingEvaluation(*m_sink);
    TrainedModelPtr model = m_trainer->snapshot();
    m_trainer.reset();
    m_sink.reset();
    m_dataset.reset();
    emit finished(m_runId, outcome, message, model);
}

} // namespace towerlab
