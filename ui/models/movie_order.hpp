#pragma once
// The movie table's rows in one sort order: dataset movie indices, sorted by one column of the
// table. Sorting MovieLens 25M's 62,000 movies is about a million comparisons (some 20 ms), so
// the dataset controller sorts by the table's first order (MovieTableModel::kDefaultSortColumn)
// on its loading thread, and the table takes that order instead of sorting on the GUI thread
// when a dataset opens; a click on another column sorts there, as a user asked.

#include "data/dataset.hpp"
#include "data/dataset_summary.hpp"
#include "models/movie_texts.hpp"

#include <Qt>

#include <vector>

namespace towerlab {

struct MovieOrder {
    int column = -1; // a MovieTableModel::Column; -1: the dataset's own order
    Qt::SortOrder order = Qt::AscendingOrder;
    std::vector<int> movies; // indices into Dataset::movies, in this order
};

// Whether movie a sorts before movie b by this MovieTableModel column (its numbers as numbers,
// so 9 comes before 10; texts as QString::compare). summary may be null (counts and means are
// then 0). Touches no widget: safe on any thread.
bool movieLess(const Dataset& dataset, const DatasetSummary* summary, const MovieTexts& texts,
               int a, int b, int column);

// Every movie of the dataset sorted by `column` in `order`, stably: movies that compare equal
// keep the dataset's order in both directions, as QSortFilterProxyModel's sort keeps its
// source's. column -1 gives the dataset's order. Touches no widget: safe on any thread.
MovieOrder sortMovies(const Dataset& dataset, const DatasetSummary* summary,
                      const MovieTexts& texts, int column, Qt::SortOrder order);

} // namespace towerlab
