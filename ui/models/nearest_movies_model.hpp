#pragma once
// The movies nearest to one movie in the candidate space (core nearestMovies): place, title,
// year, genres and similarity. Read-only; the rows are replaced whole. The Scores view and the
// Embeddings view both list neighbours through it, each hiding the column it has no room for.

#include "controllers/training_types.hpp"
#include "retrieval/retrieval.hpp"

#include <QAbstractTableModel>
#include <QStringList>

#include <vector>

namespace towerlab {

class NearestMoviesModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { Position, Title, Year, Genres, Score, ColumnCount }; // Score: the similarity
    enum class Role {
        Movie = Qt::UserRole, // catalogue index (int), in every column
        Value,                // the exact similarity (float)
    };

    // `doubleClickHint` ends every row's tooltip: what double-clicking a row does in the view.
    explicit NearestMoviesModel(QString doubleClickHint, QObject* parent = nullptr);

    // The neighbours of `movie` in the order given (nearest first), titles from `catalogue`
    // (a model's, or that of vectors from elsewhere). A null catalogue or model clears.
    void setNeighbours(std::shared_ptr<const Catalogue> catalogue, std::int32_t movie,
                       std::vector<ScoredMovie> neighbours, Similarity similarity);
    void setNeighbours(const TrainedModelPtr& model, std::int32_t movie,
                       std::vector<ScoredMovie> neighbours, Similarity similarity);
    void clear() { setNeighbours(std::shared_ptr<const Catalogue>(), -1, {}, m_similarity); }

    std::int32_t movie() const { return m_movie; }
    const std::vector<ScoredMovie>& neighbours() const { return m_neighbours; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QString m_doubleClickHint;
    std::shared_ptr<const Catalogue> m_catalogue;
    std::int32_t m_movie = -1;
    std::vector<ScoredMovie> m_neighbours;
    Similarity m_similarity = Similarity::Cosine;
    QStringList m_titles;
    QStringList m_genres;
};

} // namespace towerlab
