#include "models/title_search_model.hpp"

#include "model/trained_model.hpp"
#include "models/catalogue_text.hpp"
#include "retrieval/movie_space.hpp"
#include "retrieval/retrieval.hpp"

namespace towerlab {

TitleSearchModel::TitleSearchModel(QObject* parent) : QAbstractListModel(parent) {}

void TitleSearchModel::setModel(TrainedModelPtr model) {
    setCatalogue(model ? std::shared_ptr<const Catalogue>(model, &model->catalogue) : nullptr);
}

void TitleSearchModel::setCatalogue(std::shared_ptr<const Catalogue> catalogue) {
    beginResetModel();
    m_catalogue = std::move(catalogue);
    m_text.clear();
    m_movies.clear();
    endResetModel();
}

void TitleSearchModel::setSearchText(const QString& text) {
    beginResetModel();
    m_text = text;
    m_movies.clear();
    if (m_catalogue && !text.trimmed().isEmpty()) {
        m_movies = searchTitles(*m_catalogue, text.trimmed().toStdString(), kMaxResults);
    }
    endResetModel();
}

int TitleSearchModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_movies.size());
}

QVariant TitleSearchModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const auto movie = static_cast<std::size_t>(m_movies[static_cast<std::size_t>(index.row())]);
    const Catalogue& c = *m_catalogue;
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        return QString::fromStdString(c.titles[movie]);
    case Qt::ToolTipRole: {
        const QString genres = catalogueGenres(c, movie);
        return tr("%1\n%2\nPress Enter or click to add it to the chosen titles.")
            .arg(QString::fromStdString(c.titles[movie]),
                 genres.isEmpty() ? tr("(no genres)") : genres);
    }
    case static_cast<int>(Role::Movie):
        return static_cast<int>(movie);
    default:
        return {};
    }
}

} // namespace towerlab
