#include "controllers/batch_inspection_controller.hpp"

#include "controllers/training_controller.hpp"

#include <algorithm>

namespace towerlab {

BatchInspectionController::BatchInspectionController(TrainingController* training, QObject* parent)
    : QObject(parent) {
    connect(training, &TrainingController::batchInspected, this,
            &BatchInspectionController::setBatch);
}

void BatchInspectionController::setBatch(const InspectedBatch& batch) {
    const bool sameRun = hasBatch() && batch.runId == m_batch.runId;
    m_batch = batch;
    // Following one row through several steps is the point of stepping: keep it.
    m_row = sameRun ? std::clamp(m_row, 0, std::max(0, size() - 1)) : 0;
    computeRow();
    emit batchChanged();
    emit rowChanged();
}

void BatchInspectionController::clear() {
    m_batch = {};
    m_row = 0;
    m_rowBefore = {};
    m_rowAfter = {};
    m_afterByColumn.clear();
    emit batchChanged();
    emit rowChanged();
}

void BatchInspectionController::setRow(int row) {
    if (!hasBatch()) {
        return;
    }
    row = std::clamp(row, 0, size() - 1);
    if (row == m_row) {
        return;
    }
    m_row = row;
    computeRow();
    emit rowChanged();
}

void BatchInspectionController::setShowsAfter(bool after) {
    if (after != m_after) {
        m_after = after;
        emit rowChanged();
    }
}

void BatchInspectionController::computeRow() {
    if (!hasBatch()) {
        return;
    }
    const auto row = static_cast<std::size_t>(m_row);
    m_rowBefore = batchRowSoftmax(*m_batch.batch, row, false);
    m_rowAfter = batchRowSoftmax(*m_batch.batch, row, true);
    m_afterByColumn.assign(m_batch.batch->size(), 0.0);
    for (std::size_t k = 0; k < m_rowAfter.columns.size(); ++k) {
        m_afterByColumn[std::size_t(m_rowAfter.columns[k])] = m_rowAfter.probabilities[k];
    }
}

double BatchInspectionController::probabilityAfter(int column) const {
    return column >= 0 && std::size_t(column) < m_afterByColumn.size()
               ? m_afterByColumn[std::size_t(column)]
               : 0.0;
}

QString BatchInspectionController::userOf(int row) const {
    if (!hasBatch() || !m_batch.dataset || row < 0 || row >= size()) {
        return {};
    }
    const auto rating = static_cast<std::size_t>(m_batch.batch->ratings[std::size_t(row)]);
    const Rating& r = m_batch.dataset->ratings.at(rating);
    return tr("user %1").arg(m_batch.dataset->users.at(std::size_t(r.user)).id);
}

QString BatchInspectionController::titleOf(int column) const {
    if (!hasBatch() || !m_batch.dataset || column < 0 || column >= size()) {
        return {};
    }
    const auto movie = static_cast<std::size_t>(m_batch.batch->movies[std::size_t(column)]);
    return QString::fromStdString(m_batch.dataset->movies.at(movie).title);
}

} // namespace towerlab
