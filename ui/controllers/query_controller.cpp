#include "controllers/query_controller.hpp"

#include "data/dataset.hpp"
#include "model/trained_model.hpp"

#include <utility>

namespace towerlab {

QueryController::QueryController(QObject* parent) : QObject(parent) {}

void QueryController::setModel(TrainedModelPtr model) {
    if (model == m_model) {
        return;
    }
    m_model = std::move(model);
    // A model opened or trained now is what the user wants to ask; the state is complete
    // before either signal goes out.
    const bool hadExternal = m_model && m_external;
    if (hadExternal) {
        m_external.reset();
        m_externalUsers.reset();
        m_externalQuery.reset();
        m_selectedMovie = -1;
    }
    const int movies = m_model ? static_cast<int>(m_model->catalogue.size()) : 0;
    if (m_selectedMovie >= movies) {
        m_selectedMovie = -1; // a different catalogue; the index means nothing there
    }
    emit modelChanged(m_model);
    if (hadExternal) {
        emit externalChanged();
        emit externalQueryChanged();
    }
}

void QueryController::setExternal(ExternalEmbeddingsPtr embeddings) {
    if (embeddings == m_external) {
        return;
    }
    m_external = std::move(embeddings);
    m_externalUsers.reset();
    const bool hadQuery = m_externalQuery.has_value();
    m_externalQuery.reset();
    const bool hadSelection = m_selectedMovie >= 0;
    m_selectedMovie = -1;
    emit externalChanged();
    if (hadQuery) {
        emit externalQueryChanged();
    }
    if (hadSelection) {
        emit movieSelected(-1);
    }
}

void QueryController::setExternalUsers(ExternalUsersPtr users) {
    if (!m_external || users == m_externalUsers) {
        return;
    }
    m_externalUsers = std::move(users);
    emit externalChanged();
}

void QueryController::setExternalQuery(std::optional<ExternalQuery> query) {
    if (!m_external) {
        return;
    }
    m_externalQuery = std::move(query);
    emit externalQueryChanged();
}

void QueryController::setDataset(std::shared_ptr<const Dataset> dataset, std::string fingerprint,
                                 std::shared_ptr<const RatingsByUser> ratingsByUser,
                                 std::shared_ptr<const UserLookup> userLookup) {
    if (dataset == m_dataset) {
        return;
    }
    m_dataset = std::move(dataset);
    m_fingerprint = m_dataset ? std::move(fingerprint) : std::string();
    m_ratingsByUser = m_dataset ? std::move(ratingsByUser) : nullptr;
    m_userLookup = !m_dataset ? nullptr
                   : userLookup && userLookup->isOver(m_dataset->users)
                       ? std::move(userLookup)
                       : UserLookup::shared(m_dataset);
    emit datasetChanged();
}

void QueryController::setDataset(std::shared_ptr<const Dataset> dataset) {
    if (dataset == m_dataset) {
        return;
    }
    std::string fingerprint = dataset ? dataset->fingerprint() : std::string();
    setDataset(std::move(dataset), std::move(fingerprint));
}

void QueryController::setQuery(const UserQuery& query, std::int64_t realUser) {
    if (query == m_query && realUser == m_realUser) {
        return;
    }
    m_query = query;
    m_realUser = realUser;
    emit queryChanged(m_query);
}

void QueryController::selectMovie(int catalogueIndex) {
    if (catalogueIndex == m_selectedMovie) {
        return;
    }
    m_selectedMovie = catalogueIndex;
    emit movieSelected(catalogueIndex);
}

void QueryController::requestShowInScores(int catalogueIndex) {
    selectMovie(catalogueIndex);
    emit showInScoresRequested(catalogueIndex);
}

} // namespace towerlab
