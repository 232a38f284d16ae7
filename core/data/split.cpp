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

TrainTestSplit splitRatings(std::size_t n, std::uint64_t seed, double trainFraction) {
    // Every caller passes a validated TrainConfig (TrainConfig::validate refuses fractions
    // outside (0, 1) with a ConfigError naming the field), so this only guards a bug.
    assert(trainFraction > 0.0 && trainFraction < 1.0);
    if (n < 2) {
        throw DatasetError("", "splitRatings: " + std::to_string(n) +
                                   " ratings cannot be split into a train and a test part");
    }
    if (n > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) {
        throw DatasetError("", "splitRatings: " + std::to_string(n) +
                                   " ratings do not fit 32-bit indices");
    }
    std::vector<std::int32_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    Random(seed).shuffle(order.begin(), order.end());

    // round() rounds halves away from zero on every platform; the clamp keeps both parts
    // non-empty for tiny n (e.g. 3 ratings at 0.1 would otherwise give an empty train part).
    auto trainSize = static_cast<std::size_t>(std::round(static_cast<double>(n) * trainFraction));
    trainSize = std::clamp<std::size_t>(trainSize, 1, n - 1);

    TrainTestSplit split;
    const auto middle = order.begin() + static_cast<std::ptrdiff_t>(trainSize);
    split.train.assign(order.begin(), middle);
    split.test.assign(middle, order.end());
    return split;
}

} // namespace towerlab
