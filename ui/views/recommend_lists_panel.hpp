#pragma once
// The Recommend tab's middle column: the model line, the real user's recall, the approximate
// search toggle with its ef and the index's state and measured recall, the list of query A
// and, in compare mode, query B's beside it, and how long the ranking took. It only shows and
// signals; its tables show the RecommendController's lists.

#include <QString>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
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
    // The approximate-search row: toggle, ef, build progress with its Cancel, and the status.
    void showApproximate(bool on, int ef, bool building, double progress, const QString& html);
    // Off (unchecked, disabled, with why as its tooltip) for vectors from elsewhere: the index
    // is built from a model.
    void setApproximateAvailable(bool available, const QString& why);
    // Whether the lists are of vectors from elsewhere: then the tables' and the recall line's
    // tooltips say what such a list is (no training split, nothing seen) instead of a model's.
    void setFromElsewhere(bool on);

    QTableView* tableA() const { return m_tableA; }
    QTableView* tableB() const { return m_tableB; }

signals:
    void approximateToggled(bool on);
    void efChosen(int ef);
    void cancelBuildClicked();

private:
    QLabel* m_modelLine;
    QLabel* m_status;
    QLabel* m_titleA;
    QLabel* m_titleB;
    QWidget* m_panelB;
    QTableView* m_tableA;
    QTableView* m_tableB;
    QLabel* m_timing;
    QCheckBox* m_approximate;
    QString m_approximateTip; // its tooltip while it is available
    QComboBox* m_ef;
    QProgressBar* m_buildProgress;
    QPushButton* m_cancelBuild;
    QLabel* m_approximateStatus;
};

} // namespace towerlab
