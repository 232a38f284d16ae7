#include "model/trained_model.hpp"

#include "model/towers.hpp"

#include <numeric>

namespace towerlab {

void TrainedModel::finalize() {
    encodedCatalogue = features.encodeMovies(catalogue.titles, catalogue.genres);
    std::vector<std::int32_t> all(catalogue.size());
    std::iota(all.begin(), all.end(), 0);
    candidateEmbeddings = embedCandidates(config, weights, encodedCatalogue, all);
}

} // namespace towerlab
