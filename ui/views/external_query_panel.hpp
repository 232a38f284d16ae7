#pragma once
// The Recommend tab's left column while vectors from elsewhere are shown: why the query form
// is off, buttons to open user vectors or a query vector for them, a searchable list of the
// users (by label) to pick the query from, and k. It only shows and forwards; the
// RecommendController and the window do the work.

#include <QScrollArea>
#include <QString>
#include <QStringList>

class QLabel;
class QLineEdit;
class QListView;
class QSortFilterProxyModel;
class QSpinBox;
class QStringListModel;

namespace towerlab {

class ExternalQueryPanel : public QScrollArea {
    Q_OBJECT

public:
    explicit ExternalQueryPanel(QWidget* parent = nullptr);

    // Why the form is off (HTML).
    void setNote(const QString& html);
    // The user labels in row order (empty: no user vectors open) and their file.
    void setUsers(const QStringList& labels, const QString& source);
    // The query the list is for (plain text), or empty for none yet.
    void setQueryText(const QString& text);
    // Selects the row of this user (no userPicked), or nothing for -1.
    void showPickedUser(int row);
    void showK(int k, int maxK);

    // Filters the user list as typing in the search box does (for tests and lessons).
    void setFilterText(const QString& text);
    // Rows of the users the filtered list shows, in order.
    QList<int> visibleUsers() const;
    // Picks the filtered list's n-th user, as a click does.
    void clickVisibleUser(int n);

signals:
    void openUsersClicked();
    void openQueryClicked();
    void userPicked(int row);
    void kChosen(int k);

private:
    QLabel* m_note;
    QLabel* m_query;
    QLabel* m_usersLine;
    QLineEdit* m_filter;
    QListView* m_list;
    QStringListModel* m_users;
    QSortFilterProxyModel* m_filtered;
    QSpinBox* m_k;
    bool m_showing = false; // selections made here, not by the user
};

} // namespace towerlab
