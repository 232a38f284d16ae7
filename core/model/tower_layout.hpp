#pragma once

#include "model/model_config.hpp"

#include <array>

namespace towerlab {

// Where each enabled feature sits in its tower's input row (-1 when off): the tower's features
// in table order, each embedding embeddingDim wide and each scalar one value. With the
// tutorial's features the query row is [age | occupation | gender | timestamp bucket |
// normalized timestamp] and the candidate row [title id | title text mean].
struct TowerLayout {
    std::array<int, kFeatureCount> offsets{};
    int queryWidth = 0;
    int candidateWidth = 0;

    int offset(FeatureId feature) const { return offsets[static_cast<std::size_t>(feature)]; }
    int width(Tower tower) const { return tower == Tower::Query ? queryWidth : candidateWidth; }

    static TowerLayout of(const ModelConfig& config);
};

} // namespace towerlab
