#pragma once
// The current trained model (the one other views query) and its .tlm files. Saving and
// opening run on a pool thread through QtConcurrent; errors from the core (which name the
// file and the section) come back as signals. Lives on the GUI thread.

#include "controllers/training_types.hpp"

#include <QFutureWatcher>
#include <QObject>
#include <QString>

namespace towerlab {

struct ModelFileResult {
    TrainedModelPtr model; // the opened model (open only)
    QString path;
    QString error; // empty on success
};

class ModelController : public QObject {
    Q_OBJECT

public:
    explicit ModelController(QObject* parent = nullptr);
    ~ModelController() override;

    TrainedModelPtr current() const { return m_current; }
    int currentRun() const { return m_currentRun; }
    // runId: the run in the RunCollection the model belongs to (0 if none).
    void setCurrent(TrainedModelPtr model, int runId);

    // Both return at once; one file operation at a time (false when busy or no model).
    bool save(const QString& path);
    bool open(const QString& path);
    bool isBusy() const { return m_watcher.isRunning(); }

signals:
    void currentChanged(const towerlab::TrainedModelPtr& model, int runId);
    void saved(const QString& path);
    void opened(const towerlab::TrainedModelPtr& model, const QString& path);
    void failed(const QString& action, const QString& message);
    void busyChanged(bool busy);

private:
    enum class Action { None, Save, Open };
    void onFinished();

    QFutureWatcher<ModelFileResult> m_watcher;
    Action m_action = Action::None;
    TrainedModelPtr m_current;
    int m_currentRun = 0;
};

} // namespace towerlab
