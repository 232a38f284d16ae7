#include "models/movie_filter_proxy.hpp"

#include "models/movie_table_model.hpp"
#include "retrieval/retrieval.hpp"

namespace towerlab {

MovieFilterProxy::MovieFilterProxy(QObject* parent) : QSortFilterProxyModel(parent) {
    setSortRole(static_cast<int>(MovieTableModel::Role::Sort));
}

void MovieFilterProxy::setSourceModel(QAbstractItemModel* source) {
    m_movies = qobject_cast<const MovieTableModel*>(source);
    QSortFilterProxyModel::setSourceModel(source);
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

bool MovieFilterProxy::lessThan(const QModelIndex& left, const QModelIndex& right) const {
    if (m_movies != nullptr) {
        return m_movies->lessThan(left.row(), right.row(), left.column());
    }
    return QSortFilterProxyModel::lessThan(left, right);
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
