#pragma once
// A two-user, two-movie dataset and a model on it small enough to check by hand (one-wide
// embeddings, one dense layer per tower with chosen weights), shared by the tests that need
// every score to be a line of arithmetic.

#include "model/tower_layout.hpp"
#include "model/trained_model.hpp"

namespace towerlab::test {

// The dataset's movies as the model's catalogue, each with popularity 1.
inline void fillCatalogue(TrainedModel& m, const Dataset& d) {
    for (const Movie& movie : d.movies) {
        m.catalogue.movieIds.push_back(movie.id);
        m.catalogue.titles.push_back(movie.title);
        m.catalogue.genres.push_back(movie.genres);
        m.catalogue.years.push_back(movie.year);
        m.catalogue.popularity.push_back(1);
    }
    m.catalogue.genreNames = d.genreNames;
}

// Two users, two movies, four ratings at 100, 100, 300, 300: the normalizer's mean is 200 and
// its standard deviation 100, so timestamp 350 normalizes to exactly 1.5.
inline Dataset tinyDataset() {
    Dataset d;
    d.name = "tiny";
    d.genreNames = {"Drama"};
    d.users = {{1, 30, 25, 17, "student", 1, ""}, {2, 40, 35, 4, "doctor", 0, ""}};
    d.movies = {{10, "A (1990)", {0}, 1990}, {11, "B (1991)", {0}, 1991}};
    d.ratings = {{0, 0, 4.0f, 100}, {0, 1, 3.0f, 300}, {1, 0, 5.0f, 100}, {1, 1, 2.0f, 300}};
    return d;
}

// User tower: age, gender and the normalized timestamp into one unit,
//   q = age_emb + gender_emb + 2 * timestamp_norm + 0.5
// with age rows [OOV 0.5, 25 -> 1.0, 35 -> 2.0] and gender rows [OOV 0.25, F -1.0, M 3.0].
// Movie tower: title id into one unit, c = 2 * title_emb, title rows [OOV 0, A 1.5, B -2],
// so c(A) = 3 and c(B) = -4.
inline TrainedModel handModel() {
    const Dataset d = tinyDataset();
    TrainedModel m;
    m.config.features = FeatureSet{};
    m.config.features.set(FeatureId::Occupation, false);
    m.config.features.set(FeatureId::TimestampBucket, false);
    m.config.features.set(FeatureId::TitleText, false);
    m.config.embeddingDim = 1;
    m.config.layers = {1};
    m.features = FeatureSpace::fit(d);
    m.weights = TwoTowerWeights::shaped(m.config, m.features);
    m.weights.embedding(FeatureId::Age) << 0.5f, 1.0f, 2.0f;
    m.weights.embedding(FeatureId::Gender) << 0.25f, -1.0f, 3.0f;
    const TowerLayout layout = TowerLayout::of(m.config);
    m.weights.queryLayers[0].kernel(layout.offset(FeatureId::Age), 0) = 1.0f;
    m.weights.queryLayers[0].kernel(layout.offset(FeatureId::Gender), 0) = 1.0f;
    m.weights.queryLayers[0].kernel(layout.offset(FeatureId::TimestampNorm), 0) = 2.0f;
    m.weights.queryLayers[0].bias(0) = 0.5f;
    m.weights.embedding(FeatureId::TitleId) << 0.0f, 1.5f, -2.0f;
    m.weights.candidateLayers[0].kernel(layout.offset(FeatureId::TitleId), 0) = 2.0f;
    fillCatalogue(m, d);
    m.finalize();
    return m;
}

} // namespace towerlab::test
