#pragma once
// One tower's path as a table, a row per step: each input feature (its value and embedding
// numbers), each dense layer's output, and the tower's vector. The numbers column holds every
// number, to three decimals; its tooltip holds them at full precision.

#include "retrieval/score_derivation.hpp"

#include <QAbstractTableModel>

namespace towerlab {

class TowerPathModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { Step, Value, Size, Numbers, ColumnCount };

    explicit TowerPathModel(QObject* parent = nullptr);

    // vectorName: what the tower's output is called ("query vector", "movie vector").
    void setPath(const TowerPath& path, const QString& vectorName);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    struct Row {
        QString step;
        QString value;
        std::vector<float> numbers;
        bool output = false;
    };
    std::vector<Row> m_rows;
};

} // namespace towerlab
