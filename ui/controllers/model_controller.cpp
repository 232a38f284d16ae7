#include "controllers/model_controller.hpp"

#include "io/model_file.hpp"
#include "model/trained_model.hpp"

#include <QtConcurrent/QtConcurrentRun>

#include <exception>
#include <filesystem>

namespace towerlab {

ModelController::ModelController(QObject* parent) : QObject(parent) {
    qRegisterMetaType<TrainedModelPtr>();
    connect(&m_watcher, &QFutureWatcher<ModelFileResult>::finished, this,
            &ModelController::onFinished);
}

ModelController::~ModelController() {
    m_watcher.waitForFinished();
}

void ModelController::setCurrent(TrainedModelPtr model, int runId) {
    m_current = std::move(model);
    m_currentRun = runId;
    emit currentChanged(m_current, runId);
}

bool ModelController::save(const QString& path) {
    if (isBusy() || !m_current) {
        return false;
    }
    m_action = Action::Save;
    emit busyChanged(true);
    // The snapshot is immutable and shared, so the pool thread reads it while views go on.
    m_watcher.setFuture(QtConcurrent::run([model = m_current, path] {
        ModelFileResult result;
        result.path = path;
        try {
            saveModel(*model, std::filesystem::path(path.toStdString()));
        } catch (const std::exception& error) {
            result.error = QString::fromStdString(error.what());
        }
        return result;
    }));
    return true;
}

bool ModelController::open(const QString& path) {
    if (isBusy()) {
        return false;
    }
    m_action = Action::Open;
    emit busyChanged(true);
    m_watcher.setFuture(QtConcurrent::run([path] {
        ModelFileResult result;
        result.path = path;
        try {
            result.model = loadModel(std::filesystem::path(path.toStdString()));
        } catch (const std::exception& error) {
            result.error = QString::fromStdString(error.what());
        }
        return result;
    }));
    return true;
}

void ModelController::onFinished() {
    const ModelFileResult result = m_watcher.result();
    const Action action = m_action;
    m_action = Action::None;
    emit busyChanged(false);
    if (!result.error.isEmpty()) {
        emit failed(action == Action::Save ? tr("Saving the model") : tr("Opening the model"),
                    result.error);
        return;
    }
    if (action == Action::Save) {
        emit saved(result.path);
    } else {
        emit opened(result.model, result.path);
    }
}

} // namespace towerlab
