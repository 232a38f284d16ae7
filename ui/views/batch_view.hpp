#pragma once
// The Batch tab, "inside one batch": the batch "Step one batch" trained last, opened up. A
// summary of the whole batch (its summed loss against the uniform start of B · ln B), the B x B
// logits as a heat map, and for the chosen row its softmax before and after the step, as bars
// and as a table, with a sentence on why the positive's probability rose (or did not).

#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QSpinBox;
class QTableView;

namespace towerlab {

class BatchHeatMap;
class BatchInspectionController;
class BatchRowModel;
class SoftmaxBars;

class BatchView : public QWidget {
    Q_OBJECT

public:
    explicit BatchView(BatchInspectionController* controller, QWidget* parent = nullptr);

    BatchInspectionController* controller() const { return m_controller; }
    BatchHeatMap* heatMap() const { return m_heatMap; }
    SoftmaxBars* bars() const { return m_bars; }
    QTableView* rowTable() const { return m_table; }
    QLabel* summary() const { return m_summary; }
    QLabel* rowText() const { return m_rowText; }
    QSpinBox* rowSpin() const { return m_rowSpin; }
    QPushButton* stepButton() const { return m_step; }
    QComboBox* whenChoice() const { return m_when; }

signals:
    void stepRequested();

protected:
    void changeEvent(QEvent* event) override;

private:
    void sizeTableColumns();
    void showBatch();
    void showRow();
    QString summaryText() const;
    QString rowDescription() const;

    BatchInspectionController* m_controller;
    QLabel* m_summary;
    QPushButton* m_step;
    QComboBox* m_when;
    BatchHeatMap* m_heatMap;
    QSpinBox* m_rowSpin;
    QLabel* m_rowOf;
    QLabel* m_rowText;
    SoftmaxBars* m_bars;
    BatchRowModel* m_rowModel;
    QTableView* m_table;
};

} // namespace towerlab
