#pragma once
// The one place a model's train/test split is built from its dataset and TrainConfig. The
// trainer, evaluation (and its seen-movie exclusions), the CLI's recommend and evaluate, the
// GUI's real-user picker, its "rated in training" marks and the Data tab all call this, so
// they always agree on which ratings a model learned from.

#include "data/dataset.hpp"
#include "data/split.hpp"
#include "model/model_config.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace towerlab {

// The split of kind training.split with training.seed (random split only) and
// training.trainFraction. Throws DatasetError for fewer than 2 ratings. Precondition:
// training.validate() passes.
TrainTestSplit splitForTraining(const Dataset& dataset, const TrainConfig& training);

// What a person needs to see of a split: its sizes, where it lies in time, and how the test
// ratings spread over the months of the dataset summary's "ratings over time".
struct SplitOverview {
    std::size_t train = 0;
    std::size_t test = 0;
    std::int64_t lastTrainTimestamp = 0; // the latest training rating's time (Unix seconds)
    std::int64_t firstTestTimestamp = 0; // the earliest test rating's time; for the time split,
                                         // the cut: >= lastTrainTimestamp
    // Test ratings per bar of summarizeDataset(dataset).ratingsByMonth, in its order.
    std::vector<std::size_t> testByMonth;
};
// The overview of splitForTraining(dataset, training). Throws as splitForTraining does.
SplitOverview overviewOfSplit(const Dataset& dataset, const TrainConfig& training);

// One line that says which split a config uses, e.g. "random (seed 42), 80% train" or
// "time, 80% train (the latest 20% of the ratings test)".
std::string describeSplit(const TrainConfig& training);

} // namespace towerlab
