#include "data/split.hpp"

#include "data/data_error.hpp"
#include "util/random.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>

namespace towerlab {

namespace {

void requireSplittable(std::size_t n, const char* function) {
    if (n < 2) {
        throw DatasetError("", std::string(function) + ": " + std::to_string(n) +
                                   " ratings cannot be split into a train and a test part");
    }
    if (n > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) {
        throw DatasetError("", std::string(function) + ": " + std::to_string(n) +
                                   " ratings do not fit 32-bit indices");
    }
}

TrainTestSplit cutAt(const std::vector<std::int32_t>& order, std::size_t trainSize) {
    TrainTestSplit split;
    const auto middle = order.begin() + static_cast<std::ptrdiff_t>(trainSize);
    split.train.assign(order.begin(), middle);
    split.test.assign(middle, order.end());
    return split;
}

} // namespace

std::string splitKindName(SplitKind kind) {
    switch (kind) {
    case SplitKind::Random:
        return "random";
    case SplitKind::Time:
        return "time";
    }
    return "random";
}

std::optional<SplitKind> splitKindFromName(std::string_view name) {
    for (const SplitKind kind : {SplitKind::Random, SplitKind::Time}) {
        if (name == splitKindName(kind)) {
            return kind;
        }
    }
    return std::nullopt;
}

std::size_t trainSizeOf(std::size_t n, double trainFraction) {
    // Every caller passes a validated TrainConfig (TrainConfig::validate refuses fractions
    // outside (0, 1) with a ConfigError naming the field), so this only guards a bug.
    assert(trainFraction > 0.0 && trainFraction < 1.0);
    assert(n >= 2);
    // round() rounds halves away from zero on every platform; the clamp keeps both parts
    // non-empty for tiny n (e.g. 3 ratings at 0.1 would otherwise give an empty train part).
    const auto size = static_cast<std::size_t>(std::round(static_cast<double>(n) * trainFraction));
    return std::clamp<std::size_t>(size, 1, n - 1);
}

TrainTestSplit splitRatings(std::size_t n, std::uint64_t seed, double trainFraction) {
    requireSplittable(n, "splitRatings");
    std::vector<std::int32_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    Random(seed).shuffle(order.begin(), order.end());
    return cutAt(order, trainSizeOf(n, trainFraction));
}

TrainTestSplit splitRatingsByTime(std::span<const std::int64_t> timestamps, double trainFraction) {
    const std::size_t n = timestamps.size();
    requireSplittable(n, "splitRatingsByTime");
    std::vector<std::int32_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    // Stable: ratings with equal timestamps keep their source order, so the cut through a
    // run of equal timestamps is the same on every platform and standard library.
    std::stable_sort(order.begin(), order.end(), [&timestamps](std::int32_t a, std::int32_t b) {
        return timestamps[static_cast<std::size_t>(a)] < timestamps[static_cast<std::size_t>(b)];
    });
    return cutAt(order, trainSizeOf(n, trainFraction));
}

TrainTestSplit splitDatasetRatings(const Dataset& dataset, SplitKind kind, std::uint64_t seed,
                                   double trainFraction) {
    if (kind == SplitKind::Time) {
        std::vector<std::int64_t> timestamps;
        timestamps.reserve(dataset.ratings.size());
        for (const Rating& r : dataset.ratings) {
            timestamps.push_back(r.timestamp);
        }
        return splitRatingsByTime(timestamps, trainFraction);
    }
    return splitRatings(dataset.ratings.size(), seed, trainFraction);
}

} // namespace towerlab
