#pragma once

#include "data/data_error.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace towerlab {

struct TrainTestSplit {
    std::vector<std::int32_t> train; // indices into Dataset::ratings
    std::vector<std::int32_t> test;
};

// Shuffles 0..n-1 with the seed, then the first round(n * trainFraction) are train and the
// rest test (TFRS: shuffle(seed), take(80_000), skip(80_000)). Deterministic everywhere.
// Both parts are kept non-empty (the train size is clamped to 1..n-1). Throws DatasetError
// when n < 2 (or n needs more than 32-bit indices). Precondition: trainFraction is inside
// (0, 1), as TrainConfig::validate() ensures.
TrainTestSplit splitRatings(std::size_t n, std::uint64_t seed, double trainFraction = 0.8);

} // namespace towerlab
