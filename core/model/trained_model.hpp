#pragma once
// An immutable, self-contained trained model: everything needed to answer queries, save it
// and show its history, without the dataset. Shared as std::shared_ptr<const TrainedModel>
// so views can query one while training goes on.

#include "features/feature_space.hpp"
#include "model/model_config.hpp"
#include "model/training_history.hpp"
#include "model/two_tower_weights.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace towerlab {

// The candidates a model ranks: the dataset's movies (order kept) with what views show.
struct Catalogue {
    std::vector<std::int64_t> movieIds;
    std::vector<std::string> titles;
    std::vector<std::vector<int>> genres; // indices into genreNames
    std::vector<int> years;
    std::vector<std::int32_t> popularity; // training-split ratings per movie
    std::vector<std::string> genreNames;

    std::size_t size() const { return titles.size(); }
};

struct TrainedModel {
    ModelConfig config;
    TrainConfig training;
    FeatureSpace features;
    TwoTowerWeights weights;
    Catalogue catalogue;
    TrainingHistory history;
    std::string datasetName;
    std::string datasetFingerprint;
    // Where that dataset was read from, so an app can open it again with the model: an
    // absolute folder or zip path, "built-in" for the demo, empty when unknown (files written
    // before the model file had its "dataset source" section).
    std::string datasetSource;
    int epochsTrained = 0;

    // Derived, not stored in files: the candidate inputs and the candidate tower's output
    // for every catalogue movie. finalize() (re)computes both after weights change or load.
    EncodedCatalogue encodedCatalogue;
    RowMatrix candidateEmbeddings; // catalogue.size() x config.outputDim()
    void finalize();
};

} // namespace towerlab
