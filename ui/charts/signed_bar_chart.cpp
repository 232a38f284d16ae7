#include "charts/signed_bar_chart.hpp"

#include "charts/chart_theme.hpp"
#include "charts/nice_ticks.hpp"

#include <QCursor>
#include <QEvent>
#include <QLocale>
#include <QToolTip>
#include <QVBoxLayout>
#include <QtCharts/QBarCategoryAxis>
#include <QtCharts/QBarSet>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QHorizontalStackedBarSeries>
#include <QtCharts/QLegend>
#include <QtCharts/QStackedBarSeries>
#include <QtCharts/QValueAxis>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace towerlab {

namespace {

// Colours that read on light and dark backgrounds and for red-green colour blindness
// (blue for raises, orange for lowers).
QColor positiveColour(bool dark) {
    return dark ? QColor(0x5d, 0xa5, 0xe8) : QColor(0x1f, 0x6f, 0xb8);
}
QColor negativeColour(bool dark) {
    return dark ? QColor(0xf0, 0x9a, 0x4a) : QColor(0xd0, 0x62, 0x0c);
}

} // namespace

SignedBarChart::SignedBarChart(Orientation orientation, QWidget* parent)
    : QWidget(parent), m_orientation(orientation), m_chart(new QChart) {
    m_chart->setAnimationOptions(QChart::NoAnimation);
    m_chart->legend()->hide();
    m_chart->setMargins(QMargins(2, 2, 2, 2));
    // The axes live as long as the chart and only change their labels and range: axes removed
    // and deleted on every update can leave their old labels painted until the next layout.
    const bool horizontal = orientation == Orientation::Horizontal;
    m_categories = new QBarCategoryAxis;
    m_valueAxis = new QValueAxis;
    m_chart->addAxis(m_categories, horizontal ? Qt::AlignLeft : Qt::AlignBottom);
    m_chart->addAxis(m_valueAxis, horizontal ? Qt::AlignBottom : Qt::AlignLeft);
    m_view = new QChartView(m_chart);
    m_view->setRenderHint(QPainter::Antialiasing);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);
    setMinimumHeight(160);
}

void SignedBarChart::setValues(const QString& title, const QStringList& labels,
                               const std::vector<double>& values, const QString& emptyText) {
    if (labels.size() != static_cast<qsizetype>(values.size())) {
        throw std::invalid_argument("SignedBarChart: one label per value is needed");
    }
    m_title = title;
    m_labels = labels;
    m_hoverTexts.clear();
    m_values = values;
    m_emptyText = emptyText;
    rebuild();
}

void SignedBarChart::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange) {
        rebuild();
    }
}

void SignedBarChart::rebuild() {
    m_chart->removeAllSeries();
    m_categories->clear();
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    m_categories->setVisible(!m_values.empty());
    m_valueAxis->setVisible(!m_values.empty());
    if (m_values.empty()) {
        m_chart->setTitle(m_emptyText.isEmpty() ? m_title
                                                : m_title + QStringLiteral("\n") + m_emptyText);
        applyChartTheme(m_chart, palette(), small);
        return;
    }
    m_chart->setTitle(m_title);
    const bool horizontal = m_orientation == Orientation::Horizontal;
    // Two stacked sets, one holding the positive parts and one the negative, colour the bars
    // by sign; each bar has a zero in the other set, so nothing shows twice.
    auto* raises = new QBarSet(tr("raises"));
    auto* lowers = new QBarSet(tr("lowers"));
    QStringList labels;
    double low = 0.0;
    double high = 0.0;
    for (std::size_t i = 0; i < m_values.size(); ++i) {
        // Horizontal bars read top to bottom in the given order; the axis counts bottom up.
        const std::size_t at = horizontal ? m_values.size() - 1 - i : i;
        const double v = std::isfinite(m_values[at]) ? m_values[at] : 0.0;
        *raises << std::max(v, 0.0);
        *lowers << std::min(v, 0.0);
        labels << m_labels[static_cast<qsizetype>(at)];
        low = std::min(low, v);
        high = std::max(high, v);
    }
    QAbstractBarSeries* series =
        horizontal ? static_cast<QAbstractBarSeries*>(new QHorizontalStackedBarSeries)
                   : new QStackedBarSeries;
    series->append(raises);
    series->append(lowers);
    series->setBarWidth(horizontal ? 0.65 : 0.8);
    m_chart->addSeries(series);
    const QStringList shown = labels;
    const std::size_t count = m_values.size();
    auto hover = [this, shown, count, horizontal](bool state, int index) {
        if (!state || index < 0 || index >= shown.size()) {
            QToolTip::hideText();
            return;
        }
        const std::size_t at = horizontal ? count - 1 - static_cast<std::size_t>(index)
                                          : static_cast<std::size_t>(index);
        const auto bar = static_cast<qsizetype>(at);
        QToolTip::showText(QCursor::pos(),
                           bar < m_hoverTexts.size()
                               ? m_hoverTexts[bar]
                               : QStringLiteral("%1: %2")
                                     .arg(shown[index])
                                     .arg(QLocale().toString(m_values[at], 'f', 4)),
                           m_view);
    };
    connect(raises, &QBarSet::hovered, this, hover);
    connect(lowers, &QBarSet::hovered, this, hover);

    m_categories->append(labels);
    QValueAxis* axis = m_valueAxis;
    // Zero always in view, with a little room beyond the longest bar; round ticks, zero among
    // them (applyNiceNumbers with "%.2g" printed a rounding residue as "-5…" at zero).
    const double span = std::max(high - low, 1e-6);
    applyNiceTicks(axis, niceTicks(low < 0.0 ? low - span * 0.05 : 0.0,
                                   high > 0.0 ? high + span * 0.05 : 0.0));
    series->attachAxis(m_categories);
    series->attachAxis(axis);
    m_categories->setLabelsVisible(horizontal || labels.size() <= m_maxLabelledBars);
    applyChartTheme(m_chart, palette(), small);
    const bool dark = isDarkPalette(palette());
    for (QBarSet* set : {raises, lowers}) {
        const QColor colour = set == raises ? positiveColour(dark) : negativeColour(dark);
        set->setColor(colour);
        set->setBorderColor(colour);
    }
}

} // namespace towerlab
