#include "models/recommendation_table_model.hpp"

#include "model/trained_model.hpp"
#include "models/catalogue_text.hpp"

#include <QBrush>
#include <QColor>
#include <QLocale>

#include <cstdlib>

#include <utility>

namespace towerlab {

namespace {

// Translucent tints: they read on light and dark palettes alike.
QColor trainTint() {
    return QColor(128, 128, 128, 60);
}
QColor testTint() {
    return QColor(40, 170, 90, 70);
}

} // namespace

RecommendationTableModel::RecommendationTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void RecommendationTableModel::setModel(TrainedModelPtr model) {
    // The aliasing constructor keeps the model alive for as long as its catalogue is shown.
    setCatalogue(model ? std::shared_ptr<const Catalogue>(model, &model->catalogue) : nullptr);
}

void RecommendationTableModel::setCatalogue(std::shared_ptr<const Catalogue> catalogue,
                                            Origin origin) {
    const bool originChanged = origin != m_origin;
    beginResetModel();
    m_catalogue = std::move(catalogue);
    m_origin = origin;
    m_rows.clear();
    m_titles.clear();
    m_genres.clear();
    endResetModel();
    if (originChanged) {
        emit headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1); // their tooltips
    }
}

void RecommendationTableModel::setRows(std::vector<RecommendationRow> rows) {
    beginResetModel();
    m_rows = m_catalogue ? std::move(rows) : std::vector<RecommendationRow>{};
    // Text for the rows shown only: converting a whole catalogue's titles and genres when a
    // model arrived cost 35 ms of GUI thread at 62,000 movies, for a list of 50.
    m_titles.clear();
    m_genres.clear();
    for (const RecommendationRow& row : m_rows) {
        const auto movie = static_cast<std::size_t>(row.movie.movie);
        const bool known = row.movie.movie >= 0 && movie < m_catalogue->size();
        m_titles << (known ? catalogueTitle(*m_catalogue, movie) : QString());
        m_genres << (known ? catalogueGenres(*m_catalogue, movie) : QString());
    }
    endResetModel();
}

int RecommendationTableModel::rowOfMovie(int movie) const {
    for (std::size_t i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].movie.movie == movie) {
            return static_cast<int>(i);
        }
    }
    return -1;
}

int RecommendationTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int RecommendationTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QString RecommendationTableModel::changeText(const RecommendationRow& row) {
    if (!row.hasChange) {
        return {};
    }
    if (row.isNew) {
        return tr("new");
    }
    if (row.change > 0) {
        return QStringLiteral("▲%1").arg(row.change);
    }
    if (row.change < 0) {
        return QStringLiteral("▼%1").arg(-row.change);
    }
    return QStringLiteral("=");
}

QVariant RecommendationTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= ColumnCount) {
        return {};
    }
    const RecommendationRow& row = m_rows[static_cast<std::size_t>(index.row())];
    const auto movie = static_cast<std::size_t>(row.movie.movie);
    const Catalogue& c = *m_catalogue;
    switch (role) {
    case MovieRole:
        return row.movie.movie;
    case ScoreRole:
        return row.movie.score;
    case MarkRole:
        return static_cast<int>(row.mark);
    case ChangeRole:
        if (!row.hasChange) {
            return {};
        }
        return row.isNew ? QVariant(QStringLiteral("new")) : QVariant(row.change);
    case Qt::DisplayRole:
        switch (index.column()) {
        case Rank:
            return index.row() + 1;
        case Change:
            return changeText(row);
        case Title:
            return m_titles.value(index.row());
        case Year:
            return movie < c.years.size() && c.years[movie] > 0 ? QVariant(c.years[movie])
                                                                : QVariant(QString());
        case Genres:
            return m_genres.value(index.row());
        case Score:
            return QLocale().toString(static_cast<double>(row.movie.score), 'f', 3);
        case Popularity:
            return movie < c.popularity.size() ? QVariant(c.popularity[movie]) : QVariant();
        case Rated:
            switch (row.mark) {
            case RatedMark::None:
                return QString();
            case RatedMark::Train:
                return tr("✓ train");
            case RatedMark::Test:
                return tr("★ test");
            case RatedMark::Both:
                return tr("★ train+test");
            }
            return {};
        default:
            return {};
        }
    case Qt::TextAlignmentRole:
        switch (index.column()) {
        case Rank:
        case Year:
        case Score:
        case Popularity:
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        case Change:
        case Rated:
            return QVariant(Qt::AlignCenter);
        default:
            return QVariant(Qt::AlignLeft | Qt::AlignVCenter);
        }
    case Qt::BackgroundRole:
        if (row.mark == RatedMark::Train) {
            return QBrush(trainTint());
        }
        if (row.mark == RatedMark::Test || row.mark == RatedMark::Both) {
            return QBrush(testTint());
        }
        return {};
    case Qt::ForegroundRole:
        if (index.column() == Change && row.hasChange) {
            if (row.isNew) {
                return QBrush(QColor(0x2f, 0x7f, 0xd0));
            }
            if (row.change != 0) {
                return QBrush(row.change > 0 ? QColor(0x1f, 0x9a, 0x4f) : QColor(0xd0, 0x4a, 0x2a));
            }
        }
        return {};
    case Qt::ToolTipRole: {
        QString tip = m_titles.value(index.row());
        if (fromElsewhere()) {
            // No training split: the score is a plain dot product, the count is not "seen".
            tip += tr("\nDot product with the query vector %1 — rank %2 among all %3 movie "
                      "vectors")
                       .arg(static_cast<double>(row.movie.score), 0, 'f', 4)
                       .arg(row.movie.rank)
                       .arg(c.size());
            const bool matched = movie < c.movieIds.size() && c.movieIds[movie] >= 0;
            if (m_origin == Origin::ElsewhereMetadata && movie < c.popularity.size()) {
                tip += tr("\nPopularity %1, from the vectors' metadata").arg(c.popularity[movie]);
            } else if (matched && movie < c.popularity.size()) {
                tip += tr("\nRated %1 times in the dataset its label was matched to")
                           .arg(c.popularity[movie]);
            } else {
                tip += tr("\nNo number of ratings: its label matched no movie of the open "
                          "dataset and the metadata has no popularity column");
            }
        } else {
            tip += tr("\nScore %1 — rank %2 among all %3 movies")
                       .arg(static_cast<double>(row.movie.score), 0, 'f', 4)
                       .arg(row.movie.rank)
                       .arg(c.size());
            if (movie < c.popularity.size()) {
                tip +=
                    tr("\nRated %1 times in the model's training split").arg(c.popularity[movie]);
            }
        }
        if (row.mark == RatedMark::Train) {
            tip += tr("\nThis user rated it: the rating is in the training split, so the "
                      "model saw it while learning");
        } else if (row.mark == RatedMark::Test) {
            tip += tr("\nThis user rated it: the rating is in the test split, which the model "
                      "never saw — a hit");
        } else if (row.mark == RatedMark::Both) {
            tip += tr("\nThis user rated it more than once, in both splits");
        }
        if (row.hasChange) {
            tip += row.isNew         ? tr("\nNot in the other query's list")
                   : row.change == 0 ? tr("\nSame position as in the other query's list")
                                     : tr("\n%1 positions %2 than in the other query's list")
                                           .arg(std::abs(row.change))
                                           .arg(row.change > 0 ? tr("higher") : tr("lower"));
        }
        return tip;
    }
    default:
        return {};
    }
}

QVariant RecommendationTableModel::headerData(int section, Qt::Orientation orientation,
                                              int role) const {
    if (orientation != Qt::Horizontal) {
        return {};
    }
    if (role == Qt::DisplayRole) {
        switch (section) {
        case Rank:
            return tr("#");
        case Change:
            return tr("Δ");
        case Title:
            return tr("Title");
        case Year:
            return tr("Year");
        case Genres:
            return tr("Genres");
        case Score:
            return tr("Score");
        case Popularity:
            return tr("Ratings");
        case Rated:
            return tr("Rated");
        default:
            return {};
        }
    }
    if (role == Qt::ToolTipRole && fromElsewhere()) {
        switch (section) {
        case Rank:
            return tr("Position in this list: 1 = the highest dot product with the query vector");
        case Title:
            return tr("The movie's label from the vectors' metadata");
        case Year:
        case Genres:
            return tr("From the vectors' metadata, else from the open dataset's movie of the same "
                      "title");
        case Popularity:
            return m_origin == Origin::ElsewhereMetadata
                       ? tr("Popularity: the vectors' metadata's popularity column. These "
                            "vectors came from elsewhere, so there is no training split.")
                       : tr("Popularity: how many ratings the movie of the same title has in the "
                            "dataset open when the vectors were read (0: no title matched). "
                            "These vectors came from elsewhere, so there is no training split.");
        case Rated:
            return tr("Empty for vectors from elsewhere: marking a user's rated movies needs a "
                      "user of the open dataset and a TowerLab model's train/test split");
        default:
            break; // as for a model
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case Rank:
            return tr("Position in this list (1 = the model's best guess)");
        case Change:
            return tr("Change of position against the other query's list: ▲ up, ▼ down, "
                      "new = not in the other list");
        case Title:
            return tr("The movie's title as in the dataset");
        case Year:
            return tr("Release year, from the title");
        case Genres:
            return tr("The dataset's genres for the movie");
        case Score:
            return tr("Dot product of the query vector and the movie's vector: higher means a "
                      "better match");
        case Popularity:
            return tr("Popularity: how many ratings the movie has in the model's training "
                      "split");
        case Rated:
            return tr("Whether the picked real user rated this movie: ✓ in the training split "
                      "(the model learned from it), ★ in the test split (held out: a hit)");
        default:
            return {};
        }
    }
    return {};
}

} // namespace towerlab
