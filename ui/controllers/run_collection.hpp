#pragma once
// Every run of this session (trained, training, queued or opened from a file) with the
// history gathered so far. Charts and the run table observe it; the training controller and
// the model controller feed it. Lives on the GUI thread.

#include "controllers/training_types.hpp"

#include "model/training_history.hpp"

#include <QColor>
#include <QObject>
#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

namespace towerlab {

enum class RunStatus {
    Queued,
    Preparing,
    Training,
    Paused,
    Completed,
    Stopped,
    Diverged,
    Failed,
    Loaded
};
QString runStatusText(RunStatus status);

struct RunRecord {
    int id = 0;
    QString name;           // a short description of the config, used as the legend entry
    QString group;          // e.g. "ablation 1", empty for single runs
    QString removedFeature; // in an ablation group: the feature left out ("" = reference run)
    // Non-empty when the run is one of several seeds of one configuration ("Repeat with N
    // seeds"): every run with the same seedSet has the same settings but the seed. Such runs
    // share a colour and are drawn and tabled together as mean ± spread.
    QString seedSet;
    QColor colour;
    RunStatus status = RunStatus::Queued;
    QString message; // why it stopped, diverged or failed
    QString datasetName;
    QString filePath; // where it was loaded from or last saved to
    ModelConfig model;
    TrainConfig training;
    TrainingHistory history;
    std::size_t trainExamples = 0;
    int batchesPerEpoch = 0;
    BatchProgress lastBatch;
    TrainedModelPtr trainedModel; // the latest snapshot (after a pause, stop or the end)
    bool visible = true;

    // True when every epoch's last batch is smaller than the others, so its summed loss is
    // not comparable with the rest of the curve.
    bool lastBatchIsPartial() const;
    // The newest evaluation, if any.
    const RankingMetrics* finalMetrics() const;
    // The newest evaluation epoch's record (its test, seen-excluded and beyond-accuracy
    // metrics), if any.
    const EpochRecord* finalEvaluation() const;
};

// A short name for a run: layers, optimizer and learning rate ("[32] adagrad 0.1"), then
// whatever else differs from the tutorial ("· bs 512 · seed 7 · emb 64 · +user_id −gender").
QString describeConfig(const ModelConfig& model, const TrainConfig& training);

class RunCollection : public QObject {
    Q_OBJECT

public:
    explicit RunCollection(QObject* parent = nullptr);
    ~RunCollection() override;

    // Adds a run (its id and colour are assigned here) and returns the id.
    int add(RunRecord run);
    void remove(int id);
    void clear();

    int count() const { return static_cast<int>(m_runs.size()); }
    const RunRecord& at(int row) const { return *m_runs[static_cast<std::size_t>(row)]; }
    int rowOf(int id) const; // -1 when unknown
    const RunRecord* find(int id) const;

    void setStatus(int id, RunStatus status, const QString& message = {});
    void setStartInfo(int id, const RunStartInfo& info);
    void appendBatches(int id, const BatchUpdate& update);
    void appendEpoch(int id, const EpochRecord& record);
    void setTrainedModel(int id, TrainedModelPtr model);
    void setFilePath(int id, const QString& path);
    void setVisible(int id, bool visible);
    // Whether a seed set's mean curve and band are drawn (its runs' own curves follow each
    // run's `visible`). True until set otherwise.
    void setSeedSetVisible(const QString& seedSet, bool visible);
    bool seedSetVisible(const QString& seedSet) const;

signals:
    // Emitted just before a run is appended at row count().
    void runAboutToBeAdded();
    void runAdded(int id);
    void runAboutToBeRemoved(int id);
    void runRemoved(int id);
    // Status, message, model, file or start info changed (not the curves).
    void runChanged(int id);
    // history.batchLosses[first, first + count) are new.
    void batchesAppended(int id, int first, int count);
    // history.epochs[index] is new.
    void epochAppended(int id, int index);
    void visibilityChanged(int id, bool visible);
    void seedSetVisibilityChanged(const QString& seedSet, bool visible);

private:
    RunRecord* findMutable(int id);

    std::vector<std::unique_ptr<RunRecord>> m_runs;
    QStringList m_hiddenSeedSets;
    int m_nextId = 1;
};

} // namespace towerlab
