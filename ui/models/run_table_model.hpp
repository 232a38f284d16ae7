#pragma once
// The runs of the session as a table: config, status, final top-k (also with seen movies
// excluded), baseline, the metrics beyond accuracy at 100 (the baseline's in the cell's
// tooltip), time. The first
// column's check box shows or hides the run's curves. Mirrors a RunCollection.

#include <QAbstractTableModel>

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
    enum class Role { RunId = Qt::UserRole, Sort };

    explicit RunTableModel(RunCollection* runs, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    int runIdAt(int row) const;

private:
    void rowChanged(int id);
    // The reference run (all features) of an ablation group, or nullptr.
    const RunRecord* referenceOf(const RunRecord& run) const;

    RunCollection* m_runs;
};

} // namespace towerlab
