#include "models/nearest_movies_model.hpp"

#include "model/trained_model.hpp"
#include "models/catalogue_text.hpp"

#include <QLocale>

namespace towerlab {

NearestMoviesModel::NearestMoviesModel(QString doubleClickHint, QObject* parent)
    : QAbstractTableModel(parent), m_doubleClickHint(std::move(doubleClickHint)) {}

void NearestMoviesModel::setNeighbours(const TrainedModelPtr& model, std::int32_t movie,
                                       std::vector<ScoredMovie> neighbours, Similarity similarity) {
    // The model stays alive as long as its catalogue is shown (an aliasing pointer).
    setNeighbours(model ? std::shared_ptr<const Catalogue>(model, &model->catalogue) : nullptr,
                  movie, std::move(neighbours), similarity);
}

void NearestMoviesModel::setNeighbours(std::shared_ptr<const Catalogue> catalogue,
                                       std::int32_t movie, std::vector<ScoredMovie> neighbours,
                                       Similarity similarity) {
    beginResetModel();
    m_catalogue = std::move(catalogue);
    m_movie = m_catalogue ? movie : -1;
    m_neighbours = m_catalogue ? std::move(neighbours) : std::vector<ScoredMovie>{};
    const bool measureChanged = similarity != m_similarity;
    m_similarity = similarity;
    m_titles.clear();
    m_genres.clear();
    for (const ScoredMovie& s : m_neighbours) {
        m_titles << catalogueTitle((*m_catalogue), static_cast<std::size_t>(s.movie));
        m_genres << catalogueGenres((*m_catalogue), static_cast<std::size_t>(s.movie));
    }
    endResetModel();
    if (measureChanged) {
        emit headerDataChanged(Qt::Horizontal, Score, Score);
    }
}

int NearestMoviesModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_neighbours.size());
}

int NearestMoviesModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant NearestMoviesModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const int row = index.row();
    const ScoredMovie& s = m_neighbours[static_cast<std::size_t>(row)];
    const bool cosine = m_similarity == Similarity::Cosine;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Position:
            return row + 1;
        case Title:
            return m_titles[row];
        case Year: {
            const int year = (*m_catalogue).years[static_cast<std::size_t>(s.movie)];
            return year > 0 ? QVariant(year) : QVariant(QStringLiteral("–"));
        }
        case Genres:
            return m_genres[row];
        case Score:
            return QLocale().toString(s.score, 'f', cosine ? 3 : 4);
        default:
            return {};
        }
    case Qt::ToolTipRole:
        return tr("<b>%1</b><br>%2 %3 with <b>%4</b><br>%5")
            .arg(m_titles[row].toHtmlEscaped(),
                 cosine ? tr("Cosine similarity") : tr("Dot product"),
                 QLocale().toString(s.score, 'g', 7),
                 catalogueTitle((*m_catalogue), static_cast<std::size_t>(m_movie)).toHtmlEscaped(),
                 m_doubleClickHint.toHtmlEscaped());
    case Qt::TextAlignmentRole: {
        const bool text = index.column() == Title || index.column() == Genres;
        return QVariant::fromValue(text ? Qt::AlignLeft | Qt::AlignVCenter
                                        : Qt::AlignRight | Qt::AlignVCenter);
    }
    case static_cast<int>(Role::Movie):
        return static_cast<int>(s.movie);
    case static_cast<int>(Role::Value):
        return s.score;
    default:
        return {};
    }
}

QVariant NearestMoviesModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal) {
        return QAbstractTableModel::headerData(section, orientation, role);
    }
    const bool cosine = m_similarity == Similarity::Cosine;
    if (role == Qt::DisplayRole) {
        switch (section) {
        case Position:
            return tr("#");
        case Title:
            return tr("Title");
        case Year:
            return tr("Year");
        case Genres:
            return tr("Genres");
        case Score:
            return cosine ? tr("Cosine") : tr("Dot");
        default:
            return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case Position:
            return tr("Nearest first");
        case Title:
            return tr("A movie whose vector lies close to the chosen movie's");
        case Year:
            return tr("Release year, from the title");
        case Genres:
            return tr("The neighbour's genres: similar movies often share them");
        case Score:
            return cosine ? tr("Cosine of the angle between the two movie vectors (-1..1)")
                          : tr("Dot product of the two movie vectors");
        default:
            return {};
        }
    }
    return {};
}

} // namespace towerlab
