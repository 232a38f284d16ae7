#pragma once
// The movies of a dataset as a table: id, title, year, genres, number of ratings, mean
// rating. Read-only; the data is swapped in whole when the dataset changes.

#include "data/dataset.hpp"
#include "data/dataset_summary.hpp"
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

    explicit MovieTableModel(QObject* parent = nullptr);

    // `texts` are the dataset's (see DatasetController::movieTexts); when missing, or of
    // another dataset, they are made here, on the calling thread.
    void setDataset(std::shared_ptr<const Dataset> dataset,
                    std::shared_ptr<const DatasetSummary> summary,
                    std::shared_ptr<const MovieTexts> texts = {});
    std::shared_ptr<const Dataset> dataset() const { return m_dataset; }

    // Without QAbstractTableModel's checks through three virtual calls: the proxy makes two
    // indexes per comparison when it sorts (a million comparisons for 62,000 movies).
    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // Row a sorts before row b by this column: the order of Role::Sort, without building two
    // QVariants per comparison (a sort of 62,000 movies makes about a million comparisons).
    bool lessThan(int a, int b, int column) const;

private:
    std::shared_ptr<const Dataset> m_dataset;
    std::shared_ptr<const DatasetSummary> m_summary;
    std::shared_ptr<const MovieTexts> m_texts;
};

} // namespace towerlab
