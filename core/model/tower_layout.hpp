#pragma once

#include "model/model_config.hpp"

namespace towerlab {

// Where each enabled feature sits in a tower's input row (-1 when off). The query row is
// [age | occupation | gender | timestamp bucket | normalized timestamp | user id], the
// candidate row [title id | title text mean | genre mean], each embedding embeddingDim wide.
struct TowerLayout {
    int age = -1;
    int occupation = -1;
    int gender = -1;
    int timestampBucket = -1;
    int timestampNorm = -1;
    int userId = -1;
    int queryWidth = 0;

    int titleId = -1;
    int titleText = -1;
    int genres = -1;
    int candidateWidth = 0;

    static TowerLayout of(const ModelConfig& config);
};

} // namespace towerlab
