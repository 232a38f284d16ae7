#pragma once
// One recommendation list as a table: rank, (rank change against another list), title,
// year, genres, score, popularity, and whether the real user rated the movie in the model's
// training or test split. Read-only; the Recommend view swaps the rows in whole on every
// change of the query. For vectors from elsewhere there is no split: the tooltips say what
// the list and its numbers are instead.

#include "controllers/training_types.hpp"
#include "retrieval/retrieval.hpp"

#include <QAbstractTableModel>
#include <QStringList>

#include <memory>
#include <vector>

namespace towerlab {

enum class RatedMark { None, Train, Test, Both };

struct RecommendationRow {
    ScoredMovie movie;
    RatedMark mark = RatedMark::None;
    // Against the other list of a comparison: positions moved up (> 0) or down (< 0); only
    // meaningful when hasChange and !isNew.
    bool hasChange = false;
    bool isNew = false; // not in the other list at all
    int change = 0;
};

class RecommendationTableModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { Rank, Change, Title, Year, Genres, Score, Popularity, Rated, ColumnCount };
    enum Role {
        MovieRole = Qt::UserRole, // catalogue index (int)
        ScoreRole,                // the score as float, exactly as core returned it
        MarkRole,                 // RatedMark as int
        ChangeRole,               // "new", or the signed change as int; invalid without one
    };

    // Where the catalogue comes from, which decides what the tooltips say its numbers are.
    enum class Origin {
        Model,             // a TowerLab model's: popularity = ratings in its training split
        ElsewhereMetadata, // vectors from elsewhere, popularity from their metadata's column
        ElsewhereDataset,  // vectors from elsewhere, popularity = the dataset's ratings of the
                           // matched title (0 when none matched); no training split either way
    };

    explicit RecommendationTableModel(QObject* parent = nullptr);

    // The catalogue the rows index into (a model's, or vectors' from elsewhere); clears the
    // rows. setModel(model) is setCatalogue of the model's catalogue.
    void setModel(TrainedModelPtr model);
    void setCatalogue(std::shared_ptr<const Catalogue> catalogue, Origin origin = Origin::Model);
    Origin origin() const { return m_origin; }
    void setRows(std::vector<RecommendationRow> rows);
    const std::vector<RecommendationRow>& rows() const { return m_rows; }
    // The row showing this catalogue movie, or -1.
    int rowOfMovie(int movie) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // "▲3", "▼2", "new", "=" or "" (no comparison).
    static QString changeText(const RecommendationRow& row);

private:
    bool fromElsewhere() const { return m_origin != Origin::Model; }

    std::shared_ptr<const Catalogue> m_catalogue;
    Origin m_origin = Origin::Model;
    QStringList m_titles; // per row shown
    QStringList m_genres; // per row shown, "Action, Sci-Fi"
    std::vector<RecommendationRow> m_rows;
};

} // namespace towerlab
