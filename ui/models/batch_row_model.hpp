#pragma once
// The chosen row of an inspected batch as a table: every column of the batch, in the order of
// its softmax probability before the step (the positive marked), with its logit, its
// probability before and after, and why a column is left out of the softmax when it is.

#include <QAbstractTableModel>

#include <vector>

namespace towerlab {

class BatchInspectionController;

class BatchRowModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { Rank, BatchColumn, Movie, Logit, Before, After, Note, ColumnCount };

    explicit BatchRowModel(BatchInspectionController* controller, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // The batch column shown on a table row (0-based), or -1.
    int batchColumnAt(int tableRow) const;

private:
    void rebuild();

    struct Line {
        int column = 0;
        int rank = 0; // 0 = left out
        double logit = 0.0;
        double before = 0.0;
        double after = 0.0;
    };
    BatchInspectionController* m_controller;
    std::vector<Line> m_lines;
};

} // namespace towerlab
