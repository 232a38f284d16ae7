#pragma once
// The movies of a dataset as a table: id, title, year, genres, number of ratings, mean
// rating. Read-only; the data is swapped in whole when the dataset changes.
//
// The table sorts itself (sort()), and MovieFilterProxy only filters it: so the order a
// dataset opens in can come sorted from the loading thread (MovieOrder) instead of being sorted
// on the GUI thread, which took about 20 ms at 62,000 movies. Row r shows the movie
// movieAt(r) of the dataset.

#include "data/dataset.hpp"
#include "data/dataset_summary.hpp"
#include "models/movie_order.hpp"
#include "models/movie_texts.hpp"

#include <QAbstractTableModel>
#include <QStringList>

#include <memory>

namespace towerlab {

class MovieTableModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { Id, Title, Year, Genres, Ratings, MeanRating, ColumnCount };
    enum class Role {
        Sort = Qt::UserRole, // numbers as numbers, so the proxy sorts 9 before 10
        SearchText,          // title folded for accent- and case-insensitive search
        GenreIndices,        // QList<int> of the movie's genre indices
    };

    // The order the Data tab's table starts in, and so the one the loading thread sorts by.
    static constexpr int kDefaultSortColumn = Ratings;
    static constexpr Qt::SortOrder kDefaultSortOrder = Qt::DescendingOrder;

    explicit MovieTableModel(QObject* parent = nullptr);

    // `texts` are the dataset's (see DatasetController::movieTexts); when missing, or of
    // another dataset, they are made here, on the calling thread. `sorted` is the dataset's
    // movies in some order (DatasetController::movieOrder): taken as it is when it is the
    // table's current sort, else the movies are sorted here.
    void setDataset(std::shared_ptr<const Dataset> dataset,
                    std::shared_ptr<const DatasetSummary> summary,
                    std::shared_ptr<const MovieTexts> texts = {},
                    std::shared_ptr<const MovieOrder> sorted = {});
    std::shared_ptr<const Dataset> dataset() const { return m_dataset; }

    // Reorders the rows (a layout change, persistent indexes follow their movies); -1 gives
    // the dataset's order. Movies that compare equal keep the dataset's order.
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;
    int sortColumn() const { return m_sortColumn; }
    Qt::SortOrder sortOrder() const { return m_sortOrder; }
    // The dataset's index of the movie on this row (-1 outside the rows).
    int movieAt(int row) const;

    // Without QAbstractTableModel's checks through three virtual calls: the proxy makes two
    // indexes per comparison when it sorts (a million comparisons for 62,000 movies).
    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const Dataset> m_dataset;
    std::shared_ptr<const DatasetSummary> m_summary;
    std::shared_ptr<const MovieTexts> m_texts;
    std::shared_ptr<const MovieOrder> m_order; // rows → movies; null without a dataset
    int m_sortColumn = -1;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;
};

} // namespace towerlab
