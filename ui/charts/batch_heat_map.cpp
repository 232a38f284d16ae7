#include "charts/batch_heat_map.hpp"

#include "charts/chart_theme.hpp"
#include "train/batch_inspection.hpp"

#include <QEvent>
#include <QHelpEvent>
#include <QImage>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QToolTip>

#include <algorithm>
#include <array>
#include <cmath>

namespace towerlab {
namespace {

constexpr int kColourSteps = 256; // shades of the colour scale

QColor mix(const QColor& a, const QColor& b, double t) {
    const auto lerp = [t](int x, int y) { return static_cast<int>(std::lround(x + (y - x) * t)); };
    return QColor(lerp(a.red(), b.red()), lerp(a.green(), b.green()), lerp(a.blue(), b.blue()));
}

} // namespace

BatchHeatMap::BatchHeatMap(QWidget* parent) : QAbstractScrollArea(parent) {
    setObjectName(QStringLiteral("batchHeatMap"));
    setFocusPolicy(Qt::StrongFocus);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    viewport()->setMouseTracking(true);
    setMinimumSize(360, 360);
    connect(horizontalScrollBar(), &QScrollBar::valueChanged, viewport(),
            [this] { viewport()->update(); });
    connect(verticalScrollBar(), &QScrollBar::valueChanged, viewport(),
            [this] { viewport()->update(); });
}

void BatchHeatMap::setBatch(std::shared_ptr<const BatchInspection> batch, double limit) {
    m_batch = std::move(batch);
    m_limit = limit > 0 && std::isfinite(limit) ? limit : 1.0;
    m_row = std::clamp(m_row, 0, m_batch ? std::max(0, int(m_batch->size()) - 1) : 0);
    updateGeometry();
    viewport()->update();
}

void BatchHeatMap::setAfter(bool after) {
    if (after != m_after) {
        m_after = after;
        viewport()->update();
    }
}

void BatchHeatMap::setSelectedRow(int row) {
    m_row = row;
    if (m_batch) {
        const int first = firstRow();
        if (row < first) {
            verticalScrollBar()->setValue(row);
        } else if (row >= first + visibleRows()) {
            verticalScrollBar()->setValue(row - visibleRows() + 1);
        }
        // The positive of the row, on the diagonal, comes into view too.
        const int column = firstColumn();
        if (row < column || row >= column + visibleColumns()) {
            horizontalScrollBar()->setValue(std::max(0, row - visibleColumns() / 2));
        }
    }
    viewport()->update();
}

int BatchHeatMap::labelWidth() const {
    return fontMetrics().horizontalAdvance(QStringLiteral("00000")) + 6;
}

int BatchHeatMap::labelHeight() const {
    return fontMetrics().height() + 4;
}

int BatchHeatMap::legendHeight() const {
    return 2 * fontMetrics().height() + 10;
}

int BatchHeatMap::cellSize() const {
    const int n = m_batch ? static_cast<int>(m_batch->size()) : kWindow;
    const int fit = std::max(1, std::min(kWindow, n));
    const int width = viewport()->width() - labelWidth() - 2;
    const int height = viewport()->height() - labelHeight() - legendHeight();
    return std::clamp(std::min(width, height) / fit, 4, 28);
}

int BatchHeatMap::visibleColumns() const {
    const int n = m_batch ? static_cast<int>(m_batch->size()) : 0;
    const int width = viewport()->width() - labelWidth() - 2;
    return std::clamp(width / cellSize(), 0, std::min(kWindow, n));
}

int BatchHeatMap::visibleRows() const {
    const int n = m_batch ? static_cast<int>(m_batch->size()) : 0;
    const int height = viewport()->height() - labelHeight() - legendHeight();
    return std::clamp(height / cellSize(), 0, std::min(kWindow, n));
}

int BatchHeatMap::firstRow() const {
    return verticalScrollBar()->value();
}

int BatchHeatMap::firstColumn() const {
    return horizontalScrollBar()->value();
}

void BatchHeatMap::updateGeometry() {
    const int n = m_batch ? static_cast<int>(m_batch->size()) : 0;
    horizontalScrollBar()->setRange(0, std::max(0, n - visibleColumns()));
    horizontalScrollBar()->setPageStep(std::max(1, visibleColumns()));
    verticalScrollBar()->setRange(0, std::max(0, n - visibleRows()));
    verticalScrollBar()->setPageStep(std::max(1, visibleRows()));
}

QRect BatchHeatMap::cellRect(int row, int column) const {
    const int cell = cellSize();
    return {labelWidth() + (column - firstColumn()) * cell,
            labelHeight() + (row - firstRow()) * cell, cell, cell};
}

QPoint BatchHeatMap::cellAt(const QPoint& pos) const {
    if (!m_batch) {
        return {-1, -1};
    }
    const int cell = cellSize();
    const int x = pos.x() - labelWidth();
    const int y = pos.y() - labelHeight();
    if (x < 0 || y < 0 || x >= visibleColumns() * cell || y >= visibleRows() * cell) {
        return {-1, -1};
    }
    return {firstColumn() + x / cell, firstRow() + y / cell}; // (column, row)
}

QColor BatchHeatMap::colourOf(double logit) const {
    const bool dark = isDarkPalette(palette());
    const QColor middle = dark ? QColor(40, 40, 44) : QColor(247, 247, 247);
    const QColor low(33, 102, 172);
    const QColor high(178, 24, 43);
    const double t = std::clamp(logit / m_limit, -1.0, 1.0);
    return t < 0 ? mix(middle, low, -t) : mix(middle, high, t);
}

void BatchHeatMap::paintEvent(QPaintEvent*) {
    QPainter p(viewport());
    p.fillRect(viewport()->rect(), palette().base());
    if (!m_batch || m_batch->size() == 0) {
        p.setPen(chartTextColour(palette(), 0.7));
        p.drawText(viewport()->rect().adjusted(12, 12, -12, -12),
                   Qt::AlignCenter | Qt::TextWordWrap,
                   tr("Step one batch (Train menu, Ctrl+F10) to see its logits here."));
        return;
    }
    const BatchInspection& b = *m_batch;
    const int cell = cellSize();
    const int rows = visibleRows();
    const int columns = visibleColumns();
    const int r0 = firstRow();
    const int c0 = firstColumn();
    const bool removeHits = b.options.removeAccidentalHits;
    const QColor text = chartTextColour(palette(), 0.85);
    const QColor faint = chartTextColour(palette(), 0.45);

    // One pixel per cell through a colour table, then scaled up without smoothing: drawing
    // 4,096 rectangles one by one cost the GUI thread 25+ ms a frame.
    std::array<QRgb, kColourSteps> table{};
    for (int k = 0; k < kColourSteps; ++k) {
        table[std::size_t(k)] = colourOf(m_limit * (2.0 * k / (kColourSteps - 1) - 1.0)).rgb();
    }
    QImage cells(columns, rows, QImage::Format_RGB32);
    for (int i = 0; i < rows; ++i) {
        auto* line = reinterpret_cast<QRgb*>(cells.scanLine(i));
        for (int j = 0; j < columns; ++j) {
            const double v = adjustedLogit(b, m_after, std::size_t(r0 + i), std::size_t(c0 + j));
            const double t = std::clamp((v / m_limit + 1.0) / 2.0, 0.0, 1.0);
            line[j] = table[std::size_t(std::lround(t * (kColourSteps - 1)))];
        }
    }
    p.drawImage(QRect(cellRect(r0, c0).topLeft(), QSize(columns * cell, rows * cell)), cells);
    // The row's movie again (accidental hits): a dot, or hatched when the loss leaves it out.
    p.setPen(Qt::NoPen);
    for (int i = r0; i < r0 + rows; ++i) {
        for (int j = c0; j < c0 + columns; ++j) {
            if (!isAccidentalHit(b, std::size_t(i), std::size_t(j))) {
                continue;
            }
            const QRect r = cellRect(i, j);
            if (removeHits) {
                p.fillRect(r, palette().base());
                p.fillRect(r, QBrush(faint, Qt::BDiagPattern));
            } else if (cell >= 5) {
                p.setBrush(text);
                const int d = std::max(2, cell / 3);
                p.drawEllipse(r.center(), d / 2, d / 2);
            }
        }
    }
    // The positives: the diagonal, outlined.
    p.setBrush(Qt::NoBrush);
    p.setPen(QPen(text, std::max(1, cell / 8)));
    for (int i = std::max(r0, c0); i < std::min(r0 + rows, c0 + columns); ++i) {
        p.drawRect(cellRect(i, i).adjusted(0, 0, -1, -1));
    }
    // The chosen row.
    if (m_row >= r0 && m_row < r0 + rows) {
        const QRect first = cellRect(m_row, c0);
        p.setPen(QPen(palette().highlight().color(), 2));
        p.drawRect(QRect(first.topLeft(), QSize(columns * cell, cell)).adjusted(-1, -1, 0, 0));
    }

    // Row numbers on the left, column numbers on top (1-based, as the view counts).
    p.setPen(text);
    const int every = std::max(1, (fontMetrics().height() + 2 + cell - 1) / cell);
    for (int i = r0; i < r0 + rows; ++i) {
        // Every few rows, and the chosen one (whose neighbours then give way to it).
        const bool nearChosen = i != m_row && std::abs(i - m_row) < every;
        if (((i - r0) % every == 0 && !nearChosen) || i == m_row) {
            const QRect r = cellRect(i, c0);
            p.drawText(QRect(0, r.top() - 4, labelWidth() - 4, cell + 8),
                       Qt::AlignRight | Qt::AlignVCenter, QString::number(i + 1));
        }
    }
    const int everyColumn =
        std::max(1, (fontMetrics().horizontalAdvance(QStringLiteral("0000")) + cell - 1) / cell);
    for (int j = c0; j < c0 + columns; j += everyColumn) {
        const QRect r = cellRect(r0, j);
        p.drawText(QRect(r.left(), 0, everyColumn * cell, labelHeight()),
                   Qt::AlignLeft | Qt::AlignVCenter, QString::number(j + 1));
    }

    // Legend: the colour scale, then what the marks mean.
    const int top = labelHeight() + rows * cell + 6;
    const int width = std::max(60, columns * cell / 3);
    const QRect bar(labelWidth(), top, width, fontMetrics().height() / 2 + 2);
    for (int x = 0; x < bar.width(); ++x) {
        const double v = -m_limit + 2 * m_limit * x / std::max(1, bar.width() - 1);
        p.fillRect(QRect(bar.left() + x, bar.top(), 1, bar.height()), colourOf(v));
    }
    p.setPen(text);
    const QString scale = tr("logit −%1 … 0 … +%1").arg(m_limit, 0, 'g', 3);
    p.drawText(QPoint(bar.right() + 8, bar.bottom()), scale);
    const QString marks = removeHits ? tr("outlined: the positive · hatched: same movie, left out")
                                     : tr("outlined: the positive · dot: the row's movie again");
    p.drawText(QPoint(labelWidth(), bar.bottom() + fontMetrics().height() + 2), marks);
}

void BatchHeatMap::resizeEvent(QResizeEvent* event) {
    QAbstractScrollArea::resizeEvent(event);
    updateGeometry();
}

void BatchHeatMap::mousePressEvent(QMouseEvent* event) {
    const QPoint cell = cellAt(event->position().toPoint());
    if (cell.y() >= 0) {
        m_row = cell.y();
        viewport()->update();
        emit rowClicked(cell.y());
    }
    QAbstractScrollArea::mousePressEvent(event);
}

void BatchHeatMap::keyPressEvent(QKeyEvent* event) {
    if (m_batch && (event->key() == Qt::Key_Up || event->key() == Qt::Key_Down)) {
        const int n = static_cast<int>(m_batch->size());
        const int row = std::clamp(m_row + (event->key() == Qt::Key_Down ? 1 : -1), 0, n - 1);
        setSelectedRow(row);
        emit rowClicked(row);
        return;
    }
    QAbstractScrollArea::keyPressEvent(event);
}

bool BatchHeatMap::viewportEvent(QEvent* event) {
    if (event->type() == QEvent::ToolTip && m_batch && m_toolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const QPoint cell = cellAt(help->pos());
        if (cell.x() >= 0) {
            QToolTip::showText(help->globalPos(), m_toolTip(cell.y(), cell.x()), viewport(),
                               cellRect(cell.y(), cell.x()));
        } else {
            QToolTip::hideText();
        }
        return true;
    }
    return QAbstractScrollArea::viewportEvent(event);
}

void BatchHeatMap::changeEvent(QEvent* event) {
    QAbstractScrollArea::changeEvent(event);
    if (event->type() == QEvent::FontChange || event->type() == QEvent::PaletteChange) {
        updateGeometry();
        viewport()->update();
    }
}

} // namespace towerlab
