#pragma once
// The nearest movies of the selected one in the model's candidate space (core nearestMovies),
// as a table: rank, title, year, similarity. Read-only; the Embeddings view refills it.

#include "controllers/training_types.hpp"
#include "retrieval/retrieval.hpp"

#include <QAbstractTableModel>

#include <vector>

namespace towerlab {

class NeighbourTableModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { Rank, Title, Year, Score, ColumnCount };
    // The catalogue index of a row's movie (int).
    static constexpr int kMovieRole = Qt::UserRole;

    explicit NeighbourTableModel(QObject* parent = nullptr);

    // The neighbours as core returned them (best first); `similarity` names the score column.
    void setNeighbours(TrainedModelPtr model, std::vector<ScoredMovie> neighbours,
                       Similarity similarity);
    void clear();
    const std::vector<ScoredMovie>& neighbours() const { return m_neighbours; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    TrainedModelPtr m_model;
    std::vector<ScoredMovie> m_neighbours;
    Similarity m_similarity = Similarity::Cosine;
};

} // namespace towerlab
