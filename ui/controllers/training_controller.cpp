#include "controllers/training_controller.hpp"

#include "controllers/run_collection.hpp"
#include "controllers/training_worker.hpp"

#include <algorithm>

namespace towerlab {

TrainingController::TrainingController(RunCollection* runs, QObject* parent)
    : QObject(parent), m_runs(runs), m_worker(new TrainingWorker) {
    qRegisterMetaType<TrainingJob>();
    qRegisterMetaType<RunStartInfo>();
    qRegisterMetaType<BatchUpdate>();
    qRegisterMetaType<EpochRecord>();
    qRegisterMetaType<BatchProgress>();
    qRegisterMetaType<EvaluationProgress>();
    qRegisterMetaType<TrainOutcome>();
    qRegisterMetaType<TrainedModelPtr>();
    qRegisterMetaType<InspectedBatch>();

    m_thread.setObjectName(QStringLiteral("TowerLab training"));
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &TrainingWorker::started, this, &TrainingController::onStarted);
    connect(m_worker, &TrainingWorker::batches, this, &TrainingController::onBatches);
    connect(m_worker, &TrainingWorker::epochDone, this, &TrainingController::onEpoch);
    connect(m_worker, &TrainingWorker::evaluating, this, &TrainingController::evaluationProgress);
    connect(m_worker, &TrainingWorker::paused, this, &TrainingController::onPaused);
    connect(m_worker, &TrainingWorker::finished, this, &TrainingController::onFinished);
    connect(m_worker, &TrainingWorker::failed, this, &TrainingController::onFailed);
    connect(m_worker, &TrainingWorker::epochSnapshot, this, &TrainingController::epochSnapshot);
    connect(m_worker, &TrainingWorker::batchInspected, this, &TrainingController::batchInspected);
    m_thread.start();
}

TrainingController::~TrainingController() {
    m_queue.clear();
    m_worker->requestInterrupt(true);
    m_thread.quit();
    m_thread.wait();
}

int TrainingController::enqueue(TrainingJob job, TrainStep step, const QString& group,
                                const QString& removedFeature, const QString& seedSet) {
    RunRecord run;
    run.group = group;
    run.removedFeature = removedFeature;
    run.seedSet = seedSet;
    run.visible = seedSet.isEmpty();
    run.datasetName = QString::fromStdString(job.dataset ? job.dataset->name : std::string{});
    run.model = job.model;
    run.training = job.training;
    run.status = RunStatus::Queued;
    job.runId = m_runs->add(std::move(run));
    const int id = job.runId;
    m_queue.push_back({std::move(job), step});
    if (m_state == State::Idle) {
        startNext();
    }
    return id;
}

void TrainingController::startNext() {
    if (m_queue.empty()) {
        m_current = 0;
        setState(State::Idle);
        return;
    }
    Pending next = std::move(m_queue.front());
    m_queue.pop_front();
    m_current = next.job.runId;
    m_runs->setStatus(m_current, RunStatus::Preparing);
    m_worker->clearInterrupt();
    setState(State::Starting);
    QMetaObject::invokeMethod(
        m_worker,
        [worker = m_worker, job = std::move(next.job), step = next.step] {
            worker->begin(job, step);
        },
        Qt::QueuedConnection);
}

void TrainingController::setEpochSnapshotInterval(int epochs) {
    m_snapshotEvery = std::max(0, epochs);
    m_worker->setSnapshotInterval(m_snapshotEvery);
}

void TrainingController::pause() {
    if (m_state == State::Running || m_state == State::Starting) {
        m_worker->requestInterrupt(false);
        setState(State::Pausing);
    }
}

void TrainingController::resume() {
    if (m_state != State::Paused) {
        return;
    }
    m_worker->clearInterrupt();
    m_runs->setStatus(m_current, RunStatus::Training);
    setState(State::Running);
    QMetaObject::invokeMethod(m_worker, &TrainingWorker::resume, Qt::QueuedConnection);
}

void TrainingController::step() {
    resumeWith(&TrainingWorker::step);
}

void TrainingController::stepBatch() {
    resumeWith(&TrainingWorker::stepBatch);
}

void TrainingController::resumeWith(void (TrainingWorker::*slot)()) {
    if (m_state != State::Paused) {
        return;
    }
    m_worker->clearInterrupt();
    m_runs->setStatus(m_current, RunStatus::Training);
    setState(State::Running);
    QMetaObject::invokeMethod(m_worker, slot, Qt::QueuedConnection);
}

void TrainingController::stop() {
    for (const Pending& p : m_queue) {
        m_runs->setStatus(p.job.runId, RunStatus::Stopped, tr("never started: stopped"));
    }
    m_queue.clear();
    switch (m_state) {
    case State::Idle:
    case State::Stopping:
        return;
    case State::Paused:
        m_worker->requestInterrupt(true);
        setState(State::Stopping);
        QMetaObject::invokeMethod(m_worker, &TrainingWorker::finish, Qt::QueuedConnection);
        return;
    case State::Starting:
    case State::Running:
    case State::Pausing:
        m_worker->requestInterrupt(true);
        setState(State::Stopping);
        return;
    }
}

void TrainingController::setState(State state) {
    if (m_state != state) {
        m_state = state;
        emit stateChanged(state);
    }
}

void TrainingController::onStarted(int runId, const RunStartInfo& info) {
    m_runs->setStartInfo(runId, info);
    if (m_state == State::Starting) {
        m_runs->setStatus(runId, RunStatus::Training);
        setState(State::Running);
    }
}

void TrainingController::onBatches(int runId, const BatchUpdate& update) {
    m_runs->appendBatches(runId, update);
    emit progress(runId, update.last);
}

void TrainingController::onEpoch(int runId, const EpochRecord& record) {
    m_runs->appendEpoch(runId, record);
}

void TrainingController::onPaused(int runId, const TrainedModelPtr& model) {
    m_runs->setTrainedModel(runId, model);
    if (m_state == State::Stopping) {
        // A stop arrived after the worker had already decided to pause: end the run now.
        QMetaObject::invokeMethod(m_worker, &TrainingWorker::finish, Qt::QueuedConnection);
        return;
    }
    m_runs->setStatus(runId, RunStatus::Paused);
    setState(State::Paused);
    emit modelReady(runId, model);
}

void TrainingController::onFinished(int runId, TrainOutcome outcome, const QString& message,
                                    const TrainedModelPtr& model) {
    m_runs->setTrainedModel(runId, model);
    switch (outcome) {
    case TrainOutcome::Completed:
        m_runs->setStatus(runId, RunStatus::Completed);
        break;
    case TrainOutcome::Cancelled:
        m_runs->setStatus(runId, RunStatus::Stopped, message);
        break;
    case TrainOutcome::Diverged:
        m_runs->setStatus(runId, RunStatus::Diverged, message);
        break;
    }
    emit modelReady(runId, model);
    emit runFinished(runId, outcome, message);
    afterRun();
}

void TrainingController::onFailed(int runId, const QString& message) {
    m_runs->setStatus(runId, RunStatus::Failed, message);
    emit runFailed(runId, message);
    afterRun();
}

void TrainingController::afterRun() {
    const RunRecord* finished = m_runs->find(m_current);
    const QString group = finished != nullptr ? finished->group : QString();
    if (m_state == State::Stopping) {
        m_queue.clear();
    }
    startNext();
    if (group.isEmpty()) {
        return;
    }
    // The group goes on if its next run has just started or is still queued.
    std::vector<int> pending{m_current};
    for (const Pending& p : m_queue) {
        pending.push_back(p.job.runId);
    }
    for (const int id : pending) {
        const RunRecord* run = m_runs->find(id);
        if (run != nullptr && run->group == group) {
            return;
        }
    }
    emit groupFinished(group);
}

} // namespace towerlab
