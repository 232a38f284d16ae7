#include "models/movie_order.hpp"

#include "models/movie_table_model.hpp"

#include <algorithm>
#include <numeric>

namespace towerlab {

bool movieLess(const Dataset& dataset, const DatasetSummary* summary, const MovieTexts& texts,
               int a, int b, int column) {
    const Movie& x = dataset.movies[std::size_t(a)];
    const Movie& y = dataset.movies[std::size_t(b)];
    const auto count = [summary](int row) {
        return summary && std::size_t(row) < summary->movieRatingCounts.size()
                   ? summary->movieRatingCounts[std::size_t(row)]
                   : 0;
    };
    const auto mean = [summary](int row) {
        return summary && std::size_t(row) < summary->movieMeanRatings.size()
                   ? summary->movieMeanRatings[std::size_t(row)]
                   : 0.0;
    };
    switch (column) {
    case MovieTableModel::Id:
        return x.id < y.id;
    case MovieTableModel::Title:
        return texts.titles[a].compare(texts.titles[b]) < 0;
    case MovieTableModel::Year:
        return x.year < y.year;
    case MovieTableModel::Genres:
        return texts.genres[a].compare(texts.genres[b]) < 0;
    case MovieTableModel::Ratings:
        return count(a) < count(b);
    case MovieTableModel::MeanRating:
        return mean(a) < mean(b);
    default:
        return false;
    }
}

MovieOrder sortMovies(const Dataset& dataset, const DatasetSummary* summary,
                      const MovieTexts& texts, int column, Qt::SortOrder order) {
    MovieOrder out;
    out.column = column;
    out.order = order;
    out.movies.resize(dataset.movies.size());
    std::iota(out.movies.begin(), out.movies.end(), 0);
    if (column < 0 || column >= MovieTableModel::ColumnCount) {
        out.column = -1;
        return out;
    }
    // Descending is "b before a", not the ascending order reversed: equal movies then stay in
    // the dataset's order either way.
    const bool ascending = order == Qt::AscendingOrder;
    std::stable_sort(out.movies.begin(), out.movies.end(), [&](int a, int b) {
        return ascending ? movieLess(dataset, summary, texts, a, b, column)
                         : movieLess(dataset, summary, texts, b, a, column);
    });
    return out;
}

} // namespace towerlab
