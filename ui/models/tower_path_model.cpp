#include "models/tower_path_model.hpp"

#include <QFont>
#include <QLocale>

namespace towerlab {
namespace {

QString joined(const std::vector<float>& numbers, int decimals) {
    QStringList parts;
    parts.reserve(static_cast<qsizetype>(numbers.size()));
    for (const float x : numbers) {
        parts << QString::number(static_cast<double>(x), decimals < 0 ? 'g' : 'f',
                                 decimals < 0 ? 9 : decimals);
    }
    return parts.join(QStringLiteral("  "));
}

} // namespace

TowerPathModel::TowerPathModel(QObject* parent) : QAbstractTableModel(parent) {}

void TowerPathModel::setPath(const TowerPath& path, const QString& vectorName) {
    beginResetModel();
    m_rows.clear();
    for (const TowerInputPart& part : path.inputs) {
        m_rows.push_back({QString::fromStdString(part.label), QString::fromStdString(part.value),
                          part.numbers, false});
    }
    for (std::size_t i = 0; i < path.layers.size(); ++i) {
        const bool last = i + 1 == path.layers.size();
        m_rows.push_back({tr("Dense layer %1%2").arg(i + 1).arg(last ? QString() : tr(" (ReLU)")),
                          tr("%1 outputs").arg(path.layers[i].size()), path.layers[i], false});
    }
    m_rows.push_back({vectorName.left(1).toUpper() + vectorName.mid(1),
                      path.normalized ? tr("the last layer divided by its length")
                                      : tr("the last layer's output"),
                      path.output, true});
    endResetModel();
}

int TowerPathModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int TowerPathModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TowerPathModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount()) {
        return {};
    }
    const Row& row = m_rows[static_cast<std::size_t>(index.row())];
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Step:
            return row.step;
        case Value:
            return row.value;
        case Size:
            return static_cast<int>(row.numbers.size());
        case Numbers:
            return joined(row.numbers, 3);
        default:
            return {};
        }
    }
    if (role == Qt::ToolTipRole && index.column() == Numbers) {
        return joined(row.numbers, -1);
    }
    if (role == Qt::FontRole && row.output) {
        QFont bold;
        bold.setBold(true);
        return bold;
    }
    if (role == Qt::TextAlignmentRole && index.column() == Size) {
        return int(Qt::AlignRight | Qt::AlignVCenter);
    }
    return {};
}

QVariant TowerPathModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    switch (section) {
    case Step:
        return tr("Step");
    case Value:
        return tr("Input or result");
    case Size:
        return tr("Numbers");
    case Numbers:
        return tr("Values");
    default:
        return {};
    }
}

} // namespace towerlab
