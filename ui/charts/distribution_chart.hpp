#pragma once
// A small bar chart of one distribution of the dataset summary (age groups, genres, ...).

#include "data/dataset_summary.hpp"

#include <QWidget>

#include <vector>

class QChart;
class QChartView;

namespace towerlab {

class DistributionChart : public QWidget {
    Q_OBJECT

public:
    enum class Orientation { Vertical, Horizontal }; // horizontal suits many long labels

    DistributionChart(const QString& title, const QString& explanation, Orientation orientation,
                      QWidget* parent = nullptr);

    // Replaces the bars. An empty list shows `emptyText` instead of a chart. Labels of the
    // form "YYYY-MM" (the summary's months) are shown as short month names, the years in
    // the title.
    void setBins(const std::vector<CountBin>& bins, const QString& emptyText = {});
    int barCount() const { return m_barCount; }

protected:
    void changeEvent(QEvent* event) override;

private:
    void rebuild();

    QString m_title;
    Orientation m_orientation;
    std::vector<CountBin> m_bins;
    QString m_emptyText;
    QChart* m_chart;
    QChartView* m_view;
    int m_barCount = 0;
};

} // namespace towerlab
