#include "model/trained_model.hpp"

#include "model/towers.hpp"

#include <numeric>

namespace towerlab {

void TrainedModel::finalize() {
    // The catalogue's columns as movies, for the movie features' accessors. A column a
    // hand-made catalogue left short reads as unknown.
    auto column = [](const auto& values, std::size_t m, auto unknown) {
        return m < values.size() ? values[m] : unknown;
    };
    std::vector<Movie> movies(catalogue.size());
    for (std::size_t m = 0; m < movies.size(); ++m) {
        movies[m] = {column(catalogue.movieIds, m, std::int64_t{0}), catalogue.titles[m],
                     column(catalogue.genres, m, std::vector<int>{}),
                     column(catalogue.years, m, 0)};
    }
    encodedCatalogue = features.encodeMovies(movies);
    std::vector<std::int32_t> all(catalogue.size());
    std::iota(all.begin(), all.end(), 0);
    candidateEmbeddings = embedCandidates(config, weights, encodedCatalogue, all);
}

} // namespace towerlab
