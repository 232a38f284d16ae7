#pragma once
// The Train tab: the form on the left; on the right the run controls with progress, the live
// charts, and the table of runs with the ablation result. The TrainTabController starts runs
// and keeps the progress line and the ablation summary; this view shows them.

#include "controllers/training_controller.hpp"

#include <QWidget>

#include <memory>

class QLabel;
class QProgressBar;
class QScrollArea;
class QPushButton;
class QSettings;
class QSplitter;
class QTableView;

namespace towerlab {

class DatasetController;
class ModelController;
class RunCollection;
class RunTableModel;
class TrainForm;
class TrainTabController;
class TrainingCharts;
class VerdictPanel;

class TrainView : public QWidget {
    Q_OBJECT

public:
    TrainView(RunCollection* runs, TrainingController* training, DatasetController* data,
              ModelController* models, QWidget* parent = nullptr);
    ~TrainView() override;

    TrainForm* form() const { return m_form; }
    TrainingCharts* charts() const { return m_charts; }
    QTableView* runTable() const { return m_runTable; }
    TrainTabController* controller() const { return m_controller; }
    VerdictPanel* verdictPanel() const { return m_verdict; }

    // Starts a run with the form's values on the current dataset (or only its first epoch or
    // batch), or, with "Repeat with N seeds" above 1 (and a whole run), N runs as one seed set.
    // Returns the (first) run id, or 0 when the form is invalid or there is no dataset (a
    // message says why).
    int startTraining(TrainStep step = TrainStep::Run);
    // One more epoch of a paused run, else a new run of one epoch (the Step button, F10).
    void stepEpoch();
    // Trains one batch (starting a run when none is paused) and shows it in the Batch tab.
    void stepBatch();
    // Queues the reference run plus one run per removable feature, each with the form's N
    // seeds. Returns the number queued.
    int startAblation();
    // The run selected in the table, else the newest run; 0 when there are none.
    int selectedRun() const;

    void saveSettings(QSettings& settings) const;
    void loadSettings(const QSettings& settings);

signals:
    // Something the user should see in the status bar.
    void message(const QString& text);

private:
    void showState();
    void useRunSettings(int runId);

    RunCollection* m_runs;
    TrainingController* m_training;
    ModelController* m_models;
    TrainTabController* m_controller;
    TrainForm* m_form;
    TrainingCharts* m_charts;
    RunTableModel* m_runModel;
    QTableView* m_runTable;
    QSplitter* m_splitter;
    QSplitter* m_rightSplitter;
    QPushButton* m_train;
    QPushButton* m_pause;
    QPushButton* m_resume;
    QPushButton* m_step;
    QPushButton* m_stop;
    QPushButton* m_ablation;
    QProgressBar* m_progress;
    QLabel* m_progressText;
    QLabel* m_ablationSummary;
    QScrollArea* m_ablationScroll; // a seeded ablation has a line per feature
    VerdictPanel* m_verdict;
};

} // namespace towerlab
