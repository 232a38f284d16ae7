#include "charts/distribution_chart.hpp"

#include "charts/chart_theme.hpp"

#include <QEvent>
#include <QLocale>
#include <QRegularExpression>
#include <QVBoxLayout>
#include <QtCharts/QBarCategoryAxis>
#include <QtCharts/QBarSeries>
#include <QtCharts/QBarSet>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QHorizontalBarSeries>
#include <QtCharts/QLegend>
#include <QtCharts/QValueAxis>

#include <algorithm>

namespace towerlab {

DistributionChart::DistributionChart(const QString& title, const QString& explanation,
                                     Orientation orientation, QWidget* parent)
    : QWidget(parent), m_title(title), m_orientation(orientation), m_chart(new QChart) {
    m_chart->setAnimationOptions(QChart::NoAnimation);
    m_chart->legend()->hide();
    m_chart->setMargins(QMargins(2, 2, 2, 2));
    m_chart->setTitle(title);
    m_view = new QChartView(m_chart);
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setToolTip(explanation);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);
    setMinimumHeight(orientation == Orientation::Horizontal ? 300 : 220);
}

void DistributionChart::setBins(const std::vector<CountBin>& bins, const QString& emptyText) {
    m_bins = bins;
    m_emptyText = emptyText;
    rebuild();
}

void DistributionChart::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange) {
        rebuild();
    }
}

void DistributionChart::rebuild() {
    m_chart->removeAllSeries();
    for (QAbstractAxis* axis : m_chart->axes()) {
        m_chart->removeAxis(axis);
        delete axis;
    }
    m_barCount = static_cast<int>(m_bins.size());
    if (m_bins.empty()) {
        m_chart->setTitle(m_emptyText.isEmpty() ? m_title
                                                : m_title + QStringLiteral("\n") + m_emptyText);
        applyChartTheme(m_chart, palette(), font());
        return;
    }
    m_chart->setTitle(m_title);
    const bool horizontal = m_orientation == Orientation::Horizontal;
    // Horizontal bars read top to bottom in the summary's order.
    std::vector<CountBin> ordered = m_bins;
    if (horizontal) {
        std::reverse(ordered.begin(), ordered.end());
    }
    auto* set = new QBarSet(m_title);
    QStringList labels;
    double top = 0.0;
    for (const CountBin& bin : ordered) {
        *set << static_cast<double>(bin.count);
        labels << QString::fromStdString(bin.label);
        top = std::max(top, static_cast<double>(bin.count));
    }
    // Months: "Sep" fits under a bar where "1997-09" does not; the years go in the title.
    static const QRegularExpression month(QStringLiteral("^(\\d{4})-(\\d{2})$"));
    const auto first = month.match(labels.first());
    const auto last = month.match(labels.last());
    if (first.hasMatch() && last.hasMatch()) {
        for (QString& label : labels) {
            label = QLocale().monthName(label.mid(5, 2).toInt(), QLocale::ShortFormat);
        }
        const QString span = first.captured(1) == last.captured(1)
                                 ? first.captured(1)
                                 : first.captured(1) + QStringLiteral("–") + last.captured(1);
        m_chart->setTitle(QStringLiteral("%1 (%2)").arg(m_title, span));
    }
    QAbstractBarSeries* series =
        horizontal ? static_cast<QAbstractBarSeries*>(new QHorizontalBarSeries) : new QBarSeries;
    series->append(set);
    series->setBarWidth(0.8);
    m_chart->addSeries(series);
    auto* categories = new QBarCategoryAxis;
    categories->append(labels);
    auto* values = new QValueAxis;
    values->setRange(0, top > 0 ? top * 1.05 : 1.0);
    values->setLabelFormat(QStringLiteral("%.0f"));
    values->setTickCount(5);
    values->applyNiceNumbers();
    m_chart->addAxis(categories, horizontal ? Qt::AlignLeft : Qt::AlignBottom);
    m_chart->addAxis(values, horizontal ? Qt::AlignBottom : Qt::AlignLeft);
    series->attachAxis(categories);
    series->attachAxis(values);
    if (!horizontal && labels.size() > 16) {
        categories->setLabelsAngle(-90);
    }
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    applyChartTheme(m_chart, palette(), small);
    set->setColor(palette().color(QPalette::Highlight));
    set->setBorderColor(palette().color(QPalette::Highlight));
}

} // namespace towerlab
