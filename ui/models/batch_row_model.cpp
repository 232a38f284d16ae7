#include "models/batch_row_model.hpp"

#include "controllers/batch_inspection_controller.hpp"

#include <QApplication>
#include <QFont>
#include <QPalette>

namespace towerlab {

BatchRowModel::BatchRowModel(BatchInspectionController* controller, QObject* parent)
    : QAbstractTableModel(parent), m_controller(controller) {
    connect(controller, &BatchInspectionController::rowChanged, this, &BatchRowModel::rebuild);
    connect(controller, &BatchInspectionController::batchChanged, this, &BatchRowModel::rebuild);
    rebuild();
}

void BatchRowModel::rebuild() {
    beginResetModel();
    m_lines.clear();
    if (m_controller->hasBatch()) {
        const BatchInspection& batch = m_controller->inspection();
        const auto row = static_cast<std::size_t>(m_controller->row());
        const BatchRowSoftmax& before = m_controller->rowBefore();
        const auto lookAfter = [this](std::int32_t column) {
            return m_controller->probabilityAfter(column);
        };
        m_lines.reserve(batch.size());
        for (std::size_t k = 0; k < before.columns.size(); ++k) {
            const std::int32_t j = before.columns[k];
            m_lines.push_back({j, static_cast<int>(k + 1),
                               adjustedLogit(batch, false, row, std::size_t(j)),
                               before.probabilities[k], lookAfter(j)});
        }
        for (const std::int32_t j : before.leftOut) {
            m_lines.push_back(
                {j, 0, adjustedLogit(batch, false, row, std::size_t(j)), 0.0, lookAfter(j)});
        }
    }
    endResetModel();
}

int BatchRowModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_lines.size());
}

int BatchRowModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

int BatchRowModel::batchColumnAt(int tableRow) const {
    return tableRow >= 0 && tableRow < rowCount() ? m_lines[std::size_t(tableRow)].column : -1;
}

QVariant BatchRowModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount()) {
        return {};
    }
    const Line& line = m_lines[std::size_t(index.row())];
    const int row = m_controller->row();
    const bool positive = line.column == row;
    const BatchInspection& batch = m_controller->inspection();
    const bool sameMovie = isAccidentalHit(batch, std::size_t(row), std::size_t(line.column));
    if (role == Qt::FontRole && positive) {
        QFont bold;
        bold.setBold(true);
        return bold;
    }
    if (role == Qt::ForegroundRole && positive) {
        return QApplication::palette().highlight();
    }
    if (role == Qt::TextAlignmentRole && index.column() != Movie && index.column() != Note) {
        return int(Qt::AlignRight | Qt::AlignVCenter);
    }
    if (role != Qt::DisplayRole && role != Qt::UserRole) {
        return {};
    }
    const bool sortValue = role == Qt::UserRole;
    switch (index.column()) {
    case Rank:
        return line.rank > 0 ? QVariant(line.rank)
                             : QVariant(sortValue ? 1 << 30 : QVariant(tr("–")));
    case BatchColumn:
        return line.column + 1;
    case Movie:
        return m_controller->titleOf(line.column);
    case Logit:
        return sortValue ? QVariant(line.logit) : QVariant(QString::number(line.logit, 'f', 3));
    case Before:
        return sortValue ? QVariant(line.before)
                         : QVariant(QString::number(100 * line.before, 'g', 3) + QLatin1Char('%'));
    case After:
        return sortValue ? QVariant(line.after)
                         : QVariant(QString::number(100 * line.after, 'g', 3) + QLatin1Char('%'));
    case Note:
        if (positive) {
            return tr("the positive (the movie this user rated)");
        }
        if (line.rank == 0) {
            return sameMovie ? tr("left out: the same movie as the positive")
                             : tr("left out: not among the %1 hardest negatives")
                                   .arg(batch.options.hardNegatives);
        }
        return sameMovie ? tr("the same movie as the positive (an accidental hit)") : QString();
    default:
        return {};
    }
}

QVariant BatchRowModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return QAbstractTableModel::headerData(section, orientation, role);
    }
    switch (section) {
    case Rank:
        return tr("Rank");
    case BatchColumn:
        return tr("Column");
    case Movie:
        return tr("Movie");
    case Logit:
        return tr("Logit");
    case Before:
        return tr("Before");
    case After:
        return tr("After");
    case Note:
        return tr("Note");
    default:
        return {};
    }
}

} // namespace towerlab
