#pragma once
// Movie-to-movie similarities of the chosen titles as a heat-mapped table: row i, column j is
// the similarity of movie j to movie i (core similarityMatrix). Cells are coloured on a
// diverging blue-white-red scale, with black or white text by the cell's lightness. Headers
// number the movies in the score table's order; the row header also names them.

#include "controllers/training_types.hpp"
#include "retrieval/retrieval.hpp"

#include <QAbstractTableModel>
#include <QColor>
#include <QStringList>

#include <vector>

namespace towerlab {

class SimilarityMatrixModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum class Role {
        Value = Qt::UserRole, // the exact similarity (float)
        RowMovie,             // catalogue index of the row's movie (int)
        ColumnMovie,          // catalogue index of the column's movie (int)
    };

    explicit SimilarityMatrixModel(QObject* parent = nullptr);

    // values must be movies.size() x movies.size(); otherwise (or with a null model) the
    // table is cleared.
    void setMatrix(std::shared_ptr<const Catalogue> catalogue, std::vector<std::int32_t> movies,
                   RowMatrix values, Similarity similarity);
    void setMatrix(TrainedModelPtr model, std::vector<std::int32_t> movies, RowMatrix values,
                   Similarity similarity);
    void clear();

    const RowMatrix& values() const { return m_values; }
    const std::vector<std::int32_t>& movies() const { return m_movies; }
    std::vector<std::string> titles() const;
    Similarity similarity() const { return m_similarity; }
    // What one colour step means: cosine uses the fixed range -1..1; dot products use
    // +-(the largest |value| off the diagonal), so the colours are not washed out by the
    // diagonal's squared norms.
    float colourScale() const { return m_scale; }

    // The heat colour of a value on -scale..scale (clamped), and the text colour readable on it.
    static QColor heatColour(float value, float scale);
    static QColor textColourOn(const QColor& background);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const Catalogue> m_catalogue;
    std::vector<std::int32_t> m_movies;
    RowMatrix m_values;
    Similarity m_similarity = Similarity::Cosine;
    float m_scale = 1.0f;
    QStringList m_titles;
};

} // namespace towerlab
