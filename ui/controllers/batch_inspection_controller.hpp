#pragma once
// The Batch tab's state: the batch "Step one batch" trained last, the row the user looks at,
// and whether the view shows the logits before or after the step. Naming rows (the rating's
// user) and columns (the movie) goes through the run's own dataset, so a batch stays readable
// after the window loads other data.
//
// All functions run on the GUI thread; the batch arrives from the training thread with its
// overview already computed, and a row's softmax (one row of B logits) is cheap enough here.

#include "controllers/training_types.hpp"

#include <QObject>
#include <QString>

#include <vector>

namespace towerlab {

class TrainingController;

class BatchInspectionController : public QObject {
    Q_OBJECT

public:
    explicit BatchInspectionController(TrainingController* training, QObject* parent = nullptr);

    bool hasBatch() const { return m_batch.batch != nullptr; }
    const InspectedBatch& batch() const { return m_batch; }
    const BatchInspection& inspection() const { return *m_batch.batch; }
    int size() const { return hasBatch() ? static_cast<int>(m_batch.batch->size()) : 0; }

    int row() const { return m_row; }
    void setRow(int row); // clamped to the batch
    bool showsAfter() const { return m_after; }
    void setShowsAfter(bool after);

    // The selected row's softmax before and after the step (empty without a batch).
    const BatchRowSoftmax& rowBefore() const { return m_rowBefore; }
    const BatchRowSoftmax& rowAfter() const { return m_rowAfter; }
    // Column j's probability in the selected row after the step (0 when it left the softmax).
    double probabilityAfter(int column) const;

    // "user 196" for row i (its rating's user id), the movie title of column j.
    QString userOf(int row) const;
    QString titleOf(int column) const;

public slots:
    void setBatch(const towerlab::InspectedBatch& batch);
    void clear();

signals:
    void batchChanged(); // a new batch, or none
    void rowChanged();   // the selected row, or before/after

private:
    void computeRow();

    InspectedBatch m_batch;
    int m_row = 0;
    bool m_after = false;
    BatchRowSoftmax m_rowBefore;
    BatchRowSoftmax m_rowAfter;
    std::vector<double> m_afterByColumn; // m_rowAfter's probabilities, by column
};

} // namespace towerlab
