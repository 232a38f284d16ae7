#pragma once
// The runs of the session as a table: config, status, final top-k (also with seen movies
// excluded), baseline, the metrics beyond accuracy at 100 (the baseline's in the cell's
// tooltip), time. The first column's check box shows or hides the run's curves. Mirrors a
// RunCollection: one row per seed set ("Repeat with N seeds") with each metric as mean ± sd
// over the set's finished runs, then one row per run; sorted by the first column, a set's row
// comes just above its runs.

#include <QAbstractTableModel>
#include <QStringList>

namespace towerlab {

class RunCollection;
struct RunRecord;

class RunTableModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column {
        Run,
        Status,
        Dataset,
        Epochs,
        Top10,
        Top50,
        Top100,
        Baseline100,
        Change100,
        Top100Unseen,
        Coverage100,
        Popularity100,
        Gini100,
        Novelty100,
        Diversity100,
        Time,
        ColumnCount
    };
    // RunId is 0 on a seed set's row; SeedSet is its key ("" on a run's row).
    enum class Role { RunId = Qt::UserRole, Sort, SeedSet };

    explicit RunTableModel(RunCollection* runs, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    int runIdAt(int row) const;
    // The row of a seed set, or -1.
    int seedSetRow(const QString& seedSet) const;

private:
    void rowChanged(int id);
    int runRow(int id) const;                 // -1 when unknown
    const RunRecord* runAtRow(int row) const; // null on a set's row
    void addSeedSetOf(int id);
    void dropEmptySeedSets();
    QVariant seedSetData(const QString& seedSet, int column, int role) const;
    // The reference run (all features) of an ablation group, or nullptr.
    const RunRecord* referenceOf(const RunRecord& run) const;

    RunCollection* m_runs;
    QStringList m_seedSets; // rows 0 ... m_seedSets.size() - 1, in this order; then the runs
};

} // namespace towerlab
