#include "models/movie_table_model.hpp"

#include "retrieval/retrieval.hpp"

namespace towerlab {

MovieTableModel::MovieTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void MovieTableModel::setDataset(std::shared_ptr<const Dataset> dataset,
                                 std::shared_ptr<const DatasetSummary> summary,
                                 std::shared_ptr<const MovieTexts> texts,
                                 std::shared_ptr<const MovieOrder> sorted) {
    beginResetModel();
    m_dataset = std::move(dataset);
    m_summary = std::move(summary);
    const auto movies = static_cast<qsizetype>(m_dataset ? m_dataset->movies.size() : 0);
    if (!texts || texts->titles.size() != movies || texts->genres.size() != movies ||
        texts->searchText.size() != movies) {
        texts =
            std::make_shared<const MovieTexts>(m_dataset ? movieTextsOf(*m_dataset) : MovieTexts{});
    }
    m_texts = std::move(texts);
    // The loading thread's order when it is this table's (a sort by the current column, or
    // the dataset's order when none), else sorted here.
    const bool current = sorted && sorted->column == m_sortColumn &&
                         (m_sortColumn < 0 || sorted->order == m_sortOrder) &&
                         static_cast<qsizetype>(sorted->movies.size()) == movies;
    m_order = !m_dataset ? nullptr
              : current  ? std::move(sorted)
                         : std::make_shared<const MovieOrder>(sortMovies(
                               *m_dataset, m_summary.get(), *m_texts, m_sortColumn, m_sortOrder));
    endResetModel();
}

void MovieTableModel::sort(int column, Qt::SortOrder order) {
    column = column >= 0 && column < ColumnCount ? column : -1;
    if (column == m_sortColumn && (column < 0 || order == m_sortOrder)) {
        return;
    }
    m_sortColumn = column;
    m_sortOrder = order;
    if (!m_dataset) {
        return;
    }
    emit layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    auto sorted = std::make_shared<const MovieOrder>(
        sortMovies(*m_dataset, m_summary.get(), *m_texts, m_sortColumn, m_sortOrder));
    // Each persistent index follows its movie to the movie's new row.
    std::vector<int> newRow(sorted->movies.size());
    for (std::size_t r = 0; r < sorted->movies.size(); ++r) {
        newRow[static_cast<std::size_t>(sorted->movies[r])] = static_cast<int>(r);
    }
    const QModelIndexList before = persistentIndexList();
    QModelIndexList after;
    after.reserve(before.size());
    for (const QModelIndex& index : before) {
        after << createIndex(newRow[static_cast<std::size_t>(movieAt(index.row()))],
                             index.column());
    }
    m_order = std::move(sorted);
    changePersistentIndexList(before, after);
    emit layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

int MovieTableModel::movieAt(int row) const {
    return m_order && row >= 0 && static_cast<std::size_t>(row) < m_order->movies.size()
               ? m_order->movies[static_cast<std::size_t>(row)]
               : -1;
}

QModelIndex MovieTableModel::index(int row, int column, const QModelIndex& parent) const {
    const auto rows = static_cast<int>(m_dataset ? m_dataset->movies.size() : 0);
    if (parent.isValid() || row < 0 || row >= rows || column < 0 || column >= ColumnCount) {
        return {};
    }
    return createIndex(row, column);
}

int MovieTableModel::rowCount(const QModelIndex& parent) const {
    if (parent.isValid() || !m_dataset) {
        return 0;
    }
    return static_cast<int>(m_dataset->movies.size());
}

int MovieTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant MovieTableModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const int at = movieAt(index.row());
    const auto row = static_cast<std::size_t>(at);
    const Movie& movie = m_dataset->movies[row];
    const bool counted = m_summary && row < m_summary->movieRatingCounts.size();
    const int ratings = counted ? m_summary->movieRatingCounts[row] : 0;
    const double mean = counted ? m_summary->movieMeanRatings[row] : 0.0;

    if (role == static_cast<int>(Role::SearchText)) {
        return m_texts->searchText[at];
    }
    if (role == static_cast<int>(Role::GenreIndices)) {
        return QVariant::fromValue(QList<int>(movie.genres.begin(), movie.genres.end()));
    }
    if (role == Qt::TextAlignmentRole) {
        const bool numeric = index.column() != Title && index.column() != Genres;
        return QVariant::fromValue(numeric ? Qt::AlignRight | Qt::AlignVCenter
                                           : Qt::AlignLeft | Qt::AlignVCenter);
    }
    const bool display = role == Qt::DisplayRole;
    const bool sort = role == static_cast<int>(Role::Sort);
    if (!display && !sort && role != Qt::ToolTipRole) {
        return {};
    }
    switch (index.column()) {
    case Id:
        return QVariant::fromValue(static_cast<qlonglong>(movie.id));
    case Title:
        return m_texts->titles[at];
    case Year:
        if (sort) {
            return movie.year;
        }
        return movie.year > 0 ? QVariant(movie.year) : QVariant(QString());
    case Genres:
        return m_texts->genres[at];
    case Ratings:
        return ratings;
    case MeanRating:
        if (sort) {
            return mean;
        }
        return ratings > 0 ? QVariant(QString::number(mean, 'f', 2)) : QVariant(QString());
    default:
        return {};
    }
}

QVariant MovieTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal) {
        return QAbstractTableModel::headerData(section, orientation, role);
    }
    if (role == Qt::DisplayRole) {
        switch (section) {
        case Id:
            return tr("ID");
        case Title:
            return tr("Title");
        case Year:
            return tr("Year");
        case Genres:
            return tr("Genres");
        case Ratings:
            return tr("Ratings");
        case MeanRating:
            return tr("Mean ★");
        default:
            return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case Id:
            return tr("The movie's id in the source files");
        case Year:
            return tr("Release year, taken from the title");
        case Ratings:
            return tr("How many ratings the movie has in the whole dataset");
        case MeanRating:
            return tr("Mean star rating (1-5). Note that the retrieval model ignores the stars: "
                      "every rating counts as \"this user watched this movie\".");
        default:
            return {};
        }
    }
    return {};
}

} // namespace towerlab
