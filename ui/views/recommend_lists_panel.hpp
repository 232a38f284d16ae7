#pragma once
// The Recommend tab's middle column: the model line, the real user's recall, the list of
// query A and, in compare mode, query B's beside it, and how long the ranking took. It only
// shows; its tables show the RecommendController's lists.

#include <QWidget>

class QLabel;
class QTableView;

namespace towerlab {

class RecommendationTableModel;

class RecommendListsPanel : public QWidget {
    Q_OBJECT

public:
    RecommendListsPanel(RecommendationTableModel* listA, RecommendationTableModel* listB,
                        QWidget* parent = nullptr);

    // Shows B's list beside A's; side by side, both drop the year, genre and popularity
    // columns (they stay in the tooltip).
    void setCompare(bool on);
    void setModelLine(const QString& text);
    void setRecallText(const QString& html);
    void setTitles(const QString& a, const QString& b);
    void setTiming(const QString& text);

    QTableView* tableA() const { return m_tableA; }
    QTableView* tableB() const { return m_tableB; }

private:
    QLabel* m_modelLine;
    QLabel* m_status;
    QLabel* m_titleA;
    QLabel* m_titleB;
    QWidget* m_panelB;
    QTableView* m_tableA;
    QTableView* m_tableB;
    QLabel* m_timing;
};

} // namespace towerlab
