#pragma once
// The main window as a lesson's stage: a lesson's start state and actions become what the
// menus, forms and buttons would do, and "point at" finds a panel or control by its object
// name, brings its tab forward and rings it for a few seconds.

#include "controllers/lesson_stage.hpp"

#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QTemporaryDir>

#include <functional>
#include <memory>
#include <string>
#include <vector>

class QFrame;
class QWidget;

namespace towerlab {

class MainWindow;

class WindowLessonStage : public QObject, public LessonStage {
    Q_OBJECT

public:
    // Finds an installed MovieLens by its key ("ml-100k"): its folder or zip, or "" when it is
    // not installed. offerDownload starts the download of that key (with its license).
    using FindDataset = std::function<QString(const QString& key)>;
    using OfferDownload = std::function<void(const QString& key)>;

    WindowLessonStage(MainWindow* window, FindDataset find, OfferDownload offer);
    ~WindowLessonStage() override;

    void prepare(const LessonState& start, Done done) override;
    void perform(const LessonAction& action, Done done) override;
    void cancel() override;
    bool pointAt(const QString& name) override;
    void restore() override;
    LessonState currentState() const override;

    // The ring drawn by pointAt (hidden when it is not shown), for tests.
    QWidget* pointer() const;

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void hidePointer();
    // Loads the dataset (or keeps the open one), then calls next with "" or an error.
    void useDataset(const std::string& key, Done next);
    QString applyState(const LessonState& start);
    QString applySettings(const ConfigPatch& patch);
    QString addTitles(const std::vector<std::string>& titles);
    void addPendingTitles();
    void showMap(const LessonMap& map);
    void train(const LessonAction& action);
    void stepBatches(const LessonAction& action);
    // The Train form's "Repeat with N seeds".
    void setSeedRepeats(int seeds);
    void waitForModelFile(bool save);
    // Ends the pending action: disconnects its signals first, so nothing calls done twice.
    void settle(const QString& error);
    void listen(QMetaObject::Connection connection) { m_pending.push_back(connection); }

    MainWindow* m_window;
    FindDataset m_find;
    OfferDownload m_offer;
    Done m_done; // of the action (or preparation) in progress
    std::vector<QMetaObject::Connection> m_pending;
    int m_trainingRun = 0; // a run this stage started and waits for
    std::vector<QPointer<QWidget>> m_hidden;
    std::vector<std::string> m_pendingTitles; // for the Scores tab once there is a model
    QFrame* m_pointer = nullptr;
    std::unique_ptr<QTemporaryDir> m_modelFolder; // where save_model puts the model
};

} // namespace towerlab
