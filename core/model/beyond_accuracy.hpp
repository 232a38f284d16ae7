#pragma once

#include "model/ranking_metrics.hpp"

#include <array>
#include <cstddef>

namespace towerlab {

// What a model recommends, beyond whether it hits the test positive: measured on the top-k
// list of every distinct test query (docs/cli.md, "Metrics beyond accuracy", defines each).
// Indexed like RankingMetrics::kCutoffs; a cut-off above the catalogue size means the whole
// catalogue.
struct BeyondAccuracyMetrics {
    // Share of catalogue movies that are in at least one query's top k.
    std::array<double, 5> coverage{};
    // Mean over queries and their top k of the movie's training-popularity percentile (0-100,
    // mid-rank: the share of movies rated less often plus half the share rated as often).
    std::array<double, 5> popularityPercentile{};
    // Gini coefficient of how many queries' top k each catalogue movie is in (0 = every movie
    // equally often, (n-1)/n = one movie always and no other).
    std::array<double, 5> gini{};
    // Mean over queries and their top k of -log2 p(movie), p = (training ratings + 1) /
    // (training examples + catalogue size): add-one smoothing keeps unseen movies finite.
    std::array<double, 5> novelty{};
    // Mean over queries of the mean over pairs of their top k of 1 - Jaccard(genre sets).
    // Only when hasDiversity; NaN at k = 1 (a list of one has no pairs).
    std::array<double, 5> diversity{};
    bool hasDiversity = false; // the catalogue has genres
    std::size_t queries = 0;   // distinct test queries the lists were made for
};

} // namespace towerlab
