#include "charts/chart_theme.hpp"

#include <QFont>
#include <QPalette>
#include <QtCharts/QAbstractAxis>
#include <QtCharts/QChart>
#include <QtCharts/QLegend>

namespace towerlab {

bool isDarkPalette(const QPalette& palette) {
    return palette.color(QPalette::Window).lightness() < 128;
}

QColor chartTextColour(const QPalette& palette, double alpha) {
    QColor colour = palette.color(QPalette::WindowText);
    colour.setAlphaF(static_cast<float>(alpha));
    return colour;
}

void applyChartTheme(QChart* chart, const QPalette& palette, const QFont& font) {
    chart->setTheme(isDarkPalette(palette) ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    chart->setBackgroundBrush(palette.color(QPalette::Base));
    chart->setBackgroundRoundness(0);
    chart->setPlotAreaBackgroundVisible(false);
    const QColor text = palette.color(QPalette::WindowText);
    QFont title = font;
    title.setBold(true);
    chart->setTitleFont(title);
    chart->setTitleBrush(text);
    chart->legend()->setFont(font);
    chart->legend()->setLabelColor(text);
    QFont small = font;
    small.setPointSizeF(font.pointSizeF() * 0.9);
    for (QAbstractAxis* axis : chart->axes()) {
        axis->setLabelsFont(small);
        axis->setLabelsColor(text);
        axis->setTitleFont(small);
        axis->setTitleBrush(text);
        axis->setGridLineColor(chartTextColour(palette, 0.15));
        axis->setLinePenColor(chartTextColour(palette, 0.4));
    }
}

} // namespace towerlab
