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
    // Splits every bar in two stacked parts: `second[i]` of bar i's count (e.g. its test
    // ratings) on top, drawn in a second colour, the rest below, with a legend naming both.
    // Empty `second`, or one whose size differs from the bars', shows whole bars again. A
    // note, when given, follows the title (e.g. where the cut lies). Kept across setBins()
    // until replaced.
    void setParts(const std::vector<std::size_t>& second, const QString& firstName,
                  const QString& secondName, const QString& note = {});
    int barCount() const { return m_barCount; }
    // Whether the bars are drawn in two parts now (setParts with a matching size).
    bool showsParts() const { return m_showsParts; }
    QString chartTitle() const;

protected:
    void changeEvent(QEvent* event) override;

private:
    void rebuild();

    QString m_title;
    Orientation m_orientation;
    std::vector<CountBin> m_bins;
    QString m_emptyText;
    std::vector<std::size_t> m_second;
    QString m_firstName;
    QString m_secondName;
    QString m_note;
    bool m_showsParts = false;
    QChart* m_chart;
    QChartView* m_view;
    int m_barCount = 0;
};

} // namespace towerlab
