#include "model/training_split.hpp"

#include "data/dataset_summary.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>

namespace towerlab {

TrainTestSplit splitForTraining(const Dataset& dataset, const TrainConfig& training) {
    return splitDatasetRatings(dataset, training.split, training.seed, training.trainFraction);
}

SplitOverview overviewOfSplit(const Dataset& dataset, const TrainConfig& training) {
    const TrainTestSplit split = splitForTraining(dataset, training);
    SplitOverview o;
    o.train = split.train.size();
    o.test = split.test.size();
    o.lastTrainTimestamp = std::numeric_limits<std::int64_t>::min();
    o.firstTestTimestamp = std::numeric_limits<std::int64_t>::max();
    for (const std::int32_t i : split.train) {
        o.lastTrainTimestamp = std::max<std::int64_t>(
            o.lastTrainTimestamp, dataset.ratings[static_cast<std::size_t>(i)].timestamp);
    }
    for (const std::int32_t i : split.test) {
        o.firstTestTimestamp = std::min<std::int64_t>(
            o.firstTestTimestamp, dataset.ratings[static_cast<std::size_t>(i)].timestamp);
    }
    o.testByMonth = ratingsByMonthOf(dataset, split.test);
    return o;
}

std::string describeSplit(const TrainConfig& training) {
    const auto percent = [](double share) {
        const double p = share * 100.0;
        char text[32];
        // Whole percentages as "80%", anything finer with the digits it needs.
        if (std::abs(p - std::round(p)) < 1e-9) {
            std::snprintf(text, sizeof text, "%.0f%%", p);
        } else {
            std::snprintf(text, sizeof text, "%g%%", p);
        }
        return std::string(text);
    };
    const std::string train = percent(training.trainFraction);
    if (training.split == SplitKind::Time) {
        return "time, " + train + " train (the latest " + percent(1.0 - training.trainFraction) +
               " of the ratings by timestamp test)";
    }
    return "random (seed " + std::to_string(training.seed) + "), " + train + " train";
}

} // namespace towerlab
