#pragma once
// The B x B logits of one batch as a heat map, a window of at most 64 x 64 cells at a time with
// scroll bars for the rest: row i is example i's query, column j example j's movie, so the
// positives lie on the diagonal (outlined). Cells whose movie is the row's own positive movie
// again (an accidental hit) carry a dot, or are greyed out when the loss removes them. The
// colour scale is fixed per batch (blue below 0, red above), so scrolling and switching between
// before and after the step compare like with like. Clicking a cell, or the Up/Down keys,
// chooses a row.

#include <QAbstractScrollArea>

#include <functional>
#include <memory>

namespace towerlab {

struct BatchInspection;

class BatchHeatMap : public QAbstractScrollArea {
    Q_OBJECT

public:
    static constexpr int kWindow = 64; // cells shown at most, each way

    explicit BatchHeatMap(QWidget* parent = nullptr);

    // `limit` bounds |logit| of the colour scale (values beyond it take the end colours).
    void setBatch(std::shared_ptr<const BatchInspection> batch, double limit);
    void setAfter(bool after);
    void setSelectedRow(int row); // also scrolls it into view
    // What hovering cell (row, column) shows.
    void setToolTipText(std::function<QString(int row, int column)> text) {
        m_toolTip = std::move(text);
    }

    int selectedRow() const { return m_row; }
    int firstRow() const;
    int firstColumn() const;
    int visibleRows() const;
    int visibleColumns() const;
    // The cell under a viewport position, or (-1, -1).
    QPoint cellAt(const QPoint& viewportPos) const;
    // The viewport rectangle of a cell (it may lie outside the viewport).
    QRect cellRect(int row, int column) const;
    // The colour a logit gets (for the legend and tests).
    QColor colourOf(double logit) const;

signals:
    void rowClicked(int row);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    bool viewportEvent(QEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void updateGeometry();
    int cellSize() const;
    int labelWidth() const;
    int labelHeight() const;
    int legendHeight() const;

    std::shared_ptr<const BatchInspection> m_batch;
    double m_limit = 1.0;
    bool m_after = false;
    int m_row = 0;
    std::function<QString(int, int)> m_toolTip;
};

} // namespace towerlab
