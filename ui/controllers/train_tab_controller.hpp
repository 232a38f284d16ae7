#pragma once
// The state of the Train tab, without widgets: starting a run (or one epoch of it) or a
// feature ablation with the form's settings on the current dataset, the progress line and
// bar, the ablation's summary, and which run controls apply in the training state. The
// training itself runs in the TrainingController's worker thread; this object only asks it
// and turns its signals into what the tab shows.
//
// Lives on the GUI thread.

#include "controllers/training_controller.hpp"

#include <QObject>
#include <QString>

namespace towerlab {

class DatasetController;
class RunCollection;

class TrainTabController : public QObject {
    Q_OBJECT

public:
    // Which run controls can be used now.
    struct Actions {
        bool train = false;
        bool pause = false;
        bool resume = false;
        bool step = false;
        bool stop = false;
        bool ablation = false;
    };

    TrainTabController(RunCollection* runs, TrainingController* training, DatasetController* data,
                       QObject* parent = nullptr);

    // Starts a run with these settings on the current dataset (training all of it, or one
    // epoch or one batch and then pausing).
    // Returns the run id, or 0 when there is no dataset (the progress line says why).
    int start(const ModelConfig& model, const TrainConfig& training,
              TrainStep step = TrainStep::Run);
    // Queues `seeds` runs of these settings with seeds training.seed, training.seed + 1, ...
    // as one seed set, trained one after another (seeds = 1: start()). Returns the first
    // run's id, or 0 when there is no dataset.
    int startSeeds(const ModelConfig& model, const TrainConfig& training, int seeds);
    // Queues the reference run plus one run per removable feature, each with `seeds` seeds
    // (training.seed, training.seed + 1, ...). Returns the number queued.
    int startAblation(const ModelConfig& model, const TrainConfig& training, int seeds = 1);
    // The form's settings are invalid: says so instead of starting.
    void refuse(const QString& problem);

    Actions actions() const;
    QString progressText() const { return m_progressText; }
    // The bar's range and value; maximum 0 means busy (no measure yet).
    int progressMaximum() const { return m_progressMaximum; }
    int progressValue() const { return m_progressValue; }
    // The last ablation's plan or result; empty when there is none to show.
    QString ablationSummary() const { return m_ablationSummary; }
    // With seeds: each feature's verdict as the core words it, for the summary's tooltip.
    QString ablationDetails() const { return m_ablationDetails; }

signals:
    // The actions, the progress line or bar, or the ablation summary changed.
    void changed();
    // Something the user should see in the status bar.
    void message(const QString& text);

private:
    void onStateChanged();
    void onProgress(int runId, const BatchProgress& progress);
    void onEvaluation(int runId, const EvaluationProgress& progress);
    void onRunFinished(int runId, TrainOutcome outcome, const QString& why);
    void onGroupFinished(const QString& group);
    void say(const QString& text, bool statusBarToo);

    RunCollection* m_runs;
    TrainingController* m_training;
    DatasetController* m_data;
    QString m_progressText;
    int m_progressMaximum = 1;
    int m_progressValue = 0;
    QString m_lastProgressText; // the last batch's or evaluation's line, for "paused"
    bool m_evaluating = false;  // the last progress was an evaluation's, not a batch's
    QString m_ablationSummary;
    QString m_ablationDetails;
    int m_ablationCount = 0;
    int m_seedSetCount = 0;
};

} // namespace towerlab
