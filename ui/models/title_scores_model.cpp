#include "models/title_scores_model.hpp"

#include "model/trained_model.hpp"
#include "models/catalogue_text.hpp"

#include <QColor>
#include <QFont>
#include <QLocale>

#include <algorithm>

namespace towerlab {

namespace {

// Scores are small numbers whose differences matter in the third decimal; four keep two
// close scores apart without a wall of digits.
constexpr int kScoreDecimals = 4;

} // namespace

TitleScoresModel::TitleScoresModel(QObject* parent) : QAbstractTableModel(parent) {}

QColor TitleScoresModel::winnerBackground() {
    return QColor(0xff, 0xe0, 0x8a);
}
QColor TitleScoresModel::winnerForeground() {
    return QColor(0x1a, 0x1a, 0x1a);
}

void TitleScoresModel::setScores(TrainedModelPtr model, std::vector<ScoredMovie> scores) {
    setScores(model ? std::shared_ptr<const Catalogue>(model, &model->catalogue) : nullptr,
              std::move(scores));
}

void TitleScoresModel::setScores(std::shared_ptr<const Catalogue> catalogue,
                                 std::vector<ScoredMovie> scores) {
    beginResetModel();
    m_catalogue = std::move(catalogue);
    m_scores = m_catalogue ? std::move(scores) : std::vector<ScoredMovie>{};
    std::stable_sort(m_scores.begin(), m_scores.end(),
                     [](const ScoredMovie& a, const ScoredMovie& b) {
                         if (a.score != b.score) {
                             return a.score > b.score;
                         }
                         return a.rank != b.rank ? a.rank < b.rank : a.movie < b.movie;
                     });
    m_titles.clear();
    m_genres.clear();
    for (const ScoredMovie& s : m_scores) {
        m_titles << catalogueTitle(*m_catalogue, static_cast<std::size_t>(s.movie));
        m_genres << catalogueGenres(*m_catalogue, static_cast<std::size_t>(s.movie));
    }
    endResetModel();
}

std::vector<std::int32_t> TitleScoresModel::movies() const {
    std::vector<std::int32_t> out;
    out.reserve(m_scores.size());
    for (const ScoredMovie& s : m_scores) {
        out.push_back(s.movie);
    }
    return out;
}

int TitleScoresModel::rowOf(std::int32_t movie) const {
    for (std::size_t i = 0; i < m_scores.size(); ++i) {
        if (m_scores[i].movie == movie) {
            return static_cast<int>(i);
        }
    }
    return -1;
}

std::vector<ScoreTableRow> TitleScoresModel::tableRows() const {
    std::vector<ScoreTableRow> out;
    out.reserve(m_scores.size());
    for (const ScoredMovie& s : m_scores) {
        out.push_back({m_catalogue->titles[static_cast<std::size_t>(s.movie)], s.score, s.rank});
    }
    return out;
}

std::size_t TitleScoresModel::catalogueSize() const {
    return m_catalogue ? m_catalogue->size() : 0;
}

int TitleScoresModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_scores.size());
}

int TitleScoresModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TitleScoresModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const int row = index.row();
    const ScoredMovie& s = m_scores[static_cast<std::size_t>(row)];
    const bool winner = row == 0;
    const QLocale locale;
    const QString total = locale.toString(static_cast<qulonglong>(catalogueSize()));
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Position:
            return winner ? QStringLiteral("1 ★") : QString::number(row + 1);
        case Title:
            return m_titles[row];
        case Genres:
            return m_genres[row];
        case Score:
            return locale.toString(s.score, 'f', kScoreDecimals);
        case Rank:
            return tr("%1 of %2").arg(locale.toString(s.rank), total);
        default:
            return {};
        }
    case Qt::ToolTipRole: {
        QString tip = tr("<b>%1</b><br>Score %2 — the dot product of the query's and the "
                         "movie's vectors.<br>Rank %3 of %4: %5 movies of the catalogue score "
                         "higher for this query.")
                          .arg(m_titles[row].toHtmlEscaped())
                          .arg(locale.toString(s.score, 'g', 7))
                          .arg(locale.toString(s.rank), total)
                          .arg(locale.toString(s.rank - 1));
        if (winner) {
            tip += tr("<br>★ The highest score among the chosen titles: the model expects this "
                      "user to like it best.");
        }
        return tip;
    }
    case Qt::TextAlignmentRole: {
        const bool text = index.column() == Title || index.column() == Genres;
        return QVariant::fromValue(text ? Qt::AlignLeft | Qt::AlignVCenter
                                        : Qt::AlignRight | Qt::AlignVCenter);
    }
    case Qt::BackgroundRole:
        return winner ? QVariant(winnerBackground()) : QVariant();
    case Qt::ForegroundRole:
        return winner ? QVariant(winnerForeground()) : QVariant();
    case Qt::FontRole:
        if (winner) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        return {};
    case static_cast<int>(Role::Movie):
        return static_cast<int>(s.movie);
    case static_cast<int>(Role::Value):
        if (index.column() == Score) {
            return s.score;
        }
        if (index.column() == Rank) {
            return static_cast<int>(s.rank);
        }
        return {};
    case static_cast<int>(Role::Winner):
        return winner;
    default:
        return {};
    }
}

QVariant TitleScoresModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal) {
        return QAbstractTableModel::headerData(section, orientation, role);
    }
    if (role == Qt::DisplayRole) {
        switch (section) {
        case Position:
            return tr("#");
        case Title:
            return tr("Title");
        case Genres:
            return tr("Genres");
        case Score:
            return tr("Score");
        case Rank:
            return tr("Rank among all");
        default:
            return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case Position:
            return tr("Place among the chosen titles, best score first; ★ marks the winner. The "
                      "numbers match the rows and columns of the matrix below.");
        case Title:
            return tr("The movie as the catalogue names it");
        case Genres:
            return tr("The movie's genres (one of the candidate tower's inputs)");
        case Score:
            return tr("Dot product of the query embedding and the movie embedding: the model's "
                      "score, higher means a better match");
        case Rank:
            return tr("1 + the number of catalogue movies that score higher for this query");
        default:
            return {};
        }
    }
    return {};
}

} // namespace towerlab
