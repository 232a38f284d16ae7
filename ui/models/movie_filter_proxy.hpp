#pragma once
// Filters the movie table by title text (case- and accent-insensitive, using the core's
// folding) and by genre; sorts numerically through MovieTableModel::Role::Sort.

#include <QSortFilterProxyModel>
#include <QString>

namespace towerlab {

class MovieFilterProxy : public QSortFilterProxyModel {
    Q_OBJECT

public:
    explicit MovieFilterProxy(QObject* parent = nullptr);

    void setTitleFilter(const QString& text);
    void setGenreFilter(int genre); // -1 = every genre

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;
    // Through MovieTableModel::lessThan: the same order as Role::Sort, without QVariants.
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

private:
    QString m_folded;
    int m_genre = -1;
};

} // namespace towerlab
