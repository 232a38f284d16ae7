#pragma once
// A small bar chart of signed numbers: bars above (or right of) zero in one colour, below in
// another, so the sign reads at a glance on a projector. The Recommend view draws the query
// embedding (vertical, one bar per dimension) and a score explanation (horizontal, one bar
// per feature) with it. Hovering a bar shows its label and value.

#include <QStringList>
#include <QWidget>

#include <vector>

class QBarCategoryAxis;
class QChart;
class QChartView;
class QValueAxis;

namespace towerlab {

class SignedBarChart : public QWidget {
    Q_OBJECT

public:
    enum class Orientation { Vertical, Horizontal };

    explicit SignedBarChart(Orientation orientation, QWidget* parent = nullptr);

    // Replaces the bars: one per value, labelled by `labels` (same length). Horizontal bars
    // read top to bottom in the given order. No values shows `emptyText` in the title line.
    // Throws std::invalid_argument when the lengths differ.
    void setValues(const QString& title, const QStringList& labels,
                   const std::vector<double>& values, const QString& emptyText = {});
    // What hovering each bar shows (same length as the values); by default "label: value".
    // Reset by setValues.
    void setHoverTexts(const QStringList& texts) { m_hoverTexts = texts; }
    const QStringList& hoverTexts() const { return m_hoverTexts; }
    // Vertical charts with more bars than this hide the category labels (hover shows them).
    void setMaxLabelledBars(int bars) { m_maxLabelledBars = bars; }

    const std::vector<double>& values() const { return m_values; }
    const QStringList& labels() const { return m_labels; }
    QString title() const { return m_title; }

protected:
    void changeEvent(QEvent* event) override;

private:
    void rebuild();

    Orientation m_orientation;
    QString m_title;
    QString m_emptyText;
    QStringList m_labels;
    QStringList m_hoverTexts;
    std::vector<double> m_values;
    int m_maxLabelledBars = 16;
    QChart* m_chart;
    QChartView* m_view;
    QBarCategoryAxis* m_categories;
    QValueAxis* m_valueAxis;
};

} // namespace towerlab
