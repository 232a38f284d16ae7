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
#include <QtCharts/QHorizontalStackedBarSeries>
#include <QtCharts/QLegend>
#include <QtCharts/QStackedBarSeries>
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

void DistributionChart::setParts(const std::vector<std::size_t>& second, const QString& firstName,
                                 const QString& secondName, const QString& note) {
    m_second = second;
    m_firstName = firstName;
    m_secondName = secondName;
    m_note = note;
    rebuild();
}

QString DistributionChart::chartTitle() const {
    return m_chart->title();
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
    m_showsParts = !m_bins.empty() && m_second.size() == m_bins.size();
    m_chart->legend()->setVisible(m_showsParts);
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
    std::vector<std::size_t> second = m_showsParts ? m_second : std::vector<std::size_t>();
    if (horizontal) {
        std::reverse(ordered.begin(), ordered.end());
        std::reverse(second.begin(), second.end());
    }
    auto* set = new QBarSet(m_showsParts ? m_firstName : m_title);
    QBarSet* secondSet = m_showsParts ? new QBarSet(m_secondName) : nullptr;
    QStringList labels;
    double top = 0.0;
    for (std::size_t i = 0; i < ordered.size(); ++i) {
        const CountBin& bin = ordered[i];
        const std::size_t upper = m_showsParts ? std::min(second[i], bin.count) : 0;
        *set << static_cast<double>(bin.count - upper);
        if (secondSet != nullptr) {
            *secondSet << static_cast<double>(upper);
        }
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
    if (m_showsParts && !m_note.isEmpty()) {
        m_chart->setTitle(m_chart->title() + QStringLiteral(" · ") + m_note);
    }
    QAbstractBarSeries* series = nullptr;
    if (m_showsParts) {
        series = horizontal ? static_cast<QAbstractBarSeries*>(new QHorizontalStackedBarSeries)
                            : new QStackedBarSeries;
    } else {
        series = horizontal ? static_cast<QAbstractBarSeries*>(new QHorizontalBarSeries)
                            : new QBarSeries;
    }
    series->append(set);
    if (secondSet != nullptr) {
        series->append(secondSet);
    }
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
    m_chart->legend()->setVisible(m_showsParts);
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    set->setColor(palette().color(QPalette::Highlight));
    set->setBorderColor(palette().color(QPalette::Highlight));
    if (secondSet != nullptr) {
        // Orange against the highlight's blue: apart for colour-blind eyes too, and on light
        // and dark palettes alike.
        const QColor orange(isDarkPalette(palette()) ? QColor(0xff, 0xa0, 0x40)
                                                     : QColor(0xe0, 0x70, 0x10));
        secondSet->setColor(orange);
        secondSet->setBorderColor(orange);
    }
}

} // namespace towerlab
