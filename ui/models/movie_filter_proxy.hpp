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

    void setSourceModel(QAbstractItemModel* source) override;
    void setTitleFilter(const QString& text);
    void setGenreFilter(int genre); // -1 = every genre

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;
    // Through MovieTableModel::lessThan: the same order as Role::Sort, without QVariants.
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

private:
    void refilter();

    // The source as a movie table, found once: a cast per comparison was a good part of
    // sorting 62,000 movies (about a million comparisons).
    const class MovieTableModel* m_movies = nullptr;
    QString m_folded;
    int m_genre = -1;
};

} // namespace towerlab
