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
    const int movies = m_model ? static_cast<int>(m_model->catalogue.size()) : 0;
    if (m_selectedMovie >= movies) {
        m_selectedMovie = -1; // a different catalogue; the index means nothing there
    }
    emit modelChanged(m_model);
}

void QueryController::setDataset(std::shared_ptr<const Dataset> dataset, std::string fingerprint) {
    if (dataset == m_dataset) {
        return;
    }
    m_dataset = std::move(dataset);
    m_fingerprint = m_dataset ? std::move(fingerprint) : std::string();
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
