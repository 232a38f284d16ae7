#include "charts/softmax_bars.hpp"

#include "charts/chart_theme.hpp"

#include <QEvent>
#include <QPainter>

#include <algorithm>

namespace towerlab {
namespace {

QString percent(double p) {
    if (p >= 0.1) {
        return QString::number(100 * p, 'f', 1) + QLatin1Char('%');
    }
    if (p >= 0.001) {
        return QString::number(100 * p, 'f', 2) + QLatin1Char('%');
    }
    return QString::number(100 * p, 'g', 2) + QLatin1Char('%');
}

} // namespace

SoftmaxBars::SoftmaxBars(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("softmaxBars"));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
}

void SoftmaxBars::setBars(std::vector<SoftmaxBar> bars) {
    m_bars = std::move(bars);
    updateGeometry();
    update();
}

int SoftmaxBars::lineHeight() const {
    return fontMetrics().height() + 4;
}

QSize SoftmaxBars::sizeHint() const {
    // The bars, the "⋮" line before a separated positive, and the legend line.
    return {480, static_cast<int>(std::max<std::size_t>(m_bars.size(), 4) + 2) * lineHeight()};
}

QSize SoftmaxBars::minimumSizeHint() const {
    return {240, sizeHint().height()};
}

void SoftmaxBars::paintEvent(QPaintEvent*) {
    QPainter p(this);
    const QColor text = chartTextColour(palette(), 0.9);
    const QColor muted = chartTextColour(palette(), 0.28);
    const QColor accent = palette().highlight().color();
    if (m_bars.empty()) {
        p.setPen(chartTextColour(palette(), 0.6));
        p.drawText(rect(), Qt::AlignCenter, tr("No row chosen"));
        return;
    }
    double top = 0.0;
    for (const SoftmaxBar& b : m_bars) {
        top = std::max({top, b.before, b.after});
    }
    top = top > 0 ? top : 1.0;
    const QFontMetrics fm = fontMetrics();
    const int labelWidth = std::min(width() * 2 / 5, fm.horizontalAdvance(QLatin1Char('x')) * 34);
    QFont bold = font();
    bold.setBold(true);
    const int valueWidth =
        QFontMetrics(bold).horizontalAdvance(QStringLiteral("00.00% → 00.00%")) + 8;
    const int barLeft = labelWidth + 6;
    const int barWidth = std::max(20, width() - barLeft - valueWidth);
    const int line = lineHeight();
    int y = 0;
    for (const SoftmaxBar& b : m_bars) {
        if (b.gapBefore) {
            p.setPen(muted);
            p.drawText(QRect(0, y, labelWidth, line / 2 + 4), Qt::AlignRight | Qt::AlignVCenter,
                       QStringLiteral("⋮"));
            y += line / 2;
        }
        QFont font = this->font();
        font.setBold(b.positive);
        p.setFont(font);
        p.setPen(b.positive ? accent : text);
        const QString label = (b.sameMovie ? QStringLiteral("• ") : QString()) + b.label;
        p.drawText(QRect(0, y, labelWidth, line), Qt::AlignRight | Qt::AlignVCenter,
                   QFontMetrics(font).elidedText(label, Qt::ElideRight, labelWidth));
        const int beforeWidth = static_cast<int>(barWidth * b.before / top);
        const int afterWidth = static_cast<int>(barWidth * b.after / top);
        const QColor fill = b.positive ? accent : muted;
        p.fillRect(QRect(barLeft, y + 3, std::max(1, beforeWidth), line - 6), fill);
        p.fillRect(QRect(barLeft, y + line / 2 - 1, std::max(1, afterWidth), 3), text);
        p.setPen(b.positive ? accent : text);
        p.drawText(QRect(barLeft + barWidth + 6, y, valueWidth, line),
                   Qt::AlignLeft | Qt::AlignVCenter,
                   percent(b.before) + QStringLiteral(" → ") + percent(b.after));
        y += line;
    }
    p.setFont(this->font());
    p.setPen(chartTextColour(palette(), 0.6));
    p.drawText(QRect(barLeft, y, width() - barLeft, line), Qt::AlignLeft | Qt::AlignVCenter,
               tr("bar: before the step · thin line: after"));
}

void SoftmaxBars::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange) {
        updateGeometry();
    }
}

} // namespace towerlab
