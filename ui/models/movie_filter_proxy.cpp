#include "models/movie_filter_proxy.hpp"

#include "models/movie_table_model.hpp"
#include "retrieval/retrieval.hpp"

namespace towerlab {

MovieFilterProxy::MovieFilterProxy(QObject* parent) : QSortFilterProxyModel(parent) {
    setSortRole(static_cast<int>(MovieTableModel::Role::Sort));
}

void MovieFilterProxy::setSourceModel(QAbstractItemModel* source) {
    m_movies = qobject_cast<MovieTableModel*>(source);
    QSortFilterProxyModel::setSourceModel(source);
}

void MovieFilterProxy::sort(int column, Qt::SortOrder order) {
    if (m_movies == nullptr) {
        QSortFilterProxyModel::sort(column, order);
        return;
    }
    // The proxy's own sort column stays -1, so its rows follow the table's order (a layout
    // change of the source it maps like any other).
    m_movies->sort(column, order);
}

void MovieFilterProxy::setTitleFilter(const QString& text) {
    const QString folded = QString::fromStdString(foldForSearch(text.trimmed().toStdString()));
    if (folded == m_folded) {
        return;
    }
    m_folded = folded;
    refilter();
}

void MovieFilterProxy::setGenreFilter(int genre) {
    if (genre == m_genre) {
        return;
    }
    m_genre = genre;
    refilter();
}

void MovieFilterProxy::refilter() {
    // invalidateRowsFilter() removes and inserts the rows that change, one range at a time,
    // and the view handles each range: typing "e" over 62,000 movies held the GUI thread for
    // half a second. Building the mapping anew (filter, then sort what is left) is one pass.
    invalidate();
}

bool MovieFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
    if (m_folded.isEmpty() && m_genre < 0) {
        return true;
    }
    const QModelIndex index = sourceModel()->index(sourceRow, MovieTableModel::Title, sourceParent);
    if (!m_folded.isEmpty() && !index.data(static_cast<int>(MovieTableModel::Role::SearchText))
                                    .toString()
                                    .contains(m_folded)) {
        return false;
    }
    if (m_genre >= 0) {
        const auto genres =
            index.data(static_cast<int>(MovieTableModel::Role::GenreIndices)).value<QList<int>>();
        return genres.contains(m_genre);
    }
    return true;
}

} // namespace towerlab
