#pragma once
// The chosen movies scored for one query: position, title, genres, score (the dot product of
// the query and movie embeddings) and rank among all catalogue movies, best score first. The
// first row, the winner, is highlighted. Read-only; the rows are replaced whole.

#include "controllers/training_types.hpp"
#include "io/score_table_csv.hpp"
#include "retrieval/retrieval.hpp"

#include <QAbstractTableModel>
#include <QStringList>

#include <memory>
#include <vector>

namespace towerlab {

class TitleScoresModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { Position, Title, Genres, Score, Rank, ColumnCount };
    enum class Role {
        Movie = Qt::UserRole, // catalogue index (int), in every column
        Value,                // the exact number of the Score (float) and Rank (int) columns
        Winner,               // bool: the row with the highest score
    };

    explicit TitleScoresModel(QObject* parent = nullptr);

    // Rows for these scores of `model`'s movies, sorted by descending score (ties: better rank,
    // then catalogue order). An empty list or a null model clears the table.
    void setScores(TrainedModelPtr model, std::vector<ScoredMovie> scores);
    // The same for any catalogue (vectors from elsewhere).
    void setScores(std::shared_ptr<const Catalogue> catalogue, std::vector<ScoredMovie> scores);
    void clear() { setScores(std::shared_ptr<const Catalogue>(), {}); }

    // Catalogue indices in row order.
    std::vector<std::int32_t> movies() const;
    const std::vector<ScoredMovie>& scores() const { return m_scores; }
    // Row of a catalogue index, or -1.
    int rowOf(std::int32_t movie) const;
    // The rows for CSV and the clipboard (core io/score_table_csv).
    std::vector<ScoreTableRow> tableRows() const;
    std::size_t catalogueSize() const;

    // The winner's colours: a fixed light gold with dark text, readable on light and dark
    // palettes alike.
    static QColor winnerBackground();
    static QColor winnerForeground();

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const Catalogue> m_catalogue;
    std::vector<ScoredMovie> m_scores;
    QStringList m_titles;
    QStringList m_genres;
};

} // namespace towerlab
