#pragma once
// Filters the movie table by title text (case- and accent-insensitive, using the core's
// folding) and by genre. Sorting is the movie table's own (MovieTableModel::sort, numbers as
// numbers): this proxy passes it on and keeps the table's order, so the order a dataset opens
// in, sorted on the loading thread, is not sorted again here on the GUI thread. Over any other
// source it sorts as QSortFilterProxyModel does.

#include <QSortFilterProxyModel>
#include <QString>

namespace towerlab {

class MovieTableModel;

class MovieFilterProxy : public QSortFilterProxyModel {
    Q_OBJECT

public:
    explicit MovieFilterProxy(QObject* parent = nullptr);

    void setSourceModel(QAbstractItemModel* source) override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;
    void setTitleFilter(const QString& text);
    void setGenreFilter(int genre); // -1 = every genre

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    void refilter();

    MovieTableModel* m_movies = nullptr; // the source as a movie table, or null

    QString m_folded;
    int m_genre = -1;
};

} // namespace towerlab
